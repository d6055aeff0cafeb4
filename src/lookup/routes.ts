import { timingSafeEqual } from 'node:crypto';
import { limitPerAddress } from '../http/rate-limit.ts';
import { clientKey } from '../http/client-address.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access } from '../http/access.ts';
import { listNotices } from '../corrections/repository.ts';
import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { getReceipt, getReceiptByLookupCode, getReceiptXml } from '../receipts/repository.ts';
import { requireReceipt } from '../receipts/service.ts';
import type { Receipt } from '../receipts/schemas.ts';
import { requireCenter } from '../reference/service.ts';
import { recordMatcher } from '../verification/record-match.ts';
import type { VerificationResult } from '../verification/verifier.ts';
import { postingSheetHtml } from '../tax/posting.ts';
import { listDelegations } from '../tax/registration.ts';
import { isoDate } from '../time/dates.ts';
import { vietnamDate } from '../time/vietnam.ts';
import { AttemptLimiter } from './limiter.ts';
import { lookupFormPage, messagePage, notFoundPage, renderReceiptPage } from './page.ts';

/**
 * What the payer proves before the signed XML is handed over: the last four
 * digits of the identity number (or the tax code). The lookup code alone is
 * printed on paper and in a QR code, and may be seen by anyone; the XML
 * carries the full number, which the signature makes impossible to redact.
 */
function payerSecret(receipt: Receipt): string | null {
  const id = (receipt.payer.idNumber ?? receipt.payer.taxCode ?? '').replace(/\D/g, '');
  return id.length >= 4 ? id.slice(-4) : null;
}

const LOOKUP_CODE = /^[A-HJ-NP-Z2-9]{12}$/;
/** Lookups per address per minute. */
const PUBLIC_RATE = 60;
/** Unknown codes (or wrong ID digits) per address per ten minutes before every lookup from it is refused: guessing is enumeration. */
const MISSES_ALLOWED = 10;
const MISS_WINDOW_MS = 10 * 60 * 1000;
/** Wrong ID digits for one receipt, from anywhere, per hour before its XML is no longer served online. */
const ID_ATTEMPTS_ALLOWED = 5;
const ID_WINDOW_MS = 60 * 60 * 1000;

export const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // A page of someone's receipt: no scripts, nothing from elsewhere, not cached by proxies.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The counter's print page may be framed by the staff console (same origin), which prints it from a hidden frame. */
const PRINT_HEADERS = { ...HTML_HEADERS, 'content-security-policy': HTML_HEADERS['content-security-policy'].replace("frame-ancestors 'none'", "frame-ancestors 'self'") };

/**
 * The printable page of a receipt, as the citizen (public) or the counter
 * sees it, with its signature's verdict: the lookup page, the print page and
 * the page e-mailed to the payer are this one page.
 */
export async function receiptPageHtml(db: Queryable, receipt: Receipt, opts: { audience: 'public' | 'counter'; baseUrl: string; verdict: VerificationResult }): Promise<string> {
  const lookupUrl = `${opts.baseUrl}/public/receipts/${receipt.lookupCode}`;
  const replacement = receipt.replacedBy ? await getReceipt(db, receipt.replacedBy.id) : null;
  return renderReceiptPage({
    receipt,
    center: await requireCenter(db),
    lookupUrl,
    xmlUrl: `${lookupUrl}/xml`,
    audience: opts.audience,
    xmlNeedsPayerId: opts.audience === 'public' && payerSecret(receipt) !== null,
    signature: {
      valid: opts.verdict.valid,
      signer:
        opts.verdict.signer?.subject
          .split(', ')
          .find((p) => p.startsWith('CN='))
          ?.slice(3) ?? null,
      signingTime: opts.verdict.signingTime,
      failed: opts.verdict.checks.filter((c) => !c.passed).map((c) => c.name),
    },
    notices: (await listNotices(db, receipt.id)).map((n) => ({ field: n.field, correctValue: n.correctValue, issuedAt: n.issuedAt })),
    replacedByUrl: replacement ? `${opts.baseUrl}/public/receipts/${replacement.lookupCode}` : null,
  });
}

