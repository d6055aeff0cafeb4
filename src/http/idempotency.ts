import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/db.ts';
import { AppError } from './errors.ts';
import { canonicalJson } from '../text/canonical-json.ts';
import { insertStoredResponse, storedResponse, storedResponses, tryLockIdempotencyKey, tryLockIdempotencyKeys } from './repository.ts';

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
    if (!(await tryLockIdempotencyKey(tx, opts.scope, opts.key))) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    const stored = await storedResponse<T>(tx, opts.scope, opts.key);
    if (stored) {
      if (stored.requestHash !== opts.hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { status: stored.status, body: stored.body, replayed: true };
    }
    const result = await work(tx);
    await insertStoredResponse(tx, { scope: opts.scope, key: opts.key, requestHash: opts.hash, status: result.status, body: result.body });
    return { ...result, replayed: false };
  });
}

/** One request's claim on its (API key, Idempotency-Key): what runIdempotent takes. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  hash: string;
}

/** What a claim comes to inside a transaction: run the work, or answer without it. */
export type ClaimOutcome<T> = { run: true } | { run: false; replay: StoredResponse<T> } | { run: false; error: AppError };

/**
 * runIdempotent's checks for several requests in one transaction (a group of
 * receipts), in two statements: each claim's key locked until the transaction
 * ends, and its stored response, if any. A request without a claim runs; a
 * key claimed twice in one group is in progress the second time. The caller
 * stores the responses of those that ran (insertStoredResponses) before committing.
 */
export async function claimAll<T>(tx: Tx, claims: ReadonlyArray<IdempotencyClaim | undefined>): Promise<ClaimOutcome<T>[]> {
  const present = claims.filter((c): c is IdempotencyClaim => c !== undefined);
  if (present.length === 0) return claims.map(() => ({ run: true }));
  const locked = await tryLockIdempotencyKeys(tx, present);
  const stored = await storedResponses<T>(tx, present);
  const seen = new Set<string>();
  let n = 0;
  return claims.map((claim): ClaimOutcome<T> => {
    if (!claim) return { run: true };
    const id = `${claim.scope}\n${claim.key}`;
    const first = !seen.has(id);
    seen.add(id);
    if (!locked[n++] || !first) return { run: false, error: new AppError('IDEMPOTENCY_IN_PROGRESS') };
    const previous = stored.get(id);
    if (!previous) return { run: true };
    if (previous.requestHash !== claim.hash) return { run: false, error: new AppError('IDEMPOTENCY_KEY_REUSED') };
    return { run: false, replay: { status: previous.status, body: previous.body, replayed: true } };
  });
}

/** The stored answer to a claim whose request can no longer run (its body no longer checks out), read without a lock. */
export async function storedAnswer<T>(db: Db, claim: IdempotencyClaim): Promise<StoredResponse<T> | null> {
  const stored = await storedResponse<T>(db, claim.scope, claim.key);
  if (!stored) return null;
  if (stored.requestHash !== claim.hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  return { status: stored.status, body: stored.body, replayed: true };
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
