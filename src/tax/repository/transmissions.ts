import type { Queryable, Tx } from '../../db/db.ts';

// The outbox to the tax authority: messages (transmissions) and their delivery attempts.

export type TransmissionDocumentType = 'daily-summary' | 'error-notice' | 'registration';
export type TransmissionStatus = 'pending' | 'sent' | 'accepted' | 'rejected';

export type TransmissionRow = {
  id: string;
  seq: string;
  message_code: string;
  message_type: number;
  document_type: TransmissionDocumentType;
  document_id: string;
  document_date: string | null;
  tax_code: string;
  created_at: Date;
  status: TransmissionStatus;
  next_attempt_at: Date;
  sent_at: Date | null;
  reply_type: number | null;
  reply_code: string | null;
  reply_text: string | null;
  replied_at: Date | null;
  attempts: Array<{ at: string; transport: string; outcome: 'delivered' | 'failed'; detail: string }>;
};

/** Messages to the tax authority with their attempts, newest first, below sequence `before`. */
export async function listTransmissions(db: Queryable, q: { status?: TransmissionStatus; documentType?: TransmissionDocumentType; before?: number; limit: number }): Promise<TransmissionRow[]> {
  const { rows } = await db.query<TransmissionRow>(
    `SELECT t.id, t.seq, t.message_code, t.message_type, t.document_type, t.document_id, t.document_date::text AS document_date, t.tax_code, t.created_at,
            t.status, t.next_attempt_at, t.sent_at, t.reply_type, t.reply_code, t.reply_text, t.replied_at,
            COALESCE((SELECT json_agg(json_build_object('at', a.at, 'transport', a.transport, 'outcome', a.outcome, 'detail', a.detail) ORDER BY a.at)
                        FROM transmission_attempts a WHERE a.transmission_id = t.id), '[]') AS attempts
       FROM transmissions t
      WHERE ($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.document_type = $2) AND ($3::bigint IS NULL OR t.seq < $3)
      ORDER BY t.seq DESC LIMIT $4`,
    [q.status ?? null, q.documentType ?? null, q.before ?? null, q.limit],
  );
  return rows;
}

export async function insertTransmission(
  db: Queryable,
  t: {
    id: string;
    messageCode: string;
    messageType: number;
    documentType: TransmissionDocumentType;
    documentId: string;
    documentDate: string | null;
    taxCode: string;
    envelope: Buffer;
    createdAt: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO transmissions (id, message_code, message_type, document_type, document_id, document_date, tax_code, envelope, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    [t.id, t.messageCode, t.messageType, t.documentType, t.documentId, t.documentDate, t.taxCode, t.envelope, t.createdAt],
  );
}

/**
 * The head of the queue, the oldest pending message, locked until its
 * delivery is recorded: a second sender waits, then finds it no longer pending.
 */
export async function lockQueueHead(tx: Tx): Promise<{ id: string; message_code: string; envelope: Buffer; attempts: number; next_attempt_at: Date } | undefined> {
  const { rows } = await tx.query<{ id: string; message_code: string; envelope: Buffer; attempts: number; next_attempt_at: Date }>(
    `SELECT id, message_code, envelope, attempts, next_attempt_at FROM transmissions WHERE status = 'pending' ORDER BY seq LIMIT 1 FOR UPDATE`,
  );
  return rows[0];
}

/** Marks where a delivery starts: its record is undone with it when either fails, and the failure recorded instead. */
export async function setDeliverySavepoint(tx: Tx): Promise<void> {
  await tx.query('SAVEPOINT delivery');
}

export async function rollbackToDeliverySavepoint(tx: Tx): Promise<void> {
  await tx.query('ROLLBACK TO SAVEPOINT delivery');
}

/** Records a delivered message: sent, or answered at once (accepted, rejected) with the reply. */
export async function markDelivered(
  db: Queryable,
  id: string,
  d: { status: 'sent' | 'accepted' | 'rejected'; at: Date; replyType: number | null; replyCode: string | null; replyText: string | null; replyXml: Buffer | null },
): Promise<void> {
  await db.query(
    `UPDATE transmissions SET status = $2, attempts = attempts + 1, sent_at = $3,
                  reply_type = $4, reply_code = $5, reply_text = $6, reply_xml = $7, replied_at = CASE WHEN $4::int IS NULL THEN NULL ELSE $3::timestamptz END
            WHERE id = $1`,
    [id, d.status, d.at, d.replyType, d.replyCode, d.replyText, d.replyXml],
  );
}

/** Counts a failed delivery; the message waits until `nextAttemptAt`. */
export async function markDeliveryFailed(db: Queryable, id: string, nextAttemptAt: Date): Promise<void> {
  await db.query('UPDATE transmissions SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1', [id, nextAttemptAt]);
}

export async function insertAttempt(db: Queryable, a: { transmissionId: string; at: Date; transport: string; outcome: 'delivered' | 'failed'; detail: string }): Promise<void> {
  await db.query('INSERT INTO transmission_attempts (transmission_id, at, transport, outcome, detail) VALUES ($1, $2, $3, $4, $5)', [a.transmissionId, a.at, a.transport, a.outcome, a.detail]);
}

/** A message, locked while a reply to it is read and recorded. */
export async function lockTransmission(
  tx: Tx,
  id: string,
): Promise<{ message_code: string; status: string; reply_type: number | null; document_type: string; document_id: string; tax_code: string } | undefined> {
  const { rows } = await tx.query<{ message_code: string; status: string; reply_type: number | null; document_type: string; document_id: string; tax_code: string }>(
    'SELECT message_code, status, reply_type, document_type, document_id, tax_code FROM transmissions WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0];
}

/** Records the tax authority's reply to a message, received another way than the delivery's answer. */
export async function recordTransmissionReply(
  db: Queryable,
  id: string,
  r: { status: 'accepted' | 'rejected'; replyType: number; replyCode: string; replyText: string; replyXml: Buffer; at: Date },
): Promise<void> {
  await db.query(`UPDATE transmissions SET status = $2, reply_type = $3, reply_code = $4, reply_text = $5, reply_xml = $6, replied_at = $7 WHERE id = $1`, [
    id,
    r.status,
    r.replyType,
    r.replyCode,
    r.replyText,
    r.replyXml,
    r.at,
  ]);
}
