import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { verifyChain } from '../../src/audit/chain.ts';
import { SignerPool } from '../../src/signing/pool.ts';
import type { Signer } from '../../src/signing/signer.ts';
import { IssuingEngine } from '../../src/receipts/engine.ts';
import { issueReceiptSchema } from '../../src/receipts/schemas.ts';
import { auth, demoReceipt, devFileSigner, issue, newIdempotencyKey, testApp, type TestContext } from '../helpers/app.ts';
import { testSigner } from '../helpers/signers.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';

/**
 * The issuing engine (src/receipts/engine.ts): requests of one series are
 * numbered, signed and stored in groups, one transaction each; a failed group
 * uses no number and its requests are issued again one by one; the queue is
 * bounded; a signer pool takes a failing token out.
 */

async function issuedNumbers(ctx: TestContext): Promise<number[]> {
  const { rows } = await ctx.database.db.query<{ number: number }>('SELECT number FROM receipts ORDER BY number');
  return rows.map((r) => r.number);
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

t.test('a group with a failed signature uses no number: its requests are issued again one by one, all of them, in order', async (t) => {
  const { signer, state } = testSigner(await devFileSigner(), { failing: (call) => call === 3 });
  const ctx = await testApp('postgres', { signer });
  t.teardown(() => ctx.close());
  const results = await Promise.all(Array.from({ length: 30 }, () => issue(ctx)));
  t.same(
    results.map((r) => r.statusCode),
    Array(30).fill(201),
  );
  t.same(await issuedNumbers(ctx), oneTo(30), 'numbers 1..30, no gap');
  t.same(
    results.map((r) => r.json().number).sort((a: number, b: number) => a - b),
    oneTo(30),
    'each answer names its own number',
  );
  t.ok(state.calls > 31, `the failed group's documents were signed again (${state.calls} signatures for 30 receipts)`);
  const issuedEvents = await ctx.database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'receipt.issued'`);
  t.equal(issuedEvents.rows[0]!.n, 30, 'one audit event per receipt: none from the undone group');
  const chain = await verifyChain(ctx.database.db);
  t.equal(chain.valid, true);
  const xml = await ctx.database.db.query<{ xml: Buffer }>('SELECT xml FROM receipts WHERE number = 30');
  t.equal((await xmlsecVerify(xml.rows[0]!.xml)).ok, true);
});

t.test('requests of one series waiting together are issued as a group: one transaction, one instant, consecutive numbers', async (t) => {
  const { signer } = testSigner(await devFileSigner(), { delayMs: 30 });
  const ctx = await testApp('postgres', { signer });
  t.teardown(() => ctx.close());
  const results = await Promise.all(Array.from({ length: 20 }, () => issue(ctx)));
  t.same(
    results.map((r) => r.statusCode),
    Array(20).fill(201),
  );
  const groups = await ctx.database.db.query<{ n: number; numbers: number[] }>(
    'SELECT count(*)::int AS n, array_agg(number ORDER BY number) AS numbers FROM receipts GROUP BY issued_at ORDER BY min(number)',
  );
  t.ok(groups.rows.length < 20, `20 receipts in ${groups.rows.length} groups`);
  t.ok(
    groups.rows.some((g) => g.n > 1),
    'some group holds several receipts',
  );
  for (const g of groups.rows)
    t.same(
      g.numbers,
      oneTo(g.n).map((i) => i + g.numbers[0]! - 1),
      'a group takes consecutive numbers',
    );
  t.same(await issuedNumbers(ctx), oneTo(20));
});

t.test('when too many counter requests wait, the next is refused at once with 503 SIGNER_UNAVAILABLE and Retry-After, using nothing', async (t) => {
  const { signer } = testSigner(await devFileSigner(), { delayMs: 100 });
  const ctx = await testApp('postgres', { signer, env: { ISSUE_QUEUE_MAX: '2', ISSUE_GROUP_MAX: '1' } });
  t.teardown(() => ctx.close());
  const results = await Promise.all(Array.from({ length: 8 }, () => issue(ctx)));
  const refused = results.filter((r) => r.statusCode === 503);
  const ok = results.filter((r) => r.statusCode === 201);
  t.ok(refused.length >= 4, `${refused.length} of 8 refused`);
  t.equal(ok.length + refused.length, 8);
  for (const r of refused) {
    t.equal(r.json().code, 'SIGNER_UNAVAILABLE');
    t.equal(r.headers['retry-after'], '3');
    t.match(r.json().detail, /receipts are waiting/);
  }
  t.same(await issuedNumbers(ctx), oneTo(ok.length), 'the refused used no number');
  const after = await issue(ctx);
  t.equal(after.statusCode, 201, 'once the queue drains, requests are taken again');
  t.equal(after.json().number, ok.length + 1);
});

t.test('the same Idempotency-Key twice at once: one receipt, the other answer replays it or says it is in progress', async (t) => {
  const { signer } = testSigner(await devFileSigner(), { delayMs: 20 });
  const ctx = await testApp('postgres', { signer });
  t.teardown(() => ctx.close());
  const key = newIdempotencyKey();
  // Others of the series queue first, so both copies land in one group.
  const others = Array.from({ length: 5 }, () => issue(ctx));
  const [a, b] = await Promise.all([issue(ctx, undefined, key), issue(ctx, undefined, key)]);
  await Promise.all(others);
  const stored = await ctx.database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM receipts WHERE id IN (SELECT (response_body->>'id')::uuid FROM idempotency_keys WHERE key = $1)`, [key]);
  t.equal(stored.rows[0]!.n, 1);
  const statuses = [a!.statusCode, b!.statusCode].sort();
  t.ok(statuses[0] === 201 && (statuses[1] === 201 || statuses[1] === 409), `statuses ${statuses.join(', ')}`);
  if (statuses[1] === 409) t.equal([a!, b!].find((r) => r.statusCode === 409)!.json().code, 'IDEMPOTENCY_IN_PROGRESS');
  else t.equal(a!.json().id, b!.json().id);
  t.same(await issuedNumbers(ctx), oneTo(6), 'six receipts, not seven');
});

