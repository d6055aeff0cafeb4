import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import { parseReply, type Reply } from './envelope.ts';

/** How messages reach the tax authority. `deliver` resolves once the message is in the other side's hands, or throws. */
export interface Transport {
  readonly name: string;
  deliver(messageCode: string, envelope: Buffer): Promise<{ detail: string; reply: Reply | null; replyXml: Buffer | null }>;
}

/**
 * A folder drop: each message as <MTDiep>.xml, written whole (a temporary
 * name, then renamed), for someone to upload on the tax portal, as small
 * centers do. Writing the same message again finds it there and is a no-op.
 */
export function folderTransport(dir: string): Transport {
  return {
    name: 'folder',
    async deliver(messageCode, envelope) {
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${messageCode}.xml`);
      const existing = await readFile(file).catch(() => null);
      if (existing?.equals(envelope)) return { detail: `already in ${file}`, reply: null, replyXml: null };
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, envelope, { flag: 'w' });
      await rename(tmp, file);
      return { detail: `written to ${file}`, reply: null, replyXml: null };
    },
  };
}

export interface HttpsOptions {
  endpoint: string;
  /** PEM client certificate and key for mutual TLS, and the CA the endpoint's certificate must chain to. */
  clientCert?: Buffer;
  clientKey?: Buffer;
  ca?: Buffer;
  timeoutMs?: number;
}

/**
 * An HTTPS POST of the envelope to an intermediary (TCTN) endpoint, mutual
 * TLS when a client certificate is given. A 2xx answer carrying a reply
 * envelope (999 / 204) is recorded; anything else is a failed attempt.
 */
export function httpsTransport(o: HttpsOptions): Transport {
  const url = new URL(o.endpoint);
  const client = url.protocol === 'https:' ? https : http;
  return {
    name: 'https',
    deliver(messageCode, envelope) {
      return new Promise((resolve, reject) => {
        const req = client.request(
          url,
          {
            method: 'POST',
            headers: { 'content-type': 'application/xml; charset=utf-8', 'content-length': envelope.length, 'x-message-code': messageCode },
            ...(url.protocol === 'https:' ? { cert: o.clientCert, key: o.clientKey, ca: o.ca } : {}),
            timeout: o.timeoutMs ?? 30_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > 4 * 1024 * 1024) req.destroy(new Error('the reply is larger than 4 MiB'));
              else chunks.push(c);
            });
            res.on('end', () => {
              const body = Buffer.concat(chunks);
              if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) {
                reject(new Error(`${url.host} answered ${res.statusCode}: ${body.toString().slice(0, 200)}`));
                return;
              }
              const reply = parseReply(body.toString('utf8'), messageCode);
              if (!reply) {
                reject(new Error(`${url.host} answered ${res.statusCode} without a reply envelope (type 999 or 204) to ${messageCode}`));
                return;
              }
              resolve({ detail: `POST ${url.host}${url.pathname}: ${res.statusCode}`, reply, replyXml: body });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} in ${(o.timeoutMs ?? 30_000) / 1000} s`)));
        req.on('error', reject);
        req.end(envelope);
      });
    },
  };
}
