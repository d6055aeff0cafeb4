import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { isoDate } from '../time/dates.ts';
import { documentTypes } from './documents.ts';
import { auditPeriod } from './period-audit.ts';
import { recordMatcher } from './record-match.ts';
import { checkNames, MAX_DOCUMENT_BYTES } from './verifier.ts';

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

export const verificationResultSchema = z.object({
  valid: z.boolean().describe('True only if every check that applies passed'),
  document: z
    .object({
      type: z.enum(documentTypes),
      dataId: z.string(),
      issuerTaxCode: z.string().optional().describe('The issuing center’s tax code the document names; the signer must be that center'),
      template: z.string().optional(),
      series: z.string().optional(),
      number: z.number().int().optional(),
      issueDate: z.string().optional(),
      total: z.number().int().optional(),
      parts: z.object({ fee: z.number().int(), charge: z.number().int() }).optional(),
      documentId: z.string().optional(),
      day: z.string().optional(),
      receipts: z.array(z.object({ template: z.string(), series: z.string(), number: z.number().int(), total: z.number().int() })).optional(),
    })
    .nullable()
    .describe('What the signature covers, read only from the signed content'),
  signer: z.object({ subject: z.string(), issuer: z.string(), serialNumber: z.string() }).nullable(),
  trustAnchor: z
    .object({ subject: z.string(), development: z.boolean().describe('A development CA: never trusted in production') })
    .nullable()
    .describe('The trusted CA the signer’s certificate chains to'),
  signingTime: z.string().nullable(),
  record: z
    .object({
      status: z.enum(['issued', 'replaced', 'partly-refunded', 'refunded', 'recorded']),
      replacedBy: z.object({ template: z.string(), series: z.string(), number: z.number().int(), issueDate: z.string() }).optional(),
      refunded: z.number().int().optional(),
    })
    .nullable()
    .describe('What the center’s records say of the document now: a receipt replaced or refunded since it was signed says so'),
  checks: z.array(z.object({ name: z.enum(checkNames), passed: z.boolean(), skipped: z.boolean().optional(), reason: z.string() })),
});

const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  // Scoped to this plugin: only /v1/verify takes an XML body.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/v1/verify',
    {
      config: { roles: access.verify },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags: ['Verification'],
        summary: 'Verify one signed document: receipt, refund voucher, error notice, daily summary or registration',
        description: `Body: the XML document (Content-Type application/xml), at most ${MAX_DOCUMENT_BYTES} bytes. One entry per check, each with its reason. \`expect\` names the kind of document the caller holds: another kind fails document-type, saying what it is.`,
        querystring: z.object({ expect: z.enum(documentTypes).optional() }).strict(),
        response: { 200: verificationResultSchema },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the document as application/xml');
      return app.verifier.verify(request.body, {
        trustDir: app.config.TRUST_DIR,
        now: app.clock(),
        expect: request.query.expect,
        recordMatch: recordMatcher(app.db),
      });
    },
  );

  app.post(
    '/v1/audit/verify-period',
    {
      config: { roles: access.audit },
      schema: {
        tags: ['Audit'],
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
};

export default verificationRoutes;
