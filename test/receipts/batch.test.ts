import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { auth, demoReceipt, devFileSigner, issue, newIdempotencyKey, testApp, type TestContext } from '../helpers/app.ts';
import { testSigner } from '../helpers/signers.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';

/** POST /v1/receipts/batch: up to 1,000 receipts, one Idempotency-Key, a result per item. */

const sxd = { ...demoReceipt, department: 'SXD', items: [{ feeCode: 'SXD-TDTK' }] };

function batch(ctx: TestContext, receipts: unknown[], opts: { key?: string | null; apiKey?: string } = {}) {
  const key = opts.key === undefined ? newIdempotencyKey() : opts.key;
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/receipts/batch',
    headers: { ...auth(opts.apiKey ?? ctx.keys.cashier), ...(key ? { 'idempotency-key': key } : {}) },
    payload: { receipts },
  });
}

const count = async (ctx: TestContext) => (await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts')).rows[0]!.n;

t.test('a batch issues each item with its own result, in order; a bad item fails alone; the same batch again replays', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const items: unknown[] = Array.from({ length: 25 }, (_, i) => (i % 5 === 4 ? sxd : demoReceipt));
  items[7] = { ...demoReceipt, items: [{ feeCode: 'SXD-TDTK' }] }; // another department's fee
  const key = newIdempotencyKey();
  const res = await batch(ctx, items, { key });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.issued, 24);
  t.equal(body.failed, 1);
  t.same(
    body.results.map((r: { index: number }) => r.index),
    Array.from({ length: 25 }, (_, i) => i),
  );
  t.equal(body.results[7].status, 422);
  t.equal(body.results[7].problem.code, 'UNKNOWN_FEE');
  t.equal(body.results[7].problem.errors[0].field, 'body.items.0.feeCode');
  const stp = body.results.filter((r: { index: number }) => r.index % 5 !== 4 && r.index !== 7);
  const sxdResults = body.results.filter((r: { index: number }) => r.index % 5 === 4);
  t.same(
    stp.map((r: { receipt: { number: number } }) => r.receipt.number),
    Array.from({ length: 19 }, (_, i) => i + 1),
    'one series: numbers ascend with the items’ order',
  );
  t.same(
    sxdResults.map((r: { receipt: { number: number; department: { code: string } } }) => [r.receipt.department.code, r.receipt.number]),
    [1, 2, 3, 4, 5].map((n) => ['SXD', n]),
    'another department’s series numbers its own',
  );
  t.equal(body.results[0].receipt.total, 400_000);
  t.equal(body.results[4].receipt.total, 500_000);
  t.equal(await count(ctx), 24);
  const xml = (await ctx.app.inject({ url: `/v1/receipts/${body.results[3].receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  t.equal((await xmlsecVerify(xml)).ok, true);

  const again = (await batch(ctx, items, { key })).json();
  t.equal(again.issued, 24);
  t.equal(again.results.filter((r: { replayed?: boolean }) => r.replayed).length, 24, 'every issued item replayed');
  t.same(
    again.results.filter((r: { status: number }) => r.status === 201).map((r: { receipt: { id: string } }) => r.receipt.id),
    body.results.filter((r: { status: number }) => r.status === 201).map((r: { receipt: { id: string } }) => r.receipt.id),
  );
  t.equal(again.results[7].problem.code, 'UNKNOWN_FEE', 'the failed item is tried again, and fails again');
  t.equal(await count(ctx), 24, 'nothing issued twice');

  const other = await batch(ctx, items.slice(0, 3), { key });
  t.equal(other.statusCode, 422);
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');
  t.equal(await count(ctx), 24);
});

t.test('a batch that does not validate issues nothing', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const noKey = await batch(ctx, [demoReceipt], { key: null });
  t.equal(noKey.statusCode, 400);
  t.equal(noKey.json().code, 'IDEMPOTENCY_KEY_REQUIRED');
  const tooMany = await batch(ctx, Array(1001).fill(demoReceipt));
  t.equal(tooMany.statusCode, 400);
  t.equal(tooMany.json().code, 'VALIDATION_FAILED');
  t.equal(tooMany.json().errors[0].field, 'body.receipts');
  const empty = await batch(ctx, []);
  t.equal(empty.json().code, 'VALIDATION_FAILED');
  const badItem = await batch(ctx, [demoReceipt, demoReceipt, demoReceipt, { ...demoReceipt, payer: { name: '' } }]);
  t.equal(badItem.statusCode, 400);
  t.match(badItem.json().errors[0].field, /^body\.receipts\.3\.payer/);
  const auditor = await batch(ctx, [demoReceipt], { apiKey: ctx.keys.auditor });
  t.equal(auditor.statusCode, 403);
  t.equal(auditor.json().code, 'FORBIDDEN');
  t.equal(await count(ctx), 0);
});

t.test('1,000 receipts in one batch: all issued, gapless', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const res = await batch(ctx, Array(1000).fill(demoReceipt));
  t.equal(res.statusCode, 200);
  t.equal(res.json().issued, 1000);
  const { rows } = await ctx.database.db.query<{ n: number; min: number; max: number }>('SELECT count(DISTINCT number)::int AS n, min(number) AS min, max(number) AS max FROM receipts');
  t.same(rows[0], { n: 1000, min: 1, max: 1000 });
});

t.test('counter requests go before the batch items waiting on their series', async (t) => {
  const ctx = await testApp('postgres', { signer: testSigner(await devFileSigner(), { delayMs: 20 }).signer, env: { ISSUE_GROUP_MAX: '4' } });
  t.teardown(() => ctx.close());
  const running = batch(ctx, Array(60).fill(demoReceipt));
  await sleep(150);
  const counter = await issue(ctx);
  t.equal(counter.statusCode, 201);
  t.ok(counter.json().number < 40, `the counter's receipt is number ${counter.json().number} of 61, not the last`);
  t.equal((await running).json().issued, 60);
});
