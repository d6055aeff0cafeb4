import type { Queryable } from '../db/db.ts';
import type { CorrectionRequest, ErrorNotice, NoticeField } from './schemas.ts';

/** Queries of correction requests and error notices; the rules are in approval.ts and service.ts. */

interface RequestRow {
  seq: number;
  id: string;
  receipt_id: string;
  kind: CorrectionRequest['kind'];
  payload: Record<string, unknown>;
  reason: string;
  status: CorrectionRequest['status'];
  requested_by: string;
  requested_by_name: string;
  requested_by_staff: string;
  requested_by_staff_name: string;
  requested_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  result_receipt_id: string | null;
  result_notice_id: string | null;
}

const SELECT_REQUEST = `
  SELECT c.*, rk.name AS requested_by_name, rk.staff_id AS requested_by_staff, rs.name AS requested_by_staff_name, dk.name AS decided_by_name
    FROM correction_requests c JOIN api_keys rk ON rk.id = c.requested_by JOIN staff rs ON rs.id = rk.staff_id
    LEFT JOIN api_keys dk ON dk.id = c.decided_by`;

export const requestView = (r: RequestRow): CorrectionRequest => ({
  id: r.id,
  kind: r.kind,
  receiptId: r.receipt_id,
  status: r.status,
  details: r.payload,
  reason: r.reason,
  requestedAt: r.requested_at.toISOString(),
  requestedBy: r.requested_by_name,
  requestedByStaff: { id: r.requested_by_staff, name: r.requested_by_staff_name },
  decidedAt: r.decided_at?.toISOString() ?? null,
  decidedBy: r.decided_by_name,
  decisionReason: r.decision_reason,
  result: r.result_receipt_id ? { receiptId: r.result_receipt_id } : r.result_notice_id ? { errorNoticeId: r.result_notice_id } : null,
});

export async function insertRequest(
  db: Queryable,
  r: { id: string; receiptId: string; kind: CorrectionRequest['kind']; payload: object; reason: string; requestedBy: string; requestedAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO correction_requests (id, receipt_id, kind, payload, reason, status, requested_by, requested_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)`,
    [r.id, r.receiptId, r.kind, JSON.stringify(r.payload), r.reason, r.requestedBy, r.requestedAt],
  );
}

export async function getRequest(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<(RequestRow & { view: CorrectionRequest }) | null> {
  // The lock is its own statement: a statement's snapshot predates its wait, so a read in it could miss a decision.
  if (opts.lock) await db.query('SELECT 1 FROM correction_requests WHERE id = $1::uuid FOR UPDATE', [id]);
  const { rows } = await db.query<RequestRow>(`${SELECT_REQUEST} WHERE c.id = $1::uuid`, [id]);
  return rows[0] ? { ...rows[0], view: requestView(rows[0]) } : null;
}

export async function listRequests(db: Queryable, f: { receiptId?: string; status?: string; kind?: string; afterSeq?: number; limit: number }): Promise<RequestRow[]> {
  const { rows } = await db.query<RequestRow>(
    `${SELECT_REQUEST} WHERE ($1::uuid IS NULL OR c.receipt_id = $1::uuid) AND ($2::text IS NULL OR c.status = $2)
       AND ($3::text IS NULL OR c.kind = $3) AND ($4::bigint IS NULL OR c.seq > $4) ORDER BY c.seq LIMIT $5`,
    [f.receiptId ?? null, f.status ?? null, f.kind ?? null, f.afterSeq ?? null, f.limit],
  );
  return rows;
}

export async function decideRequest(
  db: Queryable,
  d: { id: string; status: 'approved' | 'rejected'; decidedBy: string; decidedAt: Date; reason: string | null; receiptId?: string; noticeId?: string },
): Promise<void> {
  await db.query(
    `UPDATE correction_requests SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, result_receipt_id = $6, result_notice_id = $7
      WHERE id = $1`,
    [d.id, d.status, d.decidedBy, d.decidedAt, d.reason, d.receiptId ?? null, d.noticeId ?? null],
  );
}

interface NoticeRow {
  id: string;
  receipt_id: string;
  field: NoticeField;
  wrong_value: string | null;
  correct_value: string;
  reason: string;
  issued_at: Date;
  issued_by_name: string;
  xml_sha256: string;
}

const SELECT_NOTICE = `SELECT n.*, k.name AS issued_by_name FROM error_notices n JOIN api_keys k ON k.id = n.issued_by`;

const noticeView = (n: NoticeRow): ErrorNotice => ({
  id: n.id,
  receiptId: n.receipt_id,
  field: n.field,
  wrongValue: n.wrong_value,
  correctValue: n.correct_value,
  reason: n.reason,
  issuedAt: n.issued_at.toISOString(),
  issuedBy: n.issued_by_name,
  xmlSha256: n.xml_sha256,
});

export async function noticeById(db: Queryable, id: string): Promise<ErrorNotice | null> {
  const { rows } = await db.query<NoticeRow>(`${SELECT_NOTICE} WHERE n.id = $1::uuid`, [id]);
  return rows[0] ? noticeView(rows[0]) : null;
}

export async function listNotices(db: Queryable, receiptId: string): Promise<ErrorNotice[]> {
  const { rows } = await db.query<NoticeRow>(`${SELECT_NOTICE} WHERE n.receipt_id = $1::uuid ORDER BY n.seq`, [receiptId]);
  return rows.map(noticeView);
}

/** The signed notice's bytes, or null when there is no such notice. */
export async function noticeXml(db: Queryable, id: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM error_notices WHERE id = $1::uuid', [id]);
  return rows[0]?.xml ?? null;
}

/** The correct value of the receipt's latest notice on `field`, or undefined when no notice corrected it. */
export async function latestCorrectValue(db: Queryable, receiptId: string, field: NoticeField): Promise<string | undefined> {
  const { rows } = await db.query<{ correct_value: string }>('SELECT correct_value FROM error_notices WHERE receipt_id = $1 AND field = $2 ORDER BY seq DESC LIMIT 1', [receiptId, field]);
  return rows[0]?.correct_value;
}

export async function insertErrorNotice(
  db: Queryable,
  n: { id: string; receiptId: string; field: NoticeField; wrongValue: string | null; correctValue: string; reason: string; issuedBy: string; issuedAt: Date; xml: Buffer; xmlSha256: string },
): Promise<void> {
  await db.query(
    `INSERT INTO error_notices (id, receipt_id, field, wrong_value, correct_value, reason, issued_by, issued_at, xml, xml_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [n.id, n.receiptId, n.field, n.wrongValue, n.correctValue, n.reason, n.issuedBy, n.issuedAt, n.xml, n.xmlSha256],
  );
}
