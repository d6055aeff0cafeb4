import { appendEvent, type Actor } from '../audit/chain.ts';
import type { Db } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { createHash } from 'node:crypto';
import type { Config } from '../config/config.ts';
import { parseReply, REPLY_RESULT, REPLY_TECHNICAL, type Reply } from './envelope.ts';
import { senderCodeOf } from './outbox.ts';
import {
  insertAttempt,
  lockQueueHead,
  lockTransmission,
  markDelivered,
  markDeliveryFailed,
  recordTransmissionReply,
  rollbackToDeliverySavepoint,
  setDeliverySavepoint,
} from './repository/transmissions.ts';
import type { Transport } from './transports.ts';

/** The wait before the next attempt after `attempts` failures: 30 s doubling, at most an hour. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export interface SendOutcome {
  sent: number;
  failed: number;
  /** Whether the head of the queue waits for its next attempt. */
  waiting: boolean;
  /** Why the failed attempt failed. */
  error?: string;
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
      const m = await lockQueueHead(tx);
      if (!m) return 'empty' as const;
      const at = now();
      if (m.next_attempt_at > at) return 'waiting' as const;
      // Delivery and its record are undone together when either fails, so the failure can still be recorded.
      await setDeliverySavepoint(tx);
      try {
        const result = await transport.deliver(m.message_code, m.envelope);
        const status = !result.reply ? 'sent' : result.reply.accepted ? 'accepted' : 'rejected';
        await markDelivered(tx, m.id, {
          status,
          at,
          replyType: result.reply?.type ?? null,
          replyCode: result.reply?.code ?? null,
          replyText: result.reply?.text ?? null,
          replyXml: result.replyXml,
        });
        await insertAttempt(tx, { transmissionId: m.id, at, transport: transport.name, outcome: 'delivered', detail: result.detail.slice(0, 500) });
        return 'sent' as const;
      } catch (err) {
        await rollbackToDeliverySavepoint(tx);
        const detail = err instanceof Error ? err.message : String(err);
        await markDeliveryFailed(tx, m.id, new Date(at.getTime() + backoffMs(m.attempts + 1)));
        await insertAttempt(tx, { transmissionId: m.id, at, transport: transport.name, outcome: 'failed', detail: detail.slice(0, 500) });
        outcome.error = detail;
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

/**
 * Records a reply that came another way than the delivery's answer: the
 * folder transport gets none (the tax portal shows it, to download), and the
 * result of checking the data (204) may follow a technical receipt (999). The
 * reply must answer this message (its MTDTChieu); a refusal or a result is
 * final. The row stays locked while it is read and written.
 */
export async function recordReply(
  db: Db,
  id: string,
  xml: Buffer,
  at: Date,
  actor: Actor,
  config: Pick<Config, 'TAX_SENDER_CODE'>,
): Promise<{ messageCode: string; status: 'accepted' | 'rejected'; reply: Reply; at: Date }> {
  return db.transaction(async (tx) => {
    const m = await lockTransmission(tx, id);
    if (!m) throw new AppError('TRANSMISSION_NOT_FOUND', `no message ${id}`);
    if (m.status === 'pending') throw new AppError('TRANSMISSION_NOT_SENT', `message ${m.message_code} has not been delivered yet: there is nothing to answer`);
    const reply = parseReply(xml.toString('utf8'), m.message_code);
    if (!reply) {
      throw new AppError('REPLY_NOT_FOR_MESSAGE', `the document is not a reply (TDiep of type ${REPLY_TECHNICAL} or ${REPLY_RESULT}, TBao › DLTBao › TTTNhan) whose MTDTChieu is ${m.message_code}`);
    }
    // Addressed to us, about the taxpayer the message was about.
    const ours = await senderCodeOf(tx, config);
    if (reply.receiverCode !== ours || reply.taxCode !== m.tax_code) {
      throw new AppError('REPLY_NOT_FOR_MESSAGE', `the reply is addressed to ${reply.receiverCode} about MST ${reply.taxCode}; the message went from ${ours} about MST ${m.tax_code}`);
    }
    const final = m.status === 'rejected' || m.reply_type === REPLY_RESULT;
    const upgrade = m.status === 'accepted' && m.reply_type === REPLY_TECHNICAL && reply.type === REPLY_RESULT;
    if (final || (m.status === 'accepted' && !upgrade)) {
      throw new AppError('TRANSMISSION_SETTLED', `message ${m.message_code} is already ${m.status}${m.reply_type ? ` (reply ${m.reply_type})` : ''}`);
    }
    await recordTransmissionReply(tx, id, { status: reply.accepted ? 'accepted' : 'rejected', replyType: reply.type, replyCode: reply.code, replyText: reply.text, replyXml: xml, at });
    await appendEvent(
      tx,
      {
        actor,
        action: 'transmission.reply_recorded',
        subjectType: 'transmission',
        subjectId: id,
        details: {
          messageCode: m.message_code,
          document: `${m.document_type} ${m.document_id}`,
          replyType: reply.type,
          accepted: reply.accepted,
          code: reply.code,
          replySha256: createHash('sha256').update(xml).digest('hex'),
        },
      },
      at,
    );
    return { messageCode: m.message_code, status: reply.accepted ? ('accepted' as const) : ('rejected' as const), reply, at };
  });
}
