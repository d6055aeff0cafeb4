import type { Queryable, Tx } from '../../db/db.ts';
import type { CertificateEntry } from '../registration.ts';
import type { TransmissionStatus } from './transmissions.ts';

// Registrations 01/ĐKTĐ-CTĐT, and the delegated series they declare.

export interface DelegatedSeriesRow {
  id: number;
  template: string;
  symbol: string;
  range_from: number;
  range_to: number;
  code: string;
  name: string;
  tax_code: string;
  notified_on: string;
  valid_from: string;
  valid_to: string;
  terminated_on: string | null;
}

/** Every series a department delegated to the center (notified, with a term), by department and series. */
export async function delegatedSeries(db: Queryable): Promise<DelegatedSeriesRow[]> {
  const { rows } = await db.query<DelegatedSeriesRow>(
    `SELECT s.id, s.template, s.symbol, s.range_from, s.range_to, d.code, d.name, d.tax_code,
            s.notified_on::text AS notified_on, s.valid_from::text AS valid_from, s.valid_to::text AS valid_to, s.terminated_on::text AS terminated_on
       FROM series s JOIN departments d ON d.code = s.department_code
      WHERE s.notified_on IS NOT NULL AND s.valid_from IS NOT NULL AND s.valid_to IS NOT NULL
      ORDER BY d.code, s.template, s.symbol`,
  );
  return rows;
}

/** A registration and the message that carries it to the tax authority. */
const withMessage = `registrations r JOIN transmissions t ON t.document_type = 'registration' AND t.document_id = r.id::text`;
const registrationColumns = `r.id, r.data_id, r.kind, r.created_at, r.delegations, r.xml_sha256, t.status, t.reply_code, t.reply_text, t.replied_at, t.reply_type`;
export interface RegistrationRecord {
  id: string;
  data_id: string;
  kind: 1 | 2;
  created_at: Date;
  delegations: number;
  xml_sha256: string;
  status: TransmissionStatus;
  reply_code: string | null;
  reply_text: string | null;
  replied_at: Date | null;
  reply_type: number | null;
}
/** Registrations (one, when `id` is given), newest first, each with its message's status and the tax authority's reply. */
export async function registrationRecords(db: Queryable, id?: string): Promise<RegistrationRecord[]> {
  const { rows } = await db.query<RegistrationRecord>(
    `SELECT ${registrationColumns} FROM ${withMessage}
      WHERE ($1::uuid IS NULL OR r.id = $1) ORDER BY r.created_at DESC, r.data_id DESC`,
    [id ?? null],
  );
  return rows;
}

/** Makes registrations one at a time. */
export async function lockRegistrations(tx: Tx): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('registration'))`);
}

/** What the tax authority holds: the last registration it did not refuse (accepted, or still unanswered). */
export async function lastStandingRegistration(db: Queryable): Promise<{ created_at: Date; certificate: CertificateEntry } | undefined> {
  const { rows } = await db.query<{ created_at: Date; certificate: CertificateEntry }>(
    `SELECT r.created_at, r.certificate FROM ${withMessage}
        WHERE t.status <> 'rejected' ORDER BY r.created_at DESC LIMIT 1`,
  );
  return rows[0];
}

export async function insertRegistration(
  db: Queryable,
  r: { id: string; dataId: string; kind: 1 | 2; createdAt: Date; createdBy: string | null; delegations: number; certificate: CertificateEntry; xml: Buffer; xmlSha256: string },
): Promise<void> {
  await db.query(`INSERT INTO registrations (id, data_id, kind, created_at, created_by, delegations, certificate, xml, xml_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
    r.id,
    r.dataId,
    r.kind,
    r.createdAt,
    r.createdBy,
    r.delegations,
    r.certificate,
    r.xml,
    r.xmlSha256,
  ]);
}
