import { z } from 'zod';
import type { Tx } from '../db/db.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { knownDepartment } from './known.ts';
import { AppError } from '../http/errors.ts';
import { codeSchema, feeKindSchema } from './schemas.ts';
import { isoDate } from '../time/dates.ts';
import { vietnamDate, vietnamDayStart } from '../time/vietnam.ts';
import { hasReceiptEntriesFrom, insertRate, lockRatesExclusive } from './repository.ts';

export const DEFAULT_RATE_BP = 1500;

export const rateBpSchema = z.number().int().min(0, 'must be 0–10000 (0–100%)').max(10_000, 'must be 0–10000 (0–100%)').describe('Basis points: 1500 = 15%');

export const shareRateSchema = z.object({
  department: codeSchema,
  kind: feeKindSchema,
  rateBp: rateBpSchema,
  effectiveFrom: z.string().describe('First Vietnamese calendar day the rate applies to'),
});
export type ShareRate = z.infer<typeof shareRateSchema>;

export const createShareRateSchema = z.object({ department: codeSchema, kind: feeKindSchema, rateBp: rateBpSchema, effectiveFrom: isoDate }).strict();

/**
 * Sets a department's rate for one kind from a date on. The date is today or
 * later (Vietnam time), and no receipt of that department and kind may exist
 * on or after it: a rate never changes for receipts that already used one.
 */
export async function setShareRate(db: Tx, input: ShareRate, now: Date, actor: Actor): Promise<ShareRate> {
  const today = vietnamDate(now);
  if (input.effectiveFrom < today) {
    throw new AppError('RATE_IN_PAST', `a rate can start today (${today}) or later, not ${input.effectiveFrom}`);
  }
  await knownDepartment(db, input.department);
  await lockRatesExclusive(db, input.department);
  if (await hasReceiptEntriesFrom(db, { department: input.department, kind: input.kind, from: vietnamDayStart(input.effectiveFrom) })) {
    throw new AppError('RATE_ALREADY_USED', `receipts of ${input.department} (${input.kind}) were already issued on ${input.effectiveFrom}`);
  }
  if (!(await insertRate(db, input))) {
    throw new AppError('RATE_EXISTS', `${input.department} already has a ${input.kind} rate starting ${input.effectiveFrom}`);
  }
  await appendEvent(db, { actor, action: 'share_rate.set', subjectType: 'department', subjectId: input.department, details: { ...input } }, now);
  return input;
}
