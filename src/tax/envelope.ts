import { xmlText } from '../text/xml-text.ts';
import { randomUUID } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { create } from 'xmlbuilder2';

/**
 * The tax authority's message envelope (QĐ 1271 Part I §IV.5): TDiep ›
 * TTChung (PBan, MNGui, MNNhan, MLTDiep, MTDiep, MTDTChieu, MST, SLuong) ›
 * DLieu holding the signed document unchanged. One taxpayer and one data type
 * per message, at most 2 MB.
 */
export const ENVELOPE_VERSION = '1.0.0';
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * Message type codes (MLTDiep). 400 (a summary table), 300 (an error notice
 * 04/SS), 100 (a registration 01/ĐKTĐ) and the replies 999 (technical
 * receipt) and 204 (result of checking the data) are the e-invoice family's
 * codes (QĐ 1271); the codes for receipts are not published, so using them
 * for receipts is our assumption.
 */
export const messageTypes = { 'daily-summary': 400, 'error-notice': 300, registration: 100 } as const;
export const REPLY_TECHNICAL = 999;
export const REPLY_RESULT = 204;
export type DocumentType = keyof typeof messageTypes;

/** A message code: the sender's code and an upper-case UUID without dashes. */
export const newMessageCode = (senderCode: string) => `${senderCode}${randomUUID().replace(/-/g, '').toUpperCase()}`;

export interface EnvelopeHeader {
  senderCode: string;
  receiverCode: string;
  messageType: number;
  messageCode: string;
  /** The message this one answers (a reply), empty for a first message. */
  answers?: string;
  taxCode: string;
}

