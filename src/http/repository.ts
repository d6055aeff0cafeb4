import type { Queryable, Tx } from '../db/db.ts';

/**
 * Takes the lock of one (scope, Idempotency-Key) until the transaction ends,
 * without waiting: false when a concurrent request holds it.
 */
export async function tryLockIdempotencyKey(tx: Tx, scope: string, key: string): Promise<boolean> {
  const locked = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS ok', [scope, key]);
  return locked.rows[0]!.ok;
}

/** The response stored for (scope, Idempotency-Key) and the hash of the request that made it, if any. */
export async function storedResponse<T>(db: Queryable, scope: string, key: string): Promise<{ requestHash: string; status: number; body: T } | null> {
  const existing = await db.query<{ request_hash: string; response_status: number; response_body: T }>(
    'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  const stored = existing.rows[0];
  return stored ? { requestHash: stored.request_hash, status: stored.response_status, body: stored.response_body } : null;
}

export async function insertStoredResponse(db: Queryable, r: { scope: string; key: string; requestHash: string; status: number; body: unknown }): Promise<void> {
  await db.query('INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5)', [
    r.scope,
    r.key,
    r.requestHash,
    r.status,
    JSON.stringify(r.body),
  ]);
}
