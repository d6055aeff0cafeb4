import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access, principalOf } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { respondIdempotently } from '../http/idempotency.ts';
import { decodeCursor, pageOf, pageQuery, toPage, wholeList } from '../http/pagination.ts';
import { getRefund, getVoucherXml, listRefunds, refundView } from './repository.ts';
import { decideRefundSchema, refundSchema, refundStatuses, requestRefundSchema } from './schemas.ts';
import { approveRefund, rejectRefund, requestRefund } from './service.ts';

const tags = ['Refunds'];

const refundRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/receipts/:id/refunds',
    {
      config: { roles: access.cashier },
      schema: {
        tags,
        summary: 'Request a refund of part or all of a receipt (pending until an accountant decides)',
        description: 'Requires an Idempotency-Key header.',
        headers: z.object({ 'idempotency-key': z.string().optional().describe('Required') }),
        params: idParams,
        body: requestRefundSchema,
        response: { 201: refundSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      return respondIdempotently(app.db, request, reply, { scope: principal.keyId, required: true, status: 201 }, (tx) =>
        requestRefund(tx, request.params.id, request.body, { principal, now: app.clock() }),
      );
    },
  );

  app.get(
    '/v1/receipts/:id/refunds',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'Refunds of a receipt', params: idParams, response: { 200: wholeList(refundSchema) } },
    },
    async (request) => ({ data: (await listRefunds(app.db, { receiptId: request.params.id, limit: 1000 })).map(refundView), nextCursor: null }),
  );

  app.get(
    '/v1/refunds',
    {
      config: { roles: access.readReceipts },
      schema: {
        tags,
        summary: 'Refunds, oldest first (status=pending: what waits for an accountant)',
        querystring: z.object({ ...pageQuery, status: z.enum(refundStatuses).optional() }),
        response: { 200: pageOf(refundSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const rows = await listRefunds(app.db, { status, afterSeq: decodeCursor(cursor, 'int'), limit: limit + 1 });
      return toPage(rows, limit, refundView, (r) => r.seq);
    },
  );

  app.get(
    '/v1/refunds/:id',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'One refund', params: idParams, response: { 200: refundSchema } },
    },
    async (request) => {
      const refund = await getRefund(app.db, request.params.id);
      if (!refund) throw new AppError('REFUND_NOT_FOUND', `no refund ${request.params.id}`);
      return refund.view;
    },
  );

  app.get(
    '/v1/refunds/:id/xml',
    {
      config: { roles: access.readReceipts },
      schema: { tags, summary: 'The signed refund voucher, byte for byte as stored', description: 'application/xml; exists once the refund is approved.', params: idParams },
    },
    async (request, reply) => {
      const xml = await getVoucherXml(app.db, request.params.id);
      if (!xml) throw new AppError('REFUND_NOT_FOUND', `no approved refund ${request.params.id}`);
      return sendAttachment(reply, 'xml', `refund-${request.params.id}.xml`, xml);
    },
  );

  app.post(
    '/v1/refunds/:id/approve',
    {
      config: { roles: access.accountant },
      schema: {
        tags,
        summary: 'Approve a refund: issues the signed voucher and reverses the shares (not by the requester)',
        params: idParams,
        response: { 200: refundSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return app.db.transaction((tx) => approveRefund(tx, request.params.id, { principal, signer: app.signer, now: app.clock() }));
    },
  );

  app.post(
    '/v1/refunds/:id/reject',
    {
      config: { roles: access.accountant },
      schema: { tags, summary: 'Reject a refund, with a reason (not by the requester)', params: idParams, body: decideRefundSchema, response: { 200: refundSchema } },
    },
    async (request) => {
      const principal = principalOf(request);
      return app.db.transaction((tx) => rejectRefund(tx, request.params.id, request.body.reason, { principal, now: app.clock() }));
    },
  );
};

export default refundRoutes;
