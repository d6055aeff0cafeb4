import type { Queryable } from '../db/db.ts';
import { vietnamDate } from '../time/vietnam.ts';
import type { Kind, LedgerEntry } from './ledger.ts';

/**
 * Appends entries to the ledger and adds them to ledger_daily and
 * receipts_daily. `counts` hold, entry by entry, what it adds to its kind's
 * receipt count (perKind) and to its day's (perReceipt).
 */
export async function insertEntries(db: Queryable, entries: LedgerEntry[], counts: { perKind: number[]; perReceipt: number[] }): Promise<void> {
  const col = <T>(f: (e: LedgerEntry) => T) => entries.map(f);
  // One statement for the entries and both aggregates: fewer round trips while the issuing locks are held.
  await db.query(
    `WITH x AS (
       SELECT * FROM unnest($1::timestamptz[], $2::date[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[],
         $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::int[], $13::text[], $14::int[], $15::int[])
         AS x(posted_at, d, dept, kind, entry_type, receipt_id, refund_id, c, r, cs, ds, rate_bp, original_period, n_kind, n_receipt)
     ), entries AS (
       INSERT INTO ledger_entries (posted_at, business_date, department_code, kind, entry_type, receipt_id, refund_id,
         collected, refunded, center_share, department_share, rate_bp, original_period)
       SELECT posted_at, d, dept, kind, entry_type, receipt_id, refund_id, c, r, cs, ds, rate_bp, original_period FROM x
     ), daily AS (
       INSERT INTO ledger_daily (business_date, department_code, kind, receipts, collected, refunded, center_share, department_share)
       SELECT d, dept, kind, sum(n_kind)::int, sum(c), sum(r), sum(cs), sum(ds) FROM x GROUP BY d, dept, kind
       ON CONFLICT (business_date, department_code, kind) DO UPDATE SET
         receipts = ledger_daily.receipts + excluded.receipts,
         collected = ledger_daily.collected + excluded.collected,
         refunded = ledger_daily.refunded + excluded.refunded,
         center_share = ledger_daily.center_share + excluded.center_share,
         department_share = ledger_daily.department_share + excluded.department_share
     )
     INSERT INTO receipts_daily (business_date, department_code, receipts)
     SELECT d, dept, sum(n_receipt)::int FROM x GROUP BY d, dept HAVING sum(n_receipt) <> 0
     ON CONFLICT (business_date, department_code) DO UPDATE SET receipts = receipts_daily.receipts + excluded.receipts`,
    [
      col((e) => e.postedAt),
      col((e) => vietnamDate(e.postedAt)),
      col((e) => e.department),
      col((e) => e.kind),
      col((e) => e.entryType),
      col((e) => e.receiptId),
      col((e) => e.refundId ?? null),
      col((e) => e.collected),
      col((e) => e.refunded),
      col((e) => e.centerShare),
      col((e) => e.departmentShare),
      col((e) => e.rateBp),
      col((e) => e.originalPeriod ?? null),
      counts.perKind,
      counts.perReceipt,
    ],
  );
}

/** The first of `months` (YYYY-MM) that is closed, or null when none is. */
export async function firstClosedMonth(db: Queryable, months: string[]): Promise<string | null> {
  const closed = await db.query<{ month: string }>('SELECT month FROM periods WHERE month = ANY($1::text[])', [months]);
  return closed.rows[0]?.month ?? null;
}

export interface ReceiptPart {
  kind: Kind;
  amount: number;
  rateBp: number;
  centerShare: number;
  departmentShare: number;
}

/** A receipt's own entries: its amount per kind and the rate it was issued with, in kind order. */
export async function receiptParts(db: Queryable, receiptId: string): Promise<ReceiptPart[]> {
  const { rows } = await db.query<{ kind: Kind; collected: number; rate_bp: number; center_share: number; department_share: number }>(
    `SELECT kind, collected, rate_bp, center_share, department_share FROM ledger_entries
      WHERE receipt_id = $1 AND entry_type = 'receipt' ORDER BY kind`,
    [receiptId],
  );
  return rows.map((r) => ({ kind: r.kind, amount: r.collected, rateBp: r.rate_bp, centerShare: r.center_share, departmentShare: r.department_share }));
}
