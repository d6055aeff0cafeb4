import type { Queryable, Tx } from '../db/db.ts';
import type { ShareRate } from './rates.ts';
import type { Center, Department, Fee, Series } from './schemas.ts';

/** Queries of the reference data and share rates; no rules here (they are in service.ts and rates.ts). */

export async function getCenter(db: Queryable): Promise<Center | null> {
  const { rows } = await db.query<{ name: string; tax_code: string; address: string; tax_office_code: string | null; tax_office_name: string | null }>('SELECT * FROM center WHERE id = 1');
  const r = rows[0];
  if (!r) return null;
  return {
    name: r.name,
    taxCode: r.tax_code,
    address: r.address,
    ...(r.tax_office_code && r.tax_office_name ? { taxOffice: { code: r.tax_office_code, name: r.tax_office_name } } : {}),
  };
}

export async function putCenter(db: Queryable, c: Center): Promise<void> {
  await db.query(
    `INSERT INTO center (id, name, tax_code, address, tax_office_code, tax_office_name) VALUES (1, $1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET name = $1, tax_code = $2, address = $3, tax_office_code = $4, tax_office_name = $5, updated_at = now()`,
    [c.name, c.taxCode, c.address, c.taxOffice?.code ?? null, c.taxOffice?.name ?? null],
  );
}

interface DepartmentRow {
  code: string;
  name: string;
  tax_code: string;
  address: string | null;
}
const department = (r: DepartmentRow): Department => ({ code: r.code, name: r.name, taxCode: r.tax_code, address: r.address });

export async function listDepartments(db: Queryable, opts: { limit: number; after?: string }): Promise<Department[]> {
  const { rows } = await db.query<DepartmentRow>('SELECT * FROM departments WHERE ($1::text IS NULL OR code > $1) ORDER BY code LIMIT $2', [opts.after ?? null, opts.limit]);
  return rows.map(department);
}

export async function getDepartment(db: Queryable, code: string): Promise<Department | null> {
  const { rows } = await db.query<DepartmentRow>('SELECT * FROM departments WHERE code = $1', [code]);
  return rows[0] ? department(rows[0]) : null;
}

/** Inserts; returns false when the code exists. */
export async function insertDepartment(db: Queryable, d: Department): Promise<boolean> {
  const { rowCount } = await db.query('INSERT INTO departments (code, name, tax_code, address) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING', [d.code, d.name, d.taxCode, d.address ?? null]);
  return rowCount === 1;
}

export async function updateDepartment(db: Queryable, d: Department): Promise<void> {
  await db.query('UPDATE departments SET name = $2, tax_code = $3, address = $4 WHERE code = $1', [d.code, d.name, d.taxCode, d.address ?? null]);
}

interface FeeRow {
  code: string;
  department_code: string;
  name: string;
  kind: 'fee' | 'charge';
  amount: number;
  active: boolean;
}
const fee = (r: FeeRow): Fee => ({ code: r.code, department: r.department_code, name: r.name, kind: r.kind, amount: r.amount, active: r.active });

export async function listFees(db: Queryable, opts: { limit: number; after?: string; department?: string }): Promise<Fee[]> {
  const { rows } = await db.query<FeeRow>(
    `SELECT * FROM fees WHERE ($1::text IS NULL OR code > $1) AND ($2::text IS NULL OR department_code = $2)
     ORDER BY code LIMIT $3`,
    [opts.after ?? null, opts.department ?? null, opts.limit],
  );
  return rows.map(fee);
}

export async function getFees(db: Queryable, codes: string[]): Promise<Map<string, Fee>> {
  const { rows } = await db.query<FeeRow>('SELECT * FROM fees WHERE code = ANY($1::text[])', [codes]);
  return new Map(rows.map((r) => [r.code, fee(r)]));
}

export async function insertFee(db: Queryable, f: Fee): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO fees (code, department_code, name, kind, amount, active) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (code) DO NOTHING`,
    [f.code, f.department, f.name, f.kind, f.amount, f.active],
  );
  return rowCount === 1;
}

export async function updateFee(db: Queryable, f: Fee): Promise<void> {
  await db.query('UPDATE fees SET name = $2, amount = $3, active = $4 WHERE code = $1', [f.code, f.name, f.amount, f.active]);
}

export interface SeriesRow {
  id: number;
  template: string;
  symbol: string;
  year: number;
  department_code: string;
  range_from: number;
  range_to: number;
  next_number: number;
  notified_on: string | null;
  valid_from: string | null;
  valid_to: string | null;
  terminated_on: string | null;
}
const SERIES_COLUMNS = `id, template, symbol, year, department_code, range_from, range_to, next_number,
  notified_on::text AS notified_on, valid_from::text AS valid_from, valid_to::text AS valid_to, terminated_on::text AS terminated_on`;
export const seriesView = (r: SeriesRow): Series => ({
  id: Number(r.id),
  template: r.template as 'EBL01',
  series: r.symbol,
  year: r.year,
  department: r.department_code,
  rangeFrom: r.range_from,
  rangeTo: r.range_to,
  nextNumber: r.next_number,
  delegation: r.notified_on && r.valid_from && r.valid_to ? { notifiedOn: r.notified_on, from: r.valid_from, to: r.valid_to } : null,
  terminatedOn: r.terminated_on,
});

export async function listSeries(db: Queryable, opts: { limit: number; after?: number; department?: string; year?: number }) {
  const { rows } = await db.query<SeriesRow>(
    `SELECT ${SERIES_COLUMNS} FROM series WHERE ($1::bigint IS NULL OR id > $1) AND ($2::text IS NULL OR department_code = $2)
       AND ($3::int IS NULL OR year = $3) ORDER BY id LIMIT $4`,
    [opts.after ?? null, opts.department ?? null, opts.year ?? null, opts.limit],
  );
  return rows.map(seriesView);
}

export async function getSeriesById(db: Queryable, id: number): Promise<Series | null> {
  const { rows } = await db.query<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM series WHERE id = $1`, [id]);
  return rows[0] ? seriesView(rows[0]) : null;
}

