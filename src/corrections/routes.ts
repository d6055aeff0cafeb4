import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access, principalOf } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { respondIdempotently } from '../http/idempotency.ts';
import { decodeCursor, pageOf, pageQuery, toPage, wholeList } from '../http/pagination.ts';
import { safeText } from '../text/safe-text.ts';
import { approveCorrection, rejectCorrection, requestErrorNotice, requestReplacement } from './approval.ts';
import { getRequest, listNotices, listRequests, requestView } from './repository.ts';
import { correctionKinds, correctionRequestSchema, correctionStatuses, errorNoticeInputSchema, errorNoticeSchema, replaceReceiptSchema } from './schemas.ts';
import { getNotice, getNoticeXml } from './service.ts';

const tags = ['Corrections'];
const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional().describe('Required') });

const correctionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/receipts/:id/replacement',
    {
      config: { roles: access.cashier },
      schema: {
        tags,
        summary: 'Ask for a replacement receipt (Circular 91 Art. 20); it is issued when another person, an accountant, approves',
        description:
          'Requires an Idempotency-Key header. Refused while the receipt has refunds (approved or pending) or another correction waiting. ' +
          'A cashier key tied to a counter may ask only for receipts of its counter.',
        headers: idempotencyHeader,
        params: idParams,
        body: replaceReceiptSchema,
        response: { 201: correctionRequestSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      return respondIdempotently(app.db, request, reply, { scope: principal.keyId, required: true, status: 201 }, (tx) =>
        requestReplacement(tx, request.params.id, request.body, { principal, now: app.clock() }),
      );
    },
  );

  app.post(
    '/v1/receipts/:id/error-notices',
    {
      config: { roles: access.cashier },
      schema: {
        tags,
        summary: 'Ask for an error notice (04/SS-CTĐT) on the payer’s name or address or the amount in words; signed when an accountant approves',
        description: 'Requires an Idempotency-Key header. A cashier key tied to a counter may ask only for receipts of its counter.',
        headers: idempotencyHeader,
        params: idParams,
        body: errorNoticeInputSchema,
        response: { 201: correctionRequestSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      return respondIdempotently(app.db, request, reply, { scope: principal.keyId, required: true, status: 201 }, (tx) =>
        requestErrorNotice(tx, request.params.id, request.body, { principal, now: app.clock() }),
      );
    },
  );

  app.get(
    '/v1/corrections',
    {
      config: { roles: access.readReceipts },
      schema: {
        tags,
        summary: 'Correction requests, oldest first (status=pending: what waits for an accountant)',
        querystring: z.object({
          ...pageQuery,
          status: z.enum(correctionStatuses).optional(),
          kind: z.enum(correctionKinds).optional(),
          receipt: z.uuid().optional().describe('Requests about one receipt'),
        }),
        response: { 200: pageOf(correctionRequestSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status, kind, receipt } = request.query;
      const rows = await listRequests(app.db, { status, kind, receiptId: receipt, afterSeq: decodeCursor(cursor, 'int'), limit: limit + 1 });
      return toPage(rows, limit, requestView, (r) => r.seq);
    },
  );

  app.get(
    '/v1/corrections/:id',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'One correction request', params: idParams, response: { 200: correctionRequestSchema } },
    },
    async (request) => {
      const found = await getRequest(app.db, request.params.id);
      if (!found) throw new AppError('CORRECTION_NOT_FOUND', `no correction request ${request.params.id}`);
      return found.view;
    },
  );

  app.post(
    '/v1/corrections/:id/approve',
    {
      config: { roles: access.accountant },
      schema: {
        tags,
        summary: 'Approve a correction: the replacement is issued (numbered, signed, posted) or the error notice signed (not by the requester)',
        params: idParams,
        response: { 200: correctionRequestSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return app.db.transaction((tx) => approveCorrection(tx, request.params.id, { principal, signer: app.signer, now: app.clock, config: app.config }));
    },
  );

  app.post(
    '/v1/corrections/:id/reject',
    {
      config: { roles: access.accountant },
      schema: {
        tags,
        summary: 'Reject a correction, with a reason (not by the requester); nothing else changes',
        params: idParams,
        body: z.object({ reason: safeText(500, { multiline: true }) }).strict(),
        response: { 200: correctionRequestSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return app.db.transaction((tx) => rejectCorrection(tx, request.params.id, request.body.reason, { principal, now: app.clock() }));
    },
  );

  app.get(
    '/v1/receipts/:id/error-notices',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'Error notices of a receipt (approved and signed)', params: idParams, response: { 200: wholeList(errorNoticeSchema) } },
    },
    async (request) => ({ data: await listNotices(app.db, request.params.id), nextCursor: null }),
  );

  app.get(
    '/v1/error-notices/:id',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'One error notice', params: idParams, response: { 200: errorNoticeSchema } },
    },
    async (request) => getNotice(app.db, request.params.id),
  );

  app.get(
    '/v1/error-notices/:id/xml',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'The signed error notice, byte for byte as stored', description: 'application/xml', params: idParams },
    },
    async (request, reply) => sendAttachment(reply, 'xml', `error-notice-${request.params.id}.xml`, await getNoticeXml(app.db, request.params.id)),
  );
};

export default correctionRoutes;
