import { int8, type Queryable } from '../db/db.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import type { NoticeRecord, ReceiptRecord, VoucherRecord } from './record-fields.ts';

/** A stored signed document of a period, with its record. */
export type StoredDocument =
  | { type: 'daily-summary'; id: string; label: string; xml: Buffer; record: { business_date: string; department_code: string; supplement: number; data_id: string; xml_sha256: string } }
  | { type: 'receipt'; id: string; label: string; xml: Buffer; record: ReceiptRecord & { ledger: LedgerEntry[] } }
  | { type: 'refund-voucher'; id: string; label: string; xml: Buffer; record: VoucherRecord & { ledger: LedgerEntry[] } }
  | { type: 'error-notice'; id: string; label: string; xml: Buffer; record: NoticeRecord }
  | { type: 'registration'; id: string; label: string; xml: Buffer; record: { data_id: string; xml_sha256: string; created_at: Date } };

const PAGE = 500;
/** The key the audit trail records for an action on a row. */
const eventActor = (subjectType: string, alias: string, action: string) =>
  `(SELECT e.actor_key FROM audit_events e WHERE e.subject_type = '${subjectType}' AND e.subject_id = ${alias}.id::text AND e.action = '${action}' ORDER BY e.seq LIMIT 1)`;
const receiptIdentity = (alias: string, id: string) =>
  `(SELECT json_build_object('template', x.template, 'series', x.series, 'number', x.number, 'issuedAt', x.issued_at) FROM receipts x WHERE x.id = ${alias}.${id})`;

/** The ledger entries a receipt's issue, or a refund voucher, posted: read with the document, in the same statement. */
const ledgerOf = (column: 'receipt_id' | 'refund_id', entryType: 'receipt' | 'refund', alias: string) =>
  `(SELECT COALESCE(json_agg(json_build_object('kind', l.kind, 'collected', l.collected::text, 'refunded', l.refunded::text, 'center_share', l.center_share::text,
      'department_share', l.department_share::text, 'rate_bp', l.rate_bp) ORDER BY l.id), '[]') FROM ledger_entries l WHERE l.${column} = ${alias}.id AND l.entry_type = '${entryType}')`;

/** Amounts come as text inside the JSON (a JSON number past 2^53 would be rounded silently) and are read as int8 columns are. */
function ledgerEntries(raw: Array<Record<keyof LedgerEntry, string | number>>): LedgerEntry[] {
  return raw.map((e) => ({
    kind: e.kind as LedgerEntry['kind'],
    collected: int8(String(e.collected)),
    refunded: int8(String(e.refunded)),
    center_share: int8(String(e.center_share)),
    department_share: int8(String(e.department_share)),
    rate_bp: Number(e.rate_bp),
  }));
}

/**
 * The period's stored documents, each with everything its record says: the
 * row, its items, the series, the audit trail's record of the issue, and the
 * receipts it refers to. In pages, by id.
 */
const sources = [
  {
    type: 'receipt' as const,
    sql: `SELECT r.*, 'EBL01 ' || r.series || ' ' || r.number AS label, s.symbol AS series_symbol, s.department_code AS series_department,
                 (SELECT json_agg(json_build_object('line', i.line, 'feeCode', i.fee_code, 'name', i.name, 'kind', i.kind,
                     'quantity', i.quantity, 'unitPrice', i.unit_price, 'amount', i.amount) ORDER BY i.line)
                    FROM receipt_items i WHERE i.receipt_id = r.id) AS items,
                 (SELECT json_build_object('actorKey', e.actor_key, 'details', e.details) FROM audit_events e
                   WHERE e.subject_type = 'receipt' AND e.subject_id = r.id::text AND e.action = 'receipt.issued' ORDER BY e.seq LIMIT 1) AS issued_event,
                 ${receiptIdentity('r', 'replaces')} AS replaces_ref,
                 (SELECT n.id FROM receipts n WHERE n.replaces = r.id) AS replaced_by,
                 ${ledgerOf('receipt_id', 'receipt', 'r')} AS ledger
            FROM receipts r LEFT JOIN series s ON s.id = r.series_id
           WHERE r.issued_at >= $1 AND r.issued_at < $2 AND r.id > $3::uuid ORDER BY r.id LIMIT ${PAGE}`,
  },
  {
    type: 'refund-voucher' as const,
    sql: `SELECT f.*, f.voucher_xml AS xml, 'refund ' || f.id AS label, ${receiptIdentity('f', 'receipt_id')} AS receipt,
                 ${eventActor('refund', 'f', 'refund.requested')} AS requested_event_key, ${eventActor('refund', 'f', 'refund.approved')} AS approved_event_key,
                 (SELECT e.at FROM audit_events e WHERE e.subject_type = 'refund' AND e.subject_id = f.id::text AND e.action = 'refund.requested'
                   ORDER BY e.seq LIMIT 1) AS requested_event_at,
                 ${ledgerOf('refund_id', 'refund', 'f')} AS ledger
            FROM refunds f WHERE f.voucher_xml IS NOT NULL AND f.decided_at >= $1 AND f.decided_at < $2 AND f.id > $3::uuid ORDER BY f.id LIMIT ${PAGE}`,
  },
  {
    type: 'daily-summary' as const,
    sql: `SELECT data_id AS id, business_date::text AS business_date, department_code, supplement, data_id, xml, xml_sha256, 'summary ' || data_id AS label
            FROM daily_summaries WHERE business_date >= $1::date AND business_date <= $2::date AND data_id > $3
           ORDER BY 1 LIMIT ${PAGE}`,
    keyedByText: true,
  },
  {
    type: 'error-notice' as const,
    sql: `SELECT n.*, 'notice ' || n.id AS label, ${receiptIdentity('n', 'receipt_id')} AS receipt,
                 (SELECT COALESCE(e.details->>'issuedBy', e.actor_key::text) FROM audit_events e
                   WHERE e.subject_type = 'error_notice' AND e.subject_id = n.id::text AND e.action = 'error_notice.issued' LIMIT 1) AS issued_event_key
            FROM error_notices n WHERE n.issued_at >= $1 AND n.issued_at < $2 AND n.id > $3::uuid ORDER BY n.id LIMIT ${PAGE}`,
  },
  {
    type: 'registration' as const,
    sql: `SELECT id, data_id, xml, xml_sha256, created_at, 'registration ' || data_id AS label
            FROM registrations WHERE created_at >= $1 AND created_at < $2 AND id > $3::uuid ORDER BY id LIMIT ${PAGE}`,
  },
];

