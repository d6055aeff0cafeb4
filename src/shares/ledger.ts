import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { vietnamDate } from '../time/vietnam.ts';
import { splitShares, type Shares } from './split.ts';

export type Kind = 'fee' | 'charge';
export type EntryType = 'receipt' | 'refund' | 'replacement_reversal';

export interface LedgerEntry {
  postedAt: Date;
  department: string;
  kind: Kind;
  entryType: EntryType;
  receiptId: string;
  refundId?: string | null;
  collected: number;
  refunded: number;
  centerShare: number;
  departmentShare: number;
  rateBp: number;
  originalPeriod?: string | null;
}

/** The month (YYYY-MM) an entry posted at `at` belongs to. */
export const periodOf = (at: Date) => vietnamDate(at).slice(0, 7);

/** One entry per kind on the receipt: center = floor(amount × rate), department = the rest. */
export function receiptEntries(receipt: { id: string; department: string; issuedAt: Date; items: Array<{ kind: Kind; amount: number }> }, rates: Partial<Record<Kind, number>>): LedgerEntry[] {
  const byKind = new Map<Kind, number>();
  for (const item of receipt.items) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + item.amount);
  return [...byKind]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, amount]) => {
      const rateBp = rates[kind];
      if (rateBp === undefined) throw new AppError('SHARE_RATE_MISSING', `${receipt.department} has no ${kind} share rate on ${vietnamDate(receipt.issuedAt)}`);
      const { center, department } = splitShares(amount, rateBp);
      return {
        postedAt: receipt.issuedAt,
        department: receipt.department,
        kind,
        entryType: 'receipt' as const,
        receiptId: receipt.id,
        collected: amount,
        refunded: 0,
        centerShare: center,
        departmentShare: department,
        rateBp,
      };
    });
}

export function totalShares(entries: Array<Pick<LedgerEntry, 'centerShare' | 'departmentShare'>>): Shares {
  return entries.reduce((s, e) => ({ center: s.center + e.centerShare, department: s.department + e.departmentShare }), { center: 0, department: 0 });
}

/**
 * Appends entries and adds them to the daily aggregate, in the caller's
 * transaction. Entries are never updated or deleted (a trigger refuses it).
 * A closed month takes no entries: close waits for postings in flight (its
 * lock conflicts with their inserts), and a posting that follows a close
 * sees it here and rolls back.
 */
export async function postEntries(tx: Queryable, entries: LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(f: (e: LedgerEntry) => T) => entries.map(f);
  // A receipt counts once per day and department in receipts_daily, whatever kinds it holds
  // (+1 for its first receipt entry, −1 for its first replacement reversal), and once per kind in ledger_daily.
  const seen = new Set<string>();
  const receiptCount = entries.map((e) => {
    const delta = e.entryType === 'receipt' ? 1 : e.entryType === 'replacement_reversal' ? -1 : 0;
    const key = `${e.receiptId}|${e.entryType}`;
    if (delta === 0 || seen.has(key)) return 0;
    seen.add(key);
    return delta;
  });
  // One statement for the entries and both aggregates: fewer round trips while the issuing locks are held.
  await tx.query(
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
      col((e) => (e.entryType === 'receipt' ? 1 : e.entryType === 'replacement_reversal' ? -1 : 0)),
      receiptCount,
    ],
  );
  // Separate on purpose: a statement started after a close committed must see it,
  // and a CTE would read the periods with the snapshot taken before its insert waited.
  const months = [...new Set(entries.map((e) => periodOf(e.postedAt)))];
  const closed = await tx.query<{ month: string }>('SELECT month FROM periods WHERE month = ANY($1::text[])', [months]);
  if (closed.rows[0]) throw new AppError('PERIOD_CLOSED', `period ${closed.rows[0].month} is closed; nothing can be posted into it`);
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
