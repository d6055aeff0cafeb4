import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { access } from '../auth/plugin.ts';
import { listNotices } from '../corrections/service.ts';
import { AppError } from '../http/errors.ts';
import { getReceipt, getReceiptXml } from '../receipts/repository.ts';
import { requireReceipt } from '../receipts/service.ts';
import type { Receipt } from '../receipts/schemas.ts';
import { requireCenter } from '../reference/service.ts';
import { recordMatcher } from '../verification/record-match.ts';
import type { VerificationResult } from '../verification/verifier.ts';
import { notFoundPage, renderReceiptPage } from './page.ts';

const LOOKUP_CODE = /^[A-HJ-NP-Z2-9]{12}$/;
/** Lookups per address per minute. */
const PUBLIC_RATE = 60;
/** Unknown codes per address per ten minutes before every lookup from it is refused: guessing codes is enumeration. */
const MISSES_ALLOWED = 10;
const MISS_WINDOW_MS = 10 * 60 * 1000;

/** Counts unknown-code lookups per client address in a fixed window, in a bounded map. */
class MissLimiter {
  private readonly misses = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly clock: () => Date, private readonly max = MISSES_ALLOWED, private readonly windowMs = MISS_WINDOW_MS, private readonly size = 10_000) {}

  blocked(source: string): boolean {
    const m = this.misses.get(source);
    return !!m && m.resetAt > this.clock().getTime() && m.count >= this.max;
  }

  record(source: string): void {
    const now = this.clock().getTime();
    const m = this.misses.get(source);
    if (!m || m.resetAt <= now) {
      if (this.misses.size >= this.size) this.misses.delete(this.misses.keys().next().value!);
      this.misses.set(source, { count: 1, resetAt: now + this.windowMs });
    } else {
      m.count++;
    }
  }
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // A page of someone's receipt: no scripts, nothing from elsewhere, not cached by proxies.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const lookupRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const err = new AppError('RATE_LIMITED', `at most ${context.max} lookups per minute; try again in ${Math.ceil(context.ttl / 1000)} s`);
      return Object.assign(err, { statusCode: 429 });
    },
  });
  const misses = new MissLimiter(app.clock);
  // Stored documents never change, so a verdict holds until the trust anchors do: cache it for a while.
  const verdicts = new Map<string, { result: VerificationResult; until: number }>();

  async function signatureStatus(receipt: Receipt): Promise<VerificationResult> {
    const cached = verdicts.get(receipt.id);
    if (cached && cached.until > Date.now()) return cached.result;
    const result = await app.verifier.verify((await getReceiptXml(app.db, receipt.id))!, {
      trustDir: app.config.TRUST_DIR,
      now: app.clock(),
      expect: 'receipt',
      recordMatch: recordMatcher(app.db),
    });
    if (verdicts.size > 1000) verdicts.clear();
    verdicts.set(receipt.id, { result, until: Date.now() + 10 * 60 * 1000 });
    return result;
  }

  const baseUrl = (request: FastifyRequest) => (app.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');

  async function page(request: FastifyRequest, reply: FastifyReply, receipt: Receipt) {
    const base = baseUrl(request);
    const lookupUrl = `${base}/public/receipts/${receipt.lookupCode}`;
    const verdict = await signatureStatus(receipt);
    const replacement = receipt.replacedBy ? await getReceipt(app.db, receipt.replacedBy.id) : null;
    const html = await renderReceiptPage({
      receipt,
      center: await requireCenter(app.db),
      lookupUrl,
      xmlUrl: `${lookupUrl}/xml`,
      signature: {
        valid: verdict.valid,
        signer: verdict.signer?.subject.split(', ').find((p) => p.startsWith('CN='))?.slice(3) ?? null,
        signingTime: verdict.signingTime,
        failed: verdict.checks.filter((c) => !c.passed).map((c) => c.name),
      },
      notices: (await listNotices(app.db, receipt.id)).map((n) => ({ field: n.field, correctValue: n.correctValue, issuedAt: n.issuedAt })),
      replacedByUrl: replacement ? `${base}/public/receipts/${replacement.lookupCode}` : null,
    });
    return reply.headers(HTML_HEADERS).send(html);
  }

  /** The receipt behind a lookup code, or null; unknown and malformed codes count as misses. */
  async function byCode(request: FastifyRequest, code: string): Promise<Receipt | null> {
    if (misses.blocked(request.ip)) throw new AppError('RATE_LIMITED', 'too many unknown lookup codes from this address; try again later');
    const found = LOOKUP_CODE.test(code)
      ? await app.db.query<{ id: string }>('SELECT id FROM receipts WHERE lookup_code = $1', [code])
      : { rows: [] };
    const receipt = found.rows[0] ? await getReceipt(app.db, found.rows[0].id) : null;
    if (!receipt) misses.record(request.ip);
    return receipt;
  }

  const publicSchema = (summary: string) => ({
    tags: ['Citizens'],
    summary,
    description: `No key. At most ${PUBLIC_RATE} lookups per minute per address; after ${MISSES_ALLOWED} unknown codes in ten minutes, lookups from that address are refused for the rest of the window.`,
    params: z.object({ lookupCode: z.string().max(40) }),
  });

  app.get('/public/receipts/:lookupCode', {
    config: { rateLimit: { max: PUBLIC_RATE, timeWindow: '1 minute' } },
    schema: publicSchema('The receipt with this lookup code, as a printable page (Vietnamese, A5)'),
  }, async (request, reply) => {
    const receipt = await byCode(request, request.params.lookupCode.toUpperCase());
    if (!receipt) return reply.code(404).headers(HTML_HEADERS).send(notFoundPage());
    return page(request, reply, receipt);
  });

  app.get('/public/receipts/:lookupCode/xml', {
    config: { rateLimit: { max: PUBLIC_RATE, timeWindow: '1 minute' } },
    schema: publicSchema('The signed XML of the receipt with this lookup code'),
  }, async (request, reply) => {
    const receipt = await byCode(request, request.params.lookupCode.toUpperCase());
    if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', 'no receipt has this lookup code');
    return sendAttachment(reply, 'xml', `bien-lai-${receipt.series}-${receipt.number}.xml`, (await getReceiptXml(app.db, receipt.id))!);
  });

  app.get('/v1/receipts/:id/print', {
    config: { roles: access.readReceipts },
    schema: { tags: ['Receipts'], summary: 'The receipt as the printable page citizens see', description: 'text/html', params: z.object({ id: z.uuid() }) },
  }, async (request, reply) => page(request, reply, await requireReceipt(app.db, request.params.id)));
};

export default lookupRoutes;
