import { spreadsheetCsv } from '../text/csv.ts';
import { z } from 'zod';
import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { codeSchema, feeKindSchema } from '../reference/schemas.ts';
import { addDays, isoDate } from '../time/dates.ts';
import { knownDepartment } from '../reference/known.ts';
import { dailySharesRows, distinctReceiptCount, feeSharesRows } from './repository.ts';

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
  const rows = await feeSharesRows(db, q);
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
  const receipts = await distinctReceiptCount(db, q);
  return {
    from: q.from,
    to: q.to,
    department: q.department ?? null,
    rows: reportRows,
    totals: {
      receipts,
      collected: sum((r) => r.collected),
      refunded: sum((r) => r.refunded),
      net: sum((r) => r.net),
      centerShare: sum((r) => r.centerShare),
      departmentShare: sum((r) => r.departmentShare),
    },
  };
}

const kindText = { fee: 'Phí', charge: 'Lệ phí' } as const;

/** The report's columns in a spreadsheet (CSV and XLSX alike). */
export const FEE_SHARES_HEADER = ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Số biên lai', 'Đã thu', 'Đã hoàn trả', 'Thực thu', 'Phần trung tâm', 'Phần đơn vị'];

/** The report's rows in those columns, then its totals under `label`. */
export function feeSharesLines(report: FeeSharesReport, label: string): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = report.rows.map((r) => [r.department, r.departmentName, kindText[r.kind], r.receipts, r.collected, r.refunded, r.net, r.centerShare, r.departmentShare]);
  const t = report.totals;
  rows.push(['', label, '', t.receipts, t.collected, t.refunded, t.net, t.centerShare, t.departmentShare]);
  return rows;
}

/** The report as CSV for Excel and LibreOffice: UTF-8 with a BOM so Vietnamese names open correctly. */
export function feeSharesCsv(report: FeeSharesReport): string {
  return spreadsheetCsv([FEE_SHARES_HEADER, ...feeSharesLines(report, `Tổng cộng ${report.from} – ${report.to}`)]);
}

/** Longest period the daily figures cover in one request: a year. */
export const MAX_TREND_DAYS = 366;

export const dailySharesSchema = z.object({
  from: z.string(),
  to: z.string(),
  department: z.string().nullable(),
  days: z.array(
    z.object({
      date: z.string(),
      collected: z.number().int(),
      refunded: z.number().int(),
      net: z.number().int(),
      centerShare: z.number().int(),
      departmentShare: z.number().int(),
    }),
  ),
});

/** Every day of the period with its figures (zero on a day without receipts): the trend the accountant charts. */
export async function dailyShares(db: Queryable, q: { from: string; to: string; department?: string }): Promise<z.infer<typeof dailySharesSchema>> {
  await checkReportScope(db, q);
  if (addDays(q.from, MAX_TREND_DAYS - 1) < q.to) {
    throw new AppError('VALIDATION_FAILED', `at most ${MAX_TREND_DAYS} days per request`, [{ field: 'querystring.to', message: `more than ${MAX_TREND_DAYS} days after from` }]);
  }
  const byDay = new Map((await dailySharesRows(db, q)).map((r) => [r.business_date, r]));
  const days = [];
  for (let date = q.from; date <= q.to; date = addDays(date, 1)) {
    const r = byDay.get(date);
    const collected = r?.collected ?? 0;
    const refunded = r?.refunded ?? 0;
    days.push({ date, collected, refunded, net: collected - refunded, centerShare: r?.center_share ?? 0, departmentShare: r?.department_share ?? 0 });
  }
  return { from: q.from, to: q.to, department: q.department ?? null, days };
}
