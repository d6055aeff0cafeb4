import t from 'tap';
import { auth, decideRefund, demoReceipt, issue, ledgerTotals, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';
import { createApiKey } from '../../src/auth/api-keys.ts';

async function state(ctx: TestContext) {
  const refunds = await ctx.database.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM refunds GROUP BY status ORDER BY status');
  return { refunds: refunds.rows, ledger: await ledgerTotals(ctx) };
}

for (const backend of backends) {
  t.test(`a partial refund: requested, approved by another person, voucher signed, shares reversed (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    // 400,000: a fee of 200,000 and a charge of 200,000 at 15%.
    const receipt = (await issue(ctx)).json();
    const requested = await requestRefund(ctx, receipt.id, { amount: 150_001, reason: 'Hồ sơ bị trả lại một phần' });
    t.equal(requested.statusCode, 201, requested.body);
    const refund = requested.json();
    t.match(refund, { receiptId: receipt.id, amount: 150_001, status: 'pending', requestedBy: 'test cashier', decidedAt: null, shares: null, voucherSha256: null });

    const pendingList = (await ctx.app.inject({ url: '/v1/refunds?status=pending', headers: auth(ctx.keys.accountant) })).json();
    t.same(
      pendingList.data.map((r: { id: string }) => r.id),
      [refund.id],
      'the accountant’s queue',
    );

    const approved = await decideRefund(ctx, refund.id, 'approve');
    t.equal(approved.statusCode, 200, approved.body);
    const a = approved.json();
    t.equal(a.status, 'approved');
    t.equal(a.decidedBy, 'test accountant');
    // Split over kinds: charge floor(150001 × 200000 / 400000) = 75000, fee the rest 75001.
    // Reversal at 15%: charge floor(75000 × 0.15) = 11250, fee floor(75001 × 0.15) = 11250.
    t.same(a.shares, { center: 22_500, department: 127_501 });

    const voucher = await ctx.app.inject({ url: `/v1/refunds/${refund.id}/xml`, headers: auth(ctx.keys.auditor) });
    t.equal(voucher.statusCode, 200);
    t.match(voucher.headers['content-type'], /^application\/xml/);
    const schema = await xmllintValidate(voucher.rawPayload, 'schemas/refund-voucher.xsd');
    t.ok(schema.ok, `valid against refund-voucher.xsd: ${schema.output}`);
    const verified = await xmlsecVerify(voucher.rawPayload, { idElement: 'DLCTHTra' });
    t.ok(verified.ok, `xmlsec1 verifies the voucher: ${verified.output}`);
    const xml = voucher.body;
    t.match(
      xml,
      `<TTBLai><KHMSBLai>EBL01</KHMSBLai><KHBLai>${receipt.series}</KHBLai><SBLai>1</SBLai><NLap>${receipt.issueDate}</NLap><MTCuu>${receipt.lookupCode}</MTCuu><TgTien>400000</TgTien></TTBLai>`,
    );
    t.match(xml, '<STien>150001</STien><STienBChu>Một trăm năm mươi nghìn không trăm linh một đồng</STienBChu>');
    t.match(xml, '<DSKhoan><Khoan><Loai>LEPHI</Loai><STien>75000</STien></Khoan><Khoan><Loai>PHI</Loai><STien>75001</STien></Khoan></DSKhoan>');
    t.match(xml, '<NYCau>test cashier</NYCau><NDuyet>test accountant</NDuyet>');
    t.notOk((await xmlsecVerify(xml.replace('<STien>150001</STien>', '<STien>250001</STien>'), { idElement: 'DLCTHTra' })).ok);

    const after = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}`, headers: auth(ctx.keys.cashier) })).json();
    t.same(after.refunds, { approved: 150_001, pending: 0, refundable: 249_999 });
    t.equal(after.status, 'issued', 'a refunded receipt stays valid');
    t.same(
      after.history.map((h: { event: string; amount: number }) => [h.event, h.amount]),
      [
        ['issued', 400_000],
        ['refund_requested', 150_001],
        ['refund_approved', 150_001],
      ],
    );

    const report = (await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${receipt.issueDate}&to=${receipt.issueDate}`, headers: auth(ctx.keys.accountant) })).json();
    t.same(report.totals, { receipts: 1, collected: 400_000, refunded: 150_001, net: 249_999, centerShare: 37_500, departmentShare: 212_499 });
    const totals = await ledgerTotals(ctx);
    t.equal(totals.center + totals.department, totals.collected - totals.refunded);

    // The rest, in two more parts: both shares end at exactly zero.
    for (const amount of [99_999, 150_000]) {
      const r = (await requestRefund(ctx, receipt.id, { amount, reason: 'Hoàn trả phần còn lại' })).json();
      t.equal((await decideRefund(ctx, r.id, 'approve')).statusCode, 200);
    }
    const net = await ctx.database.db.query<{ center: number; department: number }>(
      'SELECT sum(center_share)::bigint AS center, sum(department_share)::bigint AS department FROM ledger_entries WHERE receipt_id = $1',
      [receipt.id],
    );
    t.same(net.rows[0], { center: 0, department: 0 }, 'a full refund in parts brings both shares to zero');
    const full = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}`, headers: auth(ctx.keys.cashier) })).json();
    t.same(full.refunds, { approved: 400_000, pending: 0, refundable: 0 });
  });

  t.test(`separation of duties, decisions once, and bad input change nothing (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx)).json();
    const first = (await requestRefund(ctx, receipt.id, { amount: 100_000, reason: 'Nộp thừa' })).json();
    // The same person holding an accountant key too.
    const { secret: sameName } = await ctx.database.db.transaction((tx) => createApiKey(tx, { name: '  TEST   Cashier ', role: 'accountant' }, { keyId: null, name: 'test setup' }));
    const before = await state(ctx);

    const cases: Array<[string, () => ReturnType<typeof decideRefund>, number, string]> = [
      ['approval by the requester under another key', () => decideRefund(ctx, first.id, 'approve', sameName), 403, 'SEPARATION_OF_DUTIES'],
      ['rejection by the requester under another key', () => decideRefund(ctx, first.id, 'reject', sameName), 403, 'SEPARATION_OF_DUTIES'],
      ['approval by a cashier', () => decideRefund(ctx, first.id, 'approve', ctx.keys.cashier), 403, 'FORBIDDEN'],
      ['more than is left (pending counts)', () => requestRefund(ctx, receipt.id, { amount: 300_001, reason: 'x' }), 422, 'REFUND_EXCEEDS_REMAINING'],
      ['zero', () => requestRefund(ctx, receipt.id, { amount: 0, reason: 'x' }), 400, 'VALIDATION_FAILED'],
      ['negative', () => requestRefund(ctx, receipt.id, { amount: -100, reason: 'x' }), 400, 'VALIDATION_FAILED'],
      ['fractional', () => requestRefund(ctx, receipt.id, { amount: 10.5, reason: 'x' }), 400, 'VALIDATION_FAILED'],
      ['no reason', () => requestRefund(ctx, receipt.id, { amount: 10 }), 400, 'VALIDATION_FAILED'],
      ['no Idempotency-Key', () => requestRefund(ctx, receipt.id, { amount: 10, reason: 'x' }, null), 400, 'IDEMPOTENCY_KEY_REQUIRED'],
      ['unknown receipt', () => requestRefund(ctx, '00000000-0000-4000-8000-000000000000', { amount: 10, reason: 'x' }), 404, 'RECEIPT_NOT_FOUND'],
      ['unknown refund', () => decideRefund(ctx, '00000000-0000-4000-8000-000000000000', 'approve'), 404, 'REFUND_NOT_FOUND'],
    ];
    for (const [name, send, status, code] of cases) {
      const res = await send();
      t.equal(res.statusCode, status, `${name} (${res.body.slice(0, 160)})`);
      t.equal(res.json().code, code, name);
      t.same(await state(ctx), before, `${name}: nothing changed`);
    }

    t.equal((await decideRefund(ctx, first.id, 'approve')).statusCode, 200);
    const twice = await decideRefund(ctx, first.id, 'approve');
    t.equal(twice.statusCode, 409);
    t.equal(twice.json().code, 'REFUND_NOT_PENDING', 'approving twice');
    t.equal((await decideRefund(ctx, first.id, 'reject')).json().code, 'REFUND_NOT_PENDING', 'rejecting an approved refund');

    const second = (await requestRefund(ctx, receipt.id, { amount: 50_000, reason: 'Nộp thừa' })).json();
    const rejected = await decideRefund(ctx, second.id, 'reject', ctx.keys.accountant, 'Không có hồ sơ chứng minh');
    t.equal(rejected.statusCode, 200);
    t.match(rejected.json(), { status: 'rejected', decisionReason: 'Không có hồ sơ chứng minh', shares: null, voucherSha256: null });
    t.equal((await decideRefund(ctx, second.id, 'approve')).json().code, 'REFUND_NOT_PENDING', 'approving a rejected refund');
    const noVoucher = await ctx.app.inject({ url: `/v1/refunds/${second.id}/xml`, headers: auth(ctx.keys.auditor) });
    t.equal(noVoucher.statusCode, 404);
    t.same(
      (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}`, headers: auth(ctx.keys.cashier) })).json().refunds,
      { approved: 100_000, pending: 0, refundable: 300_000 },
      'a rejected refund no longer counts',
    );
    await t.rejects(ctx.database.db.query(`UPDATE refunds SET status = 'pending' WHERE id = $1`, [second.id]), /decided once/);
  });

  t.test(`concurrent refund requests never exceed the receipt's total (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx)).json();
    const results = await Promise.all(Array.from({ length: 10 }, () => requestRefund(ctx, receipt.id, { amount: 70_000, reason: 'Song song' })));
    const ok = results.filter((r) => r.statusCode === 201);
    t.equal(ok.length, 5, 'five of 70,000 fit in 400,000');
    t.same(
      results.filter((r) => r.statusCode !== 201).map((r) => r.json().code),
      Array(5).fill('REFUND_EXCEEDS_REMAINING'),
    );
    const approvals = await Promise.all(ok.map((r) => decideRefund(ctx, r.json().id, 'approve')));
    t.same(
      approvals.map((a) => a.statusCode),
      Array(5).fill(200),
    );
    const sum = await ctx.database.db.query<{ n: number }>(`SELECT sum(amount)::bigint AS n FROM refunds WHERE status = 'approved'`);
    t.equal(sum.rows[0]!.n, 350_000);
    const totals = await ledgerTotals(ctx);
    t.equal(totals.refunded, 350_000);
    t.equal(totals.center + totals.department, totals.collected - totals.refunded);
  });

  t.test(`a refund of a receipt of a closed month posts in the open month (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('06-20'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx, { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }] })).json();
    clock.set(dayOfThisYear('07-03'));
    const june = dayOfThisYear('06-01').slice(0, 7);
    t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/periods/${june}/close`, headers: auth(ctx.keys.accountant) })).statusCode, 201);
    const stored = (await ctx.app.inject({ url: `/v1/periods/${june}/report`, headers: auth(ctx.keys.auditor) })).rawPayload;

    const refund = (await requestRefund(ctx, receipt.id, { amount: 200_000, reason: 'Rút hồ sơ' })).json();
    t.equal((await decideRefund(ctx, refund.id, 'approve')).statusCode, 200);
    const entries = (await ctx.app.inject({ url: `/v1/reports/fee-shares/entries?from=${dayOfThisYear('07-01')}&to=${dayOfThisYear('07-31')}`, headers: auth(ctx.keys.auditor) })).json();
    t.same(
      entries.data.map((e: Record<string, unknown>) => [e.entryType, e.businessDate, e.refunded, e.centerShare, e.originalPeriod]),
      [['refund', dayOfThisYear('07-03'), 200_000, -30_000, june]],
    );
    const again = (await ctx.app.inject({ url: `/v1/periods/${june}/report`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.ok(again.equals(stored), 'the closed month is untouched');
    const july = (await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${dayOfThisYear('07-01')}&to=${dayOfThisYear('07-31')}`, headers: auth(ctx.keys.accountant) })).json();
    t.same(july.totals, { receipts: 0, collected: 0, refunded: 200_000, net: -200_000, centerShare: -30_000, departmentShare: -170_000 });
  });
}
