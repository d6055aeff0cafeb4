import { AppError } from '../http/errors.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendAttachment } from '../http/attachment.ts';
import { actorOf, access, principalOf } from '../http/access.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { codeSchema } from '../reference/schemas.ts';
import { knownDepartment } from '../reference/known.ts';
import { isoDate } from '../time/dates.ts';
import { feeSharesXlsx, XLSX_TYPE } from './xlsx.ts';
import { checkDayEnded, dailySummary, dailySummaryCsv, dailySummaryData } from '../tax/daily-summary.ts';
import { entriesQuery, ledgerEntrySchema, listEntries } from './entries.ts';
import { dailyShares, dailySharesSchema, feeSharesCsv, feeSharesQuery, feeSharesReport, feeSharesReportSchema } from './fee-shares.ts';

const tags = ['Reports'];
const wantsCsv = (request: FastifyRequest) => /\btext\/csv\b/.test(request.headers.accept ?? '');
const wantsXlsx = (request: FastifyRequest) => (request.headers.accept ?? '').includes(XLSX_TYPE);

const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/reports/fee-shares',
    {
      config: { roles: access.reports },
      schema: {
        tags,
        summary: 'Collected, refunded and shares per department and kind',
        description:
          'JSON; CSV (UTF-8 with BOM) with `Accept: text/csv`; an Excel workbook (XLSX, amounts as number cells) with `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`. Days are Vietnamese calendar days, inclusive.',
        querystring: feeSharesQuery,
        response: { 200: feeSharesReportSchema },
      },
    },
    async (request, reply) => {
      const report = await feeSharesReport(app.db, request.query);
      if (wantsXlsx(request)) return sendAttachment(reply, 'xlsx', `fee-shares-${report.from}-${report.to}.xlsx`, await feeSharesXlsx(report));
      if (!wantsCsv(request)) return report;
      return sendAttachment(reply, 'csv', `fee-shares-${report.from}-${report.to}.csv`, feeSharesCsv(report));
    },
  );

  app.get(
    '/v1/reports/fee-shares/daily',
    {
      config: { roles: access.reports },
      schema: {
        tags,
        summary: 'Collected, refunded and shares per day: the trend over a period (at most a year)',
        querystring: feeSharesQuery,
        response: { 200: dailySharesSchema },
      },
    },
    async (request) => dailyShares(app.db, request.query),
  );

  app.get(
    '/v1/reports/fee-shares/entries',
    {
      config: { roles: access.reports },
      schema: {
        tags,
        summary: 'The ledger entries behind the fee-share figures',
        querystring: entriesQuery.extend(pageQuery),
        response: { 200: pageOf(ledgerEntrySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, ...q } = request.query;
      const rows = await listEntries(app.db, { ...q, afterId: decodeCursor(cursor, 'int'), limit: limit + 1 });
      return toPage(
        rows,
        limit,
        (e) => e,
        (e) => e.id,
      );
    },
  );

  app.get(
    '/v1/reports/daily-summary',
    {
      config: { roles: access.reports, csrfOnRead: true },
      schema: {
        tags,
        summary: 'Daily summary of receipt data (form 01/TH-BLĐT), signed XML or CSV',
        description:
          'Signed XML of one department’s first summary of the day (schemas/daily-summary.xsd; `department` required), or CSV of every department with `Accept: text/csv`. ' +
          'Only for a day that has ended (Vietnam time). The daily job makes each day’s summaries by itself; an accountant’s request makes them if the job has not yet. ' +
          'Supplements: GET /v1/daily-summaries.',
        querystring: z.object({ date: isoDate.describe('Vietnamese calendar day, before today'), department: codeSchema.optional() }),
      },
    },
    async (request, reply) => {
      const { date, department } = request.query;
      if (department) await knownDepartment(app.db, department);
      const name = `01-TH-BLDT-${date}${department ? `-${department}` : ''}`;
      if (wantsCsv(request)) {
        checkDayEnded(date, app.clock());
        return sendAttachment(reply, 'csv', `${name}.csv`, dailySummaryCsv(await dailySummaryData(app.db, date, department)));
      }
      if (!department) {
        throw new AppError('VALIDATION_FAILED', 'the signed summary is one per collecting organisation: name the department (GET /v1/daily-summaries lists the day’s)', [
          { field: 'querystring.department', message: 'required for the signed XML (CSV covers every department)' },
        ]);
      }
      const principal = principalOf(request);
      const xml = await dailySummary(
        app.db,
        { date, department },
        {
          signer: app.signer,
          now: app.clock(),
          actor: actorOf(principal),
          mayCreate: principal.role === 'accountant',
          config: app.config,
        },
      );
      return sendAttachment(reply, 'xml', `${name}.xml`, xml);
    },
  );
};

export default reportRoutes;
