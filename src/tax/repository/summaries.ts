import type { Queryable, Tx } from '../../db/db.ts';
import { vietnamDayEnd, vietnamDayStart } from '../../time/vietnam.ts';
import type { SummaryRow } from '../daily-summary.ts';

// Daily summaries 01/TH-BLĐT: the receipts they report, the rows they reported, their numbers and locks.

export const summaryColumns = `id, data_id, business_date::text AS business_date, department_code, supplement, sequence, receipts, created_at, xml_sha256, resends`;
export interface SummaryRecord {
  id: string;
  data_id: string;
  business_date: string;
  department_code: string;
  supplement: number;
  sequence: number;
  receipts: number;
  created_at: Date;
  xml_sha256: string;
  resends: string | null;
}

export interface DayReceiptRow {
  id: string;
  department_code: string;
  department_name: string;
  tax_code: string;
  template: string;
  series: string;
  number: number;
  issued_at: Date;
  payer_name: string;
  fee: number;
  charge: number;
  total: number;
  status: SummaryRow['status'];
  names: string;
  notices: number;
  replaces: SummaryRow['replaces'];
  replaced_by: SummaryRow['replacedBy'];
}

/** Each receipt issued on a Vietnamese calendar day (of one department, when given), with its items summed and its related receipts; by department and number. */
export async function receiptsOfDay(db: Queryable, date: string, department?: string): Promise<DayReceiptRow[]> {
  const { rows } = await db.query<DayReceiptRow>(
    `SELECT r.id, r.department_code, r.department_name, r.department_tax_code AS tax_code, r.template, r.series, r.number, r.issued_at,
            r.payer->>'name' AS payer_name, r.total, r.status,
            COALESCE(sum(i.amount) FILTER (WHERE i.kind = 'fee'), 0)::bigint AS fee,
            COALESCE(sum(i.amount) FILTER (WHERE i.kind = 'charge'), 0)::bigint AS charge,
            string_agg(i.name, '; ' ORDER BY i.line) AS names,
            (SELECT count(*) FROM error_notices e WHERE e.receipt_id = r.id)::int AS notices,
            (SELECT json_build_object('template', o.template, 'series', o.series, 'number', o.number) FROM receipts o WHERE o.id = r.replaces) AS replaces,
            (SELECT json_build_object('template', n.template, 'series', n.series, 'number', n.number) FROM receipts n WHERE n.replaces = r.id) AS replaced_by
       FROM receipts r JOIN receipt_items i ON i.receipt_id = r.id
      WHERE r.issued_at >= $1 AND r.issued_at < $2 AND ($3::text IS NULL OR r.department_code = $3)
      GROUP BY r.id
      ORDER BY r.department_code, r.template, r.series, r.number`,
    [vietnamDayStart(date), vietnamDayEnd(date), department ?? null],
  );
  return rows;
}

/**
 * Waits for every issuer holding a series row lock (see issuingBarrier in
 * daily-summary.ts); let go when the caller's transaction ends.
 */
export async function lockSeriesTable(tx: Tx): Promise<void> {
  await tx.query('LOCK TABLE series IN EXCLUSIVE MODE');
}

/** Makes one day's summaries one request at a time. */
export async function lockSummaryDay(tx: Tx, date: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`summary:${date}`]);
}

/** Takes a department's summary numbers (Số) one summary at a time, whichever day is being made. */
export async function lockSummaryNumbers(tx: Tx, department: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`summary-number:${department}`]);
}

/** Clears the day's mark that a reported receipt changed since. */
export async function clearSummaryDue(db: Queryable, date: string): Promise<void> {
  await db.query('DELETE FROM summary_due WHERE business_date = $1', [date]);
}

/** The latest state each receipt of the day was reported in, by receipt id. */
export async function reportedStates(db: Queryable, date: string, department: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ receipt_id: string; state: string }>(
    `SELECT DISTINCT ON (sr.receipt_id) sr.receipt_id, sr.state
       FROM summary_rows sr JOIN daily_summaries s ON s.id = sr.summary_id
      WHERE s.business_date = $1 AND s.department_code = $2
      ORDER BY sr.receipt_id, s.supplement DESC`,
    [date, department],
  );
  return new Map(rows.map((r) => [r.receipt_id, r.state]));
}

/** The day's last supplement number (null: no summary yet) and the department's last summary number (Số). */
export async function lastSummaryNumbers(db: Queryable, date: string, department: string): Promise<{ supplements: number | null; sequence: number | null }> {
  const { rows } = await db.query<{ supplements: number | null; sequence: number | null }>(
    `SELECT (SELECT max(supplement) FROM daily_summaries WHERE business_date = $1 AND department_code = $2) AS supplements,
                (SELECT max(sequence) FROM daily_summaries WHERE department_code = $2) AS sequence`,
    [date, department],
  );
  return rows[0]!;
}

