import t from 'tap';
import { auth, issue, testApp } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';

for (const backend of backends) {
  t.test(`roles are enforced on every route: 401 versus 403 (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const inject = (method: 'GET' | 'POST', url: string, key?: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: { ...(key ? auth(key) : {}), 'idempotency-key': 'k1' }, ...(payload ? { payload } : {}) });

    const missing = await inject('GET', '/v1/receipts');
    t.equal(missing.statusCode, 401);
    t.equal(missing.json().code, 'UNAUTHENTICATED');
    const unknown = await inject('GET', '/v1/receipts', 'rk_cashier_not-a-real-key');
    t.equal(unknown.statusCode, 401);
    const malformed = await ctx.app.inject({ url: '/v1/receipts', headers: { authorization: 'Basic abc' } });
    t.equal(malformed.statusCode, 401);

    // Who may issue: only a cashier.
    for (const role of ['admin', 'accountant', 'auditor'] as const) {
      const res = await inject('POST', '/v1/receipts', ctx.keys[role], { department: 'STP' });
      t.equal(res.statusCode, 403, `${role} may not issue`);
      t.equal(res.json().code, 'FORBIDDEN');
    }
    // Who may change reference data: only admin.
    for (const role of ['cashier', 'accountant', 'auditor'] as const) {
      const res = await inject('POST', '/v1/departments', ctx.keys[role], { code: 'SYT', name: 'Sở Y tế', taxCode: '0100000099' });
      t.equal(res.statusCode, 403, `${role} may not add a department`);
      t.equal((await inject('GET', '/v1/api-keys', ctx.keys[role])).statusCode, 403, `${role} may not list keys`);
    }
    // Reference data is readable with any key.
    for (const role of ['admin', 'cashier', 'accountant', 'auditor'] as const) {
      const res = await inject('GET', '/v1/departments', ctx.keys[role]);
      t.equal(res.statusCode, 200, `${role} reads departments`);
      t.same(
        res.json().data.map((d: { code: string }) => d.code),
        ['SCT', 'SNNMT', 'STP', 'SXD'],
      );
    }
    // Public routes need no key.
    t.equal((await inject('GET', '/healthz')).statusCode, 200);
    t.equal((await inject('GET', '/openapi.json')).statusCode, 200);
  });

  t.test(`keys: created once, stored hashed, revoked at once, tied to a counter (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: auth(ctx.keys.admin),
      payload: { name: 'Trần Thị Hai', role: 'cashier', counter: 'Q02' },
    });
    t.equal(created.statusCode, 201);
    const key = created.json();
    t.match(key.secret, /^rk_cashier_[A-Za-z0-9_-]{43}$/);
    t.equal(key.counter, 'Q02');
    t.equal(key.prefix, key.secret.slice(0, 16));

    const stored = await ctx.database.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [key.id]);
    t.match(stored.rows[0]!.key_hash, /^[0-9a-f]{64}$/);
    t.not(stored.rows[0]!.key_hash, key.secret, 'only the hash is stored');

    const listed = (await ctx.app.inject({ url: '/v1/api-keys', headers: auth(ctx.keys.admin) })).json();
    t.equal(listed.data.length, 5);
    t.notOk(JSON.stringify(listed).includes(key.secret), 'the list never shows a secret');

    const issued = await issue({ ...ctx, keys: { ...ctx.keys, cashier: key.secret } });
    t.equal(issued.statusCode, 201);
    t.equal(issued.json().counter, 'Q02', 'the receipt records the key’s counter');

    const revoked = await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${key.id}/revoke`, headers: auth(ctx.keys.admin) });
    t.equal(revoked.statusCode, 200);
    t.ok(revoked.json().revokedAt);
    const after = await issue({ ...ctx, keys: { ...ctx.keys, cashier: key.secret } });
    t.equal(after.statusCode, 401, 'a revoked key stops working at once');

    const counterForAdmin = await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: auth(ctx.keys.admin),
      payload: { name: 'x', role: 'admin', counter: 'Q09' },
    });
    t.equal(counterForAdmin.statusCode, 400);
    t.equal(counterForAdmin.json().errors[0].field, 'body.counter');
    const badRole = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { name: 'x', role: 'root' } });
    t.equal(badRole.statusCode, 400);
    const unknownKey = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys/00000000-0000-4000-8000-000000000000/revoke', headers: auth(ctx.keys.admin) });
    t.equal(unknownKey.statusCode, 404);
    t.equal(unknownKey.json().code, 'API_KEY_NOT_FOUND');
  });
}
