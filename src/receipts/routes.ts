import { safeQueryText } from '../text/safe-text.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access, principalOf, actorOf } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { respondIdempotently } from '../http/idempotency.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { codeSchema, SERIES_SYMBOL } from '../reference/schemas.ts';
import { addDays, isoDate } from '../time/dates.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import { getReceiptXml, listReceipts } from './repository.ts';
import { issueReceiptSchema, receiptSchema, receiptStatuses } from './schemas.ts';
import { issueReceipt, requireReceipt } from './service.ts';

/** Longest period a text search of receipts covers. */
const MAX_SEARCH_DAYS = 366;

const tags = ['Receipts'];

const receiptRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/receipts',
    {
      config: { roles: access.cashier },
      schema: {
        tags,
        summary: 'Issue a signed receipt',
        description: 'Requires an Idempotency-Key header. The same key with the same body returns the original response.',
        headers: z.object({ 'idempotency-key': z.string().optional().describe('Required: 1–200 printable ASCII characters') }),
        body: issueReceiptSchema,
        response: { 201: receiptSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const afterCommit = (receipt: { department: { code: string } }) => app.metrics.receiptsIssued.inc({ department: receipt.department.code });
      return respondIdempotently(app.db, request, reply, { scope: principal.keyId, required: true, status: 201, afterCommit }, async (tx) => {
        const timer = app.metrics.signSeconds.startTimer();
        const receipt = await issueReceipt(tx, request.body, { signer: app.signer, actor: actorOf(principal), counter: principal.counter, now: app.clock });
        timer();
        return receipt;
      });
    },
  );

  app.get(
    '/v1/receipts',
    {
      config: { roles: access.readReceipts },
      schema: {
        tags,
        summary: 'List receipts, newest first',
        querystring: z.object({
          ...pageQuery,
          department: codeSchema.optional(),
          series: z.string().regex(SERIES_SYMBOL).optional(),
          status: z.enum(receiptStatuses).optional(),
          from: isoDate.optional().describe('First Vietnamese calendar day, inclusive'),
          to: isoDate.optional().describe('Last Vietnamese calendar day, inclusive'),
          q: safeQueryText(100).optional().describe(`A receipt number, or part of the payer’s name or of the dossier code (case ignored); needs from and to, at most ${MAX_SEARCH_DAYS} days apart`),
        }),
        response: { 200: pageOf(receiptSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, department, series, status, from, to, q } = request.query;
      if (from && to && from > to) {
        throw new AppError('VALIDATION_FAILED', `from ${from} is after to ${to}`, [{ field: 'querystring.from', message: 'is after to' }]);
      }
      // A text search reads every receipt of its days: it is bounded by them.
      if (q !== undefined && (!from || !to)) {
        throw new AppError('VALIDATION_FAILED', 'a search (q) needs from and to', [{ field: !from ? 'querystring.from' : 'querystring.to', message: 'is required with q' }]);
      }
      if (q !== undefined && from && to && addDays(from, MAX_SEARCH_DAYS - 1) < to) {
        throw new AppError('VALIDATION_FAILED', `a search (q) covers at most ${MAX_SEARCH_DAYS} days`, [{ field: 'querystring.to', message: `more than ${MAX_SEARCH_DAYS} days after from` }]);
      }
      const before = decodeCursor(cursor, 'int');
      const rows = await listReceipts(app.db, {
        department,
        series,
        status,
        from: from ? vietnamDayStart(from) : undefined,
        to: to ? vietnamDayEnd(to) : undefined,
        text: q?.trim() || undefined,
        beforeSeq: before,
        limit: limit + 1,
      });
      return toPage(
        rows,
        limit,
        (r) => r.receipt,
        (r) => r.seq,
      );
    },
  );

  app.get(
    '/v1/receipts/:id',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'One receipt', params: idParams, response: { 200: receiptSchema } },
    },
    async (request) => requireReceipt(app.db, request.params.id),
  );

  app.get(
    '/v1/receipts/:id/xml',
    {
      config: { roles: access.readReceipts },
      schema: {
        tags,
        summary: 'The signed XML, byte for byte as stored',
        description: 'Responds with application/xml: the exact bytes that were signed and stored.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const xml = await getReceiptXml(app.db, request.params.id);
      if (!xml) throw new AppError('RECEIPT_NOT_FOUND', `no receipt ${request.params.id}`);
      return sendAttachment(reply, 'xml', `receipt-${request.params.id}.xml`, xml);
    },
  );
};

export default receiptRoutes;