const lookupRoutes: FastifyPluginAsyncZod = async (app) => {
  await limitPerAddress(app, 'lookups');
  // Behind a reverse proxy, request.ip is the citizen's address only with TRUST_PROXY naming the proxy:
  // otherwise every citizen shares the proxy's address, and one guesser would lock all of them out.
  const misses = new AttemptLimiter(app.clock, MISSES_ALLOWED, MISS_WINDOW_MS);
  const idAttempts = new AttemptLimiter(app.clock, ID_ATTEMPTS_ALLOWED, ID_WINDOW_MS);
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

  async function page(request: FastifyRequest, reply: FastifyReply, receipt: Receipt, audience: 'public' | 'counter') {
    const html = await receiptPageHtml(app.db, receipt, { audience, baseUrl: baseUrl(request), verdict: await signatureStatus(receipt) });
    return reply.headers(audience === 'counter' ? PRINT_HEADERS : HTML_HEADERS).send(html);
  }

  /** The receipt behind a lookup code, or null; unknown and malformed codes count as misses. */
  async function byCode(request: FastifyRequest, code: string): Promise<Receipt | null> {
    if (misses.blocked(clientKey(request.ip))) throw new AppError('RATE_LIMITED', 'too many unknown lookup codes from this address; try again later');
    const receipt = LOOKUP_CODE.test(code) ? await getReceiptByLookupCode(app.db, code) : null;
    if (!receipt) misses.record(clientKey(request.ip));
    return receipt;
  }

  const publicSchema = (summary: string) => ({
    tags: ['Citizens'],
    summary,
    description: `No key. At most ${PUBLIC_RATE} lookups per minute per address; after ${MISSES_ALLOWED} unknown codes in ten minutes, lookups from that address are refused for the rest of the window.`,
    params: z.object({ lookupCode: z.string().max(40) }),
  });

  app.get(
    '/public/receipts',
    {
      config: { rateLimit: { max: PUBLIC_RATE, timeWindow: '1 minute' } },
      schema: {
        tags: ['Citizens'],
        summary: 'The form to type a lookup code; with ?code= it leads to that receipt’s page',
        description: 'text/html. Spaces, dashes and lower case in the code are forgiven.',
        querystring: z.object({ code: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      const typed = request.query.code;
      if (typed === undefined) return reply.headers(HTML_HEADERS).send(lookupFormPage());
      const code = typed.toUpperCase().replace(/[\s-]/g, '');
      if (!LOOKUP_CODE.test(code)) {
        return reply.code(400).headers(HTML_HEADERS).send(lookupFormPage('Mã tra cứu gồm 12 ký tự (chữ in hoa và số, không có chữ O, I và số 0, 1). Vui lòng kiểm tra lại.'));
      }
      return reply.redirect(`/public/receipts/${code}`, 303);
    },
  );

  app.get(
    '/public/receipts/:lookupCode',
    {
      config: { rateLimit: { max: PUBLIC_RATE, timeWindow: '1 minute' } },
      schema: publicSchema('The receipt with this lookup code, as a printable page (Vietnamese, A5)'),
    },
    async (request, reply) => {
      const receipt = await byCode(request, request.params.lookupCode.toUpperCase());
      if (!receipt) return reply.code(404).headers(HTML_HEADERS).send(notFoundPage());
      return page(request, reply, receipt, 'public');
    },
  );

  /** A refusal of the XML download: a page for a person at a browser, a problem document for a program. */
  function refuse(request: FastifyRequest, reply: FastifyReply, err: AppError) {
    if (!/\btext\/html\b/.test(request.headers.accept ?? '')) throw err;
    const message =
      {
        RATE_LIMITED: 'Đã nhập sai quá nhiều lần. Vui lòng thử lại sau hoặc liên hệ quầy thu phí.',
        PAYER_ID_REQUIRED: 'Vui lòng nhập bốn số cuối của số định danh (hoặc mã số thuế) của người nộp để tải biên lai.',
      }[err.code as string] ?? 'Bốn số cuối không khớp với số định danh (hoặc mã số thuế) của người nộp. Vui lòng quay lại và nhập lại.';
    return reply.code(err.status).headers(HTML_HEADERS).send(messagePage('Không tải được biên lai', message));
  }

  app.get(
    '/public/receipts/:lookupCode/xml',
    {
      config: { rateLimit: { max: PUBLIC_RATE, timeWindow: '1 minute' } },
      schema: {
        ...publicSchema('The signed XML of the receipt with this lookup code'),
        description: `${publicSchema('').description} The signed XML carries the payer's full identity number, which the signature makes impossible to redact: when the receipt has one (or a tax code), \`id4\` must be its last four digits. After ${ID_ATTEMPTS_ALLOWED} wrong tries for one receipt in an hour, its XML is served only at the counter until the hour is over.`,
        querystring: z.object({ id4: z.string().max(20).optional().describe('Last four digits of the payer’s identity number, or of the tax code when there is none') }),
      },
    },
    async (request, reply) => {
      const code = request.params.lookupCode.toUpperCase();
      const receipt = await byCode(request, code);
      if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', 'no receipt has this lookup code');
      const secret = payerSecret(receipt);
      if (secret) {
        const given = request.query.id4;
        if (idAttempts.blocked(code)) return refuse(request, reply, new AppError('RATE_LIMITED', 'too many wrong tries for this receipt; ask at the counter, or try again in an hour'));
        if (!given) return refuse(request, reply, new AppError('PAYER_ID_REQUIRED', 'give the last four digits of the payer’s identity number (or tax code) as id4'));
        if (!/^\d{4}$/.test(given) || !timingSafeEqual(Buffer.from(given.padEnd(4)), Buffer.from(secret))) {
          misses.record(clientKey(request.ip));
          idAttempts.record(code);
          return refuse(request, reply, new AppError('PAYER_ID_MISMATCH'));
        }
      }
      return sendAttachment(reply, 'xml', `bien-lai-${receipt.series}-${receipt.number}.xml`, (await getReceiptXml(app.db, receipt.id))!);
    },
  );

  app.get(
    '/v1/receipts/:id/print',
    {
      config: { roles: access.readReceipts },
      schema: { tags: ['Receipts'], summary: 'The receipt as the printable page citizens see', description: 'text/html', params: idParams },
    },
    async (request, reply) => page(request, reply, await requireReceipt(app.db, request.params.id), 'counter'),
  );

  app.get(
    '/public/delegations',
    {
      config: { rateLimit: { max: PUBLIC_RATE, timeWindow: '1 minute' } },
      schema: {
        tags: ['Citizens'],
        summary: 'The posting sheet (niêm yết) of the delegations in force, to print and post at the counter',
        description: `text/html, A4. No key: the law has it posted where the fees are collected. At most ${PUBLIC_RATE} requests per minute per address.`,
        querystring: z.object({ date: isoDate.optional().describe('The day the sheet is for; today by default') }).strict(),
      },
    },
    async (request, reply) => {
      const date = request.query.date ?? vietnamDate(app.clock());
      const html = postingSheetHtml(await requireCenter(app.db), await listDelegations(app.db), date);
      return reply.headers(HTML_HEADERS).send(html);
    },
  );
};

export default lookupRoutes;
