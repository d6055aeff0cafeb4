import { execFile } from 'node:child_process';
import t from 'tap';
import { auditPeriod } from '../../src/verification/period-audit.ts';
import { VerificationPool } from '../../src/verification/pool.ts';
import { auth, correct, decideRefund, issue, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { testPki } from '../helpers/pki.ts';

async function populate(ctx: TestContext) {
  const receipts = [];
  for (let i = 0; i < 12; i++) receipts.push((await issue(ctx)).json());
  const refund = (await requestRefund(ctx, receipts[0].id, { amount: 150_001, reason: 'Nộp thừa' })).json();
  await decideRefund(ctx, refund.id, 'approve');
  await correct(ctx, receipts[1].id, 'error-notices', { field: 'payerAddress', correctValue: '21 Lê Lợi', reason: 'Sai số nhà' });
  return { receipts, refund };
}

for (const backend of backends) {
  t.test(`re-verifying a period against signatures and the ledger (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const { receipts, refund } = await populate(ctx);
    const day = receipts[0].issueDate;
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.auditor), payload: { from: day, to: day } });
    t.equal(res.statusCode, 200, res.body);
    t.match(res.json(), { from: day, to: day, documents: { receipts: 12, refundVouchers: 1, errorNotices: 1 }, valid: 14, invalid: 0, findings: [] });

    const pool = new VerificationPool({ threads: 2 });
    t.teardown(() => pool.close());
    const twoWorkers = await auditPeriod(ctx.database.db, { from: day, to: day }, { pool, trustDir: (await testPki()).trustDir, now: new Date() });
    t.equal(twoWorkers.valid, 14, 'the same with the work spread over two threads');
    t.equal(twoWorkers.workers, 2);

    // An intruder edits one stored receipt and one ledger entry of another.
    await ctx.database.db.query('ALTER TABLE receipts DISABLE TRIGGER USER');
    await ctx.database.db.query(`UPDATE receipts SET xml = convert_to(replace(convert_from(xml, 'UTF8'), '<TgTien>400000</TgTien>', '<TgTien>400009</TgTien>'), 'UTF8') WHERE id = $1`, [
      receipts[5].id,
    ]);
    // … and puts the (genuine, signed) error notice in place of another receipt's document.
    await ctx.database.db.query(`UPDATE receipts SET xml = (SELECT xml FROM error_notices LIMIT 1) WHERE id = $1`, [receipts[9].id]);
    await ctx.database.db.query('ALTER TABLE receipts ENABLE TRIGGER USER');
    await ctx.database.db.query('ALTER TABLE ledger_entries DISABLE TRIGGER USER');
    await ctx.database.db.query(`UPDATE ledger_entries SET collected = 300000, department_share = 270000 WHERE receipt_id = $1 AND kind = 'fee' AND entry_type = 'receipt'`, [receipts[7].id]);
    await ctx.database.db.query(`UPDATE ledger_entries SET refunded = 75002, department_share = department_share - 1 WHERE refund_id = $1 AND kind = 'fee'`, [refund.id]);
    await ctx.database.db.query('ALTER TABLE ledger_entries ENABLE TRIGGER USER');

    const after = (await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.auditor), payload: { from: day, to: day } })).json();
    t.equal(after.valid, 10);
    t.equal(after.invalid, 5, 'four documents, and the day’s aggregate the edited entries no longer add up to');
    t.match(
      after.findings.find((f: { label: string }) => f.label === `EBL01 ${receipts[9].series} 10`)?.problems[0],
      /^document-type: this is an error notice \(TBao\), not a receipt/,
      'a signed document of another kind in place of a receipt',
    );
    const byLabel = Object.fromEntries(after.findings.map((f: { label: string; problems: string[] }) => [f.label, f.problems]));
    t.match(byLabel[`EBL01 ${receipts[5].series} 6`], [/^digest: a reference digest does not match/]);
    t.same(byLabel[`EBL01 ${receipts[7].series} 8`], ['ledger: fee posted 300000, signed 200000', 'ledger: fee center share 30000 is not floor(300000 × 1500 bp)']);
    t.same(byLabel[`refund ${refund.id}`], ['ledger: fee posted 75002, signed 75001']);
    t.match(byLabel[`aggregate ${day} STP fee`], [/^ledger_daily says 12 receipts, 2400000 collected, 75001 refunded, .*; its entries add up to 12, 2500000, 75002, /]);

    const bad: Array<[object, number]> = [
      [{ from: day, to: '2000-01-01' }, 400],
      [{ from: '2026-01-01', to: '2026-06-01' }, 400],
      [{ from: day }, 400],
    ];
    for (const [payload, status] of bad) {
      const r = await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.auditor), payload });
      t.equal(r.statusCode, status, JSON.stringify(payload));
      t.equal(r.json().code, 'VALIDATION_FAILED');
    }
    t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.accountant), payload: { from: day, to: day } })).statusCode, 403);
  });
}

t.test('a second ledger entry of a kind, inserted with its aggregate, is found', async (t) => {
  const ctx = await testApp(backends[0]!);
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const day = receipt.issueDate;
  // Entries can be inserted (only updates and deletes are refused); the aggregate is raised to match.
  await ctx.database.db.query(
    `INSERT INTO ledger_entries (posted_at, business_date, department_code, kind, entry_type, receipt_id, collected, refunded, center_share, department_share, rate_bp)
     SELECT posted_at, business_date, department_code, kind, entry_type, receipt_id, 100000, 0, 15000, 85000, rate_bp
       FROM ledger_entries WHERE receipt_id = $1 AND kind = 'fee' AND entry_type = 'receipt'`,
    [receipt.id],
  );
  await ctx.database.db.query(
    `UPDATE ledger_daily SET receipts = receipts + 1, collected = collected + 100000, center_share = center_share + 15000, department_share = department_share + 85000
      WHERE business_date = $1 AND kind = 'fee'`,
    [day],
  );
  const res = (await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.auditor), payload: { from: day, to: day } })).json();
  t.equal(res.invalid, 1);
  t.same(
    res.findings.map((f: { label: string; problems: string[] }) => [f.label, f.problems]),
    [[`EBL01 ${receipt.series} ${receipt.number}`, ['ledger: 2 fee entries posted, one expected']]],
  );
});

t.test('receipts verify --from --to', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const { receipts } = await populate(ctx);
  const day = receipts[0].issueDate;
  const env = { ...process.env, DATABASE_URL: ctx.database.url!, TRUST_DIR: (await testPki()).trustDir };
  const run = () =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('node', ['bin/receipts.js', 'verify', '--from', day, '--to', day], { env }, (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }));
    });
  const ok = await run();
  t.equal(ok.code, 0);
  t.match(ok.stdout, `${day} – ${day}: 12 receipts, 1 refund vouchers, 1 error notices, 0 daily summaries, 0 registrations; 14 valid, 0 with problems`);
  await ctx.database.db.query('ALTER TABLE receipts DISABLE TRIGGER USER');
  await ctx.database.db.query(`UPDATE receipts SET xml = convert_to(replace(convert_from(xml, 'UTF8'), '<SBLai>3</SBLai>', '<SBLai>33</SBLai>'), 'UTF8') WHERE id = $1`, [receipts[2].id]);
  await ctx.database.db.query('ALTER TABLE receipts ENABLE TRIGGER USER');
  const bad = await run();
  t.equal(bad.code, 1);
  t.match(bad.stdout, new RegExp(`^FAIL  EBL01 ${receipts[2].series} 3  digest: `, 'm'));
  t.match(bad.stdout, '13 valid, 1 with problems');
});
