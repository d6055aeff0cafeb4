import { appendEvent, type Actor } from '../audit/chain.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { TEMPLATE } from '../reference/schemas.ts';

/**
 * Series held after a restore (see migration 016): issuing from a held series
 * is refused until an operator confirms the number it goes on from, past the
 * last receipt handed out before the restore.
 */

/** Holds every series: called on a database just restored from a backup. */
export async function holdAllSeries(db: Queryable, reason: string): Promise<number> {
  const { rowCount } = await db.query('INSERT INTO series_holds (series_id, reason) SELECT id, $1 FROM series ON CONFLICT (series_id) DO NOTHING', [reason]);
  return rowCount ?? 0;
}

/** Refuses issuing from a held series (inside the issuing transaction, after the series row is locked). */
export async function refuseIfHeld(tx: Queryable, series: { id: number; symbol: string; next_number: number }): Promise<void> {
  const { rows } = await tx.query<{ reason: string }>('SELECT reason FROM series_holds WHERE series_id = $1', [series.id]);
  if (rows[0]) {
    throw new AppError(
      'SERIES_HELD',
      `series ${TEMPLATE} ${series.symbol} waits for the number it goes on from (${rows[0].reason}): an operator confirms it with receipts series resume --series ${series.symbol} --next <number after the last one handed out>`,
    );
  }
}

/**
 * Releases a held series from `next` on: forward only (numbers handed out
 * after the backup are never used again), within its range, audited with the
 * numbers it skips.
 */
export async function resumeSeries(tx: Tx, symbol: string, next: number, actor: Actor, now: Date): Promise<{ from: number; next: number; skipped: number }> {
  const { rows } = await tx.query<{ id: number; next_number: number; range_to: number }>('SELECT id, next_number, range_to FROM series WHERE template = $1 AND symbol = $2 FOR UPDATE', [
    TEMPLATE,
    symbol,
  ]);
  const series = rows[0];
  if (!series) throw new Error(`no series ${TEMPLATE} ${symbol}`);
  const held = await tx.query('DELETE FROM series_holds WHERE series_id = $1', [series.id]);
  if (!held.rowCount) throw new Error(`series ${symbol} is not held: it issues from ${series.next_number} already`);
  if (!Number.isInteger(next) || next < series.next_number) {
    throw new Error(`--next must be at least ${series.next_number}, the number the restored database goes on from (numbers only move forward)`);
  }
  if (next > series.range_to + 1) throw new Error(`--next must be at most ${series.range_to + 1}: the series' range ends at ${series.range_to}`);
  await tx.query('UPDATE series SET next_number = $2 WHERE id = $1', [series.id, next]);
  const skipped = next - series.next_number;
  await appendEvent(tx, { actor, action: 'series.resumed', subjectType: 'series', subjectId: String(series.id), details: { symbol, from: series.next_number, next, skipped } }, now);
  return { from: series.next_number, next, skipped };
}
