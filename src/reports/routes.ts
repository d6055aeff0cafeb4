import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { actorOf } from '../auth/api-keys.ts';
import { access, principalOf } from '../auth/plugin.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { codeSchema } from '../reference/schemas.ts';
import { knownDepartment } from '../reference/known.ts';
import { isoDate } from '../time/dates.ts';
import { checkDayEnded, dailySummary, dailySummaryCsv, dailySummaryData } from './daily-summary.ts';
import { entriesQuery, ledgerEntrySchema, listEntries } from './entries.ts';
import { feeSharesCsv, feeSharesQuery, feeSharesReport, feeSharesReportSchema } from './fee-shares.ts';

const tags = ['Reports'];
const wantsCsv = (request: FastifyRequest) => /\btext\/csv\b/.test(request.headers.accept ?? '');

const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/reports/fee-shares', {
    config: { roles: access.reports },
    schema: {
      tags,
      summary: 'Collected, refunded and shares per department and kind',
      description: 'JSON, or CSV (UTF-8 with BOM) with `Accept: text/csv`. Days are Vietnamese calendar days, inclusive.',
      querystring: feeSharesQuery,
      response: { 200: feeSharesReportSchema },
    },
  }, async (request, reply) => {
    const report = await feeSharesReport(app.db, request.query);
    if (!wantsCsv(request)) return report;
    return sendAttachment(reply, 'csv', `fee-shares-${report.from}-${report.to}.csv`, feeSharesCsv(report));
  });

  app.get('/v1/reports/fee-shares/entries', {
    config: { roles: access.reports },
    schema: {
      tags,
      summary: 'The ledger entries behind the fee-share figures',
      querystring: entriesQuery.extend(pageQuery),
      response: { 200: pageOf(ledgerEntrySchema) },
    },
  }, async (request) => {
    const { limit, cursor, ...q } = request.query;
    const rows = await listEntries(app.db, { ...q, afterId: decodeCursor(cursor, 'int'), limit: limit + 1 });
    return toPage(rows, limit, (e) => e, (e) => e.id);
  });

  app.get('/v1/reports/daily-summary', {
    config: { roles: access.reports },
    schema: {
      tags,
      summary: 'Daily summary of receipt data (form 01/TH-BLĐT), signed XML or CSV',
      description: 'Signed XML (schemas/daily-summary.xsd), or CSV with `Accept: text/csv`. Only for a day that has ended (Vietnam time): '
        + 'an accountant’s first request makes, signs and stores it; every later one gets the stored bytes. An auditor reads summaries already made.',
      querystring: z.object({ date: isoDate.describe('Vietnamese calendar day, before today'), department: codeSchema.optional() }),
    },
  }, async (request, reply) => {
    const { date, department } = request.query;
    if (department) await knownDepartment(app.db, department);
    const name = `01-TH-BLDT-${date}${department ? `-${department}` : ''}`;
    if (wantsCsv(request)) {
      checkDayEnded(date, app.clock());
      return sendAttachment(reply, 'csv', `${name}.csv`, dailySummaryCsv(await dailySummaryData(app.db, date, department)));
    }
    const principal = principalOf(request);
    const xml = await dailySummary(app.db, { date, department }, { signer: app.signer, now: app.clock(), actor: actorOf(principal), mayCreate: principal.role === 'accountant' });
    return sendAttachment(reply, 'xml', `${name}.xml`, xml);
  });
};

export default reportRoutes;
