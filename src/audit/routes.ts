import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeQueryText } from '../text/safe-text.ts';
import { access } from '../auth/plugin.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { isoDate } from '../time/dates.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import { listEvents, verifyChain } from './chain.ts';
import { AppError } from '../http/errors.ts';
import { auditPeriod } from '../verification/period-audit.ts';

const tags = ['Audit'];

const periodAuditSchema = z.object({
  from: z.string(),
  to: z.string(),
  documents: z.object({ receipts: z.number().int(), refundVouchers: z.number().int(), errorNotices: z.number().int(), dailySummaries: z.number().int(), registrations: z.number().int() }),
  valid: z.number().int(),
  invalid: z.number().int(),
  findings: z.array(
    z.object({
      type: z.enum(['receipt', 'refund-voucher', 'error-notice', 'daily-summary', 'registration', 'ledger-aggregate']),
      id: z.string(),
      label: z.string().describe('The record: a receipt’s template, series and number, a refund, a notice, or a day’s aggregate'),
      problems: z.array(z.string()).describe('Each failed check, and each field whose record differs from the signed document'),
    }),
  ),
  workers: z.number().int(),
  durationMs: z.number().int(),
});

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

  app.post(
    '/v1/audit/verify-period',
    {
      config: { roles: access.audit },
      schema: {
        tags,
        summary: 'Re-verify every stored document of a period against its signature and the ledger',
        description: 'Receipts, refund vouchers, error notices, daily summaries and registrations, on all cores. At most 92 days per request (the CLI has no limit).',
        body: z.object({ from: isoDate, to: isoDate }).strict(),
        response: { 200: periodAuditSchema },
      },
    },
    async (request) => {
      const { from, to } = request.body;
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (days < 0) throw new AppError('VALIDATION_FAILED', `from ${from} is after to ${to}`, [{ field: 'body.from', message: 'is after to' }]);
      if (days > 91)
        throw new AppError('VALIDATION_FAILED', 'at most 92 days per request; use `receipts verify --from --to` for more', [{ field: 'body.to', message: 'more than 92 days after from' }]);
      return auditPeriod(app.db, { from, to }, { pool: app.verifier, trustDir: app.config.TRUST_DIR, now: app.clock() });
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
