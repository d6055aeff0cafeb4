import type { Queryable } from '../db/db.ts';
import type { Requester } from './rules.ts';

/** The key and the staff member holding it, for the rules to compare with whoever decides. */
export async function requesterOf(db: Queryable, keyId: string): Promise<Requester> {
  const { rows } = await db.query<{ id: string; name: string; staff_id: string; staff_name: string; counter_code: string | null }>(
    'SELECT k.id, k.name, k.staff_id, s.name AS staff_name, k.counter_code FROM api_keys k JOIN staff s ON s.id = k.staff_id WHERE k.id = $1',
    [keyId],
  );
  const r = rows[0]!;
  return { keyId: r.id, keyName: r.name, staffId: r.staff_id, staffName: r.staff_name, counter: r.counter_code };
}

/** Pending correction requests of a receipt, by kind (and the fields of pending error notices). */
export async function pendingCorrections(db: Queryable, receiptId: string): Promise<{ replacement: boolean; noticeFields: string[] }> {
  const { rows } = await db.query<{ kind: string; field: string | null }>(`SELECT kind, payload->>'field' AS field FROM correction_requests WHERE receipt_id = $1 AND status = 'pending'`, [receiptId]);
  return { replacement: rows.some((r) => r.kind === 'replacement'), noticeFields: rows.flatMap((r) => (r.field ? [r.field] : [])) };
}
