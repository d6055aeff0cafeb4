import { randomUUID } from 'node:crypto';
import type { Queryable, Tx } from '../db/db.ts';
import { vietnamDate } from '../time/vietnam.ts';
import type { Receipt, ReceiptItem } from './schemas.ts';

interface ReceiptRow {
  seq: number;
  id: string;
  template: 'EBL01';
  series: string;
  number: number;
  department_code: string;
  department_name: string;
  department_tax_code: string;
  issued_at: Date;
  payer: Receipt['payer'];
  payment_method: Receipt['paymentMethod'];
  dossier_code: string | null;
  total: number;
  total_in_words: string;
  lookup_code: string;
  status: Receipt['status'];
  counter_code: string | null;
  xml_sha256: string;
  shares: { center: number | string; department: number | string };
  replacement_reason: string | null;
  replaces: ReferenceJson | null;
  replaced_by: ReferenceJson | null;
  refunds: { approved: number | string; pending: number | string };
  history: Array<{ at: string; event: Receipt['history'][number]['event']; ref: string; amount: number | string | null }>;
  items: Array<{ line: number; fee_code: string | null; name: string; kind: 'fee' | 'charge'; quantity: number; unit_price: number; amount: number }>;
}

const SELECT_RECEIPT = `
  SELECT r.seq, r.id, r.template, r.series, r.number, r.department_code, r.department_name, r.department_tax_code, r.issued_at,
         r.payer, r.payment_method, r.dossier_code, r.total, r.total_in_words, r.lookup_code, r.status,
         r.counter_code, r.xml_sha256,
         (SELECT json_build_object('center', sum(e.center_share), 'department', sum(e.department_share))
            FROM ledger_entries e WHERE e.receipt_id = r.id AND e.entry_type = 'receipt') AS shares,
         r.replacement_reason,
         (SELECT json_build_object('id', o.id, 'template', o.template, 'series', o.series, 'number', o.number, 'issuedAt', o.issued_at)
            FROM receipts o WHERE o.id = r.replaces) AS replaces,
         (SELECT json_build_object('id', n.id, 'template', n.template, 'series', n.series, 'number', n.number, 'issuedAt', n.issued_at)
            FROM receipts n WHERE n.replaces = r.id) AS replaced_by,
         (SELECT json_build_object('approved', COALESCE(sum(f.amount) FILTER (WHERE f.status = 'approved'), 0),
                                   'pending', COALESCE(sum(f.amount) FILTER (WHERE f.status = 'pending'), 0))
            FROM refunds f WHERE f.receipt_id = r.id) AS refunds,
         (SELECT json_agg(h ORDER BY h.at, h.ord) FROM (
             SELECT r.issued_at AS at, 0 AS ord, 'issued' AS event, r.id AS ref, r.total AS amount
             UNION ALL SELECT f.requested_at, 1, 'refund_requested', f.id, f.amount FROM refunds f WHERE f.receipt_id = r.id
             UNION ALL SELECT f.decided_at, 2, 'refund_' || f.status, f.id, f.amount FROM refunds f
                        WHERE f.receipt_id = r.id AND f.status <> 'pending'
             UNION ALL SELECT n.issued_at, 3, 'replaced', n.id, n.total FROM receipts n WHERE n.replaces = r.id
             UNION ALL SELECT x.issued_at, 4, 'error_notice', x.id, NULL FROM error_notices x WHERE x.receipt_id = r.id
             UNION ALL SELECT c.requested_at, 5, c.kind || '_requested', c.id, NULL FROM correction_requests c WHERE c.receipt_id = r.id
             UNION ALL SELECT c.decided_at, 6, c.kind || '_rejected', c.id, NULL FROM correction_requests c
                        WHERE c.receipt_id = r.id AND c.status = 'rejected'
           ) h) AS history,
         (SELECT json_agg(json_build_object('line', i.line, 'fee_code', i.fee_code, 'name', i.name, 'kind', i.kind,
                  'quantity', i.quantity, 'unit_price', i.unit_price, 'amount', i.amount) ORDER BY i.line)
            FROM receipt_items i WHERE i.receipt_id = r.id) AS items
    FROM receipts r`;

