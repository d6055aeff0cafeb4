import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeQueryText } from '../text/safe-text.ts';
import { access } from '../http/access.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { isoDate } from '../time/dates.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import { verifyChain } from './chain.ts';
import { listEvents } from './repository.ts';

const tags = ['Audit'];

const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorKey: z.string().nullable(),
  actorStaff: z.string().nullable().optional().describe('The staff member behind the key'),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string().describe('SHA-256 of prevHash, a newline and the event as canonical JSON'),
});

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/audit/events',
    {
      config: { roles: access.audit },
      schema: {
        tags,
        summary: 'The audit trail, oldest first',
        querystring: z.object({
          ...pageQuery,
          action: safeQueryText(100).optional(),
          subjectType: safeQueryText(50).optional(),
          subjectId: safeQueryText(100).optional(),
          from: isoDate.optional().describe('First Vietnamese calendar day'),
          to: isoDate.optional().describe('Last Vietnamese calendar day'),
        }),
        response: { 200: pageOf(auditEventSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, from, to, ...filters } = request.query;
      const after = decodeCursor(cursor, 'int');
      const rows = await listEvents(app.db, {
        ...filters,
        from: from ? vietnamDayStart(from) : undefined,
        to: to ? vietnamDayEnd(to) : undefined,
        afterSeq: after,
        limit: limit + 1,
      });
      return toPage(
        rows,
        limit,
        (e) => e,
        (e) => e.seq,
      );
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { roles: access.audit },
      schema: {
        tags,
        summary: 'Recompute the hash chain and name the first broken event',
        response: {
          200: z.object({
            valid: z.boolean(),
            events: z.number().int().describe('Events checked before the first break'),
            head: z.object({ seq: z.number().int(), hash: z.string() }).describe('The last intact event'),
            firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
          }),
        },
      },
    },
    async () => verifyChain(app.db),
  );
};

export default auditRoutes;
