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

/** tryLockIdempotencyKey for several keys in one statement: whether each was locked, in order. */
export async function tryLockIdempotencyKeys(tx: Tx, keys: ReadonlyArray<{ scope: string; key: string }>): Promise<boolean[]> {
  const { rows } = await tx.query<{ ok: boolean }>(
    `SELECT pg_try_advisory_xact_lock(hashtext(x.scope), hashtext(x.key)) AS ok
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(scope, key, n) ORDER BY x.n`,
    [keys.map((k) => k.scope), keys.map((k) => k.key)],
  );
  return rows.map((r) => r.ok);
}

/** storedResponse for several keys in one statement, keyed by `${scope}\n${key}`. */
export async function storedResponses<T>(db: Queryable, keys: ReadonlyArray<{ scope: string; key: string }>): Promise<Map<string, { requestHash: string; status: number; body: T }>> {
  const { rows } = await db.query<{ scope: string; key: string; request_hash: string; response_status: number; response_body: T }>(
    `SELECT i.scope, i.key, i.request_hash, i.response_status, i.response_body
       FROM idempotency_keys i JOIN unnest($1::uuid[], $2::text[]) AS x(scope, key) ON i.scope = x.scope AND i.key = x.key`,
    [keys.map((k) => k.scope), keys.map((k) => k.key)],
  );
  return new Map(rows.map((r) => [`${r.scope}\n${r.key}`, { requestHash: r.request_hash, status: r.response_status, body: r.response_body }]));
}

/** insertStoredResponse for several responses in one statement. */
export async function insertStoredResponses(db: Queryable, rs: ReadonlyArray<{ scope: string; key: string; requestHash: string; status: number; body: unknown }>): Promise<void> {
  if (rs.length === 0) return;
  await db.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::jsonb[])`,
    [rs.map((r) => r.scope), rs.map((r) => r.key), rs.map((r) => r.requestHash), rs.map((r) => r.status), rs.map((r) => JSON.stringify(r.body))],
  );
}

/**
 * Records (scope, key) with a request's hash unless it is recorded already,
 * and returns the hash it is recorded with: a batch's key, written before its
 * items are issued, so the key is never used for another batch.
 */
export async function recordKeyOnce(db: Queryable, r: { scope: string; key: string; requestHash: string; body: unknown }): Promise<string | null> {
  const { rows } = await db.query<{ request_hash: string }>(
    `WITH inserted AS (
       INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, 202, $4)
       ON CONFLICT (scope, key) DO NOTHING RETURNING request_hash
     )
     SELECT request_hash FROM inserted UNION ALL SELECT request_hash FROM idempotency_keys WHERE scope = $1 AND key = $2 LIMIT 1`,
    [r.scope, r.key, r.requestHash, JSON.stringify(r.body)],
  );
  // No row: another request inserted the key at the same moment, and its row is not in this statement's snapshot.
  return rows[0]?.request_hash ?? null;
}