interface ReferenceJson {
  id: string;
  template: string;
  series: string;
  number: number;
  issuedAt: string;
}

/** json_build_object renders timestamps in the session's time zone; normalise to ISO UTC. */
const reference = (j: ReferenceJson | null) => (j ? { id: j.id, template: j.template, series: j.series, number: j.number, issueDate: vietnamDate(new Date(j.issuedAt)) } : null);

const view = (r: ReceiptRow): Receipt => ({
  id: r.id,
  template: r.template,
  series: r.series,
  number: r.number,
  issuedAt: r.issued_at.toISOString(),
  issueDate: vietnamDate(r.issued_at),
  department: { code: r.department_code, name: r.department_name, taxCode: r.department_tax_code },
  payer: r.payer,
  paymentMethod: r.payment_method,
  dossierCode: r.dossier_code,
  items: r.items.map((i) => ({
    line: i.line,
    feeCode: i.fee_code,
    name: i.name,
    kind: i.kind,
    quantity: i.quantity,
    unitPrice: Number(i.unit_price),
    amount: Number(i.amount),
  })),
  total: r.total,
  totalInWords: r.total_in_words,
  lookupCode: r.lookup_code,
  status: r.status,
  counter: r.counter_code,
  xmlSha256: r.xml_sha256,
  shares: { center: Number(r.shares.center), department: Number(r.shares.department) },
  replaces: reference(r.replaces),
  replacementReason: r.replacement_reason,
  replacedBy: reference(r.replaced_by),
  refunds: {
    approved: Number(r.refunds.approved),
    pending: Number(r.refunds.pending),
    refundable: r.status === 'replaced' ? 0 : r.total - Number(r.refunds.approved) - Number(r.refunds.pending),
  },
  history: r.history.map((h) => ({
    at: new Date(h.at).toISOString(),
    event: h.event,
    id: h.ref,
    amount: h.amount === null ? null : Number(h.amount),
  })),
});

export interface NewReceipt {
  id: string;
  seriesId: number;
  template: string;
  series: string;
  number: number;
  department: { code: string; name: string; taxCode: string };
  issuedAt: Date;
  payer: Receipt['payer'];
  paymentMethod: Receipt['paymentMethod'];
  dossierCode: string | null;
  total: number;
  totalInWords: string;
  lookupCode: string;
  counter: string | null;
  issuedBy: string;
  xml: Buffer;
  xmlSha256: string;
  items: ReceiptItem[];
  replaces: { id: string; reason: string } | null;
}

/**
 * Stores signed receipts of one series and their items, and advances the
 * series' counter past the last of them, in one statement.
 */
