import { spreadsheetCsv } from '../text/csv.ts';
import { z } from 'zod';
import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { codeSchema, feeKindSchema } from '../reference/schemas.ts';
import { isoDate } from '../time/dates.ts';
import { knownDepartment } from '../reference/known.ts';

export const feeSharesQuery = z.object({
  from: isoDate.describe('First Vietnamese calendar day, inclusive'),
  to: isoDate.describe('Last Vietnamese calendar day, inclusive'),
  department: codeSchema.optional(),
});

const figures = {
  receipts: z.number().int().describe('Receipts (in a row: receipts with items of this kind), less those replaced'),
  collected: z.number().int(),
  refunded: z.number().int(),
  net: z.number().int().describe('collected − refunded = centerShare + departmentShare'),
  centerShare: z.number().int(),
  departmentShare: z.number().int(),
};
export const feeSharesReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  department: z.string().nullable(),
  rows: z.array(z.object({ department: z.string(), departmentName: z.string(), kind: feeKindSchema, ...figures })),
  totals: z.object(figures),
});
export type FeeSharesReport = z.infer<typeof feeSharesReportSchema>;

export async function checkReportScope(db: Queryable, q: { from: string; to: string; department?: string }): Promise<void> {
  if (q.from > q.to) {
    throw new AppError('VALIDATION_FAILED', `from ${q.from} is after to ${q.to}`, [{ field: 'querystring.from', message: 'is after to' }]);
  }
  if (q.department) await knownDepartment(db, q.department);
}

/**
 * Collected, refunded and the two shares per department and kind over
 * Vietnamese calendar days, read from the daily aggregate (at most
 * days × departments × 2 rows, whatever the number of receipts).
 */
export async function feeSharesReport(db: Queryable, q: { from: string; to: string; department?: string }): Promise<FeeSharesReport> {
  await checkReportScope(db, q);
  const { rows } = await db.query<{
    department: string;
    department_name: string;
    kind: 'fee' | 'charge';
    receipts: number;
    collected: number;
    refunded: number;
    center_share: number;
    department_share: number;
  }>(
    `SELECT l.department_code AS department, d.name AS department_name, l.kind, sum(l.receipts)::bigint AS receipts,
            sum(l.collected)::bigint AS collected, sum(l.refunded)::bigint AS refunded,
            sum(l.center_share)::bigint AS center_share, sum(l.department_share)::bigint AS department_share
       FROM ledger_daily l JOIN departments d ON d.code = l.department_code
      WHERE l.business_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR l.department_code = $3)
      GROUP BY l.department_code, d.name, l.kind ORDER BY l.department_code, l.kind`,
    [q.from, q.to, q.department ?? null],
  );
  const reportRows = rows.map((r) => ({
    department: r.department,
    departmentName: r.department_name,
    kind: r.kind,
    receipts: r.receipts,
    collected: r.collected,
    refunded: r.refunded,
    net: r.collected - r.refunded,
    centerShare: r.center_share,
    departmentShare: r.department_share,
  }));
  const sum = (f: (r: (typeof reportRows)[number]) => number) => reportRows.reduce((s, r) => s + f(r), 0);
  // Distinct receipts: one with a fee and a charge is in two rows but counts once.
  const count = await db.query<{ n: number }>(
    `SELECT COALESCE(sum(receipts), 0)::bigint AS n FROM receipts_daily
      WHERE business_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR department_code = $3)`,
    [q.from, q.to, q.department ?? null],
  );
  return {
    from: q.from,
    to: q.to,
    department: q.department ?? null,
    rows: reportRows,
    totals: {
      receipts: count.rows[0]!.n,
      collected: sum((r) => r.collected),
      refunded: sum((r) => r.refunded),
      net: sum((r) => r.net),
      centerShare: sum((r) => r.centerShare),
      departmentShare: sum((r) => r.departmentShare),
    },
  };
}

const kindText = { fee: 'Phí', charge: 'Lệ phí' } as const;

/** The report as CSV for Excel and LibreOffice: UTF-8 with a BOM so Vietnamese names open correctly. */
export function feeSharesCsv(report: FeeSharesReport): string {
  const header = ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Số biên lai', 'Đã thu', 'Đã hoàn trả', 'Thực thu', 'Phần trung tâm', 'Phần đơn vị'];
  const rows = report.rows.map((r) => [r.department, r.departmentName, kindText[r.kind], r.receipts, r.collected, r.refunded, r.net, r.centerShare, r.departmentShare]);
  const t = report.totals;
  rows.push(['', `Tổng cộng ${report.from} – ${report.to}`, '', t.receipts, t.collected, t.refunded, t.net, t.centerShare, t.departmentShare]);
  return spreadsheetCsv([header, ...rows]);
}
