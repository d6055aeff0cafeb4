import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db.ts';

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