export async function insertReceipts(db: Queryable, receipts: readonly NewReceipt[]): Promise<void> {
  const column = <T>(pick: (r: NewReceipt) => T) => receipts.map(pick);
  const items = receipts.flatMap((r) => r.items.map((i) => ({ id: r.id, ...i })));
  const itemColumn = <T>(pick: (i: (typeof items)[number]) => T) => items.map(pick);
  await db.query(
    `WITH receipt AS (
       INSERT INTO receipts (id, series_id, template, series, number, department_code, issued_at, payer, payment_method,
         dossier_code, total, total_in_words, lookup_code, counter_code, issued_by, xml, xml_sha256, replaces, replacement_reason,
         department_name, department_tax_code)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], $7::timestamptz[], $8::jsonb[],
         $9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::uuid[], $16::bytea[], $17::text[],
         $18::uuid[], $19::text[], $20::text[], $21::text[])
       RETURNING id, series_id, number
     ), items AS (
       INSERT INTO receipt_items (receipt_id, line, fee_code, name, kind, quantity, unit_price, amount)
       SELECT * FROM unnest($22::uuid[], $23::int[], $24::text[], $25::text[], $26::text[], $27::int[], $28::bigint[], $29::bigint[])
     )
     UPDATE series SET next_number = last.number + 1
       FROM (SELECT series_id, max(number) AS number FROM receipt GROUP BY series_id) last
      WHERE series.id = last.series_id`,
    [
      column((r) => r.id),
      column((r) => r.seriesId),
      column((r) => r.template),
      column((r) => r.series),
      column((r) => r.number),
      column((r) => r.department.code),
      column((r) => r.issuedAt),
      column((r) => JSON.stringify(r.payer)),
      column((r) => r.paymentMethod),
      column((r) => r.dossierCode),
      column((r) => r.total),
      column((r) => r.totalInWords),
      column((r) => r.lookupCode),
      column((r) => r.counter),
      column((r) => r.issuedBy),
      column((r) => r.xml),
      column((r) => r.xmlSha256),
      column((r) => r.replaces?.id ?? null),
      column((r) => r.replaces?.reason ?? null),
      column((r) => r.department.name),
      column((r) => r.department.taxCode),
      itemColumn((i) => i.id),
      itemColumn((i) => i.line),
      itemColumn((i) => i.feeCode),
      itemColumn((i) => i.name),
      itemColumn((i) => i.kind),
      itemColumn((i) => i.quantity),
      itemColumn((i) => i.unitPrice),
      itemColumn((i) => i.amount),
    ],
  );
}

export async function getReceipt(db: Queryable, id: string): Promise<Receipt | null> {
  const { rows } = await db.query<ReceiptRow>(`${SELECT_RECEIPT} WHERE r.id = $1::uuid`, [id]);
  return rows[0] ? view(rows[0]) : null;
}

/** The receipt a citizen's lookup code names, or null. */
export async function getReceiptByLookupCode(db: Queryable, code: string): Promise<Receipt | null> {
  const { rows } = await db.query<ReceiptRow>(`${SELECT_RECEIPT} WHERE r.lookup_code = $1`, [code]);
  return rows[0] ? view(rows[0]) : null;
}

export async function getReceiptXml(db: Queryable, id: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM receipts WHERE id = $1::uuid', [id]);
  return rows[0]?.xml ?? null;
}

export interface ReceiptFilter {
  department?: string;
  series?: string;
  status?: string;
  from?: Date;
  to?: Date;
  /** A receipt number, or part of the payer's name or of the dossier code (case ignored). */
  text?: string;
  beforeSeq?: number;
  limit: number;
}

/** Newest first; the cursor is the last row's seq. */
export async function listReceipts(db: Queryable, f: ReceiptFilter): Promise<Array<{ seq: number; receipt: Receipt }>> {
  const { rows } = await db.query<ReceiptRow>(
    `${SELECT_RECEIPT}
      WHERE ($1::text IS NULL OR r.department_code = $1) AND ($2::text IS NULL OR r.series = $2)
        AND ($3::text IS NULL OR r.status = $3) AND ($4::timestamptz IS NULL OR r.issued_at >= $4)
        AND ($5::timestamptz IS NULL OR r.issued_at < $5) AND ($6::bigint IS NULL OR r.seq < $6)
        AND ($8::text IS NULL OR ($8 ~ '^[0-9]{1,8}$' AND r.number = $8::bigint)
             OR position(lower($8) in lower(r.payer->>'name')) > 0 OR position(lower($8) in lower(COALESCE(r.dossier_code, ''))) > 0)
      ORDER BY r.seq DESC LIMIT $7`,
    [f.department ?? null, f.series ?? null, f.status ?? null, f.from ?? null, f.to ?? null, f.beforeSeq ?? null, f.limit, f.text ?? null],
  );
  return rows.map((r) => ({ seq: Number(r.seq), receipt: view(r) }));
}

