import { z } from 'zod';
import type { Queryable, Tx } from '../db/db.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { knownDepartment } from './known.ts';
import { AppError } from '../http/errors.ts';
import { codeSchema, feeKindSchema } from './schemas.ts';
import { isoDate } from '../time/dates.ts';
import { vietnamDate, vietnamDayStart } from '../time/vietnam.ts';

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

interface RateRow {
  department_code: string;
  kind: 'fee' | 'charge';
  rate_bp: number;
  /** Selected as ::text, so no time zone can shift the date. */
  effective_from: string;
}

const view = (r: RateRow): ShareRate => ({ department: r.department_code, kind: r.kind, rateBp: r.rate_bp, effectiveFrom: r.effective_from });

export async function listShareRates(db: Queryable, department?: string): Promise<ShareRate[]> {
  const { rows } = await db.query<RateRow>(
    `SELECT department_code, kind, rate_bp, effective_from::text AS effective_from FROM share_rates
      WHERE ($1::text IS NULL OR department_code = $1) ORDER BY department_code, kind, effective_from`,
    [department ?? null],
  );
  return rows.map(view);
}

/**
 * Issuing reads a department's rates under a shared lock (lockedRatesOn), and
 * setting a rate takes it exclusively: a new rate can never slip in beside a
 * receipt that is being issued with the old one on the same day.
 */
async function lockRatesExclusive(db: Tx, department: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rates:${department}`]);
}

/**
 * The rates in force on a Vietnamese calendar day, per kind, read under the
 * shared rates lock. The lock is its own statement: a statement's snapshot is
 * taken before it waits, so a read in the locking statement could miss a rate
 * committed while it waited.
 */
export async function lockedRatesOn(db: Tx, department: string, date: string): Promise<Partial<Record<'fee' | 'charge', number>>> {
  await db.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [`rates:${department}`]);
  const { rows } = await db.query<{ kind: 'fee' | 'charge'; rate_bp: number }>(
    `SELECT DISTINCT ON (kind) kind, rate_bp FROM share_rates
      WHERE department_code = $1 AND effective_from <= $2::date ORDER BY kind, effective_from DESC`,
    [department, date],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.rate_bp]));
}

export async function insertRate(db: Tx, r: ShareRate): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO share_rates (department_code, kind, rate_bp, effective_from) VALUES ($1, $2, $3, $4::date)
     ON CONFLICT (department_code, kind, effective_from) DO NOTHING`,
    [r.department, r.kind, r.rateBp, r.effectiveFrom],
  );
  return rowCount === 1;
}

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
  const used = await db.query(`SELECT 1 FROM ledger_entries WHERE department_code = $1 AND kind = $2 AND entry_type = 'receipt' AND posted_at >= $3 LIMIT 1`, [
    input.department,
    input.kind,
    vietnamDayStart(input.effectiveFrom),
  ]);
  if ((used.rowCount ?? 0) > 0) {
    throw new AppError('RATE_ALREADY_USED', `receipts of ${input.department} (${input.kind}) were already issued on ${input.effectiveFrom}`);
  }
  if (!(await insertRate(db, input))) {
    throw new AppError('RATE_EXISTS', `${input.department} already has a ${input.kind} rate starting ${input.effectiveFrom}`);
  }
  await appendEvent(db, { actor, action: 'share_rate.set', subjectType: 'department', subjectId: input.department, details: { ...input } }, now);
  return input;
}
