import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/db.ts';
import { AppError } from './errors.ts';
import { canonicalJson } from '../text/canonical-json.ts';

export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/**
 * Runs a creating request at most once per (API key, Idempotency-Key).
 * The stored response is written in the same transaction as what `work`
 * creates: either both commit or neither, so a retry after a crash or a
 * restart either replays the committed response or runs afresh.
 * A concurrent request with the same key holds the advisory lock: 409.
 */
export async function runIdempotent<T>(db: Db, opts: { scope: string; key: string; hash: string }, work: (tx: Tx) => Promise<{ status: number; body: T }>): Promise<StoredResponse<T>> {
  return db.transaction(async (tx) => {
    const locked = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS ok', [opts.scope, opts.key]);
    if (!locked.rows[0]!.ok) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    const existing = await tx.query<{ request_hash: string; response_status: number; response_body: T }>(
      'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [opts.scope, opts.key],
    );
    const stored = existing.rows[0];
    if (stored) {
      if (stored.request_hash !== opts.hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { status: stored.response_status, body: stored.response_body, replayed: true };
    }
    const result = await work(tx);
    await tx.query('INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5)', [
      opts.scope,
      opts.key,
      opts.hash,
      result.status,
      JSON.stringify(result.body),
    ]);
    return { ...result, replayed: false };
  });
}

/** Reads and checks the Idempotency-Key header (printable ASCII, 1–200 characters). */
export function idempotencyKeyOf(headers: Record<string, unknown>): string {
  const key = headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 printable ASCII characters', [{ field: 'headers.idempotency-key', message: 'must be 1–200 printable ASCII characters' }]);
  }
  return key;
}

/**
 * Runs a creating route's work idempotently (the API conventions, README): the request's
 * Idempotency-Key, scoped to the caller's API key, replays the stored
 * response. `required` keys are refused when missing; optional ones, when
 * absent, run the work once in a plain transaction.
 */
export async function respondIdempotently<T>(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { scope: string; required: boolean; status: number; afterCommit?: (body: T) => void },
  work: (tx: Tx) => Promise<T>,
): Promise<FastifyReply> {
  const present = request.headers['idempotency-key'] !== undefined;
  if (!opts.required && !present) {
    const body = await db.transaction(work);
    opts.afterCommit?.(body);
    return reply.code(opts.status).send(body);
  }
  const key = idempotencyKeyOf(request.headers);
  const result = await runIdempotent<T>(
    db,
    // The path includes the resource id: the same key on another receipt is another request.
    { scope: opts.scope, key, hash: requestHash(request.method, request.url.split('?')[0]!, request.body) },
    async (tx) => ({ status: opts.status, body: await work(tx) }),
  );
  if (!result.replayed) opts.afterCommit?.(result.body);
  reply.header('idempotent-replayed', String(result.replayed));
  return reply.code(result.status).send(result.body);
}
