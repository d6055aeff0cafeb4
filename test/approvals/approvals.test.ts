import t from 'tap';
import { auth, decideCorrection, demoReceipt, issue, ledgerTotals, newIdempotencyKey, requestCorrection, requestRefund, testApp, type TestContext } from '../helpers/app.ts';

/** A key made through the API as an admin would: the secret, the key and its staff member. */
async function newKey(ctx: TestContext, body: Record<string, unknown>) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: body });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { secret: string; id: string; staff: { id: string; name: string }; counter: string | null; scope: string };
}

const state = async (ctx: TestContext) => ({
  ledger: await ledgerTotals(ctx),
  receipts: (await ctx.database.db.query('SELECT id, status, number FROM receipts ORDER BY seq')).rows,
  notices: (await ctx.database.db.query('SELECT count(*)::int AS n FROM error_notices')).rows[0],
  next: (await ctx.database.db.query('SELECT symbol, next_number FROM series ORDER BY id')).rows,
});

const smaller = { ...demoReceipt, department: 'SNNMT', items: [{ name: 'Phí', kind: 'fee', amount: 1_000 }], reason: 'Sai số tiền' };

t.test('a replacement moves money only when another person approves it', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  // 1,250,000 VND at counter Q01.
  const receipt = (await issue(ctx, { ...demoReceipt, department: 'SNNMT', items: [{ feeCode: 'SNNMT-TDHS' }] })).json();
  t.equal(receipt.total, 1_250_000);

  // A cashier of another counter cannot even ask.
  const q2 = await newKey(ctx, { name: 'Trần Thị Hai', role: 'cashier', counter: 'Q02' });
  const before = await state(ctx);
  for (const [what, send] of [
    ['a replacement', () => requestCorrection(ctx, receipt.id, 'replacement', smaller, { key: q2.secret })],
    ['an error notice', () => requestCorrection(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Ai đó', reason: 'x' }, { key: q2.secret })],
    [
      'a refund',
      () =>
        ctx.app.inject({ method: 'POST', url: `/v1/receipts/${receipt.id}/refunds`, headers: { ...auth(q2.secret), 'idempotency-key': newIdempotencyKey() }, payload: { amount: 1_000, reason: 'x' } }),
    ],
  ] as const) {
    const res = await send();
    t.equal(res.statusCode, 403, `another counter: ${what}`);
    t.equal(res.json().code, 'OUTSIDE_COUNTER_SCOPE');
    t.match(res.json().detail, /was issued at counter Q01; this key may correct and refund only receipts of counter Q02/);
  }
  t.same(await state(ctx), before, 'nothing changed');

  // Its own counter's cashier asks: nothing is signed, numbered or posted yet.
  const asked = await requestCorrection(ctx, receipt.id, 'replacement', smaller);
  t.equal(asked.statusCode, 201, asked.body);
  t.match(asked.json(), { kind: 'replacement', status: 'pending', receiptId: receipt.id, details: { total: 1_000 }, requestedByStaff: { name: 'test cashier' }, result: null });
  t.same(await state(ctx), before, 'a pending replacement changes no receipt, number or money');
  const queue = (await ctx.app.inject({ url: '/v1/corrections?status=pending', headers: auth(ctx.keys.accountant) })).json();
  t.same(
    queue.data.map((c: { id: string }) => c.id),
    [asked.json().id],
    'it waits in the accountants’ queue',
  );

  // The requester cannot approve it, with any key of theirs.
  const ownAccountantKey = await newKey(ctx, { name: 'Test  CASHIER', role: 'accountant' });
  t.equal(ownAccountantKey.staff.name, 'test cashier', 'a look-alike name joins the same person');
  for (const key of [ownAccountantKey.secret]) {
    const r = await decideCorrection(ctx, asked.json().id, 'approve', key);
    t.equal(r.statusCode, 403);
    t.equal(r.json().code, 'SEPARATION_OF_DUTIES');
  }
  t.equal((await decideCorrection(ctx, asked.json().id, 'approve', ctx.keys.cashier)).statusCode, 403, 'a cashier key cannot approve');
  t.same(await state(ctx), before);

  // Rejection changes nothing but the request.
  const rejected = await decideCorrection(ctx, asked.json().id, 'reject', ctx.keys.accountant, 'Không có hồ sơ');
  t.equal(rejected.statusCode, 200);
  t.match(rejected.json(), { status: 'rejected', decidedBy: 'test accountant', decisionReason: 'Không có hồ sơ', result: null });
  t.same(await state(ctx), before, 'a rejected replacement changes nothing');
  t.equal((await decideCorrection(ctx, asked.json().id, 'approve')).json().code, 'CORRECTION_NOT_PENDING');

  // Asked again and approved by the accountant: now the replacement is issued and the money moves.
  const again = (await requestCorrection(ctx, receipt.id, 'replacement', smaller)).json();
  const approved = await decideCorrection(ctx, again.id, 'approve');
  t.equal(approved.statusCode, 200, approved.body);
  t.equal(approved.json().status, 'approved');
  const replacement = (await ctx.app.inject({ url: `/v1/receipts/${approved.json().result.receiptId}`, headers: auth(ctx.keys.auditor) })).json();
  t.match(replacement, { total: 1_000, counter: 'Q01', number: 2, replaces: { id: receipt.id } });
  const ledger = await ledgerTotals(ctx);
  t.same([before.ledger.collected, ledger.collected, ledger.center], [1_250_000, 1_000, 150], 'the original’s 1,250,000 reversed, the replacement’s 1,000 posted');
  const events = (await ctx.app.inject({ url: `/v1/audit/events?subjectType=correction&subjectId=${again.id}`, headers: auth(ctx.keys.auditor) })).json().data;
  t.same(
    events.map((e: { action: string; actor: string }) => [e.action, e.actor]),
    [
      ['replacement.requested', 'test cashier'],
      ['replacement.approved', 'test accountant'],
    ],
  );
});

t.test('an admin can widen a cashier key to the center’s receipts', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const head = await newKey(ctx, { name: 'Lê Văn Trưởng', role: 'cashier', counter: 'Q09', scope: 'center' });
  t.equal(head.scope, 'center');
  const asked = await requestCorrection(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' }, { key: head.secret });
  t.equal(asked.statusCode, 201, asked.body);
  const refund = await ctx.app.inject({
    method: 'POST',
    url: `/v1/receipts/${receipt.id}/refunds`,
    headers: { ...auth(head.secret), 'idempotency-key': newIdempotencyKey() },
    payload: { amount: 1_000, reason: 'x' },
  });
  t.equal(refund.statusCode, 201);
  const bad = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { name: 'Kế toán B', role: 'accountant', scope: 'center' } });
  t.equal(bad.statusCode, 400, 'only cashier keys have a scope');
});