t.test('a token taken out mid-load: its documents go to the other token, no number is used, and it is put back when it signs again', async (t) => {
  const inner = await devFileSigner();
  let out = false;
  const a = testSigner(inner, { delayMs: 5, failing: () => out });
  const b = testSigner(inner, { delayMs: 5 });
  const pool = new SignerPool([
    { signer: a.signer, name: 'a#1' },
    { signer: b.signer, name: 'b#1' },
  ]);
  const ctx = await testApp('postgres', { signer: pool });
  t.teardown(() => ctx.close());
  const first = await Promise.all(Array.from({ length: 10 }, () => issue(ctx)));
  t.same(
    first.map((r) => r.statusCode),
    Array(10).fill(201),
  );
  t.ok(a.state.calls > 0 && b.state.calls > 0, `both tokens signed (${a.state.calls}, ${b.state.calls})`);
  out = true;
  const during = await Promise.all(Array.from({ length: 20 }, () => issue(ctx)));
  t.same(
    during.map((r) => r.statusCode),
    Array(20).fill(201),
    'every request issued while one token was out',
  );
  t.same(await issuedNumbers(ctx), oneTo(30), 'no number used by the failures');
  t.same(
    pool.status().map((m) => [m.name, m.up]),
    [
      ['a#1', false],
      ['b#1', true],
    ],
  );
  const signedByA = a.state.calls;
  await issue(ctx);
  t.equal(a.state.calls, signedByA, 'a token taken out gets no documents while another is up');
  out = false;
  await sleep(2_100);
  await issue(ctx); // starts a probe of the token taken out
  await sleep(50);
  t.equal(pool.status()[0]!.up, true, 'put back after a probe signature');
  const xml = await ctx.database.db.query<{ xml: Buffer }>('SELECT xml FROM receipts WHERE number = 25');
  t.equal((await xmlsecVerify(xml.rows[0]!.xml)).ok, true);
});

