import type { Queryable } from '../db/db.ts';
import { vietnamDate, vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import type { LedgerEntryView } from './entries.ts';

/** Ledger entries posted over Vietnamese calendar days, with their receipts, in posting order (after entry `afterId`). */
export async function ledgerEntries(db: Queryable, q: { from: string; to: string; department?: string; kind?: string; afterId?: number; limit: number }): Promise<LedgerEntryView[]> {
  const { rows } = await db.query<{
    id: number;
    posted_at: Date;
    business_date: string;
    department_code: string;
    kind: 'fee' | 'charge';
    entry_type: LedgerEntryView['entryType'];
    receipt_id: string;
    template: string;
    series: string;
    number: number;
    issued_at: Date;
    refund_id: string | null;
    collected: number;
    refunded: number;
    center_share: number;
    department_share: number;
    rate_bp: number;
    original_period: string | null;
  }>(
    `SELECT e.id, e.posted_at, e.business_date::text AS business_date, e.department_code, e.kind, e.entry_type, e.receipt_id,
            r.template, r.series, r.number, r.issued_at, e.refund_id, e.collected, e.refunded, e.center_share,
            e.department_share, e.rate_bp, e.original_period
       FROM ledger_entries e JOIN receipts r ON r.id = e.receipt_id
      WHERE e.posted_at >= $1 AND e.posted_at < $2 AND ($3::text IS NULL OR e.department_code = $3)
        AND ($4::text IS NULL OR e.kind = $4) AND ($5::bigint IS NULL OR e.id > $5)
      ORDER BY e.id LIMIT $6`,
    [vietnamDayStart(q.from), vietnamDayEnd(q.to), q.department ?? null, q.kind ?? null, q.afterId ?? null, q.limit],
  );
  return rows.map((e) => ({
    id: Number(e.id),
    postedAt: e.posted_at.toISOString(),
    businessDate: e.business_date,
    department: e.department_code,
    kind: e.kind,
    entryType: e.entry_type,
    receipt: { id: e.receipt_id, template: e.template, series: e.series, number: e.number, issueDate: vietnamDate(e.issued_at) },
    refundId: e.refund_id,
    collected: e.collected,
    refunded: e.refunded,
    centerShare: e.center_share,
    departmentShare: e.department_share,
    rateBp: e.rate_bp,
    originalPeriod: e.original_period,
  }));
}

export interface FeeSharesRow {
  department: string;
  department_name: string;
  kind: 'fee' | 'charge';
  receipts: number;
  collected: number;
  refunded: number;
  center_share: number;
  department_share: number;
}

/** Sums per department and kind over Vietnamese calendar days (inclusive), from the daily aggregate. */
export async function feeSharesRows(db: Queryable, q: { from: string; to: string; department?: string }): Promise<FeeSharesRow[]> {
  const { rows } = await db.query<FeeSharesRow>(
    `SELECT l.department_code AS department, d.name AS department_name, l.kind, sum(l.receipts)::bigint AS receipts,
            sum(l.collected)::bigint AS collected, sum(l.refunded)::bigint AS refunded,
            sum(l.center_share)::bigint AS center_share, sum(l.department_share)::bigint AS department_share
       FROM ledger_daily l JOIN departments d ON d.code = l.department_code
      WHERE l.business_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR l.department_code = $3)
      GROUP BY l.department_code, d.name, l.kind ORDER BY l.department_code, l.kind`,
    [q.from, q.to, q.department ?? null],
  );
  return rows;
}

/** Receipts over Vietnamese calendar days (inclusive), each counted once whatever kinds it holds. */
export async function distinctReceiptCount(db: Queryable, q: { from: string; to: string; department?: string }): Promise<number> {
  const count = await db.query<{ n: number }>(
    `SELECT COALESCE(sum(receipts), 0)::bigint AS n FROM receipts_daily
      WHERE business_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR department_code = $3)`,
    [q.from, q.to, q.department ?? null],
  );
  return count.rows[0]!.n;
}

export interface DailySharesRow {
  business_date: string;
  collected: number;
  refunded: number;
  center_share: number;
  department_share: number;
}

/** The ledger's figures per Vietnamese calendar day (days without entries are absent). */
export async function dailySharesRows(db: Queryable, q: { from: string; to: string; department?: string }): Promise<DailySharesRow[]> {
  const { rows } = await db.query<DailySharesRow>(
    `SELECT l.business_date::text AS business_date, sum(l.collected)::bigint AS collected, sum(l.refunded)::bigint AS refunded,
            sum(l.center_share)::bigint AS center_share, sum(l.department_share)::bigint AS department_share
       FROM ledger_daily l
      WHERE l.business_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR l.department_code = $3)
      GROUP BY l.business_date ORDER BY l.business_date`,
    [q.from, q.to, q.department ?? null],
  );
  return rows;
}
