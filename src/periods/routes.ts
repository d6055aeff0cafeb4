import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, principalOf, actorOf } from '../http/access.ts';
import { wholeList } from '../http/pagination.ts';
import { getPeriod, listClosedPeriods } from './repository.ts';
import { closePeriod, monthSchema, periodSchema, storedReport } from './service.ts';

const tags = ['Periods'];
const monthParams = z.object({ month: monthSchema });

const periodRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/periods/:month/close',
    {
      config: { roles: access.accountant },
      schema: {
        tags,
        summary: 'Close a month that has ended; its report is stored with a hash, for good',
        params: monthParams,
        response: { 201: periodSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(principalOf(request));
      return reply.code(201).send(await app.db.transaction((tx) => closePeriod(tx, request.params.month, actor, app.clock())));
    },
  );

  app.get(
    '/v1/periods',
    {
      config: { roles: access.reports },
      schema: { tags, summary: 'Closed periods', response: { 200: wholeList(periodSchema) } },
    },
    async () => ({ data: await listClosedPeriods(app.db), nextCursor: null }),
  );

  app.get(
    '/v1/periods/:month',
    {
      config: { roles: access.reports },
      schema: { tags, summary: 'Whether a month is open or closed', params: monthParams, response: { 200: periodSchema } },
    },
    async (request) => getPeriod(app.db, request.params.month),
  );

  app.get(
    '/v1/periods/:month/report',
    {
      config: { roles: access.reports },
      schema: {
        tags,
        summary: 'The closed month’s fee-share report, byte for byte as stored at closing',
        description: 'The body is exactly the stored JSON; the `report-sha256` header is its hash.',
        params: monthParams,
      },
    },
    async (request, reply) => {
      const { report, sha256 } = await storedReport(app.db, request.params.month);
      return reply
        .type('application/json; charset=utf-8')
        .header('report-sha256', sha256)
        .serializer((s: string) => s)
        .send(report);
    },
  );
};

export default periodRoutes;
