import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { finishContract } from './contract.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import authPlugin from './auth/plugin.ts';
import apiKeyRoutes from './auth/routes.ts';
import sessionRoutes from './auth/session-routes.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';
import { AppError } from './http/errors.ts';
import { problemSchema, registerProblemHandlers } from './http/problem.ts';
import opsRoutes from './ops/routes.ts';
import receiptRoutes from './receipts/routes.ts';
import referenceRoutes from './reference/routes.ts';
import services, { type Services } from './services.ts';
import shareRateRoutes from './shares/routes.ts';
import reportRoutes from './reports/routes.ts';
import periodRoutes from './periods/routes.ts';
import refundRoutes from './refunds/routes.ts';
import consoleRoutes from './console/routes.ts';
import correctionRoutes from './corrections/routes.ts';
import verificationRoutes from './verification/routes.ts';
import auditRoutes from './audit/routes.ts';
import lookupRoutes from './lookup/routes.ts';
import staffRoutes from './staff/routes.ts';
import taxRoutes from './tax/routes.ts';

/** A hop count trusts that many proxies nearest the service (as proxy-addr does with a number). */
const trustProxyOption = (v: boolean | number | string[]) => (typeof v === 'number' ? (_address: string, hop: number) => hop < v : v);

/** Largest request body: a receipt of 50 items is ~10 KB. */
export const BODY_LIMIT = 64 * 1024;

export const openapiInfo = {
  title: 'E-receipt and fee collection service',
  description: 'Signed electronic fee receipts (Decree 254/2026, Circular 91/2026) for a public administration service center. ' + 'Errors are RFC 9457 problem details with a stable `code`.',
  version: '0.1.0',
};

/**
 * Builds the app: plugins and routes only; it never listens (server.ts does).
 * Order: external services → auth → routes; fastify-plugin names and
 * dependencies make a wrong order fail at boot.
 */
export async function buildApp(deps: Services, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Behind a reverse proxy, request.ip is the client only for proxies named in TRUST_PROXY.
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    ajv: { customOptions: { removeAdditional: false } },
    // Requests arriving while the service shuts down get our problem document (below), not Fastify's own 503.
    return503OnClosing: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (shuttingDown) {
      reply.header('connection', 'close');
      throw new AppError('SHUTTING_DOWN');
    }
  });
  // JSON in and out (the API conventions, README): any other body is 415, not parsed as text.
  app.removeContentTypeParser('text/plain');

  // Keyed routes document their problem responses; public ones need no key.
  app.addHook('onRoute', (route) => {
    route.schema ??= {};
    const schema = route.schema as Record<string, unknown>;
    if (route.config?.roles) {
      schema.response = { ...(schema.response as object), '4xx': problemSchema, '5xx': problemSchema };
    } else {
      schema.security = [];
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: openapiInfo,
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'A person signed in at the staff console (POST /v1/session); requests other than GET also send X-CSRF-Token' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (the problem document) are written once under components and referred to.
    transformObject: (input) => finishContract(jsonSchemaTransformObject(input) as Parameters<typeof finishContract>[0], deps.config.PUBLIC_URL) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  // The docs share the console's origin: their pages get a CSP too, so a flaw in them cannot read a session's CSRF token.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Not upgrade-insecure-requests: a center trying the service over plain HTTP on its network keeps working docs.
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, '').replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(services, deps);
  await app.register(cookie);
  await app.register(authPlugin);
  await app.register(sessionRoutes);
  await app.register(opsRoutes);
  await app.register(referenceRoutes);
  await app.register(staffRoutes);
  await app.register(taxRoutes);
  await app.register(apiKeyRoutes);
  await app.register(receiptRoutes);
  await app.register(shareRateRoutes);
  await app.register(reportRoutes);
  await app.register(periodRoutes);
  await app.register(refundRoutes);
  await app.register(correctionRoutes);
  await app.register(verificationRoutes);
  await app.register(auditRoutes);
  await app.register(lookupRoutes);
  await app.register(consoleRoutes);
  return app;
}
