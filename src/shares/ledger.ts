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
export function receiptEntries(
  receipt: { id: string; department: string; issuedAt: Date; items: Array<{ kind: Kind; amount: number }> },
  rates: Partial<Record<Kind, number>>,
): LedgerEntry[] {
  const byKind = new Map<Kind, number>();
  for (const item of receipt.items) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + item.amount);
  return [...byKind].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, amount]) => {
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
  await tx.query(
    `INSERT INTO ledger_entries (posted_at, business_date, department_code, kind, entry_type, receipt_id, refund_id,
       collected, refunded, center_share, department_share, rate_bp, original_period)
     SELECT * FROM unnest($1::timestamptz[], $2::date[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[],
       $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::int[], $13::text[])`,
    [col((e) => e.postedAt), col((e) => vietnamDate(e.postedAt)), col((e) => e.department), col((e) => e.kind),
      col((e) => e.entryType), col((e) => e.receiptId), col((e) => e.refundId ?? null), col((e) => e.collected),
      col((e) => e.refunded), col((e) => e.centerShare), col((e) => e.departmentShare), col((e) => e.rateBp),
      col((e) => e.originalPeriod ?? null)],
  );
  await tx.query(
    `INSERT INTO ledger_daily (business_date, department_code, kind, receipts, collected, refunded, center_share, department_share)
     SELECT d, dept, k, sum(n)::int, sum(c), sum(r), sum(cs), sum(ds)
       FROM unnest($1::date[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
            AS x(d, dept, k, n, c, r, cs, ds)
      GROUP BY d, dept, k
     ON CONFLICT (business_date, department_code, kind) DO UPDATE SET
       receipts = ledger_daily.receipts + excluded.receipts,
       collected = ledger_daily.collected + excluded.collected,
       refunded = ledger_daily.refunded + excluded.refunded,
       center_share = ledger_daily.center_share + excluded.center_share,
       department_share = ledger_daily.department_share + excluded.department_share`,
    [col((e) => vietnamDate(e.postedAt)), col((e) => e.department), col((e) => e.kind),
      col((e) => (e.entryType === 'receipt' ? 1 : e.entryType === 'replacement_reversal' ? -1 : 0)),
      col((e) => e.collected), col((e) => e.refunded), col((e) => e.centerShare), col((e) => e.departmentShare)],
  );
  // A receipt counts once per day and department, whatever kinds it holds.
  const counted = new Map<string, { date: string; department: string; receipts: number }>();
  for (const e of entries) {
    const delta = e.entryType === 'receipt' ? 1 : e.entryType === 'replacement_reversal' ? -1 : 0;
    if (delta === 0) continue;
    const key = `${e.receiptId}|${e.entryType}`;
    if (!counted.has(key)) counted.set(key, { date: vietnamDate(e.postedAt), department: e.department, receipts: delta });
  }
  const counts = [...counted.values()];
  if (counts.length > 0) {
    await tx.query(
      `INSERT INTO receipts_daily (business_date, department_code, receipts)
       SELECT d, dept, sum(n)::int FROM unnest($1::date[], $2::text[], $3::int[]) AS x(d, dept, n) GROUP BY d, dept
       ON CONFLICT (business_date, department_code) DO UPDATE SET receipts = receipts_daily.receipts + excluded.receipts`,
      [counts.map((c) => c.date), counts.map((c) => c.department), counts.map((c) => c.receipts)],
    );
  }
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
