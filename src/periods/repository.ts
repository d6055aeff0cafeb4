import type { Queryable, Tx } from '../db/db.ts';
import type { Period } from './service.ts';

interface PeriodRow {
  month: string;
  closed_at: Date;
  report: string;
  report_sha256: string;
}

/** A month's period: closed when a row exists, else open. */
export async function getPeriod(db: Queryable, month: string): Promise<Period> {
  const { rows } = await db.query<PeriodRow>('SELECT month, closed_at, report_sha256 FROM periods WHERE month = $1', [month]);
  const r = rows[0];
  return r ? { month, status: 'closed', closedAt: r.closed_at.toISOString(), reportSha256: r.report_sha256 } : { month, status: 'open', closedAt: null, reportSha256: null };
}

/** A closed month's stored report and its hash, or null when the month is not closed. */
export async function periodReport(db: Queryable, month: string): Promise<{ report: string; sha256: string } | null> {
  const { rows } = await db.query<PeriodRow>('SELECT report, report_sha256 FROM periods WHERE month = $1', [month]);
  return rows[0] ? { report: rows[0].report, sha256: rows[0].report_sha256 } : null;
}

export async function listClosedPeriods(db: Queryable): Promise<Period[]> {
  const { rows } = await db.query<PeriodRow>('SELECT month, closed_at, report_sha256 FROM periods ORDER BY month');
  return rows.map((r) => ({ month: r.month, status: 'closed' as const, closedAt: r.closed_at.toISOString(), reportSha256: r.report_sha256 }));
}

/** SHARE mode conflicts with the ledger's inserts (postEntries), not with its reads. */
export async function lockLedgerForClose(tx: Tx): Promise<void> {
  await tx.query('LOCK TABLE ledger_entries IN SHARE MODE');
}

export async function isPeriodClosed(db: Queryable, month: string): Promise<boolean> {
  return Boolean((await db.query('SELECT 1 FROM periods WHERE month = $1', [month])).rowCount);
}

export async function insertPeriod(db: Queryable, p: { month: string; closedAt: Date; closedBy: string; report: string; reportSha256: string }): Promise<void> {
  await db.query('INSERT INTO periods (month, closed_at, closed_by, report, report_sha256) VALUES ($1, $2, $3, $4, $5)', [p.month, p.closedAt, p.closedBy, p.report, p.reportSha256]);
}
