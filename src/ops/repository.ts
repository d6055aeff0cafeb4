import type { Queryable } from '../db/db.ts';

/** When the oldest message to the tax authority still waiting was queued, or null when none waits. */
export async function oldestPendingTransmission(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ oldest: Date | null }>(`SELECT min(created_at) AS oldest FROM transmissions WHERE status = 'pending'`);
  return rows[0]?.oldest ?? null;
}

/** Messages the tax authority (or the intermediary) refused. */
export async function rejectedTransmissionCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM transmissions WHERE status = 'rejected'`);
  return rows[0]!.n;
}
