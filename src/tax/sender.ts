import type { Db } from '../db/db.ts';
import type { Transport } from './transports.ts';

/** The wait before the next attempt after `attempts` failures: 30 s doubling, at most an hour. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export interface SendOutcome {
  sent: number;
  failed: number;
  /** Whether the head of the queue waits for its next attempt. */
  waiting: boolean;
}

/**
 * Sends what is pending, oldest first, one message at a time: the message's
 * row stays locked from delivery to recording, so two senders (two servers)
 * never deliver it at once, and a crash in between leaves it pending, to be
 * sent again under the same message code (the receiver knows it already).
 * A failure stops the pass, so nothing overtakes a message that is waiting:
 * after an outage everything goes out in order.
 */
export async function sendPending(db: Db, transport: Transport, now: () => Date, limit = 100): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: 0, failed: 0, waiting: false };
  for (let i = 0; i < limit; i++) {
    const step = await db.transaction(async (tx) => {
      // The head of the queue, locked until its delivery is recorded. A second sender (another server) waits
      // here, then finds the row sent and no longer pending: it never sends it again, nor overtakes it.
      const { rows } = await tx.query<{ id: string; message_code: string; envelope: Buffer; attempts: number; next_attempt_at: Date }>(
        `SELECT id, message_code, envelope, attempts, next_attempt_at FROM transmissions WHERE status = 'pending' ORDER BY seq LIMIT 1 FOR UPDATE`,
      );
      const m = rows[0];
      if (!m) return 'empty' as const;
      const at = now();
      if (m.next_attempt_at > at) return 'waiting' as const;
      // Delivery and its record are undone together when either fails, so the failure can still be recorded.
      await tx.query('SAVEPOINT delivery');
      try {
        const result = await transport.deliver(m.message_code, m.envelope);
        const status = !result.reply ? 'sent' : result.reply.accepted ? 'accepted' : 'rejected';
        await tx.query(
          `UPDATE transmissions SET status = $2, attempts = attempts + 1, sent_at = $3,
                  reply_type = $4, reply_code = $5, reply_text = $6, reply_xml = $7, replied_at = CASE WHEN $4::int IS NULL THEN NULL ELSE $3::timestamptz END
            WHERE id = $1`,
          [m.id, status, at, result.reply?.type ?? null, result.reply?.code ?? null, result.reply?.text ?? null, result.replyXml],
        );
        await tx.query(`INSERT INTO transmission_attempts VALUES ($1, $2, $3, 'delivered', $4)`, [m.id, at, transport.name, result.detail.slice(0, 500)]);
        return 'sent' as const;
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT delivery');
        const detail = err instanceof Error ? err.message : String(err);
        await tx.query('UPDATE transmissions SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1', [m.id, new Date(at.getTime() + backoffMs(m.attempts + 1))]);
        await tx.query(`INSERT INTO transmission_attempts VALUES ($1, $2, $3, 'failed', $4)`, [m.id, at, transport.name, detail.slice(0, 500)]);
        return 'failed' as const;
      }
    });
    if (step === 'empty') break;
    if (step === 'waiting') {
      outcome.waiting = true;
      break;
    }
    if (step === 'failed') {
      outcome.failed++;
      break;
    }
    outcome.sent++;
  }
  return outcome;
}
