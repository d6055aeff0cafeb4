import type { Queryable, Tx } from '../db/db.ts';

/** A queued mail to the payer (queueMail in src/receipts/repository.ts writes the rows). */
export interface QueuedMail {
  id: string;
  kind: 'receipt' | 'error-notice';
  receipt_id: string;
  notice_id: string | null;
  address: string;
  attempts: number;
}

/**
 * The oldest pending mail that is due at `now`, locked until its sending is
 * recorded; a row another server holds is skipped, not waited for.
 */
export async function lockNextMail(tx: Tx, now: Date): Promise<QueuedMail | undefined> {
  const { rows } = await tx.query<QueuedMail>(
    `SELECT id, kind, receipt_id, notice_id, address, attempts FROM mail_outbox
          WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  return rows[0];
}

export async function markMailSent(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query(`UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE id = $1`, [id, at]);
}

/** Counts a failed attempt: the mail waits until `nextAttemptAt`, or is given up (`failed`). */
export async function markMailFailed(db: Queryable, id: string, f: { status: 'pending' | 'failed'; nextAttemptAt: Date; error: string }): Promise<void> {
  await db.query(`UPDATE mail_outbox SET status = $2, attempts = attempts + 1, next_attempt_at = $3, last_error = $4 WHERE id = $1`, [id, f.status, f.nextAttemptAt, f.error]);
}

/** The error notice a mail is about, with its signed XML to attach. */
export async function errorNotice(db: Queryable, id: string | null): Promise<{ xml: Buffer } | undefined> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM error_notices WHERE id = $1', [id]);
  return rows[0];
}
