import { z } from 'zod';
import { apiKeySchema } from './auth/api-keys.ts';
import { loginSchema } from './auth/logins.ts';
import { sessionSchema } from './auth/session-routes.ts';
import { correctionRequestSchema, errorNoticeSchema } from './corrections/schemas.ts';
import { centerSchema, departmentSchema, feeSchema, seriesSchema } from './reference/schemas.ts';
import { receiptSchema } from './receipts/schemas.ts';
import { refundSchema } from './refunds/schemas.ts';
import { staffMemberSchema } from './staff/schemas.ts';
import { verificationResultSchema } from './verification/routes.ts';

/**
 * What the OpenAPI document says beyond the routes' zod schemas, in one place:
 * named component schemas, operation ids, the Idempotency-Key a route
 * requires, the media types of documents served as they are stored, problem
 * responses as application/problem+json, and the server.
 */

// The entities counter apps handle, written once under components and referred to.
const named: Array<[z.ZodType, string]> = [
  [receiptSchema, 'Receipt'],
  [refundSchema, 'Refund'],
  [errorNoticeSchema, 'ErrorNotice'],
  [correctionRequestSchema, 'CorrectionRequest'],
  [centerSchema, 'Center'],
  [departmentSchema, 'Department'],
  [feeSchema, 'Fee'],
  [seriesSchema, 'Series'],
  [staffMemberSchema, 'StaffMember'],
  [apiKeySchema, 'ApiKey'],
  [loginSchema, 'Login'],
  [sessionSchema, 'Session'],
  [verificationResultSchema, 'VerificationResult'],
];
for (const [schema, id] of named) if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id });

/** Operations that refuse a request without an Idempotency-Key (400 IDEMPOTENCY_KEY_REQUIRED). */
export const idempotentOperations = ['POST /v1/receipts', 'POST /v1/receipts/batch', 'POST /v1/receipts/{id}/refunds', 'POST /v1/receipts/{id}/replacement', 'POST /v1/receipts/{id}/error-notices'];

const stored = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });
const xml = (what: string) => stored('application/xml', `${what}: the signed XML, byte for byte as stored`);

/** Success responses of the routes that send documents rather than JSON. */
const documents: Record<string, Record<string, unknown>> = {
  'GET /v1/receipts/{id}/xml': xml('The receipt'),
  'GET /v1/refunds/{id}/xml': xml('The refund voucher'),
  'GET /v1/error-notices/{id}/xml': xml('The error notice (04/SS-CTĐT)'),
  'GET /v1/daily-summaries/{id}/xml': xml('The daily summary (01/TH-BLĐT)'),
  'GET /v1/registrations/{id}/xml': xml('The registration (01/ĐKTĐ-CTĐT)'),
  'GET /v1/receipts/{id}/print': stored('text/html', 'The printable page'),
  'GET /v1/periods/{month}/report': stored('application/json', 'The report exactly as stored at closing; the report-sha256 header is its SHA-256'),
  'GET /v1/reports/daily-summary': {
    description: 'The signed XML of one department’s summary, or with Accept: text/csv the CSV of every department',
    content: { 'application/xml': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
  },
};

/** Other media types a JSON route also answers in, chosen by the Accept header. */
const alternatives: Record<string, Record<string, unknown>> = {
  'GET /v1/reports/fee-shares': {
    'text/csv': { schema: { type: 'string' } },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
  },
};

/** Request bodies that are not JSON. */
const bodies: Record<string, Record<string, unknown>> = {
  'POST /v1/verify': {
    required: true,
    description: 'The signed XML document to verify',
    content: { 'application/xml': { schema: { type: 'string' } } },
  },
};

/** getReceiptsByIdXml from GET /v1/receipts/{id}/xml: unique, since method and path are. */
export function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => {
      const param = /^\{(.+)\}$/.exec(s);
      const word = (param ? `by-${param[1]}` : s).replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase());
      return word.charAt(0).toUpperCase() + word.slice(1);
    });
  return method.toLowerCase() + words.join('');
}

type Operation = {
  operationId?: string;
  parameters?: Array<Record<string, unknown>>;
  responses?: Record<string, { content?: Record<string, unknown> }>;
  requestBody?: Record<string, unknown>;
};

/** Completes the generated document (see above). */
export function finishContract<T extends { paths?: Record<string, Record<string, Operation>>; servers?: unknown }>(doc: T, publicUrl: string | undefined): T {
  doc.servers = [{ url: publicUrl ?? 'http://127.0.0.1:3000', description: publicUrl ? 'This center' : 'npm start (development)' }];
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(operations)) {
      const key = `${method.toUpperCase()} ${path}`;
      op.operationId ??= operationId(method, path);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (/^[45]/.test(status) && response.content?.['application/json']) {
          response.content = { 'application/problem+json': response.content['application/json'] };
        }
      }
      if (idempotentOperations.includes(key)) {
        op.parameters = [
          ...(op.parameters ?? []).filter((p) => p.name !== 'idempotency-key'),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'Chosen by the client, 1–200 printable ASCII characters, scoped to its API key: a retry with the same key returns what the first request did, and changes nothing more',
            schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
          },
        ];
      }
      if (documents[key] && !Object.keys(op.responses ?? {}).some((s) => s.startsWith('2'))) op.responses = { 200: documents[key], ...op.responses };
      if (bodies[key]) op.requestBody = bodies[key];
      const ok = op.responses?.['200'];
      if (alternatives[key] && ok?.content) ok.content = { ...ok.content, ...alternatives[key] };
    }
  }
  pruneUnreferenced(doc as { components?: { schemas?: Record<string, unknown> } });
  return doc;
}

/** Drops component schemas nothing refers to (the generator writes an input copy of each named schema). */
function pruneUnreferenced(doc: { components?: { schemas?: Record<string, unknown> } }): void {
  const schemas = doc.components?.schemas;
  if (!schemas) return;
  for (;;) {
    const { schemas: _all, ...rest } = doc.components!;
    const text = JSON.stringify([{ ...doc, components: rest }, Object.values(schemas)]);
    const unused = Object.keys(schemas).filter((name) => !text.includes(`"#/components/schemas/${name}"`));
    if (unused.length === 0) return;
    for (const name of unused) delete schemas[name];
  }
}
