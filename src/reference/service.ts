import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { vietnamDate, vietnamDayStart, vietnamYear } from '../time/vietnam.ts';
import * as repo from './repository.ts';
import { knownDepartment } from './known.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';

/** Who changed reference data, and when: every change is in the audit trail. */
export interface Change {
  actor: Actor;
  now: Date;
}

const audit = (db: Tx, change: Change, action: string, subjectType: string, subjectId: string, details: Record<string, unknown>) =>
  appendEvent(db, { actor: change.actor, action, subjectType, subjectId, details }, change.now);
import { SERIES_SYMBOL, type Center, type Department, type Fee, type Series } from './schemas.ts';

export async function requireDepartment(db: Queryable, code: string): Promise<Department> {
  const d = await repo.getDepartment(db, code);
  if (!d) throw new AppError('DEPARTMENT_NOT_FOUND', `no department ${code}`);
  return d;
}

/** A new department starts with share rates from today (default 15% of both kinds). */
export async function createDepartment(db: Tx, input: Department & { shareRates: { fee: number; charge: number } }, change: Change): Promise<Department> {
  const { shareRates, ...d } = input;
  if (!(await repo.insertDepartment(db, d))) throw new AppError('DEPARTMENT_EXISTS', `department ${d.code} exists`);
  for (const kind of ['fee', 'charge'] as const) {
    await repo.insertRate(db, { department: d.code, kind, rateBp: shareRates[kind], effectiveFrom: vietnamDate(change.now) });
  }
  await audit(db, change, 'department.created', 'department', d.code, { ...d, shareRates });
  return (await repo.getDepartment(db, d.code))!;
}

export async function updateDepartment(db: Tx, code: string, patch: Partial<Department>, change: Change): Promise<Department> {
  const next = { ...(await requireDepartment(db, code)), ...patch, code };
  await repo.updateDepartment(db, next);
  await audit(db, change, 'department.updated', 'department', code, { ...patch });
  return next;
}

export async function createFee(db: Tx, f: Fee, change: Change): Promise<Fee> {
  await knownDepartment(db, f.department);
  if (!(await repo.insertFee(db, f))) throw new AppError('FEE_EXISTS', `fee ${f.code} exists`);
  await audit(db, change, 'fee.created', 'fee', f.code, { ...f });
  return f;
}

export async function requireFee(db: Queryable, code: string): Promise<Fee> {
  const f = (await repo.getFees(db, [code])).get(code);
  if (!f) throw new AppError('FEE_NOT_FOUND', `no fee ${code}`);
  return f;
}

/** A fee's amount may change for future receipts; receipts already issued keep theirs. */
export async function updateFee(db: Tx, code: string, patch: Partial<Pick<Fee, 'name' | 'amount' | 'active'>>, change: Change): Promise<Fee> {
  const next = { ...(await requireFee(db, code)), ...patch };
  await repo.updateFee(db, next);
  await audit(db, change, 'fee.updated', 'fee', code, { ...patch });
  return next;
}

export function seriesYear(symbol: string): number {
  const m = SERIES_SYMBOL.exec(symbol);
  if (!m) throw new AppError('VALIDATION_FAILED', `series ${symbol} is not a valid symbol`);
  return 2000 + Number(m[1]);
}

/**
 * A series is valid for the year its symbol names (Circular 91 Appendix II):
 * one may be registered for this year or, ahead of 1 January, for next year.
 */
export async function createSeries(
  db: Tx,
  input: { template: 'EBL01'; series: string; department: string; rangeFrom: number; rangeTo: number; delegation?: Series['delegation'] },
  change: Change,
): Promise<Series> {
  if (input.delegation && input.delegation.from > input.delegation.to) {
    throw new AppError('VALIDATION_FAILED', `the delegation's term ends (${input.delegation.to}) before it starts (${input.delegation.from})`, [
      { field: 'body.delegation.to', message: 'must not be before delegation.from' },
    ]);
  }
  const year = seriesYear(input.series);
  const thisYear = vietnamYear(change.now);
  if (year !== thisYear && year !== thisYear + 1) {
    throw new AppError('SERIES_WRONG_YEAR', `series ${input.series} is for ${year}; only ${thisYear} or ${thisYear + 1} can be registered`);
  }
  if (input.rangeFrom > input.rangeTo) {
    throw new AppError('INVALID_RANGE', `rangeFrom ${input.rangeFrom} is after rangeTo ${input.rangeTo}`);
  }
  await knownDepartment(db, input.department);
  const created = await repo.insertSeries(db, { ...input, year });
  if (!created) throw new AppError('SERIES_EXISTS', `series ${input.template} ${input.series} exists`);
  await audit(db, change, 'series.created', 'series', String(created.id), { ...input });
  return created;
}

/**
 * Ends a series' delegation early (Decree 254 Art. 25: both parties notify
 * the termination): from `date` on, no receipt is issued on it. Set once.
 */
export async function terminateSeries(db: Tx, id: number, date: string, change: Change): Promise<Series> {
  const today = vietnamDate(change.now);
  if (date < today) {
    throw new AppError('VALIDATION_FAILED', `a termination takes effect today (${today}) or later, not ${date}`, [{ field: 'body.date', message: `must be ${today} or later` }]);
  }
  const series = await repo.lockSeriesTermination(db, id);
  if (!series) throw new AppError('SERIES_NOT_FOUND', `no series ${id}`);
  if (series.terminatedOn) throw new AppError('DELEGATION_TERMINATED', `the delegation of series ${id} was terminated from ${series.terminatedOn}`);
  // A termination from today would leave today's receipts issued after the delegation's end.
  if (date === today) {
    const issued = await repo.countReceiptsIssuedSince(db, id, vietnamDayStart(today));
    if (issued > 0) {
      throw new AppError('VALIDATION_FAILED', `${issued} receipt(s) were issued on series ${id} today: the termination takes effect tomorrow at the earliest`, [
        { field: 'body.date', message: `must be after ${today}` },
      ]);
    }
  }
  await repo.setSeriesTerminatedOn(db, id, date);
  await audit(db, change, 'series.terminated', 'series', String(id), { date });
  return requireSeries(db, id);
}

export async function requireSeries(db: Queryable, id: number): Promise<Series> {
  const s = await repo.getSeriesById(db, id);
  if (!s) throw new AppError('SERIES_NOT_FOUND', `no series ${id}`);
  return s;
}

export async function setCenter(db: Tx, center: Center, change: Change): Promise<Center> {
  await repo.putCenter(db, center);
  await audit(db, change, 'center.updated', 'center', '1', { ...center });
  return center;
}

export async function requireCenter(db: Queryable): Promise<Center> {
  const c = await repo.getCenter(db);
  if (!c) throw new AppError('CENTER_NOT_CONFIGURED', 'set the center with PUT /v1/center before issuing');
  return c;
}
