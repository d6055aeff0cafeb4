import createClient from 'openapi-fetch';
import type { components, paths } from './api-types.ts';

/**
 * The console talks to the service only through the contract (openapi.yaml,
 * typed by openapi-typescript): the same routes and checks as any counter
 * app. The session cookie travels by itself; the CSRF token the session gave
 * goes in a header on everything but reads.
 */
let csrfToken = '';
export const setCsrfToken = (token: string) => {
  csrfToken = token;
};
/** For the few calls made with fetch itself (an XML body). */
export const csrf = () => csrfToken;

export const api = createClient<paths>({ baseUrl: '' });
api.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
});

export type Schemas = components['schemas'];
/** The JSON form of a route's answer, for routes that also answer in other media types (CSV, XLSX). */
export type JsonOf<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer J } } } } } ? J : never;

/** A problem the API answered (RFC 9457), with the fields it names. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: Array<{ field: string; message: string }> = [],
  ) {
    super(detail);
  }

  /** The message for one field ("body.payer.name"), if the API named it. */
  field(name: string): string | undefined {
    return this.errors.find((e) => e.field === name)?.message;
  }
}

const problemOf = (status: number, body: unknown): Problem => {
  const p = (body ?? {}) as { code?: string; detail?: string; title?: string; errors?: Array<{ field: string; message: string }> };
  return new Problem(status, p.code ?? 'HTTP_ERROR', p.detail ?? p.title ?? `HTTP ${status}`, p.errors ?? []);
};

/** A whole amount typed in a form, or a Problem naming the field (nothing is sent). */
export function wholeAmount(value: number, field: string, message: string): number {
  if (Number.isSafeInteger(value)) return value;
  throw new Problem(400, 'VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);
}

/** The data of an openapi-fetch call, or a thrown Problem. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw problemOf(response.status, error);
  return data as T;
}

/** A download the contract describes by media type (CSV, XLSX, XML): fetched with the session, handed to the browser as a file. */
export async function download(url: string, accept: string, filename: string): Promise<Blob> {
  const response = await fetch(url, { headers: { accept } });
  if (!response.ok) throw problemOf(response.status, await response.json().catch(() => null));
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return blob;
}

/** A key for one submission of a form: a retry of the same submission is the same request (Idempotency-Key). */
export const idempotencyKey = () => crypto.randomUUID();
