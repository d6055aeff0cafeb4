import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { XMLSerializer } from '@xmldom/xmldom';
import { kindOf } from '../verification/documents.ts';
import { schemaProblem, schemaValidator } from '../verification/schema.ts';
import { buildReply, MAX_MESSAGE_BYTES, messageTypes, parseEnvelope, REPLY_TECHNICAL } from './envelope.ts';

/**
 * A local stand-in for an intermediary (TCTN) or the tax authority's
 * receiving system, for development and tests: it takes envelopes by HTTP
 * POST, checks them against schemas/envelope.xsd and the document inside
 * against its own XSD, one taxpayer and one data type, the 2 MB limit, and
 * answers with a reply envelope (999, TTTNhan 0 accepted / 1 refused with
 * reasons). A message code it has seen before gets the same reply again, and
 * is kept once: what it received is each message exactly once.
 */
export interface ReceivedMessage {
  messageCode: string;
  messageType: number;
  taxCode: string;
  accepted: boolean;
  reasons: Array<{ code: string; text: string }>;
  /** How many times this message code arrived. */
  deliveries: number;
}

export interface Receiver {
  url: string;
  received: Map<string, ReceivedMessage>;
  /** Makes the receiver answer 503 (down) or work again. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const expectedRoot: Record<number, string> = { [messageTypes['daily-summary']]: 'BTHDLieu', [messageTypes['error-notice']]: 'TBao', [messageTypes.registration]: 'TKhai' };

async function judge(body: string): Promise<{ header: ReturnType<typeof parseEnvelope>; reasons: Array<{ code: string; text: string }> }> {
  const header = parseEnvelope(body);
  if (!header) return { header, reasons: [{ code: '-1', text: 'not a TDiep message' }] };
  const envelope = await schemaValidator.validate('envelope.xsd', body);
  if (!envelope.valid) return { header, reasons: envelope.errors.slice(0, 3).map((e) => ({ code: '-1', text: `envelope: ${schemaProblem(e)}` })) };
  const reasons: Array<{ code: string; text: string }> = [];
  if (!header.messageCode.startsWith(header.senderCode)) reasons.push({ code: '2', text: `MTDiep ${header.messageCode} does not start with the sender code ${header.senderCode}` });
  if (header.count !== header.documents.length) reasons.push({ code: '3', text: `SLuong says ${header.count}; DLieu holds ${header.documents.length}` });
  const root = expectedRoot[header.messageType];
  if (!root) reasons.push({ code: '4', text: `message type ${header.messageType} is not one this receiver takes` });
  for (const doc of header.documents) {
    if (root && doc.localName !== root) reasons.push({ code: '5', text: `message type ${header.messageType} carries ${root}, not ${doc.localName}` });
    const kind = kindOf(doc.localName);
    if (!kind) continue;
    const xml = new XMLSerializer().serializeToString(doc as never);
    const result = await schemaValidator.validate(kind.schema, xml);
    if (!result.valid) reasons.push(...result.errors.slice(0, 3).map((e) => ({ code: '6', text: `${doc.localName}: ${schemaProblem(e)}` })));
    const taxCodes = Array.from(doc.getElementsByTagName('MST')).map((m) => m.textContent);
    if (!taxCodes.includes(header.taxCode)) reasons.push({ code: '7', text: `the document does not name the message's taxpayer ${header.taxCode}` });
  }
  return { header, reasons };
}

/**
 * `refuse`: refuse every message of this taxpayer with this reason (to try the
 * rejection flow). `tls`: HTTPS that asks for a client certificate issued by
 * `ca` and refuses a connection without one (mutual TLS, as intermediaries do).
 * `beforeReply`: awaited after a new message is kept and before its reply is
 * written (to stop a sender between delivery and recording).
 */
export async function startReceiver(
  opts: {
    port?: number;
    host?: string;
    dir?: string;
    code?: string;
    refuse?: { taxCode: string; reason: string };
    tls?: { key: string; cert: string; ca: string };
    beforeReply?: (messageCode: string) => Promise<void>;
  } = {},
): Promise<Receiver> {
  const received = new Map<string, ReceivedMessage>();
  const replies = new Map<string, Buffer>();
  let down = false;
  const code = opts.code ?? 'TCT';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    if (down) {
      res.writeHead(503, { 'retry-after': '30' }).end('down for maintenance');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_MESSAGE_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        if (size > MAX_MESSAGE_BYTES) {
          res.writeHead(413).end(`a message is at most ${MAX_MESSAGE_BYTES} bytes`);
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const { header, reasons } = await judge(body);
        if (header && opts.refuse && header.taxCode === opts.refuse.taxCode) reasons.push({ code: '8', text: opts.refuse.reason });
        if (!header) {
          res.writeHead(400).end('not a TDiep message');
          return;
        }
        const seen = received.get(header.messageCode);
        if (seen) {
          seen.deliveries++;
          res.writeHead(200, { 'content-type': 'application/xml' }).end(replies.get(header.messageCode));
          return;
        }
        const accepted = reasons.length === 0;
        received.set(header.messageCode, { messageCode: header.messageCode, messageType: header.messageType, taxCode: header.taxCode, accepted, reasons, deliveries: 1 });
        if (opts.dir) {
          await mkdir(opts.dir, { recursive: true });
          await writeFile(path.join(opts.dir, `${header.messageCode.replace(/[^A-Z0-9]/g, '')}.xml`), body);
        }
        const reply = buildReply({ senderCode: code, receiverCode: header.senderCode, answers: header.messageCode, taxCode: header.taxCode, type: REPLY_TECHNICAL }, { accepted, reasons });
        replies.set(header.messageCode, reply);
        await opts.beforeReply?.(header.messageCode);
        res.writeHead(200, { 'content-type': 'application/xml' }).end(reply);
      })().catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
  };
  const server: Server = opts.tls ? createTlsServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true }, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${port}/messages`,
    received,
    setDown(d) {
      down = d;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
