import type { Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { hasSeriesFor, lockSeriesForIssue, type SeriesRow } from '../reference/repository.ts';
import { TEMPLATE } from '../reference/schemas.ts';
import { addDays } from '../time/dates.ts';
import { refuseIfHeld } from './holds.ts';

/**
 * Takes the series a receipt is numbered in and locks its counter row until
 * the issuing transaction ends. The number (next_number) is consumed only if
 * that transaction commits: numbering is gapless per (template, series) and
 * ascending inside the delegated range (Decree 254 Art. 25.5).
 */
/** The first day the center may issue on a delegation notified on `notifiedOn` (Decree 254 Art. 25: 3 days after). */
export const afterNotice = (notifiedOn: string) => addDays(notifiedOn, 3);

/**
 * The center issues on a department's behalf only as the delegation allows
 * (Decree 254 Art. 25): from 3 days after both tax offices were notified,
 * within the term, and not from an early termination on. Checked before a
 * number is taken, so a refusal uses none.
 */
function delegationProblem(row: SeriesRow, date: string): void {
  if (row.terminated_on && date >= row.terminated_on) {
    throw new AppError('DELEGATION_TERMINATED', `the delegation of series ${row.symbol} ended on ${row.terminated_on}`);
  }
  if (row.notified_on) {
    const from = afterNotice(row.notified_on);
    if (date < from) throw new AppError('DELEGATION_NOT_YET', `series ${row.symbol} was notified on ${row.notified_on}: the center may issue on it from ${from}`);
  }
  if ((row.valid_from && date < row.valid_from) || (row.valid_to && date > row.valid_to)) {
    throw new AppError('DELEGATION_OUT_OF_TERM', `the delegation of series ${row.symbol} runs ${row.valid_from} – ${row.valid_to}; today is ${date}`);
  }
}

export async function lockSeries(tx: Tx, opts: { department: string; series?: string; year: number; date: string }): Promise<SeriesRow> {
  const row = opts.series
    ? await lockSeriesForIssue(tx, { template: TEMPLATE, symbol: opts.series })
    : await lockSeriesForIssue(tx, { template: TEMPLATE, department: opts.department, year: opts.year });
  if (!row) {
    if (opts.series) throw new AppError('UNKNOWN_SERIES', `no series ${TEMPLATE} ${opts.series}`);
    if (await hasSeriesFor(tx, opts.department, opts.year)) {
      throw new AppError('SERIES_EXHAUSTED', `every ${opts.year} series of ${opts.department} has used its whole range`);
    }
    throw new AppError('NO_ACTIVE_SERIES', `department ${opts.department} has no series for ${opts.year}`);
  }
  if (row.department_code !== opts.department) {
    throw new AppError('SERIES_WRONG_DEPARTMENT', `series ${row.symbol} belongs to ${row.department_code}, not ${opts.department}`);
  }
  // A series is valid only in the year its symbol names (Circular 91 Appendix II).
  if (row.year !== opts.year) {
    throw new AppError('SERIES_WRONG_YEAR', `series ${row.symbol} is for ${row.year}; receipts issued now are dated ${opts.year}`);
  }
  if (row.next_number > row.range_to) {
    throw new AppError('SERIES_EXHAUSTED', `series ${row.symbol} has used its range ${row.range_from}–${row.range_to}`);
  }
  delegationProblem(row, opts.date);
  await refuseIfHeld(tx, row);
  return row;
}
