import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Queryable, Tx } from '../db/db.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { AppError } from '../http/errors.ts';
import { feeSharesReport } from '../reports/fee-shares.ts';
import { monthDays } from '../time/calendar.ts';
import { vietnamDate } from '../time/vietnam.ts';
import { insertPeriod, isPeriodClosed, lockLedgerForClose, periodReport } from './repository.ts';

export const monthSchema = z.string().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM in the years 2000–2999');

export const periodSchema = z.object({
  month: z.string(),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
  reportSha256: z.string().nullable().describe('SHA-256 of the stored report bytes (GET …/report)'),
});
export type Period = z.infer<typeof periodSchema>;

export async function storedReport(db: Queryable, month: string): Promise<{ report: string; sha256: string }> {
  const stored = await periodReport(db, month);
  if (!stored) throw new AppError('PERIOD_NOT_FOUND', `period ${month} is not closed`);
  return stored;
}

/**
 * Closes a month that has ended (Vietnam time). Its fee-share report is
 * computed once, stored with its hash and served unchanged forever; nothing
 * posts into the month afterwards. There is no reopening.
 */
export async function closePeriod(tx: Tx, month: string, actor: Actor & { keyId: string }, now: Date): Promise<Period> {
  const current = vietnamDate(now).slice(0, 7);
  if (month >= current) throw new AppError('PERIOD_NOT_ENDED', `${month} has not ended; the current month is ${current}`);
  // Waits for postings in flight to commit, and holds new ones until the close commits.
  await lockLedgerForClose(tx);
  if (await isPeriodClosed(tx, month)) {
    throw new AppError('PERIOD_ALREADY_CLOSED', `period ${month} is already closed`);
  }
  const report = JSON.stringify(await feeSharesReport(tx, monthDays(month)));
  const sha256 = createHash('sha256').update(report).digest('hex');
  await insertPeriod(tx, { month, closedAt: now, closedBy: actor.keyId, report, reportSha256: sha256 });
  await appendEvent(tx, { actor, action: 'period.closed', subjectType: 'period', subjectId: month, details: { reportSha256: sha256 } }, now);
  return { month, status: 'closed', closedAt: now.toISOString(), reportSha256: sha256 };
}