/** Wraps a signed document, byte for byte after its XML declaration, in TDiep. */
export function buildEnvelope(h: EnvelopeHeader, document: Buffer | string): Buffer {
  const body = document.toString().replace(/^\uFEFF?<\?xml[^?]*\?>\s*/, '');
  const head = create().ele('TTChung');
  head.ele('PBan').txt(xmlText(ENVELOPE_VERSION));
  head.ele('MNGui').txt(xmlText(h.senderCode));
  head.ele('MNNhan').txt(xmlText(h.receiverCode));
  head.ele('MLTDiep').txt(xmlText(String(h.messageType)));
  head.ele('MTDiep').txt(xmlText(h.messageCode));
  head.ele('MTDTChieu').txt(xmlText(h.answers ?? ''));
  head.ele('MST').txt(xmlText(h.taxCode));
  head.ele('SLuong').txt(xmlText('1'));
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><TDiep>${head.end({ headless: true })}<DLieu>${body}</DLieu></TDiep>`, 'utf8');
}

export interface ParsedEnvelope extends EnvelopeHeader {
  count: number;
  /** The elements inside DLieu. */
  documents: Element[];
}

const childText = (parent: Element, name: string) => Array.from(parent.childNodes).find((c): c is Element => c.nodeType === 1 && (c as Element).localName === name)?.textContent ?? undefined;

/** Reads an envelope's header and documents; null when it is not a TDiep at all. */
export function parseEnvelope(xml: string): ParsedEnvelope | null {
  let root: Element | null;
  try {
    root = new DOMParser({
      onError: () => {
        throw new Error('not well-formed');
      },
    }).parseFromString(xml, 'text/xml').documentElement as unknown as Element | null;
  } catch {
    return null;
  }
  if (root?.localName !== 'TDiep') return null;
  const head = Array.from(root.childNodes).find((c): c is Element => c.nodeType === 1 && (c as Element).localName === 'TTChung');
  const data = Array.from(root.childNodes).find((c): c is Element => c.nodeType === 1 && (c as Element).localName === 'DLieu');
  if (!head || !data) return null;
  return {
    senderCode: childText(head, 'MNGui') ?? '',
    receiverCode: childText(head, 'MNNhan') ?? '',
    messageType: Number(childText(head, 'MLTDiep')),
    messageCode: childText(head, 'MTDiep') ?? '',
    answers: childText(head, 'MTDTChieu') ?? '',
    taxCode: childText(head, 'MST') ?? '',
    count: Number(childText(head, 'SLuong')),
    documents: Array.from(data.childNodes).filter((c): c is Element => c.nodeType === 1),
  };
}

export interface Reply {
  type: number;
  /** Whom the reply is addressed to (MNNhan) and about which taxpayer (MST). */
  receiverCode: string;
  taxCode: string;
  /** 0: received and accepted; 1: refused. */
  accepted: boolean;
  code: string;
  text: string;
}

/**
 * Reads the reply to message `answers`: an envelope of type 999 (technical
 * receipt) or 204 (result) whose MTDTChieu is that message's code, with DLieu
 * › TBao › DLTBao › TTTNhan (0 accepted, 1 refused) and DSLDo › LDo (MLoi,
 * MTa); a DLTBao/MTDTChieu, when there is one, names the same message.
 * Anything else is no reply (null): a reply to another message, a stale or
 * made-up one, never settles this one.
 */
export function parseReply(xml: string, answers: string): Reply | null {
  const env = parseEnvelope(xml);
  if (!env || (env.messageType !== REPLY_TECHNICAL && env.messageType !== REPLY_RESULT) || env.answers !== answers) return null;
  const notice = env.documents.find((d) => d.localName === 'TBao');
  const data = notice && Array.from(notice.childNodes).find((c): c is Element => c.nodeType === 1 && (c as Element).localName === 'DLTBao');
  if (!data) return null;
  // The notice inside names the message it answers too, when it does: it must be the same one.
  const inner = childText(data, 'MTDTChieu');
  if (inner !== undefined && inner !== answers) return null;
  const result = childText(data, 'TTTNhan');
  if (result !== '0' && result !== '1') return null;
  const reasons = Array.from(data.getElementsByTagName('LDo')).map((l) => `${childText(l as unknown as Element, 'MLoi') ?? ''}: ${childText(l as unknown as Element, 'MTa') ?? ''}`);
  return {
    type: env.messageType,
    receiverCode: env.receiverCode,
    taxCode: env.taxCode,
    accepted: result === '0',
    code: result === '0' ? 'accepted' : (Array.from(data.getElementsByTagName('MLoi'))[0]?.textContent ?? 'refused'),
    text: result === '0' ? 'received and accepted' : reasons.join('; ').slice(0, 2000),
  };
}

/** A reply envelope as the tax authority (or an intermediary) sends it. */
export function buildReply(
  h: { senderCode: string; receiverCode: string; answers: string; taxCode: string; type: number },
  result: { accepted: boolean; reasons: Array<{ code: string; text: string }> },
): Buffer {
  const notice = create().ele('TBao').ele('DLTBao');
  notice.ele('PBan').txt(xmlText(ENVELOPE_VERSION));
  notice.ele('MSo').txt(xmlText('01/TB-KTDL'));
  notice.ele('Ten').txt(xmlText(result.accepted ? 'Thông báo tiếp nhận dữ liệu' : 'Thông báo kết quả kiểm tra dữ liệu: không tiếp nhận'));
  notice.ele('MTDTChieu').txt(xmlText(h.answers));
  notice.ele('TTTNhan').txt(xmlText(result.accepted ? '0' : '1'));
  if (!result.accepted) {
    const list = notice.ele('DSLDo');
    for (const r of result.reasons) {
      const l = list.ele('LDo');
      l.ele('MLoi').txt(xmlText(r.code));
      l.ele('MTa').txt(xmlText(r.text));
    }
  }
  const body = notice.root().end({ headless: true });
  return buildEnvelope({ senderCode: h.senderCode, receiverCode: h.receiverCode, messageType: h.type, messageCode: newMessageCode(h.senderCode), answers: h.answers, taxCode: h.taxCode }, body);
}
