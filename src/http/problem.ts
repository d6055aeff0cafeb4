import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, errorCatalogue, type ErrorCode, type FieldError } from './errors.ts';
import { isStorageFailure, noteStorageFailure } from '../db/failures.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]]).describe('Stable error code (README, Errors)'),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Each bad field'),
  })
  .describe('RFC 9457 problem details')
  .meta({ id: 'Problem' });

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

/** SQLSTATEs and socket errors that mean the database is gone for now, not that the request was wrong. */
// 55P03 and 57014: a lock or a statement that timed out (lock_timeout, statement_timeout): busy now, not wrong.
const UNREACHABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '55P03', '57014']);
const UNREACHABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Whether an error, or one it was caused by, says the database cannot be reached (lost, restarting, refusing). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = (e as Error & { cause?: unknown }).cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('08') || UNREACHABLE_STATES.has(code) || UNREACHABLE_SOCKET.has(code))) return true;
    if (code === '55000' && /not currently accepting connections/.test(e.message)) return true;
    // A Unix socket whose server is stopped is missing, not refusing.
    if (code === 'ENOENT' && (e as Error & { syscall?: string }).syscall === 'connect') return true;
    if (/^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/.test(e.message)) return true;
  }
  return false;
}

/** Turns Fastify's own errors (parsing, limits, validation) into catalogue errors. */
function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return new AppError('DATABASE_UNAVAILABLE', undefined, undefined, { cause: err });
  if (isStorageFailure(err)) {
    noteStorageFailure(err);
    return new AppError('STORAGE_UNAVAILABLE', undefined, undefined, { cause: err });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const errors = err.validation.map((v) => ({
      field: [
        where,
        ...String(v.instancePath ?? '')
          .split('/')
          .filter(Boolean),
      ].join('.'),
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

/** Seconds a client should wait before trying again, for the errors that pass by themselves. */
const RETRY_AFTER: Partial<Record<ErrorCode, string>> = { DATABASE_UNAVAILABLE: '5', SHUTTING_DOWN: '5', STORAGE_UNAVAILABLE: '30', SIGNER_UNAVAILABLE: '3' };

export function sendProblem(reply: FastifyReply, err: AppError, request: FastifyRequest): FastifyReply {
  const retry = RETRY_AFTER[err.code];
  if (retry) reply.header('retry-after', retry);
  return reply.code(err.status).type('application/problem+json').send(problemOf(err, request.url));
}

/**
 * The problem of one item of a batch, as the error handler would answer it
 * alone: an internal error is logged and says nothing more.
 */
export function itemProblem(err: unknown, log: { error(obj: object, msg: string): void }): Problem {
  const appError = toAppError(err as FastifyError);
  if (appError.status >= 500) log.error({ err }, 'batch item failed');
  return problemOf(appError.code === 'INTERNAL_ERROR' ? new AppError('INTERNAL_ERROR') : appError);
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
  app.setNotFoundHandler((request, reply) => sendProblem(reply, new AppError('ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0]} does not exist`), request));
}
