import t from 'tap';
import pg from 'pg';
import { auth, demoReceipt, issue, testApp } from '../helpers/app.ts';
import { ADMIN_URL } from '../helpers/db.ts';

t.test('while the database is gone: 503 DATABASE_UNAVAILABLE with Retry-After, /readyz says why, nothing issued; back by itself', async (t) => {
  const ctx = await testApp('postgres');
  const name = new URL(ctx.database.url!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  t.teardown(async () => {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await admin.end();
    await ctx.close();
  });
  t.equal((await issue(ctx)).json().number, 1);

  // The database stops taking connections and the open ones are cut, as a restart would.
  await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  const down = await issue(ctx);
  t.equal(down.statusCode, 503);
  t.equal(down.headers['retry-after'], '5');
  t.match(down.headers['content-type'], 'application/problem+json');
  t.match(down.json(), { code: 'DATABASE_UNAVAILABLE', title: 'The database cannot be reached now; try again shortly', status: 503 });
  const read = await ctx.app.inject({ url: '/v1/receipts', headers: auth(ctx.keys.auditor) });
  t.equal(read.statusCode, 503, 'reads too');
  t.equal(read.json().code, 'DATABASE_UNAVAILABLE');
  const ready = await ctx.app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.match(ready.json(), { code: 'NOT_READY', detail: /^database unreachable: .*not currently accepting connections.*, signer ok, storage ok$/ });

  // It comes back: the service recovers by itself, and the failed request used no number.
  await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  const back = await issue(ctx, demoReceipt);
  t.equal(back.statusCode, 201, back.body);
  t.equal(back.json().number, 2, 'no gap: the refused request took no number');
  t.equal((await ctx.app.inject({ url: '/readyz' })).statusCode, 200);
});

t.test('a request that arrives while the service shuts down gets 503 SHUTTING_DOWN as a problem document', async (t) => {
  const ctx = await testApp('postgres');
  const closing = ctx.app.close();
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...auth(ctx.keys.cashier), 'idempotency-key': 'late-1' }, payload: demoReceipt });
  await closing;
  await ctx.close();
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '5');
  t.equal(res.headers.connection, 'close');
  t.match(res.headers['content-type'], 'application/problem+json');
  t.same(res.json(), {
    type: 'urn:receipts:problem:SHUTTING_DOWN',
    title: 'The service is shutting down; try again shortly',
    status: 503,
    detail: 'The service is shutting down; try again shortly',
    code: 'SHUTTING_DOWN',
    instance: '/v1/receipts',
  });
});

t.test('errors that mean the database is gone or busy, and those that do not', async (t) => {
  const { isDatabaseUnavailable } = await import('../../src/http/problem.ts');
  const err = (message: string, code?: string, cause?: unknown) => Object.assign(new Error(message, { cause }), code ? { code } : {});
  for (const e of [
    err('terminating connection due to administrator command', '57P01'),
    err('x', '08006'),
    err('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    err('canceling statement due to lock timeout', '55P03'),
    err('canceling statement due to statement timeout', '57014'),
    err('Connection terminated unexpectedly'),
    err('timeout exceeded when trying to connect'),
    err('database "x" is not currently accepting connections', '55000'),
    err('wrapped', undefined, err('y', '57P01')),
  ]) {
    t.equal(isDatabaseUnavailable(e), true, e.message);
  }
  for (const e of [err('duplicate key value violates unique constraint', '23505'), err('syntax error', '42601'), err('other 55000', '55000'), new Error('boom'), 'not an error']) {
    t.equal(isDatabaseUnavailable(e), false, String(e instanceof Error ? e.message : e));
  }
});