t.test('people, not names: look-alike names are one person unless an admin says otherwise', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const cashier = await newKey(ctx, { name: 'Nguyễn Văn An', role: 'cashier', counter: 'Q01' });
  const asked = (await requestCorrection(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' }, { key: cashier.secret })).json();
  // Each of these names is the same person typed again: their accountant key cannot approve.
  for (const name of ['NGUYỄN VĂN AN', 'Nguyen Van An', 'nguyễn   văn   an', 'Nguyen Van-An.', 'Nguyễn Vă nAn', 'Ｎｇｕｙｅｎ Van An' /* full-width */]) {
    const key = await newKey(ctx, { name, role: 'accountant' });
    t.equal(key.staff.id, cashier.staff.id, `"${name}" is the same staff member`);
    const r = await decideCorrection(ctx, asked.id, 'approve', key.secret);
    t.equal(r.json().code, 'SEPARATION_OF_DUTIES', `"${name}" cannot approve`);
  }
  // Names that would pass for his in print but are not Latin letters are refused outright, for keys and staff alike.
  for (const [name, what] of [
    ['Nguyễn\u200bVăn An', 'a zero-width space'],
    ['Nguyễn\u3164Văn An', 'a Hangul filler'],
    ['Nguyễn Vаn An', 'a Cyrillic а'],
    ['Nguyễn Văn Αn', 'a Greek Α'],
    ['Nguyễn Văν An', 'a Greek ν'],
    ['Nguyễn Văn An 2', 'a digit'],
    ['Nguyễn Văn A\u0301\u0301\u0301n', 'stacked accents'],
    ['...', 'no letter at all'],
  ]) {
    for (const url of ['/v1/api-keys', '/v1/staff']) {
      const res = await ctx.app.inject({ method: 'POST', url, headers: auth(ctx.keys.admin), payload: url === '/v1/staff' ? { name } : { name, role: 'accountant' } });
      t.equal(res.json().code, 'VALIDATION_FAILED', `${url}: a name with ${what} is refused`);
      t.equal(res.json().errors?.[0]?.field, 'body.name', `${url}: ${what}: names the field`);
    }
  }

  // A different person who happens to share the name: created once, on purpose, then named by id.
  const similar = await ctx.app.inject({ method: 'POST', url: '/v1/staff', headers: auth(ctx.keys.admin), payload: { name: 'Nguyễn Văn Ân' } });
  t.equal(similar.statusCode, 409);
  t.equal(similar.json().code, 'STAFF_NAME_SIMILAR');
  t.match(similar.json().detail, cashier.staff.id);
  const other = await ctx.app.inject({ method: 'POST', url: '/v1/staff', headers: auth(ctx.keys.admin), payload: { name: 'Nguyễn Văn Ân', distinctFrom: [cashier.staff.id] } });
  t.equal(other.statusCode, 201);
  const ambiguous = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { name: 'Nguyen Van An', role: 'accountant' } });
  t.equal(ambiguous.statusCode, 422);
  t.equal(ambiguous.json().code, 'STAFF_AMBIGUOUS', 'with two such people, the key must name one');
  const theirs = await newKey(ctx, { name: 'Nguyễn Văn Ân', role: 'accountant', staffId: other.json().id });
  t.equal(theirs.staff.id, other.json().id);
  const byIdOnly = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { role: 'auditor', staffId: other.json().id } });
  t.equal(byIdOnly.statusCode, 201, 'a staff id alone names the holder');
  t.equal(byIdOnly.json().name, 'Nguyễn Văn Ân', 'and the key is labelled with their name');
  const nobody = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { role: 'auditor' } });
  t.equal(nobody.json().code, 'VALIDATION_FAILED');
  t.equal(nobody.json().errors[0].field, 'body.name', 'a key without name or staff id is refused');
  const approved = await decideCorrection(ctx, asked.id, 'approve', theirs.secret);
  t.equal(approved.statusCode, 200, 'another person may approve');
  const listed = (await ctx.app.inject({ url: '/v1/staff', headers: auth(ctx.keys.admin) })).json().data;
  t.equal(listed.filter((s: { name: string }) => /^Nguy/.test(s.name)).length, 2, 'two people, however many keys');
  t.equal((await ctx.app.inject({ url: '/v1/staff', headers: auth(ctx.keys.accountant) })).statusCode, 403);
});

