import type { Principal } from '../http/access.ts';
import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';

/**
 * The maker-checker rules shared by refunds, replacements and error notices:
 * every correction that moves money or changes what a signed receipt says is
 * asked for by one person and decided by another.
 */

/** Who asked: the key and the person holding it. */
export interface Requester {
  keyId: string;
  keyName: string;
  staffId: string;
  staffName: string;
  counter: string | null;
}

export async function requesterOf(db: Queryable, keyId: string): Promise<Requester> {
  const { rows } = await db.query<{ id: string; name: string; staff_id: string; staff_name: string; counter_code: string | null }>(
    'SELECT k.id, k.name, k.staff_id, s.name AS staff_name, k.counter_code FROM api_keys k JOIN staff s ON s.id = k.staff_id WHERE k.id = $1',
    [keyId],
  );
  const r = rows[0]!;
  return { keyId: r.id, keyName: r.name, staffId: r.staff_id, staffName: r.staff_name, counter: r.counter_code };
}

/**
 * Cash handling: the person who asked for a refund or a correction does not
 * decide it, with the same key or another of theirs. People are staff
 * members, so two keys of one person are one person whatever they are named.
 */
export function checkSeparation(requester: Requester, principal: Principal, what: 'refund' | 'correction'): void {
  if (requester.keyId === principal.keyId || requester.staffId === principal.staffId) {
    throw new AppError('SEPARATION_OF_DUTIES', `${requester.staffName} asked for this ${what}: another person must approve or reject it`);
  }
}

/**
 * A cashier key may ask to correct or refund only receipts of its own
 * counter, unless an admin gave it the center's scope: a counter cannot
 * reach into another counter's cash.
 */
export function checkCounterScope(principal: Principal, receipt: { counter_code: string | null; series: string; number: number }): void {
  if (principal.role !== 'cashier' || principal.scope === 'center') return;
  if (receipt.counter_code !== principal.counter) {
    const where = (c: string | null) => (c ? `counter ${c}` : 'no counter');
    throw new AppError(
      'OUTSIDE_COUNTER_SCOPE',
      `receipt ${receipt.series} ${receipt.number} was issued at ${where(receipt.counter_code)}; this key may correct and refund only receipts of ${where(principal.counter)}`,
    );
  }
}

/** Pending correction requests of a receipt, by kind (and the fields of pending error notices). */
export async function pendingCorrections(db: Queryable, receiptId: string): Promise<{ replacement: boolean; noticeFields: string[] }> {
  const { rows } = await db.query<{ kind: string; field: string | null }>(`SELECT kind, payload->>'field' AS field FROM correction_requests WHERE receipt_id = $1 AND status = 'pending'`, [receiptId]);
  return { replacement: rows.some((r) => r.kind === 'replacement'), noticeFields: rows.flatMap((r) => (r.field ? [r.field] : [])) };
}
