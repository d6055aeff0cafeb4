import { createApiKey } from '../src/auth/api-keys.ts';
import { seedDemo } from '../src/reference/demo.ts';
import { feeSharesReport } from '../src/reports/fee-shares.ts';
import { freshDatabase, type TestDatabase } from '../test/helpers/db.ts';

/**
 * Fills a fresh database with `count` receipts spread over one month and the
 * four demo departments, with their ledger entries and daily aggregates, in
 * bulk SQL (issuing a million signed receipts one by one would take hours;
 * the report only reads the ledger).
 */
async function filled(count: number, month: string): Promise<TestDatabase> {
  const database = await freshDatabase('postgres');
  const { db } = database;
  await seedDemo(db, new Date(`${month}-15T12:00:00+07:00`));
  const { key } = await db.transaction((tx) => createApiKey(tx, { name: 'bench', role: 'cashier' }, { keyId: null, name: 'bench' }));
  await db.query(
    `INSERT INTO receipts (id, series_id, template, series, number, department_code, department_name, department_tax_code, issued_at, payer, payment_method,
                           total, total_in_words, lookup_code, issued_by, xml, xml_sha256)
     SELECT gen_random_uuid(), s.id, 'EBL01', s.symbol, g, s.department_code, d.name, d.tax_code,
            $2::timestamptz + ((g % 28) || ' days')::interval + ((g % 36000) || ' seconds')::interval,
            '{"name":"Người nộp"}', 'cash', 100000 + (g % 7) * 50000, 'x', 'B' || g, $3, '\\x00', 'x'
       FROM generate_series(1, $1::int) g
       JOIN (SELECT id, symbol, department_code, row_number() OVER (ORDER BY id) - 1 AS k FROM series) s ON s.k = g % 4
       JOIN departments d ON d.code = s.department_code`,
    [count, `${month}-01T08:00:00+07:00`, key.id],
  );
  // Receipts with even numbers hold a fee and a charge; odd ones a fee only.
  await db.query(
    `INSERT INTO ledger_entries (posted_at, business_date, department_code, kind, entry_type, receipt_id,
                                 collected, refunded, center_share, department_share, rate_bp)
     SELECT r.issued_at, (r.issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date, r.department_code, k.kind, 'receipt', r.id,
            a.amount, 0, a.amount * 1500 / 10000, a.amount - a.amount * 1500 / 10000, 1500
       FROM receipts r
       CROSS JOIN (VALUES ('fee'), ('charge')) AS k(kind)
       CROSS JOIN LATERAL (SELECT CASE WHEN k.kind = 'fee' THEN r.total - (CASE WHEN r.number % 2 = 0 THEN 30000 ELSE 0 END)
                                       ELSE 30000 END AS amount) a
      WHERE k.kind = 'fee' OR r.number % 2 = 0`,
  );
  await db.query(
    `INSERT INTO ledger_daily
     SELECT business_date, department_code, kind, count(*), sum(collected), sum(refunded), sum(center_share), sum(department_share)
       FROM ledger_entries GROUP BY 1, 2, 3`,
  );
  await db.query(
    `INSERT INTO receipts_daily SELECT (issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date, department_code, count(*)
       FROM receipts GROUP BY 1, 2`,
  );
  await db.query('ANALYZE');
  return database;
}

async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface ReportBenchRow {
  receipts: number;
  reportMs: number;
  scanMs: number;
}

/** A month's fee-share report from the daily aggregate, and (the baseline) the same figures aggregated from the raw entries. */
export async function benchReport(sizes: number[]): Promise<ReportBenchRow[]> {
  const month = '2026-03';
  const out: ReportBenchRow[] = [];
  for (const size of sizes) {
    const database = await filled(size, month);
    try {
      const q = { from: `${month}-01`, to: `${month}-31` };
      const report = await feeSharesReport(database.db, q);
      if (report.totals.receipts !== size) throw new Error(`report counts ${report.totals.receipts}, expected ${size}`);
      const reportMs = await medianMs(21, () => feeSharesReport(database.db, q));
      const scanMs = await medianMs(5, () =>
        database.db.query(
          `SELECT department_code, kind, count(*), sum(collected), sum(center_share) FROM ledger_entries
            WHERE business_date BETWEEN $1::date AND $2::date GROUP BY 1, 2`,
          [q.from, q.to],
        ),
      );
      out.push({ receipts: size, reportMs, scanMs });
    } finally {
      await database.close();
    }
  }
  return out;
}