export async function* storedDocuments(db: Queryable, q: { from: string; to: string }): AsyncGenerator<StoredDocument> {
  const from = vietnamDayStart(q.from);
  const to = vietnamDayEnd(q.to);
  for (const source of sources) {
    const keyedByText = 'keyedByText' in source;
    let after = keyedByText ? '' : '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const params = keyedByText ? [q.from, q.to, after] : [from, to, after];
      const { rows } = await db.query<{ id: string; xml: Buffer; label: string }>(source.sql, params);
      for (const r of rows) {
        const record = 'ledger' in r ? { ...r, ledger: ledgerEntries(r.ledger as never) } : r;
        yield { type: source.type, id: r.id, label: r.label, xml: r.xml, record } as unknown as StoredDocument;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** How many documents of each kind a period holds (its days in Vietnam time). */
export async function periodDocumentCounts(db: Queryable, q: { from: string; to: string }): Promise<{ receipts: number; vouchers: number; notices: number; summaries: number; registrations: number }> {
  const from = vietnamDayStart(q.from);
  const to = vietnamDayEnd(q.to);
  const counts = await db.query<{ receipts: number; vouchers: number; notices: number; summaries: number; registrations: number }>(
    `SELECT (SELECT count(*) FROM receipts WHERE issued_at >= $1 AND issued_at < $2)::int AS receipts,
            (SELECT count(*) FROM refunds WHERE voucher_xml IS NOT NULL AND decided_at >= $1 AND decided_at < $2)::int AS vouchers,
            (SELECT count(*) FROM error_notices WHERE issued_at >= $1 AND issued_at < $2)::int AS notices,
            (SELECT count(*) FROM daily_summaries WHERE business_date >= $3::date AND business_date <= $4::date)::int AS summaries,
            (SELECT count(*) FROM registrations WHERE created_at >= $1 AND created_at < $2)::int AS registrations`,
    [from, to, q.from, q.to],
  );
  return counts.rows[0]!;
}

/**
 * Each day, department and kind whose daily aggregate (ledger_daily,
 * receipts_daily) differs from the sum of its entries, with the difference
 * in words.
 */
export async function aggregateMismatches(db: Queryable, from: string, to: string): Promise<Array<{ day: string; department_code: string; kind: string; problem: string }>> {
  const { rows } = await db.query<{ day: string; department_code: string; kind: string; problem: string }>(
    `WITH sums AS (
       SELECT business_date, department_code, kind, sum(CASE entry_type WHEN 'receipt' THEN 1 WHEN 'replacement_reversal' THEN -1 ELSE 0 END)::int AS receipts,
              sum(collected)::bigint AS collected, sum(refunded)::bigint AS refunded, sum(center_share)::bigint AS center_share, sum(department_share)::bigint AS department_share
         FROM ledger_entries WHERE business_date BETWEEN $1::date AND $2::date GROUP BY 1, 2, 3
     ), daily AS (SELECT * FROM ledger_daily WHERE business_date BETWEEN $1::date AND $2::date),
     counts AS (
       SELECT (issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date AS business_date, department_code, count(*)::int AS receipts
         FROM receipts WHERE issued_at >= $3 AND issued_at < $4 GROUP BY 1, 2
     ), replaced AS (
       SELECT (n.issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date AS business_date, o.department_code, count(*)::int AS receipts
         FROM receipts n JOIN receipts o ON o.id = n.replaces WHERE n.issued_at >= $3 AND n.issued_at < $4 GROUP BY 1, 2
     ), expected_counts AS (
       SELECT business_date, department_code, sum(receipts)::int AS receipts FROM (
         SELECT * FROM counts UNION ALL SELECT business_date, department_code, -receipts FROM replaced) x GROUP BY 1, 2
     )
     SELECT COALESCE(s.business_date, d.business_date)::text AS day, COALESCE(s.department_code, d.department_code) AS department_code,
            COALESCE(s.kind, d.kind) AS kind,
            format('ledger_daily says %s receipts, %s collected, %s refunded, %s center, %s department; its entries add up to %s, %s, %s, %s, %s',
                   d.receipts, d.collected, d.refunded, d.center_share, d.department_share,
                   s.receipts, s.collected, s.refunded, s.center_share, s.department_share) AS problem
       FROM sums s FULL JOIN daily d USING (business_date, department_code, kind)
      WHERE (s.receipts, s.collected, s.refunded, s.center_share, s.department_share)
            IS DISTINCT FROM (d.receipts, d.collected, d.refunded, d.center_share, d.department_share)
     UNION ALL
     SELECT COALESCE(e.business_date, d.business_date)::text, COALESCE(e.department_code, d.department_code), 'receipts',
            format('receipts_daily says %s receipts; %s were issued net of replacements', d.receipts, COALESCE(e.receipts, 0))
       FROM expected_counts e FULL JOIN (SELECT * FROM receipts_daily WHERE business_date BETWEEN $1::date AND $2::date) d USING (business_date, department_code)
      WHERE COALESCE(e.receipts, 0) IS DISTINCT FROM COALESCE(d.receipts, 0)
      ORDER BY 1, 2, 3`,
    [from, to, vietnamDayStart(from), vietnamDayEnd(to)],
  );
  return rows;
}

export interface LedgerEntry {
  kind: 'fee' | 'charge';
  collected: number;
  refunded: number;
  center_share: number;
  department_share: number;
  rate_bp: number;
}

/** The receipts issued on a Vietnamese day (of one department, when given), each with its total. */
export async function dayReceiptTotals(db: Queryable, date: string, department?: string): Promise<Array<{ template: string; series: string; number: number; total: number }>> {
  const { rows } = await db.query<{ template: string; series: string; number: number; total: number }>(
    `SELECT template, series, number, total FROM receipts
      WHERE issued_at >= $1 AND issued_at < $2 AND ($3::text IS NULL OR department_code = $3)`,
    [vietnamDayStart(date), vietnamDayEnd(date), department ?? null],
  );
  return rows;
}

export interface RecordedReceipt {
  xml: Buffer;
  total: number;
  issued_at: Date;
  status: string;
  /** What approved refunds paid back of it. */
  refunded: number;
  replaced_by: { template: string; series: string; number: number; issuedAt: string } | null;
}

/** A receipt found by its template, series and number, with what happened to it since: refunds, a replacement. */
export async function receiptByNumber(db: Queryable, template: string, series: string, number: number): Promise<RecordedReceipt | undefined> {
  const { rows } = await db.query<RecordedReceipt>(
    `SELECT r.xml, r.total, r.issued_at, r.status,
                  (SELECT COALESCE(sum(f.amount), 0) FROM refunds f WHERE f.receipt_id = r.id AND f.status = 'approved')::bigint AS refunded,
                  (SELECT json_build_object('template', n.template, 'series', n.series, 'number', n.number, 'issuedAt', n.issued_at)
                     FROM receipts n WHERE n.replaces = r.id) AS replaced_by
             FROM receipts r WHERE r.template = $1 AND r.series = $2 AND r.number = $3`,
    [template, series, number],
  );
  return rows[0];
}

export async function refundVoucher(db: Queryable, id: string): Promise<{ voucher_xml: Buffer | null; amount: number } | undefined> {
  const { rows } = await db.query<{ voucher_xml: Buffer | null; amount: number }>('SELECT voucher_xml, amount FROM refunds WHERE id = $1::uuid', [id]);
  return rows[0];
}

export async function errorNoticeXml(db: Queryable, id: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM error_notices WHERE id = $1::uuid', [id]);
  return rows[0]?.xml;
}

/** A daily summary found by its data Id (BTHDLieu's Id). */
export async function summaryByDataId(db: Queryable, dataId: string): Promise<{ xml: Buffer; business_date: string; department_code: string; supplement: number } | undefined> {
  const { rows } = await db.query<{ xml: Buffer; business_date: string; department_code: string; supplement: number }>(
    'SELECT xml, business_date::text AS business_date, department_code, supplement FROM daily_summaries WHERE data_id = $1',
    [dataId],
  );
  return rows[0];
}

/** A registration's signed XML, found by its data Id. */
export async function registrationXmlByDataId(db: Queryable, dataId: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM registrations WHERE data_id = $1', [dataId]);
  return rows[0]?.xml;
}
