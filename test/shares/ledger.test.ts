import fc from 'fast-check';
import t from 'tap';
import { auth, issue, testApp, type TestContext } from '../helpers/app.ts';
import { addDays, dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';

type Kind = 'fee' | 'charge';
const departments = ['STP', 'SXD', 'SNNMT', 'SCT'] as const;

function setRate(ctx: TestContext, department: string, kind: Kind, rateBp: number, effectiveFrom: string) {
  return ctx.app.inject({ method: 'POST', url: '/v1/share-rates', headers: auth(ctx.keys.admin), payload: { department, kind, rateBp, effectiveFrom } });
}

function report(ctx: TestContext, from: string, to: string, department?: string) {
  return ctx.app.inject({
    url: `/v1/reports/fee-shares?from=${from}&to=${to}${department ? `&department=${department}` : ''}`,
    headers: auth(ctx.keys.accountant),
  });
}

/** The report recomputed from the raw receipts: items summed per kind, floor(amount × rate) per receipt. */
async function recompute(ctx: TestContext, from: string, to: string, rates: Map<string, number>) {
  const { rows } = await ctx.database.db.query<{ department_code: string; kind: Kind; receipt_id: string; amount: number }>(
    `SELECT r.department_code, i.kind, r.id AS receipt_id, sum(i.amount)::bigint AS amount
       FROM receipts r JOIN receipt_items i ON i.receipt_id = r.id
      WHERE (r.issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date BETWEEN $1::date AND $2::date
      GROUP BY r.department_code, i.kind, r.id`,
    [from, to],
  );
  const out = new Map<string, { receipts: number; collected: number; center: number }>();
  for (const r of rows) {
    const key = `${r.department_code}/${r.kind}`;
    const rate = rates.get(key)!;
    const row = out.get(key) ?? { receipts: 0, collected: 0, center: 0 };
    row.receipts += 1;
    row.collected += r.amount;
    row.center += Number((BigInt(r.amount) * BigInt(rate)) / 10_000n);
    out.set(key, row);
  }
  return out;
}

for (const backend of backends) {
  t.test(`random receipts, departments, kinds and rates: the ledger is exact (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('02-01'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    let day = clock.date;
    let runs = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 8, maxLength: 8 }),
        fc.array(
          fc.record({
            department: fc.constantFrom(...departments),
            items: fc.array(fc.record({ kind: fc.constantFrom<Kind>('fee', 'charge'), amount: fc.integer({ min: 1, max: 50_000_000 }) }), { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (rateList, receipts) => {
          // Each run is a new day with new rates from that day.
          day = addDays(day, 1);
          clock.set(day);
          runs++;
          const rates = new Map<string, number>();
          let i = 0;
          for (const d of departments) {
            for (const kind of ['fee', 'charge'] as const) {
              const rate = rateList[i++]!;
              const res = await setRate(ctx, d, kind, rate, day);
              if (res.statusCode !== 201) throw new Error(`rate: ${res.body}`);
              rates.set(`${d}/${kind}`, rate);
            }
          }
          for (const r of receipts) {
            const res = await issue(ctx, {
              department: r.department,
              payer: { name: 'Phạm Thị Dung' },
              items: r.items.map((it, n) => ({ name: `Khoản ${n + 1}`, kind: it.kind, amount: it.amount })),
              paymentMethod: 'cash',
            });
            if (res.statusCode !== 201) throw new Error(`issue: ${res.body}`);
            // The receipt's own shares: Σ floor(amount × rate) per kind.
            const body = res.json();
            let center = 0;
            for (const kind of ['fee', 'charge'] as const) {
              const amount = r.items.filter((it) => it.kind === kind).reduce((s, it) => s + it.amount, 0);
              center += Number((BigInt(amount) * BigInt(rates.get(`${r.department}/${kind}`)!)) / 10_000n);
            }
            if (body.shares.center !== center || body.shares.department !== body.total - center) {
              throw new Error(`receipt shares ${JSON.stringify(body.shares)}, expected center ${center}`);
            }
          }
          const rep = (await report(ctx, day, day)).json();
          const expected = await recompute(ctx, day, day, rates);
          if (rep.rows.length !== expected.size) throw new Error(`rows ${rep.rows.length} != ${expected.size}`);
          for (const row of rep.rows) {
            const e = expected.get(`${row.department}/${row.kind}`)!;
            if (row.collected !== e.collected || row.centerShare !== e.center || row.receipts !== e.receipts) {
              throw new Error(`${row.department}/${row.kind}: ${JSON.stringify(row)} vs ${JSON.stringify(e)}`);
            }
            if (row.centerShare + row.departmentShare !== row.collected - row.refunded || row.net !== row.collected - row.refunded) {
              throw new Error(`identity broken in ${JSON.stringify(row)}`);
            }
          }
          const totals = rep.totals;
          if (totals.receipts !== receipts.length) throw new Error(`total receipts ${totals.receipts} != ${receipts.length}`);
          if (totals.centerShare + totals.departmentShare !== totals.collected - totals.refunded) throw new Error('identity broken in totals');
          // The entries behind the figures add up to them.
          const entries = (await ctx.app.inject({ url: `/v1/reports/fee-shares/entries?from=${day}&to=${day}&limit=100`, headers: auth(ctx.keys.auditor) })).json();
          const sumCenter = entries.data.reduce((s: number, e: { centerShare: number }) => s + e.centerShare, 0);
          if (sumCenter !== totals.centerShare) throw new Error(`entries ${sumCenter} != ${totals.centerShare}`);
          return true;
        },
      ),
      { numRuns: backend === 'embedded' ? 5 : 12 },
    );
    t.ok(runs >= 5, `${runs} random days checked`);

    // Over the whole period too: per department, the report equals the sum of its days.
    const whole = (await report(ctx, dayOfThisYear('02-01'), day)).json();
    t.equal(whole.totals.centerShare + whole.totals.departmentShare, whole.totals.collected - whole.totals.refunded);
    for (const d of departments) {
      const one = (await report(ctx, dayOfThisYear('02-01'), day, d)).json();
      const fromWhole = whole.rows.filter((r: { department: string }) => r.department === d);
      t.same(one.rows, fromWhole, `${d}: filtered report equals its rows of the full report`);
    }
  });

  t.test(`a rate change applies from its date only; bad rates change nothing (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('03-10'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    const sxd = { department: 'SXD', payer: { name: 'Công ty Hòa Bình' }, items: [{ feeCode: 'SXD-TDTK' }], paymentMethod: 'transfer' };
    const d0 = clock.date;
    const changed = await setRate(ctx, 'SXD', 'fee', 2000, addDays(d0, 2));
    t.equal(changed.statusCode, 201);
    t.same(changed.json(), { department: 'SXD', kind: 'fee', rateBp: 2000, effectiveFrom: addDays(d0, 2) });

    const shares: Array<{ center: number; department: number }> = [];
    for (let i = 0; i < 4; i++) {
      clock.set(addDays(d0, i));
      shares.push((await issue(ctx, sxd)).json().shares);
    }
    t.same(
      shares,
      [
        { center: 75_000, department: 425_000 },
        { center: 75_000, department: 425_000 },
        { center: 100_000, department: 400_000 },
        { center: 100_000, department: 400_000 },
      ],
      '15% before the date, 20% from it',
    );
    const entries = (await ctx.app.inject({ url: `/v1/reports/fee-shares/entries?from=${d0}&to=${addDays(d0, 3)}&department=SXD`, headers: auth(ctx.keys.auditor) })).json();
    t.same(
      entries.data.map((e: { rateBp: number }) => e.rateBp),
      [1500, 1500, 2000, 2000],
    );

    const before = await ctx.database.db.query('SELECT * FROM share_rates ORDER BY id');
    const bad: Array<[string, Promise<{ statusCode: number; json(): { code: string } }>, number, string]> = [
      ['start in the past', setRate(ctx, 'SXD', 'fee', 1000, addDays(clock.date, -1)), 422, 'RATE_IN_PAST'],
      ['same start date', setRate(ctx, 'SXD', 'fee', 2500, addDays(d0, 2)), 422, 'RATE_IN_PAST'],
      ['today, after receipts used today’s rate', setRate(ctx, 'SXD', 'fee', 2500, clock.date), 409, 'RATE_ALREADY_USED'],
      ['above 100%', setRate(ctx, 'SXD', 'fee', 10_001, addDays(clock.date, 5)), 400, 'VALIDATION_FAILED'],
      ['negative', setRate(ctx, 'SXD', 'fee', -1, addDays(clock.date, 5)), 400, 'VALIDATION_FAILED'],
      ['fractional', setRate(ctx, 'SXD', 'fee', 1500.5, addDays(clock.date, 5)), 400, 'VALIDATION_FAILED'],
      ['not a date', setRate(ctx, 'SXD', 'fee', 1500, '2026-02-30'), 400, 'VALIDATION_FAILED'],
      ['unknown department', setRate(ctx, 'NOPE', 'fee', 1500, addDays(clock.date, 5)), 422, 'UNKNOWN_DEPARTMENT'],
    ];
    for (const [name, pending, status, code] of bad) {
      const res = await pending;
      t.equal(res.statusCode, status, name);
      t.equal(res.json().code, code, name);
    }
    const overlapping = await setRate(ctx, 'SXD', 'charge', 1800, addDays(clock.date, 7));
    t.equal(overlapping.statusCode, 201);
    const again = await setRate(ctx, 'SXD', 'charge', 1900, addDays(clock.date, 7));
    t.equal(again.statusCode, 409);
    t.equal(again.json().code, 'RATE_EXISTS');
    const after = await ctx.database.db.query('SELECT * FROM share_rates ORDER BY id');
    t.equal(after.rows.length, before.rows.length + 1, 'only the one good rate was added');
    t.equal((await setRate({ ...ctx, keys: { ...ctx.keys, admin: ctx.keys.accountant } }, 'SXD', 'fee', 1, addDays(clock.date, 9))).statusCode, 403);

    const listed = (await ctx.app.inject({ url: '/v1/share-rates?department=SXD', headers: auth(ctx.keys.cashier) })).json();
    t.same(
      listed.data.map((r: { kind: string; rateBp: number; effectiveFrom: string }) => `${r.kind} ${r.rateBp} ${r.effectiveFrom}`),
      [`charge 1500 ${dayOfThisYear('01-01')}`, `charge 1800 ${addDays(clock.date, 7)}`, `fee 1500 ${dayOfThisYear('01-01')}`, `fee 2000 ${addDays(d0, 2)}`],
    );
  });

  t.test(`the ledger refuses updates and deletes (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    t.equal((await issue(ctx)).statusCode, 201);
    await t.rejects(ctx.database.db.query('UPDATE ledger_entries SET center_share = 0'), /ledger_entries is append-only: UPDATE refused/);
    await t.rejects(ctx.database.db.query('DELETE FROM ledger_entries'), /ledger_entries is append-only: DELETE refused/);
    await t.rejects(ctx.database.db.query('DELETE FROM share_rates'), /share_rates is append-only/);
    await t.rejects(
      ctx.database.db.query(`INSERT INTO ledger_entries (posted_at, business_date, department_code, kind, entry_type, receipt_id, collected, refunded, center_share, department_share, rate_bp)
        SELECT now(), current_date, department_code, 'fee', 'receipt', id, 100, 0, 20, 70, 1500 FROM receipts LIMIT 1`),
      /check/i,
      'an entry whose shares do not add up is refused',
    );
  });

  t.test(`a department created without rates gets 15% of both kinds from today (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      headers: auth(ctx.keys.admin),
      payload: { code: 'SYT', name: 'Sở Y tế', taxCode: '0100000015', shareRates: { charge: 0 } },
    });
    t.equal(created.statusCode, 201);
    const rates = (await ctx.app.inject({ url: '/v1/share-rates?department=SYT', headers: auth(ctx.keys.admin) })).json().data;
    t.same(
      rates.map((r: { kind: string; rateBp: number }) => [r.kind, r.rateBp]),
      [
        ['charge', 0],
        ['fee', 1500],
      ],
    );
  });
}
