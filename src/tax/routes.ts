import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, access, principalOf } from '../http/access.ts';
import { sendAttachment } from '../http/attachment.ts';
import { AppError } from '../http/errors.ts';
import { idParams } from '../http/ids.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { codeSchema } from '../reference/schemas.ts';
import { addWorkingDays, isoDate } from '../time/dates.ts';
import { vietnamDate } from '../time/vietnam.ts';
import { safeText } from '../text/safe-text.ts';
import { makeDaySummaries, resendSummary, toStoredSummary } from './daily-summary.ts';
import { listSummaryRecords, storedXml } from './repository/summaries.ts';
import { listTransmissions } from './repository/transmissions.ts';
import { MAX_MESSAGE_BYTES } from './envelope.ts';
import { createRegistration, firstIssuingDay, inForce, lastIssuingDay, listDelegations, listRegistrations } from './registration.ts';
import { recordReply } from './sender.ts';

const tags = ['Tax authority'];

const storedSummarySchema = z.object({
  id: z.uuid(),
  dataId: z.string(),
  date: z.string(),
  department: z.string(),
  supplement: z.number().int().describe('0: the first submission (LDau); n: supplement n (BSLThu)'),
  sequence: z.number().int().describe('The department’s running number of summaries (Số)'),
  receipts: z.number().int(),
  createdAt: z.string(),
  xmlSha256: z.string(),
  resends: z.uuid().nullable().describe('The refused summary this supplement sends again'),
});

const registrationSchema = z.object({
  id: z.uuid(),
  dataId: z.string(),
  kind: z.union([z.literal(1), z.literal(2)]).describe('HThuc: 1 the first registration, 2 a change'),
  createdAt: z.string(),
  delegations: z.number().int().describe('How many delegations section 5 declares'),
  xmlSha256: z.string(),
  status: z.enum(['pending', 'sent', 'accepted', 'rejected']).describe('Its message’s: accepted once the tax authority accepts it'),
  reply: z.object({ code: z.string().nullable(), text: z.string().nullable(), at: z.string().nullable() }).nullable(),
});

const createRegistrationSchema = z
  .object({
    contact: z
      .object({
        name: safeText(50).pipe(z.string().min(1)),
        address: safeText(400).pipe(z.string().min(1)),
        email: z.email().max(50),
        phone: z.string().regex(/^\+?[0-9 .()-]{6,20}$/, 'must be a phone number: 6–20 digits, spaces, . ( ) - and an optional +'),
      })
      .strict()
      .describe('Who the tax office contacts about the registration'),
    purpose: safeText(255).pipe(z.string().min(1)).default('Thu phí, lệ phí thủ tục hành chính tại bộ phận một cửa').describe('MDich of each delegation'),
    method: safeText(255).pipe(z.string().min(1)).default('Tiền mặt, chuyển khoản, thẻ, mã QR').describe('PThuc of each delegation: how payers pay'),
  })
  .strict();

const delegationViewSchema = z.object({
  seriesId: z.number().int(),
  template: z.string(),
  series: z.string(),
  rangeFrom: z.number().int(),
  rangeTo: z.number().int(),
  department: z.object({ code: z.string(), name: z.string(), taxCode: z.string() }),
  notifiedOn: z.string(),
  from: z.string(),
  to: z.string(),
  terminatedOn: z.string().nullable(),
  firstIssuingDay: z.string().describe('The term’s start, and not before notification + 3 days'),
  lastIssuingDay: z.string().describe('The term’s end, or the day before an early termination'),
  inForce: z.boolean().describe('Whether the center may issue on it on the day asked'),
});

const transmissionSchema = z.object({
  id: z.uuid(),
  messageCode: z.string().describe('MTDiep: the sender code and an upper-case UUID; the same on every attempt'),
  messageType: z.number().int().describe('MLTDiep'),
  documentType: z.enum(['daily-summary', 'error-notice', 'registration']),
  documentId: z.string(),
  documentDate: z.string().nullable(),
  taxCode: z.string(),
  createdAt: z.string(),
  status: z.enum(['pending', 'sent', 'accepted', 'rejected']),
  attempts: z.array(z.object({ at: z.string(), transport: z.string(), outcome: z.enum(['delivered', 'failed']), detail: z.string() })),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  reply: z.object({ type: z.number().int().nullable(), code: z.string().nullable(), text: z.string().nullable(), at: z.string().nullable() }).nullable(),
  overdue: z.boolean().describe('A daily summary not yet delivered 3 working days (Monday–Friday) after its day'),
});