export async function insertSummary(
  db: Queryable,
  s: {
    id: string;
    dataId: string;
    date: string;
    department: string;
    supplement: number;
    sequence: number;
    createdAt: Date;
    createdBy: string | null;
    receipts: number;
    xml: Buffer;
    xmlSha256: string;
    resends: string | null;
  },
): Promise<SummaryRecord> {
  const { rows } = await db.query<SummaryRecord>(
    `INSERT INTO daily_summaries (id, data_id, business_date, department_code, supplement, sequence, created_at, created_by, receipts, xml, xml_sha256, resends)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${summaryColumns}`,
    [s.id, s.dataId, s.date, s.department, s.supplement, s.sequence, s.createdAt, s.createdBy, s.receipts, s.xml, s.xmlSha256, s.resends],
  );
  return rows[0]!;
}

/** Records the state (see rowState) each receipt is reported in by a summary. */
export async function insertSummaryRows(db: Queryable, summaryId: string, receiptIds: string[], states: string[]): Promise<void> {
  await db.query(`INSERT INTO summary_rows (summary_id, receipt_id, state) SELECT $1, x.receipt_id, x.state FROM unnest($2::uuid[], $3::text[]) AS x(receipt_id, state)`, [
    summaryId,
    receiptIds,
    states,
  ]);
}

/** A summary's day and department; undefined when there is none. */
export async function summaryDay(db: Queryable, id: string): Promise<{ business_date: string; department_code: string } | undefined> {
  const { rows } = await db.query<{ business_date: string; department_code: string }>('SELECT business_date::text AS business_date, department_code FROM daily_summaries WHERE id = $1', [id]);
  return rows[0];
}

/** Where a summary stands with the tax authority: its message's status and reply, and the supplement that re-sent it, if any. */
export async function summaryResendState(db: Queryable, id: string): Promise<{ data_id: string; status: string | null; reply_text: string | null; resent_by: string | null } | undefined> {
  const { rows } = await db.query<{ data_id: string; status: string | null; reply_text: string | null; resent_by: string | null }>(
    `SELECT s.data_id, t.status, t.reply_text, (SELECT b.data_id FROM daily_summaries b WHERE b.resends = s.id) AS resent_by
         FROM daily_summaries s LEFT JOIN transmissions t ON t.document_type = 'daily-summary' AND t.document_id = s.id::text
        WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

/** The receipts a summary reported. */
export async function summaryReceiptIds(db: Queryable, summaryId: string): Promise<string[]> {
  const { rows } = await db.query<{ receipt_id: string }>('SELECT receipt_id FROM summary_rows WHERE summary_id = $1', [summaryId]);
  return rows.map((r) => r.receipt_id);
}

/** The days before `today` with receipts never reported, or marked due since they were; oldest first. */
export async function daysToReport(db: Queryable, today: string): Promise<string[]> {
  const { rows } = await db.query<{ day: string }>(
    `SELECT DISTINCT (((r.issued_at AT TIME ZONE 'UTC') + interval '7 hours')::date)::text AS day
       FROM receipts r
      WHERE r.issued_at < $1 AND NOT EXISTS (SELECT 1 FROM summary_rows sr WHERE sr.receipt_id = r.id)
     UNION
     SELECT business_date::text FROM summary_due WHERE business_date < $2::date
     ORDER BY 1`,
    [vietnamDayStart(today), today],
  );
  return rows.map((r) => r.day);
}

/** The first summary (not a supplement) of a day and department, as signed. */
export async function firstSummaryXml(db: Queryable, date: string, department: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM daily_summaries WHERE business_date = $1 AND department_code = $2 AND supplement = 0', [date, department]);
  return rows[0]?.xml;
}

/** The year of the earliest series; null when there is none. */
export async function firstSeriesYear(db: Queryable): Promise<number | null | undefined> {
  const { rows } = await db.query<{ year: number | null }>('SELECT min(year)::int AS year FROM series');
  return rows[0]?.year;
}

/** One department's summaries (the whole-center rows have no department), newest data id first, below `before`. */
export async function listSummaryRecords(db: Queryable, q: { date?: string; department?: string; before?: string; limit: number }): Promise<SummaryRecord[]> {
  const { rows } = await db.query<SummaryRecord>(
    `SELECT ${summaryColumns} FROM daily_summaries
      WHERE department_code <> '' AND ($1::date IS NULL OR business_date = $1) AND ($2::text IS NULL OR department_code = $2)
        AND ($3::text IS NULL OR data_id < $3)
      ORDER BY data_id DESC LIMIT $4`,
    [q.date ?? null, q.department ?? null, q.before ?? null, q.limit],
  );
  return rows;
}

/** A stored signed document's bytes and data id, or null. */
export async function storedXml(db: Queryable, table: 'daily_summaries' | 'registrations', id: string): Promise<{ xml: Buffer; dataId: string } | null> {
  const { rows } = await db.query<{ xml: Buffer; data_id: string }>(`SELECT xml, data_id FROM ${table} WHERE id = $1`, [id]);
  return rows[0] ? { xml: rows[0].xml, dataId: rows[0].data_id } : null;
}
