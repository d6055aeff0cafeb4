import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { auth, demoReceipt, issue, newIdempotencyKey, testApp, type TestContext } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { vietnamYear } from '../../src/time/vietnam.ts';

/** Receipt count and every series counter: what a rejected request must leave unchanged. */
async function state(ctx: TestContext) {
  const receipts = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts');
  const series = await ctx.database.db.query<{ symbol: string; next_number: number }>('SELECT symbol, next_number FROM series ORDER BY id');
  const keys = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys');
  return { receipts: receipts.rows[0]!.n, series: series.rows, idempotencyKeys: keys.rows[0]!.n };
}

const yy = String(vietnamYear(new Date())).slice(2);

for (const backend of backends) {
  t.test(`bad input gets a clear problem and changes nothing (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    // A series of last year and one of another department, both otherwise usable.
    await ctx.database.db.query(
      `INSERT INTO series (template, symbol, year, department_code, range_from, range_to, next_number)
       VALUES ('EBL01', $1, $2, 'STP', 1, 100, 1), ('EBL01', $3, $4, 'SXD', 1, 2, 3)`,
      [`${String(vietnamYear(new Date()) - 1).slice(2)}TTE`, vietnamYear(new Date()) - 1, `${yy}TXE`, vietnamYear(new Date())],
    );
    t.equal((await issue(ctx)).statusCode, 201, 'a good receipt first, so counters are not at their start');
    const before = await state(ctx);

    const cases: Array<{ name: string; status: number; code: string; field?: string; send: () => Promise<LightMyRequestResponse> }> = [
      {
        name: 'malformed JSON', status: 400, code: 'MALFORMED_JSON',
        send: () => ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...auth(ctx.keys.cashier), 'idempotency-key': newIdempotencyKey(), 'content-type': 'application/json' }, payload: '{"department": "STP",' }),
      },
      { name: 'unknown field', status: 400, code: 'VALIDATION_FAILED', field: 'body', send: () => issue(ctx, { ...demoReceipt, discount: 10 }) },
      { name: 'missing payer name', status: 400, code: 'VALIDATION_FAILED', field: 'body.payer.name', send: () => issue(ctx, { ...demoReceipt, payer: { address: 'x' } }) },
      { name: 'blank payer name', status: 400, code: 'VALIDATION_FAILED', field: 'body.payer.name', send: () => issue(ctx, { ...demoReceipt, payer: { name: '   ' } }) },
      { name: 'empty items', status: 400, code: 'VALIDATION_FAILED', field: 'body.items', send: () => issue(ctx, { ...demoReceipt, items: [] }) },
      { name: 'non-integer amount', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: 1000.5 }] }) },
      { name: 'zero amount', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: 0 }] }) },
      { name: 'negative amount', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: -5000 }] }) },
      { name: 'amount as a string', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: '5000' }] }) },
      { name: 'unknown kind', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'tax', amount: 5000 }] }) },
      { name: 'unknown payment method', status: 400, code: 'VALIDATION_FAILED', field: 'body.paymentMethod', send: () => issue(ctx, { ...demoReceipt, paymentMethod: 'cheque' }) },
      { name: 'malformed series symbol', status: 400, code: 'VALIDATION_FAILED', field: 'body.series', send: () => issue(ctx, { ...demoReceipt, series: `${yy}TFF` }) },
      { name: 'unknown department', status: 422, code: 'UNKNOWN_DEPARTMENT', send: () => issue(ctx, { ...demoReceipt, department: 'NOPE' }) },
      { name: 'unknown fee', status: 422, code: 'UNKNOWN_FEE', field: 'body.items.0.feeCode', send: () => issue(ctx, { ...demoReceipt, items: [{ feeCode: 'NO-SUCH-FEE' }] }) },
      { name: 'fee of another department', status: 422, code: 'UNKNOWN_FEE', field: 'body.items.1.feeCode', send: () => issue(ctx, { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }, { feeCode: 'SXD-GPXD' }] }) },
      { name: 'unknown series', status: 422, code: 'UNKNOWN_SERIES', send: () => issue(ctx, { ...demoReceipt, series: `${yy}TYY` }) },
      { name: 'series of another department', status: 422, code: 'SERIES_WRONG_DEPARTMENT', send: () => issue(ctx, { ...demoReceipt, series: `${yy}TXD` }) },
      { name: 'series of another year', status: 422, code: 'SERIES_WRONG_YEAR', send: () => issue(ctx, { ...demoReceipt, series: `${String(vietnamYear(new Date()) - 1).slice(2)}TTE` }) },
      { name: 'exhausted range', status: 409, code: 'SERIES_EXHAUSTED', send: () => issue(ctx, { ...demoReceipt, department: 'SXD', items: [{ feeCode: 'SXD-GPXD' }], series: `${yy}TXE` }) },
      { name: 'total above the limit', status: 422, code: 'TOTAL_TOO_LARGE', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'A', kind: 'fee', amount: 1_000_000_000_000 }, { name: 'B', kind: 'fee', amount: 1 }] }) },
      { name: 'missing Idempotency-Key', status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED', send: () => issue(ctx, demoReceipt, null) },
      { name: 'Idempotency-Key with control characters', status: 400, code: 'VALIDATION_FAILED', send: () => issue(ctx, demoReceipt, 'bad key with spaces') },
      {
        name: 'oversized body', status: 413, code: 'BODY_TOO_LARGE',
        send: () => issue(ctx, { ...demoReceipt, payer: { name: 'x'.repeat(70 * 1024) } }),
      },
      {
        name: 'not JSON', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE',
        send: () => ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...auth(ctx.keys.cashier), 'idempotency-key': newIdempotencyKey(), 'content-type': 'text/plain' }, payload: 'department=STP' }),
      },
    ];

    for (const c of cases) {
      const res = await c.send();
      t.equal(res.statusCode, c.status, `${c.name}: status (${res.body.slice(0, 200)})`);
      const problem = res.json();
      t.equal(problem.code, c.code, `${c.name}: code`);
      t.equal(problem.status, c.status, `${c.name}: status in the problem`);
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${c.name}: problem+json`);
      t.ok(problem.title && problem.detail && problem.type, `${c.name}: type, title and detail`);
      if (c.field) t.ok(problem.errors?.some((e: { field: string }) => e.field.startsWith(c.field!)), `${c.name}: names ${c.field}`);
      t.same(await state(ctx), before, `${c.name}: nothing changed, no number consumed`);
    }

    const next = await issue(ctx);
    t.equal(next.json().number, 2, 'the next good receipt takes the next number');
  });

  t.test(`no series, no center (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    await ctx.database.db.query(`DELETE FROM series WHERE department_code = 'SCT'`);
    const noSeries = await issue(ctx, { ...demoReceipt, department: 'SCT', items: [{ feeCode: 'SCT-GPKD' }] });
    t.equal(noSeries.statusCode, 422);
    t.equal(noSeries.json().code, 'NO_ACTIVE_SERIES');
    await ctx.database.db.query('DELETE FROM center');
    const noCenter = await issue(ctx);
    t.equal(noCenter.statusCode, 409);
    t.equal(noCenter.json().code, 'CENTER_NOT_CONFIGURED');
  });
}