export interface LockedReceipt {
  id: string;
  status: Receipt['status'];
  template: string;
  series: string;
  number: number;
  department_code: string;
  issued_at: Date;
  total: number;
  lookup_code: string;
  payer: Receipt['payer'];
  total_in_words: string;
  counter_code: string | null;
  dossier_code: string | null;
  payment_method: Receipt['paymentMethod'];
}

/**
 * Locks a receipt for a correction: refund requests, approvals and
 * replacements of one receipt run one at a time, so what is left to refund
 * is never read twice.
 */
export async function lockReceipt(db: Tx, id: string): Promise<LockedReceipt | null> {
  const { rows } = await db.query<LockedReceipt>(
    `SELECT id, status, template, series, number, department_code, issued_at, total, lookup_code, payer, total_in_words, counter_code,
            dossier_code, payment_method
       FROM receipts WHERE id = $1::uuid FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** Marks a receipt replaced; its signed bytes stay as they are. */
export async function markReceiptReplaced(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE receipts SET status = 'replaced' WHERE id = $1`, [id]);
}

/**
 * Queues a mail to the payer in the caller's transaction (mail/sender.ts
 * sends it): part of issuing, so a receipt and its mail commit together. A receipt's mail
 * goes to the address given at issue; an error notice's to the address its
 * receipt was sent to, if any (else nothing is queued).
 */
export async function queueMail(
  tx: Queryable,
  m: { kind: 'receipt'; receiptId: string; address: string; now: Date } | { kind: 'error-notice'; receiptId: string; noticeId: string; now: Date },
): Promise<void> {
  if (m.kind === 'receipt') {
    await tx.query(`INSERT INTO mail_outbox (id, kind, receipt_id, address, created_at, next_attempt_at) VALUES ($1, 'receipt', $2, $3, $4, $4)`, [randomUUID(), m.receiptId, m.address, m.now]);
    return;
  }
  await tx.query(
    `INSERT INTO mail_outbox (id, kind, receipt_id, notice_id, address, created_at, next_attempt_at)
     SELECT $1, 'error-notice', $2, $3, address, $4, $4 FROM mail_outbox WHERE receipt_id = $2 AND kind = 'receipt' ORDER BY seq DESC LIMIT 1`,
    [randomUUID(), m.receiptId, m.noticeId, m.now],
  );
}

/** Holds every series (see holds.ts): called on a database just restored from a backup. Returns how many were newly held. */
export async function holdAllSeries(db: Queryable, reason: string): Promise<number> {
  const { rowCount } = await db.query('INSERT INTO series_holds (series_id, reason) SELECT id, $1 FROM series ON CONFLICT (series_id) DO NOTHING', [reason]);
  return rowCount ?? 0;
}

/** Why a series is held, or null when it is not. */
export async function seriesHoldReason(db: Queryable, seriesId: number): Promise<string | null> {
  const { rows } = await db.query<{ reason: string }>('SELECT reason FROM series_holds WHERE series_id = $1', [seriesId]);
  return rows[0]?.reason ?? null;
}

/** Locks a series row by its symbol for a resume, or null when there is no such series. */
export async function lockSeriesToResume(tx: Tx, series: { template: string; symbol: string }): Promise<{ id: number; next_number: number; range_to: number } | null> {
  const { rows } = await tx.query<{ id: number; next_number: number; range_to: number }>('SELECT id, next_number, range_to FROM series WHERE template = $1 AND symbol = $2 FOR UPDATE', [
    series.template,
    series.symbol,
  ]);
  return rows[0] ?? null;
}

/** Releases a series' hold; false when it was not held. */
export async function deleteSeriesHold(db: Queryable, seriesId: number): Promise<boolean> {
  const held = await db.query('DELETE FROM series_holds WHERE series_id = $1', [seriesId]);
  return Boolean(held.rowCount);
}

export async function setSeriesNextNumber(db: Queryable, seriesId: number, next: number): Promise<void> {
  await db.query('UPDATE series SET next_number = $2 WHERE id = $1', [seriesId, next]);
}
