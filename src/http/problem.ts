import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, errorCatalogue, type ErrorCode, type FieldError } from './errors.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]]).describe('Stable error code (README, Errors)'),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('Each bad field'),
  })
  .describe('RFC 9457 problem details');

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
}

export function problemOf(err: AppError, instance?: string): Problem {
  return {
    type: `urn:receipts:problem:${err.code}`,
    title: errorCatalogue[err.code].title,
    status: err.status,
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

/** Turns Fastify's own errors (parsing, limits, validation) into catalogue errors. */
function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const errors = err.validation.map((v) => ({
      field: [where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is not valid',
    }));
    return new AppError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON', err.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', err.message);
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new AppError('MALFORMED_JSON', err.message);
  return new AppError('INTERNAL_ERROR', undefined, undefined, { cause: err });
}

export function sendProblem(reply: FastifyReply, err: AppError, request: FastifyRequest): FastifyReply {
  return reply.code(err.status).type('application/problem+json').send(problemOf(err, request.url));
}

/** The one place errors become RFC 9457 problem details. 5xx details never reach the client. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
      if (appError.code === 'INTERNAL_ERROR') return sendProblem(reply, new AppError('INTERNAL_ERROR'), request);
    }
    return sendProblem(reply, appError, request);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new AppError('ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0]} does not exist`), request),
  );
}
