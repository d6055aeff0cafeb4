import fc from 'fast-check';
import t from 'tap';
import { auth, decideCorrection, decideRefund, issue, ledgerTotals, requestCorrection, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { addDays, dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';

type Kind = 'fee' | 'charge';
type Step =
  | { op: 'refund'; receipt: number; fraction: number; decide: 'approve' | 'reject' | 'leave' }
  | { op: 'decide'; receipt: number; decide: 'approve' | 'reject' }
  | { op: 'replace'; receipt: number; amount: number; decide: 'approve' | 'reject' | 'leave' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('refund' as const),
      receipt: fc.nat(5),
      fraction: fc.double({ min: 0.01, max: 1.2, noNaN: true }),
      decide: fc.constantFrom('approve' as const, 'reject' as const, 'leave' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('decide' as const), receipt: fc.nat(5), decide: fc.constantFrom('approve' as const, 'reject' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('replace' as const),
      receipt: fc.nat(5),
      amount: fc.integer({ min: 1, max: 5_000_000 }),
      decide: fc.constantFrom('approve' as const, 'reject' as const, 'leave' as const),
    }),
  },
);

/** Per receipt and kind: the shares left must be those of what is not refunded, floor((A − R) …) by the cumulative rule. */
async function checkInvariants(ctx: TestContext): Promise<void> {
  const totals = await ledgerTotals(ctx);
  if (totals.center + totals.department !== totals.collected - totals.refunded) throw new Error(`ledger identity broken: ${JSON.stringify(totals)}`);
  const over = await ctx.database.db.query(
    `SELECT r.id FROM receipts r JOIN refunds f ON f.receipt_id = r.id AND f.status <> 'rejected'
      GROUP BY r.id, r.total HAVING sum(f.amount) > r.total`,
  );
  if (over.rows.length > 0) throw new Error('a receipt is refunded past its total');
  const perKind = await ctx.database.db.query<{ receipt_id: string; kind: Kind; status: string; amount: number; rate: number; refunded: number; center: number; department: number }>(
    `SELECT e.receipt_id, e.kind, r.status,
            sum(e.collected) FILTER (WHERE e.entry_type = 'receipt')::bigint AS amount,
            max(e.rate_bp) AS rate,
            sum(e.refunded)::bigint AS refunded, sum(e.center_share)::bigint AS center, sum(e.department_share)::bigint AS department
       FROM ledger_entries e JOIN receipts r ON r.id = e.receipt_id GROUP BY e.receipt_id, e.kind, r.status`,
  );
  for (const k of perKind.rows) {
    const floor = (x: number) => Number((BigInt(x) * BigInt(k.rate)) / 10_000n);
    if (k.status === 'replaced') {
      if (k.center !== 0 || k.department !== 0) throw new Error(`replaced receipt ${k.receipt_id} keeps shares`);
      continue;
    }
    if (k.refunded > k.amount) throw new Error(`kind ${k.kind} of ${k.receipt_id} refunded past its amount`);
    if (k.center !== floor(k.amount) - floor(k.refunded)) throw new Error(`center share of ${k.receipt_id}/${k.kind} drifted: ${k.center}`);
    if (k.center + k.department !== k.amount - k.refunded) throw new Error(`shares of ${k.receipt_id}/${k.kind} do not add up`);
  }
  const report = (await ctx.app.inject({ url: '/v1/reports/fee-shares?from=2000-01-01&to=2099-12-31', headers: auth(ctx.keys.auditor) })).json();
  if (report.totals.centerShare + report.totals.departmentShare !== report.totals.collected - report.totals.refunded) throw new Error('report identity broken');
  if (report.totals.refunded !== totals.refunded || report.totals.centerShare !== totals.center) throw new Error('report differs from the ledger');
}

for (const backend of backends) {
  t.test(`random refunds, rejections and replacements keep the ledger exact at every step (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('08-01'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    let runs = 0;
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ fee: fc.integer({ min: 0, max: 10_000 }), charge: fc.integer({ min: 0, max: 10_000 }) }),
        fc.array(
          fc
            .record({
              fee: fc.integer({ min: 0, max: 3_000_000 }),
              charge: fc.integer({ min: 0, max: 3_000_000 }),
            })
            .filter((r) => r.fee + r.charge > 0),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(step, { minLength: 1, maxLength: 15 }),
        async (rates, receiptSpecs, plan) => {
          runs++;
          // Each run is a new day with its own random rates; receipts of earlier days keep theirs.
          clock.set(addDays(dayOfThisYear('08-01'), runs));
          for (const kind of ['fee', 'charge'] as const) {
            const res = await ctx.app.inject({
              method: 'POST',
              url: '/v1/share-rates',
              headers: auth(ctx.keys.admin),
              payload: { department: 'SCT', kind, rateBp: rates[kind], effectiveFrom: clock.date },
            });
            if (res.statusCode !== 201) throw new Error(res.body);
          }
          const ids: string[] = [];
          for (const spec of receiptSpecs) {
            const items = [...(spec.fee ? [{ name: 'Phí', kind: 'fee', amount: spec.fee }] : []), ...(spec.charge ? [{ name: 'Lệ phí', kind: 'charge', amount: spec.charge }] : [])];
            const res = await issue(ctx, { department: 'SCT', payer: { name: 'Đỗ Văn Em' }, items, paymentMethod: 'cash' });
            if (res.statusCode !== 201) throw new Error(res.body);
            ids.push(res.json().id);
          }
          for (const s of plan) {
            steps++;
            const id = ids[s.receipt % ids.length]!;
            const receipt = (await ctx.app.inject({ url: `/v1/receipts/${id}`, headers: auth(ctx.keys.auditor) })).json();
            const pendingReplacement = (await ctx.app.inject({ url: `/v1/corrections?receipt=${id}&status=pending`, headers: auth(ctx.keys.auditor) })).json().data;
            if (s.op === 'refund') {
              const amount = Math.max(1, Math.round(receipt.total * s.fraction));
              const res = await requestRefund(ctx, id, { amount, reason: 'Ngẫu nhiên' });
              const allowed = receipt.status === 'issued' && amount <= receipt.refunds.refundable && pendingReplacement.length === 0;
              if ((res.statusCode === 201) !== allowed) throw new Error(`refund of ${amount} on ${JSON.stringify(receipt.refunds)} → ${res.statusCode}`);
              if (res.statusCode === 201 && s.decide !== 'leave') {
                const d = await decideRefund(ctx, res.json().id, s.decide);
                if (d.statusCode !== 200) throw new Error(d.body);
              }
            } else if (s.op === 'decide') {
              const pending = (await ctx.app.inject({ url: `/v1/receipts/${id}/refunds`, headers: auth(ctx.keys.auditor) })).json().data.filter((r: { status: string }) => r.status === 'pending');
              for (const p of pending) {
                const d = await decideRefund(ctx, p.id, s.decide);
                if (d.statusCode !== 200) throw new Error(d.body);
              }
              for (const c of pendingReplacement) {
                const d = await decideCorrection(ctx, c.id, s.decide);
                if (d.statusCode !== 200) throw new Error(d.body);
                if (s.decide === 'approve') ids[s.receipt % ids.length] = d.json().result.receiptId;
              }
            } else {
              const res = await requestCorrection(ctx, id, 'replacement', {
                department: 'SCT',
                payer: { name: 'Đỗ Văn Em' },
                items: [{ name: 'Phí', kind: 'fee', amount: s.amount }],
                paymentMethod: 'cash',
                reason: 'Sai số tiền',
              });
              const allowed = receipt.status === 'issued' && receipt.refunds.approved === 0 && receipt.refunds.pending === 0 && pendingReplacement.length === 0;
              if ((res.statusCode === 201) !== allowed) throw new Error(`replacement of ${JSON.stringify(receipt.refunds)} ${receipt.status} → ${res.statusCode} ${res.body}`);
              if (res.statusCode === 201 && s.decide !== 'leave') {
                const d = await decideCorrection(ctx, res.json().id, s.decide);
                if (d.statusCode !== 200) throw new Error(d.body);
                if (s.decide === 'approve') ids[s.receipt % ids.length] = d.json().result.receiptId;
              }
            }
            await checkInvariants(ctx);
          }
          return true;
        },
      ),
      { numRuns: backend === 'embedded' ? 6 : 15 },
    );
    t.ok(runs >= 6 && steps >= runs, `${runs} random runs, ${steps} steps, invariants held after each`);
  });
}