const taxRoutes: FastifyPluginAsyncZod = async (app) => {
  // Scoped to this plugin: a reply to record comes as the XML the tax authority sent.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: MAX_MESSAGE_BYTES }, (_req, body, done) => done(null, body));

  app.get(
    '/v1/daily-summaries',
    {
      config: { roles: access.reports },
      schema: {
        tags,
        summary: 'The summaries 01/TH-BLĐT made (first submissions and supplements), newest day first',
        querystring: z.object({ ...pageQuery, date: isoDate.optional(), department: codeSchema.optional() }),
        response: { 200: pageOf(storedSummarySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, date, department } = request.query;
      const after = decodeCursor(cursor, 'summary');
      const rows = await listSummaryRecords(app.db, { date, department, before: after, limit: limit + 1 });
      return toPage(rows, limit, toStoredSummary, (r) => r.data_id);
    },
  );

  app.get(
    '/v1/daily-summaries/:id/xml',
    {
      config: { roles: access.reports },
      schema: { tags, summary: 'A summary’s signed XML, byte for byte as stored', params: idParams },
    },
    async (request, reply) => {
      const stored = await storedXml(app.db, 'daily_summaries', request.params.id);
      if (!stored) throw new AppError('DAILY_SUMMARY_NOT_FOUND', `no summary ${request.params.id}`);
      return sendAttachment(reply, 'xml', `01-TH-BLDT-${stored.dataId}.xml`, stored.xml);
    },
  );

  app.post(
    '/v1/daily-summaries',
    {
      config: { roles: access.accountant },
      schema: {
        tags,
        summary: 'Make now what is due for a day that has ended: first summaries, and supplements for rows changed since they were reported',
        description: 'The daily job does this by itself after each day; this is for a past day that should not wait. Nothing new: an empty list.',
        body: z.object({ date: isoDate.describe('A Vietnamese calendar day before today') }),
        response: { 201: z.object({ data: z.array(storedSummarySchema) }) },
      },
    },
    async (request, reply) => {
      const made = await makeDaySummaries(app.db, request.body.date, {
        signer: app.signer,
        now: app.clock(),
        actor: actorOf(principalOf(request)),
        config: app.config,
      });
      return reply.code(201).send({ data: made });
    },
  );

  app.get(
    '/v1/transmissions',
    {
      config: { roles: [...access.admin, ...access.reports] },
      schema: {
        tags,
        summary: 'Messages to the tax authority: document, attempts, reply; newest first',
        querystring: z.object({
          ...pageQuery,
          status: z.enum(['pending', 'sent', 'accepted', 'rejected']).optional(),
          documentType: z.enum(['daily-summary', 'error-notice', 'registration']).optional(),
        }),
        response: { 200: pageOf(transmissionSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status, documentType } = request.query;
      const after = decodeCursor(cursor, 'int');
      const rows = await listTransmissions(app.db, { status, documentType, before: after, limit: limit + 1 });
      const today = vietnamDate(app.clock());
      return toPage(
        rows,
        limit,
        (t) => ({
          id: t.id,
          messageCode: t.message_code,
          messageType: t.message_type,
          documentType: t.document_type,
          documentId: t.document_id,
          documentDate: t.document_date,
          taxCode: t.tax_code,
          createdAt: t.created_at.toISOString(),
          status: t.status,
          attempts: t.attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
          nextAttemptAt: t.status === 'pending' ? t.next_attempt_at.toISOString() : null,
          sentAt: t.sent_at?.toISOString() ?? null,
          reply: t.reply_type === null ? null : { type: t.reply_type, code: t.reply_code, text: t.reply_text, at: t.replied_at?.toISOString() ?? null },
          overdue: t.document_type === 'daily-summary' && t.status === 'pending' && !!t.document_date && today > addWorkingDays(t.document_date, 3),
        }),
        (t) => Number(t.seq),
      );
    },
  );

  app.post(
    '/v1/transmissions/:id/reply',
    {
      config: { roles: [...access.accountant, ...access.admin] },
      schema: {
        tags,
        summary: 'Record the tax authority’s reply to a delivered message',
        description:
          'Body: the reply envelope as the tax authority sent it (Content-Type application/xml): TDiep of type 999 or 204 whose MTDTChieu is this message’s code, TBao › DLTBao › TTTNhan 0 (accepted) or 1 (refused, with DSLDo › LDo). ' +
          'For the folder transport (the reply is downloaded from the tax portal) and for a result (204) that follows a technical receipt (999). A refusal or a result is final. ' +
          'It must be addressed to this service’s sender code (MNNhan) about the message’s taxpayer (MST). Its signature is not checked (the tax authority’s certificate is not configured); the audit trail keeps who recorded it and the reply’s SHA-256.',
        params: idParams,
        response: { 200: transmissionSchema.pick({ id: true, messageCode: true, status: true, reply: true }) },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the reply as application/xml');
      const t = await recordReply(app.db, request.params.id, request.body, app.clock(), actorOf(principalOf(request)), app.config);
      return { id: request.params.id, messageCode: t.messageCode, status: t.status, reply: { type: t.reply.type, code: t.reply.code, text: t.reply.text, at: t.at.toISOString() } };
    },
  );

  app.post(
    '/v1/daily-summaries/:id/resend',
    {
      config: { roles: access.accountant },
      schema: {
        tags,
        summary: 'Send a refused summary’s rows again, as the day’s next supplement',
        description: 'Once the reason the tax authority gave is dealt with. Only a refused summary, and once (a refused supplement can itself be sent again).',
        params: idParams,
        response: { 201: storedSummarySchema },
      },
    },
    async (request, reply) => {
      const made = await resendSummary(app.db, request.params.id, {
        signer: app.signer,
        now: app.clock(),
        actor: actorOf(principalOf(request)),
        config: app.config,
      });
      return reply.code(201).send(made);
    },
  );

  app.post(
    '/v1/registrations',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'File a registration 01/ĐKTĐ-CTĐT: signed, stored and sent to the tax authority',
        description:
          'The first is a registration (HThuc 1), later ones changes (HThuc 2). Section 5 declares each series delegated to the center ' +
          '(principal, template, series, range, purpose, term, method) that runs on the day of the previous registration or later, so a change carries the terminations since. ' +
          'Needs the center’s tax office (PUT /v1/center).',
        body: createRegistrationSchema,
        response: { 201: registrationSchema },
      },
    },
    async (request, reply) => {
      const made = await createRegistration(app.db, request.body, {
        signer: app.signer,
        now: app.clock(),
        actor: actorOf(principalOf(request)),
        config: app.config,
      });
      return reply.code(201).send(made);
    },
  );

  app.get(
    '/v1/registrations',
    {
      config: { roles: [...access.admin, ...access.reports] },
      schema: { tags, summary: 'The registrations filed, newest first, with the tax authority’s answer', response: { 200: z.object({ data: z.array(registrationSchema) }) } },
    },
    async () => ({ data: await listRegistrations(app.db) }),
  );

  app.get(
    '/v1/registrations/:id',
    {
      config: { roles: [...access.admin, ...access.reports] },
      schema: { tags, summary: 'One registration and the tax authority’s answer', params: idParams, response: { 200: registrationSchema } },
    },
    async (request) => {
      const [found] = await listRegistrations(app.db, request.params.id);
      if (!found) throw new AppError('REGISTRATION_NOT_FOUND', `no registration ${request.params.id}`);
      return found;
    },
  );

  app.get(
    '/v1/registrations/:id/xml',
    {
      config: { roles: [...access.admin, ...access.reports] },
      schema: { tags, summary: 'A registration’s signed XML, byte for byte as stored', params: idParams },
    },
    async (request, reply) => {
      const stored = await storedXml(app.db, 'registrations', request.params.id);
      if (!stored) throw new AppError('REGISTRATION_NOT_FOUND', `no registration ${request.params.id}`);
      return sendAttachment(reply, 'xml', `01-DKTD-CTDT-${stored.dataId}.xml`, stored.xml);
    },
  );

  app.get(
    '/v1/delegations',
    {
      config: { roles: access.anyKey },
      schema: {
        tags,
        summary: 'Every series delegated to the center, with the days the center may issue on it',
        querystring: z.object({ date: isoDate.optional().describe('The day `inForce` is about; today by default') }).strict(),
        response: { 200: z.object({ data: z.array(delegationViewSchema) }) },
      },
    },
    async (request) => {
      const date = request.query.date ?? vietnamDate(app.clock());
      return { data: (await listDelegations(app.db)).map((d) => ({ ...d, firstIssuingDay: firstIssuingDay(d), lastIssuingDay: lastIssuingDay(d), inForce: inForce(d, date) })) };
    },
  );
};

export default taxRoutes;