t.test('pending corrections and refunds block each other', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const a = (await issue(ctx)).json();
  const b = (await issue(ctx)).json();
  const replacement = { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }], reason: 'Thu nhầm' };
  const notice = (field: string, correctValue: string) => ({ field, correctValue, reason: 'Sai' });

  // A pending replacement of A blocks everything else on A.
  t.equal((await requestCorrection(ctx, a.id, 'replacement', replacement)).statusCode, 201);
  for (const [what, send] of [
    ['another replacement', () => requestCorrection(ctx, a.id, 'replacement', replacement)],
    ['an error notice', () => requestCorrection(ctx, a.id, 'error-notices', notice('payerName', 'Nguyễn Văn Ân'))],
    ['a refund', () => requestRefund(ctx, a.id, { amount: 1_000, reason: 'x' })],
  ] as const) {
    const res = await send();
    t.equal(res.statusCode, 409, what);
    t.equal(res.json().code, 'CORRECTION_PENDING', what);
  }
  // A pending notice on B blocks a replacement of B and another notice on the same field, not one on another field.
  t.equal((await requestCorrection(ctx, b.id, 'error-notices', notice('payerName', 'Nguyễn Văn Ân'))).statusCode, 201);
  t.equal((await requestCorrection(ctx, b.id, 'error-notices', notice('payerName', 'Nguyễn Văn Ấn'))).json().code, 'CORRECTION_PENDING');
  t.equal((await requestCorrection(ctx, b.id, 'replacement', replacement)).json().code, 'CORRECTION_PENDING');
  t.equal((await requestCorrection(ctx, b.id, 'error-notices', notice('payerAddress', '21 Lê Lợi'))).statusCode, 201);
  // A pending refund blocks a replacement, as before.
  const c = (await issue(ctx)).json();
  t.equal((await requestRefund(ctx, c.id, { amount: 1_000, reason: 'x' })).statusCode, 201);
  t.equal((await requestCorrection(ctx, c.id, 'replacement', replacement)).json().code, 'REFUND_PENDING');
});

t.test('requests are idempotent; two accountants approving at once issue one replacement', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const key = newIdempotencyKey();
  const body = { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }], reason: 'Thu nhầm' };
  const first = await requestCorrection(ctx, receipt.id, 'replacement', body, { idempotencyKey: key });
  const replay = await requestCorrection(ctx, receipt.id, 'replacement', body, { idempotencyKey: key });
  t.equal(replay.statusCode, 201);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.same(replay.json(), first.json());
  t.equal((await requestCorrection(ctx, receipt.id, 'replacement', { ...body, reason: 'Khác' }, { idempotencyKey: key })).json().code, 'IDEMPOTENCY_KEY_REUSED');
  t.equal((await requestCorrection(ctx, receipt.id, 'replacement', body, { idempotencyKey: null })).json().code, 'IDEMPOTENCY_KEY_REQUIRED');

  const second = await newKey(ctx, { name: 'Phạm Thị Kế Toán', role: 'accountant' });
  const results = await Promise.all([decideCorrection(ctx, first.json().id, 'approve'), decideCorrection(ctx, first.json().id, 'approve', second.secret)]);
  t.same(results.map((r) => r.statusCode).sort(), [200, 409]);
  t.equal((await ctx.database.db.query(`SELECT count(*)::int AS n FROM receipts WHERE replaces = $1`, [receipt.id])).rows[0]!.n, 1);
});
