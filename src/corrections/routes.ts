import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { idParams } from '../http/ids.ts';
import { access, principalOf } from '../auth/plugin.ts';
import { respondIdempotently } from '../http/idempotency.ts';
import { wholeList } from '../http/pagination.ts';
import { receiptSchema } from '../receipts/schemas.ts';
import { errorNoticeInputSchema, errorNoticeSchema, replaceReceiptSchema } from './schemas.ts';
import { getNotice, getNoticeXml, issueErrorNotice, listNotices, replaceReceipt } from './service.ts';

const tags = ['Corrections'];

const correctionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/receipts/:id/replacement', {
    config: { roles: access.cashier },
    schema: {
      tags,
      summary: 'Issue a replacement receipt; the original becomes replaced (Circular 91 Art. 20)',
      description: 'Requires an Idempotency-Key header. Not allowed while the receipt has approved or pending refunds.',
      headers: z.object({ 'idempotency-key': z.string().optional().describe('Required') }),
      params: idParams,
      body: replaceReceiptSchema,
      response: { 201: receiptSchema },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    return respondIdempotently(app.db, request, reply, { scope: principal.keyId, required: true, status: 201 }, (tx) =>
      replaceReceipt(tx, request.params.id, request.body, { principal, signer: app.signer, now: app.clock }),
    );
  });

  app.post('/v1/receipts/:id/error-notices', {
    config: { roles: access.cashier },
    schema: {
      tags,
      summary: 'Issue an error notice (04/SS-CTĐT) for the payer’s name or address or the amount in words',
      description: 'Takes an optional Idempotency-Key header.',
      params: idParams,
      body: errorNoticeInputSchema,
      response: { 201: errorNoticeSchema },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    return respondIdempotently(app.db, request, reply, { scope: principal.keyId, required: false, status: 201 }, (tx) =>
      issueErrorNotice(tx, request.params.id, request.body, { principal, signer: app.signer, now: app.clock() }),
    );
  });

  app.get('/v1/receipts/:id/error-notices', {
    config: { roles: access.readReceipts },
    schema: { tags, summary: 'Error notices of a receipt', params: idParams, response: { 200: wholeList(errorNoticeSchema) } },
  }, async (request) => ({ data: await listNotices(app.db, request.params.id), nextCursor: null }));

  app.get('/v1/error-notices/:id', {
    config: { roles: access.readReceipts },
    schema: { tags, summary: 'One error notice', params: idParams, response: { 200: errorNoticeSchema } },
  }, async (request) => getNotice(app.db, request.params.id));

  app.get('/v1/error-notices/:id/xml', {
    config: { roles: access.readReceipts },
    schema: { tags, summary: 'The signed error notice, byte for byte as stored', description: 'application/xml', params: idParams },
  }, async (request, reply) =>
    sendAttachment(reply, 'xml', `error-notice-${request.params.id}.xml`, await getNoticeXml(app.db, request.params.id)),
  );
};

export default correctionRoutes;
