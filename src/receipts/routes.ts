import { safeQueryText } from '../text/safe-text.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access, principalOf, actorOf } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { idempotencyKeyOf, requestHash } from '../http/idempotency.ts';
import { itemProblem } from '../http/problem.ts';
import { recordKeyOnce } from '../http/repository.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { codeSchema, SERIES_SYMBOL } from '../reference/schemas.ts';
import { addDays, isoDate } from '../time/dates.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import { getReceiptXml, listReceipts } from './repository.ts';
import { batchResultSchema, batchSchema, issueReceiptSchema, MAX_BATCH, receiptSchema, receiptStatuses } from './schemas.ts';
import { requireReceipt } from './service.ts';

/** Longest period a text search of receipts covers. */
const MAX_SEARCH_DAYS = 366;

const tags = ['Receipts'];

/** A batch of 1,000 receipts with long names and addresses fits. */
const BATCH_BODY_LIMIT = 4 * 1024 * 1024;

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
      const key = idempotencyKeyOf(request.headers);
      const timer = app.metrics.signSeconds.startTimer();
      const result = await app.issuing.issue({
        input: request.body,
        ctx: { actor: actorOf(principal), counter: principal.counter },
        idempotency: { scope: principal.keyId, key, hash: requestHash(request.method, request.url.split('?')[0]!, request.body) },
      });
      timer();
      if (!result.replayed) app.metrics.receiptsIssued.inc({ department: result.body.department.code });
      reply.header('idempotent-replayed', String(result.replayed));
      return reply.code(201).send(result.body);
    },
  );

  app.post(
    '/v1/receipts/batch',
    {
      config: { roles: access.cashier },
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags,
        summary: `Issue up to ${MAX_BATCH} receipts (dossiers paid online, back-office imports)`,
        description:
          'Requires an Idempotency-Key header, one for the batch. Each item is issued as POST /v1/receipts would issue it and has its own result, in order; ' +
          'a body that does not validate is refused whole (400) and issues nothing. Items of one series get ascending numbers in their order, ' +
          'in groups between counter requests (which go first). Sending the same batch again with the same key answers the items already issued ' +
          'with their receipts (replayed) and tries the failed ones again; another body with that key is refused (IDEMPOTENCY_KEY_REUSED).',
        headers: z.object({ 'idempotency-key': z.string().optional().describe('Required: 1–200 printable ASCII characters') }),
        body: batchSchema,
        response: { 200: batchResultSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const key = idempotencyKeyOf(request.headers);
      const hash = requestHash(request.method, request.url.split('?')[0]!, request.body);
      const { receipts } = request.body;
      // The batch's key is kept first, so it can never cover another batch; each item has a key of its own under it.
      const recorded = await recordKeyOnce(app.db, { scope: principal.keyId, key: `batch ${key}`, requestHash: hash, body: { items: receipts.length } });
      if (recorded === null) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
      if (recorded !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      const ctx = { actor: actorOf(principal), counter: principal.counter };
      const settled = await app.issuing.issueBatch(receipts.map((input, index) => ({ input, ctx, idempotency: { scope: principal.keyId, key: `batch ${key} ${index}`, hash: `${hash} ${index}` } })));
      const results = settled.map((outcome, index) => {
        if (outcome.status === 'fulfilled') {
          if (!outcome.value.replayed) app.metrics.receiptsIssued.inc({ department: outcome.value.body.department.code });
          return { index, status: 201 as const, replayed: outcome.value.replayed, receipt: outcome.value.body };
        }
        const problem = itemProblem(outcome.reason, request.log);
        return { index, status: problem.status, problem };
      });
      const issued = results.filter((r) => r.status === 201).length;
      return { issued, failed: results.length - issued, results };
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
