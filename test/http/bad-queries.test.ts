import t from 'tap';
import { auth, decideRefund, issue, requestRefund, testApp, type TestContext } from '../helpers/app.ts';

const encode = (v: string) => Buffer.from(v).toString('base64url');

t.test('list routes: a cursor that is not one of theirs is 400, never a database error', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  await issue(ctx);
  // Lists paged by a number also refuse fractions and numbers past the safe range; code-paged lists take "1.5" as a code.
  const numeric = [encode('1.5'), encode('99999999999999999999')];
  const lists: Array<[string, string, string[]]> = [
    ['/v1/receipts', ctx.keys.cashier, numeric],
    ['/v1/refunds', ctx.keys.accountant, numeric],
    ['/v1/audit/events', ctx.keys.auditor, numeric],
    ['/v1/departments', ctx.keys.cashier, []],
    ['/v1/fees', ctx.keys.cashier, []],
    ['/v1/series', ctx.keys.cashier, numeric],
    ['/v1/api-keys', ctx.keys.admin, numeric],
    ['/v1/reports/fee-shares/entries?from=2026-01-01&to=2026-12-31', ctx.keys.accountant, numeric],
  ];
  for (const [url, key, extra] of lists) {
    for (const cursor of [encode('abc'), encode('-3'), encode("1' OR 1=1"), '!!!', encode('\u0000'), ...extra]) {
      const res = await ctx.app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`, headers: auth(key) });
      t.equal(res.statusCode, 400, `${url} cursor ${cursor}`);
      t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'querystring.cursor' }] });
    }
  }
});

t.test('dates must exist on the calendar, on every route that takes one', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const routes: Array<[string, string]> = [
    ['/v1/receipts?from=2026-02-30', ctx.keys.cashier],
    ['/v1/receipts?to=2026-13-01', ctx.keys.cashier],
    ['/v1/audit/events?from=2026-02-29', ctx.keys.auditor],
    ['/v1/reports/fee-shares?from=2026-04-31&to=2026-05-01', ctx.keys.accountant],
    ['/v1/reports/daily-summary?date=2026-06-31', ctx.keys.accountant],
  ];
  for (const [url, key] of routes) {
    const res = await ctx.app.inject({ url, headers: auth(key) });
    t.equal(res.statusCode, 400, url);
    t.equal(res.json().code, 'VALIDATION_FAILED', url);
    t.match(res.json().detail, /is not a calendar date/, url);
  }
  t.equal((await ctx.app.inject({ url: '/v1/receipts?from=2028-02-29', headers: auth(ctx.keys.cashier) })).statusCode, 200, 'a leap day exists');
});

/** Every query a request runs, with its parameters. */
async function queriesOf(ctx: TestContext, send: () => Promise<unknown>): Promise<Array<{ text: string; values: unknown[] }>> {
  const seen: Array<{ text: string; values: unknown[] }> = [];
  const db = ctx.database.db;
  const original = db.query.bind(db);
  db.query = ((text: string, values?: unknown[]) => {
    seen.push({ text, values: values ?? [] });
    return original(text, values);
  }) as typeof db.query;
  try {
    await send();
  } finally {
    db.query = original;
  }
  return seen;
}

t.test('ids in any letter case find their resource, through the primary key index', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const refund = (await requestRefund(ctx, receipt.id, { amount: 1000, reason: 'Nộp thừa' })).json();
  await decideRefund(ctx, refund.id, 'approve');
  const urls = [
    `/v1/receipts/${receipt.id}`,
    `/v1/receipts/${receipt.id}/xml`,
    `/v1/receipts/${receipt.id}/refunds`,
    `/v1/refunds/${refund.id}`,
    `/v1/refunds/${refund.id}/xml`,
    `/v1/receipts/${receipt.id}/error-notices`,
  ];
  for (const url of urls) {
    const upper = url.replace(/[0-9a-f-]{36}/, (id) => id.toUpperCase());
    const res = await ctx.app.inject({ url: upper, headers: auth(ctx.keys.auditor) });
    t.equal(res.statusCode, 200, upper);
    const lower = await ctx.app.inject({ url, headers: auth(ctx.keys.auditor) });
    t.equal(res.body, lower.body, `${upper}: the same as in lower case`);

    const queries = await queriesOf(ctx, () => ctx.app.inject({ url, headers: auth(ctx.keys.auditor) }));
    for (const q of queries.filter((x) => /\$1::uuid/.test(x.text))) {
      const plan = await ctx.database.db.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        return (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.text}`, q.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      t.notMatch(plan, /Seq Scan/, `${url}: every table is reached through an index (${q.text.replace(/\s+/g, ' ').slice(0, 60)}…)`);
    }
  }
});

t.test('/metrics needs a monitor or admin key', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  await issue(ctx);
  t.equal((await ctx.app.inject({ url: '/metrics' })).statusCode, 401);
  t.equal((await ctx.app.inject({ url: '/metrics', headers: auth(ctx.keys.cashier) })).statusCode, 403);
  t.equal((await ctx.app.inject({ url: '/metrics', headers: auth(ctx.keys.auditor) })).statusCode, 403);
  const monitor = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { name: 'Prometheus', role: 'monitor' } });
  t.equal(monitor.statusCode, 201);
  const metrics = await ctx.app.inject({ url: '/metrics', headers: auth(monitor.json().secret) });
  t.equal(metrics.statusCode, 200);
  t.match(metrics.body, /receipts_issued_total\{department="STP"\} 1/);
  t.equal((await ctx.app.inject({ url: '/v1/receipts', headers: auth(monitor.json().secret) })).statusCode, 403, 'a monitor key reads nothing else');
  t.equal((await ctx.app.inject({ url: '/metrics', headers: auth(ctx.keys.admin) })).statusCode, 200);
});
