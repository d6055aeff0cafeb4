import { createHash } from 'node:crypto';
import t from 'tap';
import { auth, demoReceipt, issue, testApp } from '../helpers/app.ts';
import { dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';

for (const backend of backends) {
  t.test(`closing a month: stored report, byte-identical forever, nothing posts into it (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('03-15'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    const march = dayOfThisYear('03-01').slice(0, 7);
    const april = dayOfThisYear('04-01').slice(0, 7);
    const close = (month: string, key = ctx.keys.accountant) => ctx.app.inject({ method: 'POST', url: `/v1/periods/${month}/close`, headers: auth(key) });

    for (let i = 0; i < 3; i++) t.equal((await issue(ctx)).statusCode, 201);
    clock.set(dayOfThisYear('03-31'), '23:59:00');
    t.equal((await issue(ctx, { ...demoReceipt, department: 'SCT', items: [{ feeCode: 'SCT-TDKD' }] })).statusCode, 201);

    const notEnded = await close(march);
    t.equal(notEnded.statusCode, 422);
    t.equal(notEnded.json().code, 'PERIOD_NOT_ENDED', 'the current month cannot be closed');
    t.equal((await close(april)).json().code, 'PERIOD_NOT_ENDED', 'nor a future one');
    for (const bad of [`${march.slice(0, 4)}-13`, `${march.slice(0, 4)}-3`, 'march', '0000-01', '1999-12', '3000-01']) {
      const res = await close(bad);
      t.equal(res.statusCode, 400, `${bad} is not a month`);
      t.equal(res.json().code, 'VALIDATION_FAILED');
    }
    t.equal((await close(march, ctx.keys.auditor)).statusCode, 403, 'only an accountant closes');
    t.equal((await close(march, ctx.keys.cashier)).statusCode, 403);

    clock.set(dayOfThisYear('04-01'), '00:00:30');
    const closed = await close(march);
    t.equal(closed.statusCode, 201);
    const period = closed.json();
    t.match(period, { month: march, status: 'closed', reportSha256: /^[0-9a-f]{64}$/ });

    const stored = await ctx.app.inject({ url: `/v1/periods/${march}/report`, headers: auth(ctx.keys.auditor) });
    t.equal(stored.statusCode, 200);
    t.equal(stored.headers['report-sha256'], period.reportSha256);
    t.equal(createHash('sha256').update(stored.rawPayload).digest('hex'), period.reportSha256, 'the hash is of the served bytes');
    const report = JSON.parse(stored.body);
    t.match(report, { from: `${march}-01`, to: `${march}-31`, department: null });
    t.same(report.totals, { receipts: 4, collected: 2_400_000, refunded: 0, net: 2_400_000, centerShare: 360_000, departmentShare: 2_040_000 });
    const live = (await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${march}-01&to=${march}-31`, headers: auth(ctx.keys.accountant) })).json();
    t.same(live, report, 'the stored report is the month’s report');

    t.equal((await close(march)).json().code, 'PERIOD_ALREADY_CLOSED');

    // Later activity: receipts in April, a rate change; March's report does not move.
    for (let i = 0; i < 2; i++) t.equal((await issue(ctx)).statusCode, 201);
    t.equal(
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/v1/share-rates',
          headers: auth(ctx.keys.admin),
          payload: { department: 'STP', kind: 'fee', rateBp: 3000, effectiveFrom: dayOfThisYear('04-10') },
        })
      ).statusCode,
      201,
    );
    const again = await ctx.app.inject({ url: `/v1/periods/${march}/report`, headers: auth(ctx.keys.accountant) });
    t.ok(again.rawPayload.equals(stored.rawPayload), 'byte-identical after later activity');

    // A posting dated in the closed month (a clock gone back) is refused and uses no number.
    clock.set(dayOfThisYear('03-31'), '23:59:59');
    const late = await issue(ctx);
    t.equal(late.statusCode, 409);
    t.equal(late.json().code, 'PERIOD_CLOSED');
    clock.set(dayOfThisYear('04-02'));
    t.equal((await issue(ctx)).json().number, 6, 'numbers continue without a gap');

    const status = (await ctx.app.inject({ url: `/v1/periods/${april}`, headers: auth(ctx.keys.auditor) })).json();
    t.same(status, { month: april, status: 'open', closedAt: null, reportSha256: null });
    const list = (await ctx.app.inject({ url: '/v1/periods', headers: auth(ctx.keys.auditor) })).json();
    t.same(
      list.data.map((p: { month: string }) => p.month),
      [march],
    );
    const notClosed = await ctx.app.inject({ url: `/v1/periods/${april}/report`, headers: auth(ctx.keys.auditor) });
    t.equal(notClosed.statusCode, 404);
    t.equal(notClosed.json().code, 'PERIOD_NOT_FOUND');
    await t.rejects(ctx.database.db.query('DELETE FROM periods'), /periods is append-only/, 'there is no reopening');
  });
}
