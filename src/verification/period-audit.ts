import { createHash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { centerPart } from '../shares/split.ts';
import { vietnamDayEnd, vietnamDayStart, wholeSecond } from '../time/vietnam.ts';
import type { VerificationPool } from './pool.ts';
import { noticeDifferences, receiptDifferences, voucherDifferences, type NoticeRecord, type ReceiptRecord, type VoucherRecord } from './record-fields.ts';
import { signedNoticeFields, signedReceiptFields, signedVoucherFields } from './signed-fields.ts';
import { summaryCompleteness } from './summary-completeness.ts';
import type { VerificationResult } from './verifier.ts';

export interface AuditFinding {
  type: 'receipt' | 'refund-voucher' | 'error-notice' | 'daily-summary' | 'registration' | 'ledger-aggregate';
  id: string;
  label: string;
  problems: string[];
}

export interface PeriodAudit {
  from: string;
  to: string;
  documents: { receipts: number; refundVouchers: number; errorNotices: number; dailySummaries: number; registrations: number };
  valid: number;
  invalid: number;
  findings: AuditFinding[];
  workers: number;
  durationMs: number;
}

type StoredDocument =
  | { type: 'daily-summary'; id: string; label: string; xml: Buffer; record: { business_date: string; department_code: string; supplement: number; data_id: string; xml_sha256: string } }
  | { type: 'receipt'; id: string; label: string; xml: Buffer; record: ReceiptRecord }
  | { type: 'refund-voucher'; id: string; label: string; xml: Buffer; record: VoucherRecord }
  | { type: 'error-notice'; id: string; label: string; xml: Buffer; record: NoticeRecord }
  | { type: 'registration'; id: string; label: string; xml: Buffer; record: { data_id: string; xml_sha256: string; created_at: Date } };

const PAGE = 500;
/** The key the audit trail records for an action on a row. */
const eventActor = (subjectType: string, alias: string, action: string) =>
  `(SELECT e.actor_key FROM audit_events e WHERE e.subject_type = '${subjectType}' AND e.subject_id = ${alias}.id::text AND e.action = '${action}' ORDER BY e.seq LIMIT 1)`;
const receiptIdentity = (alias: string, id: string) =>
  `(SELECT json_build_object('template', x.template, 'series', x.series, 'number', x.number, 'issuedAt', x.issued_at) FROM receipts x WHERE x.id = ${alias}.${id})`;

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
                 (SELECT n.id FROM receipts n WHERE n.replaces = r.id) AS replaced_by
            FROM receipts r LEFT JOIN series s ON s.id = r.series_id
           WHERE r.issued_at >= $1 AND r.issued_at < $2 AND r.id > $3::uuid ORDER BY r.id LIMIT ${PAGE}`,
  },
  {
    type: 'refund-voucher' as const,
    sql: `SELECT f.*, f.voucher_xml AS xml, 'refund ' || f.id AS label, ${receiptIdentity('f', 'receipt_id')} AS receipt,
                 ${eventActor('refund', 'f', 'refund.requested')} AS requested_event_key, ${eventActor('refund', 'f', 'refund.approved')} AS approved_event_key,
                 (SELECT e.at FROM audit_events e WHERE e.subject_type = 'refund' AND e.subject_id = f.id::text AND e.action = 'refund.requested'
                   ORDER BY e.seq LIMIT 1) AS requested_event_at
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

async function* storedDocuments(db: Queryable, q: { from: string; to: string }): AsyncGenerator<StoredDocument> {
  const from = vietnamDayStart(q.from);
  const to = vietnamDayEnd(q.to);
  for (const source of sources) {
    const keyedByText = 'keyedByText' in source;
    let after = keyedByText ? '' : '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const params = keyedByText ? [q.from, q.to, after] : [from, to, after];
      const { rows } = await db.query<{ id: string; xml: Buffer; label: string }>(source.sql, params);
      for (const r of rows) yield { type: source.type, id: r.id, label: r.label, xml: r.xml, record: r } as unknown as StoredDocument;
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** Every field of the record against the signed document. */
async function recordProblems(db: Queryable, doc: StoredDocument, result: VerificationResult): Promise<string[]> {
  if (!result.signedData) return [];
  const signingTime = result.signingTime ? new Date(result.signingTime) : null;
  const sha256 = createHash('sha256').update(doc.xml).digest('hex');
  switch (doc.type) {
    case 'daily-summary': {
      const r = doc.record;
      const q = { date: r.business_date, department: r.department_code || undefined, supplement: r.supplement };
      const problems = [];
      if (r.xml_sha256 !== sha256) problems.push(`xmlSha256: the record says "${r.xml_sha256}"; the stored summary hashes to "${sha256}"`);
      if (result.document?.dataId !== r.data_id) problems.push(`id: the record is the summary ${r.data_id}; the signed document is ${result.document?.dataId}`);
      if (r.department_code && result.document?.day !== r.business_date) problems.push(`date: the record says ${r.business_date}; the signed summary reports ${result.document?.day}`);
      if (r.department_code && result.document?.supplement !== r.supplement) problems.push(`supplement: the record says ${r.supplement}; the signed summary says ${result.document?.supplement}`);
      const incomplete = await summaryCompleteness(db, q, result.document?.receipts ?? []);
      if (incomplete) problems.push(`receipts: the summary ${incomplete}`);
      return problems;
    }
    case 'receipt':
      return receiptDifferences(doc.record, signedReceiptFields(result.signedData), signingTime, sha256);
    case 'refund-voucher':
      return voucherDifferences(doc.record, signedVoucherFields(result.signedData), signingTime, sha256);
    case 'error-notice':
      return noticeDifferences(doc.record, signedNoticeFields(result.signedData), signingTime, sha256);
    case 'registration': {
      const r = doc.record;
      const problems = [];
      if (r.xml_sha256 !== sha256) problems.push(`xmlSha256: the record says "${r.xml_sha256}"; the stored registration hashes to "${sha256}"`);
      if (result.document?.dataId !== r.data_id) problems.push(`id: the record is the registration ${r.data_id}; the signed document is ${result.document?.dataId}`);
      if (signingTime && wholeSecond(r.created_at).getTime() !== signingTime.getTime()) {
        problems.push(`signingTime: the record was made at ${r.created_at.toISOString()}; the signature claims ${signingTime.toISOString()}`);
      }
      return problems;
    }
  }
}

/**
 * The reports read the daily aggregates, not the entries: each day's
 * aggregate must be the sum of that day's entries, and its receipt count the
 * count of its receipts.
 */
async function aggregateFindings(db: Queryable, from: string, to: string): Promise<AuditFinding[]> {
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
  return rows.map((r) => ({ type: 'ledger-aggregate' as const, id: `${r.day}/${r.department_code}/${r.kind}`, label: `aggregate ${r.day} ${r.department_code} ${r.kind}`, problems: [r.problem] }));
}

/** The ledger must say what the signed document says: amounts per kind, and the center's part at the recorded rate. */
async function ledgerProblems(db: Queryable, doc: StoredDocument, result: VerificationResult): Promise<string[]> {
  const parts = result.document?.parts;
  if (!parts || (doc.type !== 'receipt' && doc.type !== 'refund-voucher')) return [];
  const column = doc.type === 'receipt' ? 'receipt_id' : 'refund_id';
  const entryType = doc.type === 'receipt' ? 'receipt' : 'refund';
  const { rows } = await db.query<{ kind: 'fee' | 'charge'; collected: number; refunded: number; center_share: number; department_share: number; rate_bp: number }>(
    `SELECT kind, collected, refunded, center_share, department_share, rate_bp FROM ledger_entries WHERE ${column} = $1 AND entry_type = $2`,
    [doc.id, entryType],
  );
  const problems: string[] = [];
  for (const kind of ['fee', 'charge'] as const) {
    const signed = parts[kind];
    const entry = rows.find((r) => r.kind === kind);
    const posted = entry ? (doc.type === 'receipt' ? entry.collected : entry.refunded) : 0;
    if (posted !== signed) problems.push(`ledger: ${kind} posted ${posted}, signed ${signed}`);
    if (entry && doc.type === 'receipt' && entry.center_share !== centerPart(entry.collected, entry.rate_bp)) {
      problems.push(`ledger: ${kind} center share ${entry.center_share} is not floor(${entry.collected} × ${entry.rate_bp} bp)`);
    }
    if (entry && entry.center_share + entry.department_share !== entry.collected - entry.refunded) problems.push(`ledger: ${kind} shares do not add up`);
  }
  return problems;
}

/**
 * Re-verifies every stored document of a period (receipts, refund vouchers,
 * error notices, daily summaries, registrations) against its signature, on every thread of the pool; compares
 * every field of each record with what its signed document says (or, where no
 * document says it, with the audit trail); checks the ledger against each
 * signed document, and the daily aggregates the reports read against the
 * ledger.
 */
export async function auditPeriod(
  db: Queryable,
  q: { from: string; to: string },
  opts: { pool: VerificationPool; trustDir: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<PeriodAudit> {
  const started = performance.now();
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
  const c = counts.rows[0]!;
  const total = c.receipts + c.vouchers + c.notices + c.summaries + c.registrations;
  const size = opts.pool.size;
  const findings: AuditFinding[] = [];
  let done = 0;
  let valid = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const doc of storedDocuments(db, q)) {
      const task = opts.pool.verify(doc.xml, { trustDir: opts.trustDir, now: opts.now, keepSignedData: true }).then(async (result) => {
        const problems = [
          ...result.checks.filter((ch) => !ch.passed).map((ch) => `${ch.name}: ${ch.reason}`),
          ...(await recordProblems(db, doc, result)),
          ...(result.valid ? await ledgerProblems(db, doc, result) : []),
        ];
        if (problems.length === 0) valid++;
        else findings.push({ type: doc.type, id: doc.id, label: doc.label, problems });
        opts.onProgress?.(++done, total);
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= size * 64) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    findings.push(...(await aggregateFindings(db, q.from, q.to)));
  } finally {
    // A failed audit leaves nothing running behind it.
    await Promise.allSettled(inFlight);
  }
  findings.sort((a, b) => a.label.localeCompare(b.label));
  return {
    from: q.from,
    to: q.to,
    documents: { receipts: c.receipts, refundVouchers: c.vouchers, errorNotices: c.notices, dailySummaries: c.summaries, registrations: c.registrations },
    valid,
    invalid: findings.length,
    findings,
    workers: size,
    durationMs: Math.round(performance.now() - started),
  };
}