t.test('with every token out, a request fails with SIGNER_UNAVAILABLE and uses no number; the lone token signs again when it returns', async (t) => {
  let out = false;
  const a = testSigner(await devFileSigner(), { failing: () => out });
  const pool = new SignerPool([{ signer: a.signer, name: 'a#1' }]);
  const ctx = await testApp('postgres', { signer: pool });
  t.teardown(() => ctx.close());
  t.equal((await issue(ctx)).statusCode, 201);
  out = true;
  const failed = await issue(ctx);
  t.equal(failed.statusCode, 503);
  t.equal(failed.json().code, 'SIGNER_UNAVAILABLE');
  out = false;
  const back = await issue(ctx);
  t.equal(back.statusCode, 201);
  t.equal(back.json().number, 2);
});

t.test('an error of the whole group (a closed period) answers every request of it without signing each again', async (t) => {
  const { signer, state } = testSigner(await devFileSigner(), { delayMs: 10 });
  const ctx = await testApp('postgres', { signer });
  t.teardown(() => ctx.close());
  const month = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
  const keyId = (await ctx.database.db.query<{ id: string }>('SELECT id FROM api_keys LIMIT 1')).rows[0]!.id;
  await ctx.database.db.query(`INSERT INTO periods (month, closed_at, closed_by, report, report_sha256) VALUES ($1, now(), $2, '', '')`, [month, keyId]);
  const results = await Promise.all(Array.from({ length: 10 }, () => issue(ctx)));
  t.same(
    results.map((r) => [r.statusCode, r.json().code]),
    Array(10).fill([409, 'PERIOD_CLOSED']),
  );
  t.equal(state.calls, 10, 'each document signed once, in its group; none again alone');
  t.same(await issuedNumbers(ctx), []);
});

t.test('batches never have more than one group of their own being signed: counter requests of other series are not crowded out', async (t) => {
  const inner = await devFileSigner();
  let inFlight = 0;
  let most = 0;
  const signer: Signer = {
    kind: inner.kind,
    signatureMethod: inner.signatureMethod,
    certificateChain: inner.certificateChain,
    healthy: () => inner.healthy(),
    close: async () => undefined,
    async sign(data) {
      most = Math.max(most, ++inFlight);
      await sleep(15);
      inFlight--;
      return inner.sign(data);
    },
  };
  const ctx = await testApp('postgres', { signer, env: { ISSUE_GROUP_MAX: '4' } });
  t.teardown(() => ctx.close());
  const sxd = { department: 'SXD', payer: { name: 'Trần Bình' }, items: [{ feeCode: 'SXD-TDTK' }], paymentMethod: 'cash' };
  const stp = { department: 'STP', payer: { name: 'Lê Chi' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' };
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/receipts/batch',
    headers: { ...auth(ctx.keys.cashier), 'idempotency-key': newIdempotencyKey() },
    payload: { receipts: Array.from({ length: 40 }, (_, i) => (i % 2 ? sxd : stp)) },
  });
  t.equal(res.json().issued, 40);
  t.equal(most, 4, 'one group of 4 at a time, though two series had items waiting');
});

t.test('a batch that would put more items in the queue than allowed is refused whole, before anything is issued', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const engine = new IssuingEngine(ctx.database.db, { signer: ctx.signer }, { maxGroup: 4, maxWaiting: 10, maxBulk: 5 });
  const actor = { keyId: (await ctx.database.db.query<{ id: string }>(`SELECT id FROM api_keys WHERE role = 'cashier'`)).rows[0]!.id, name: 'cashier' };
  const job = { input: issueReceiptSchema.parse(demoReceipt), ctx: { actor, counter: 'Q01' } };
  await t.rejects(engine.issueBatch(Array(6).fill(job)), { code: 'SIGNER_UNAVAILABLE', message: /0 batch items are waiting already; nothing of this batch was issued/ });
  t.same(await issuedNumbers(ctx), []);
  const five = await engine.issueBatch(Array(5).fill(job));
  t.same(
    five.map((r) => r.status),
    Array(5).fill('fulfilled'),
  );
  t.same(await issuedNumbers(ctx), oneTo(5));
});
