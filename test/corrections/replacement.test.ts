import t from 'tap';
import { auth, correct, decideRefund, demoReceipt, issue, ledgerTotals, newIdempotencyKey, requestCorrection, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';

/** A replacement asked for by the cashier and approved by the accountant: the replacement receipt, or the refusal. */
const replace = (ctx: TestContext, id: string, body: unknown) => correct(ctx, id, 'replacement', body);
/** Only the cashier's request. */
const ask = (ctx: TestContext, id: string, body: unknown, key: string | null = newIdempotencyKey()) => requestCorrection(ctx, id, 'replacement', body, { idempotencyKey: key });

const corrected = {
  ...demoReceipt,
  items: [{ feeCode: 'STP-LLTP' }],
  reason: 'Thu nhầm lệ phí cấp chứng chỉ',
};

for (const backend of backends) {
  t.test(`a replacement receipt: next number, names the original, shares moved in one transaction (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const original = (await issue(ctx)).json();
    const originalXml = (await ctx.app.inject({ url: `/v1/receipts/${original.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.equal((await issue(ctx)).json().number, 2, 'another receipt in between');

    const res = await replace(ctx, original.id, corrected);
    t.equal(res.statusCode, 200, res.body);
    const r = res.json();
    t.equal(r.number, 3, 'the next number of the current series');
    t.equal(r.total, 200_000);
    t.same(r.replaces, { id: original.id, template: 'EBL01', series: original.series, number: 1, issueDate: original.issueDate });
    t.equal(r.replacementReason, 'Thu nhầm lệ phí cấp chứng chỉ');
    t.same(r.shares, { center: 30_000, department: 170_000 });

    const xml = (await ctx.app.inject({ url: `/v1/receipts/${r.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.ok((await xmllintValidate(xml, 'schemas/receipt.xsd')).ok, 'the replacement is a valid receipt');
    t.ok((await xmlsecVerify(xml)).ok, 'and verifies');
    t.match(
      xml.toString(),
      `<TTBLTThe><KHMSBLai>EBL01</KHMSBLai><KHBLai>${original.series}</KHBLai><SBLai>1</SBLai><NLap>${original.issueDate}</NLap><LDo>Thu nhầm lệ phí cấp chứng chỉ</LDo></TTBLTThe>`,
    );

    const old = (await ctx.app.inject({ url: `/v1/receipts/${original.id}`, headers: auth(ctx.keys.auditor) })).json();
    t.equal(old.status, 'replaced');
    t.same(old.replacedBy, { id: r.id, template: 'EBL01', series: r.series, number: 3, issueDate: r.issueDate });
    t.same(old.refunds, { approved: 0, pending: 0, refundable: 0 });
    t.same(
      old.history.map((h: { event: string }) => h.event),
      ['issued', 'replacement_requested', 'replaced'],
    );
    const oldXml = (await ctx.app.inject({ url: `/v1/receipts/${original.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.ok(oldXml.equals(originalXml), 'the original stays byte for byte as signed');
    t.ok((await xmlsecVerify(oldXml)).ok, 'and still verifies');

    const report = (await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${r.issueDate}&to=${r.issueDate}`, headers: auth(ctx.keys.accountant) })).json();
    t.same(
      report.totals,
      { receipts: 2, collected: 600_000, refunded: 0, net: 600_000, centerShare: 90_000, departmentShare: 510_000 },
      'the original’s 400,000 reversed, the replacement’s 200,000 posted',
    );
    const entries = (await ctx.app.inject({ url: `/v1/reports/fee-shares/entries?from=${r.issueDate}&to=${r.issueDate}&limit=100`, headers: auth(ctx.keys.auditor) })).json();
    t.same(
      entries.data.filter((e: { entryType: string }) => e.entryType === 'replacement_reversal').map((e: Record<string, unknown>) => [e.kind, e.collected, e.centerShare, e.departmentShare]),
      [
        ['charge', -200_000, -30_000, -170_000],
        ['fee', -200_000, -30_000, -170_000],
      ],
    );
    const listed = (await ctx.app.inject({ url: '/v1/receipts?status=replaced', headers: auth(ctx.keys.auditor) })).json();
    t.same(
      listed.data.map((x: { id: string }) => x.id),
      [original.id],
    );

    // The replacement can itself be refunded; the replaced receipt cannot.
    const refundOld = await requestRefund(ctx, original.id, { amount: 1000, reason: 'x' });
    t.equal(refundOld.statusCode, 409);
    t.equal(refundOld.json().code, 'RECEIPT_REPLACED');
    t.equal((await requestRefund(ctx, r.id, { amount: 1000, reason: 'x' })).statusCode, 201);
  });

  t.test(`what cannot be replaced, and bad input, change nothing (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const a = (await issue(ctx)).json();
    const b = (await issue(ctx)).json();
    const c = (await issue(ctx)).json();
    const pending = (await requestRefund(ctx, a.id, { amount: 10_000, reason: 'Nộp thừa' })).json();
    const approved = (await requestRefund(ctx, b.id, { amount: 10_000, reason: 'Nộp thừa' })).json();
    t.equal((await decideRefund(ctx, approved.id, 'approve')).statusCode, 200);
    t.equal((await replace(ctx, c.id, corrected)).statusCode, 200);
    const state = async () => ({
      ledger: await ledgerTotals(ctx),
      receipts: (await ctx.database.db.query('SELECT id, status FROM receipts ORDER BY number')).rows,
      next: (await ctx.database.db.query(`SELECT next_number FROM series WHERE department_code = 'STP'`)).rows,
    });
    const before = await state();
    const cases: Array<[string, () => ReturnType<typeof ask>, number, string]> = [
      ['a replaced receipt', () => ask(ctx, c.id, corrected), 409, 'RECEIPT_REPLACED'],
      ['a receipt with a pending refund', () => ask(ctx, a.id, corrected), 409, 'REFUND_PENDING'],
      ['a receipt with an approved refund', () => ask(ctx, b.id, corrected), 409, 'RECEIPT_REFUNDED'],
      ['an unknown receipt', () => ask(ctx, '00000000-0000-4000-8000-000000000000', corrected), 404, 'RECEIPT_NOT_FOUND'],
      ['no reason', () => ask(ctx, a.id, demoReceipt), 400, 'VALIDATION_FAILED'],
      ['empty items', () => ask(ctx, a.id, { ...corrected, items: [] }), 400, 'VALIDATION_FAILED'],
      ['an unknown fee', () => ask(ctx, a.id, { ...corrected, items: [{ feeCode: 'NOPE' }] }), 409, 'REFUND_PENDING'],
      ['no Idempotency-Key', () => ask(ctx, a.id, corrected, null), 400, 'IDEMPOTENCY_KEY_REQUIRED'],
    ];
    for (const [name, send, status, code] of cases) {
      const res = await send();
      t.equal(res.statusCode, status, `${name} (${res.body.slice(0, 160)})`);
      t.equal(res.json().code, code, name);
      t.same(await state(), before, `${name}: nothing changed, no number used`);
    }
    t.equal((await decideRefund(ctx, pending.id, 'reject')).statusCode, 200);
    const unknownFee = await ask(ctx, a.id, { ...corrected, items: [{ feeCode: 'NOPE' }] });
    t.equal(unknownFee.json().code, 'UNKNOWN_FEE', 'the corrected receipt is validated like any receipt');
    t.same(await state(), before);
    const ok = await replace(ctx, a.id, corrected);
    t.equal(ok.statusCode, 200, 'once the pending refund is decided, the receipt can be replaced');
    t.equal(ok.json().number, 5);
  });
}
