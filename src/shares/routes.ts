import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, principalOf, actorOf } from '../http/access.ts';
import { codeSchema } from '../reference/schemas.ts';
import { wholeList } from '../http/pagination.ts';
import { createShareRateSchema, setShareRate, shareRateSchema } from '../reference/rates.ts';
import { listShareRates } from '../reference/repository.ts';

const tags = ['Shares'];

const shareRateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/share-rates',
    {
      config: { roles: access.anyKey },
      schema: {
        tags,
        summary: 'Share rates with the day each starts',
        querystring: z.object({ department: codeSchema.optional() }),
        response: { 200: wholeList(shareRateSchema) },
      },
    },
    async (request) => ({ data: await listShareRates(app.db, request.query.department), nextCursor: null }),
  );

  app.post(
    '/v1/share-rates',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'Set a department’s share rate for one kind from today or a later day',
        body: createShareRateSchema,
        response: { 201: shareRateSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await app.db.transaction((tx) => setShareRate(tx, request.body, app.clock(), actorOf(principalOf(request))))),
  );
};

export default shareRateRoutes;
