import { appendEvent, type Actor } from '../audit/chain.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { TEMPLATE } from '../reference/schemas.ts';
import { deleteSeriesHold, lockSeriesToResume, seriesHoldReason, setSeriesNextNumber } from './repository.ts';

/**
 * Series held after a restore (see migration 016): issuing from a held series
 * is refused until an operator confirms the number it goes on from, past the
 * last receipt handed out before the restore.
 */

/** Refuses issuing from a held series (inside the issuing transaction, after the series row is locked). */
export async function refuseIfHeld(tx: Queryable, series: { id: number; symbol: string; next_number: number }): Promise<void> {
  const reason = await seriesHoldReason(tx, series.id);
  if (reason !== null) {
    throw new AppError(
      'SERIES_HELD',
      `series ${TEMPLATE} ${series.symbol} waits for the number it goes on from (${reason}): an operator confirms it with receipts series resume --series ${series.symbol} --next <number after the last one handed out>`,
    );
  }
}

/**
 * Releases a held series from `next` on: forward only (numbers handed out
 * after the backup are never used again), within its range, audited with the
 * numbers it skips.
 */
export async function resumeSeries(tx: Tx, symbol: string, next: number, actor: Actor, now: Date): Promise<{ from: number; next: number; skipped: number }> {
  const series = await lockSeriesToResume(tx, { template: TEMPLATE, symbol });
  if (!series) throw new Error(`no series ${TEMPLATE} ${symbol}`);
  if (!(await deleteSeriesHold(tx, series.id))) throw new Error(`series ${symbol} is not held: it issues from ${series.next_number} already`);
  if (!Number.isInteger(next) || next < series.next_number) {
    throw new Error(`--next must be at least ${series.next_number}, the number the restored database goes on from (numbers only move forward)`);
  }
  if (next > series.range_to + 1) throw new Error(`--next must be at most ${series.range_to + 1}: the series' range ends at ${series.range_to}`);
  await setSeriesNextNumber(tx, series.id, next);
  const skipped = next - series.next_number;
  await appendEvent(tx, { actor, action: 'series.resumed', subjectType: 'series', subjectId: String(series.id), details: { symbol, from: series.next_number, next, skipped } }, now);
  return { from: series.next_number, next, skipped };
}
