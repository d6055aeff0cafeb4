import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { requireCenter } from '../reference/service.ts';
import { buildEnvelope, MAX_MESSAGE_BYTES, messageTypes, newMessageCode, type DocumentType } from './envelope.ts';
import { insertTransmission } from './repository/transmissions.ts';

/** The tax authority's code as receiver (MNNhan). */
export const TAX_AUTHORITY_CODE = 'TCT';

/** Our sender code (MNGui): configured, or V and the center's tax code. */
export async function senderCodeOf(db: Queryable, config: Pick<Config, 'TAX_SENDER_CODE'>): Promise<string> {
  return config.TAX_SENDER_CODE ?? `V${(await requireCenter(db)).taxCode.replace(/-/g, '')}`;
}

/**
 * Puts a signed document in the outbox, in its envelope, in the caller's
 * transaction: the document and its message exist together or not at all.
 * The message code is fixed here, so every attempt sends the same bytes under
 * the same id.
 */
export async function enqueue(
  tx: Queryable,
  m: { documentType: DocumentType; documentId: string; documentDate?: string; taxCode: string; document: Buffer; config: Pick<Config, 'TAX_SENDER_CODE'>; now: Date },
): Promise<{ id: string; messageCode: string }> {
  const id = randomUUID();
  const senderCode = await senderCodeOf(tx, m.config);
  const messageCode = newMessageCode(senderCode);
  const messageType = messageTypes[m.documentType];
  const envelope = buildEnvelope({ senderCode, receiverCode: TAX_AUTHORITY_CODE, messageType, messageCode, taxCode: m.taxCode }, m.document);
  if (envelope.length > MAX_MESSAGE_BYTES) {
    throw new AppError('MESSAGE_TOO_LARGE', `the ${m.documentType} makes a message of ${envelope.length} bytes; the tax authority takes at most ${MAX_MESSAGE_BYTES}`);
  }
  await insertTransmission(tx, {
    id,
    messageCode,
    messageType,
    documentType: m.documentType,
    documentId: m.documentId,
    documentDate: m.documentDate ?? null,
    taxCode: m.taxCode,
    envelope,
    createdAt: m.now,
  });
  return { id, messageCode };
}