export async function insertSeries(db: Queryable, s: Omit<Series, 'id' | 'nextNumber' | 'terminatedOn' | 'delegation'> & { delegation?: Series['delegation'] }): Promise<Series | null> {
  const { rows } = await db.query<SeriesRow>(
    `INSERT INTO series (template, symbol, year, department_code, range_from, range_to, next_number, notified_on, valid_from, valid_to)
     VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8, $9) ON CONFLICT (template, symbol) DO NOTHING RETURNING ${SERIES_COLUMNS}`,
    [s.template, s.series, s.year, s.department, s.rangeFrom, s.rangeTo, s.delegation?.notifiedOn ?? null, s.delegation?.from ?? null, s.delegation?.to ?? null],
  );
  return rows[0] ? seriesView(rows[0]) : null;
}

/**
 * Locks the series row for the issuing transaction: the numbering counter.
 * Either the named series, or the department's first series of the year
 * with numbers left.
 */
export async function lockSeriesForIssue(db: Tx, by: { template: string; symbol: string } | { department: string; year: number; template: string }): Promise<SeriesRow | null> {
  const { rows } =
    'symbol' in by
      ? await db.query<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM series WHERE template = $1 AND symbol = $2 FOR UPDATE`, [by.template, by.symbol])
      : await db.query<SeriesRow>(
          `SELECT ${SERIES_COLUMNS} FROM series WHERE template = $1 AND department_code = $2 AND year = $3 AND next_number <= range_to
           ORDER BY id LIMIT 1 FOR UPDATE`,
          [by.template, by.department, by.year],
        );
  return rows[0] ?? null;
}

export async function hasSeriesFor(db: Queryable, department: string, year: number): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM series WHERE department_code = $1 AND year = $2', [department, year]);
  return (rowCount ?? 0) > 0;
}

/**
 * Locks a series row for ending its delegation; its termination date (text,
 * so no time zone shifts it), or null when there is no such series.
 */
export async function lockSeriesTermination(tx: Tx, id: number): Promise<{ terminatedOn: string | null } | null> {
  const { rows } = await tx.query<{ terminated_on: string | null }>('SELECT terminated_on::text AS terminated_on FROM series WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ? { terminatedOn: rows[0].terminated_on } : null;
}

export async function countReceiptsIssuedSince(db: Queryable, seriesId: number, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts WHERE series_id = $1 AND issued_at >= $2', [seriesId, since]);
  return rows[0]!.n;
}

export async function setSeriesTerminatedOn(db: Queryable, id: number, date: string): Promise<void> {
  await db.query('UPDATE series SET terminated_on = $2 WHERE id = $1', [id, date]);
}

/** Departments plus API keys: 0 on a database nobody has set up yet. */
export async function countDepartmentsAndApiKeys(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM departments) + (SELECT count(*) FROM api_keys) AS n');
  return rows[0]!.n;
}

interface RateRow {
  department_code: string;
  kind: 'fee' | 'charge';
  rate_bp: number;
  /** Selected as ::text, so no time zone can shift the date. */
  effective_from: string;
}

const shareRate = (r: RateRow): ShareRate => ({ department: r.department_code, kind: r.kind, rateBp: r.rate_bp, effectiveFrom: r.effective_from });

export async function listShareRates(db: Queryable, department?: string): Promise<ShareRate[]> {
  const { rows } = await db.query<RateRow>(
    `SELECT department_code, kind, rate_bp, effective_from::text AS effective_from FROM share_rates
      WHERE ($1::text IS NULL OR department_code = $1) ORDER BY department_code, kind, effective_from`,
    [department ?? null],
  );
  return rows.map(shareRate);
}

/**
 * Issuing reads a department's rates under a shared lock (lockedRatesOn), and
 * setting a rate takes it exclusively: a new rate can never slip in beside a
 * receipt that is being issued with the old one on the same day.
 */
export async function lockRatesExclusive(db: Tx, department: string): Promise<void> {
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

/** Whether receipts of the department and kind were posted at or after `from`. */
export async function hasReceiptEntriesFrom(db: Queryable, q: { department: string; kind: string; from: Date }): Promise<boolean> {
  const used = await db.query(`SELECT 1 FROM ledger_entries WHERE department_code = $1 AND kind = $2 AND entry_type = 'receipt' AND posted_at >= $3 LIMIT 1`, [q.department, q.kind, q.from]);
  return (used.rowCount ?? 0) > 0;
}
