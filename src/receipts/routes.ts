import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access, principalOf } from '../http/access.ts';
import { actorOf } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { respondIdempotently } from '../http/idempotency.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { codeSchema, SERIES_SYMBOL } from '../reference/schemas.ts';
import { isoDate } from '../time/dates.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import { getReceiptXml, listReceipts } from './repository.ts';
import { issueReceiptSchema, receiptSchema, receiptStatuses } from './schemas.ts';
import { issueReceipt, requireReceipt } from './service.ts';

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
        }),
        response: { 200: pageOf(receiptSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, department, series, status, from, to } = request.query;
      if (from && to && from > to) {
        throw new AppError('VALIDATION_FAILED', `from ${from} is after to ${to}`, [{ field: 'querystring.from', message: 'is after to' }]);
      }
      const before = decodeCursor(cursor, 'int');
      const rows = await listReceipts(app.db, {
        department,
        series,
        status,
        from: from ? vietnamDayStart(from) : undefined,
        to: to ? vietnamDayEnd(to) : undefined,
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
