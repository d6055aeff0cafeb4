import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { vietnamDate } from '../time/vietnam.ts';
import { firstClosedMonth, insertEntries } from './repository.ts';
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
  // A receipt counts once per day and department in receipts_daily, whatever kinds it holds
  // (+1 for its first receipt entry, −1 for its first replacement reversal), and once per kind in ledger_daily.
  const perKind = entries.map((e) => (e.entryType === 'receipt' ? 1 : e.entryType === 'replacement_reversal' ? -1 : 0));
  const seen = new Set<string>();
  const perReceipt = entries.map((e, i) => {
    const delta = perKind[i]!;
    const key = `${e.receiptId}|${e.entryType}`;
    if (delta === 0 || seen.has(key)) return 0;
    seen.add(key);
    return delta;
  });
  await insertEntries(tx, entries, { perKind, perReceipt });
  // Separate on purpose: a statement started after a close committed must see it,
  // and a CTE would read the periods with the snapshot taken before its insert waited.
  const months = [...new Set(entries.map((e) => periodOf(e.postedAt)))];
  const closed = await firstClosedMonth(tx, months);
  if (closed !== null) throw new AppError('PERIOD_CLOSED', `period ${closed} is closed; nothing can be posted into it`);
}
