import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { safeText } from '../text/safe-text.ts';
import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';

/** The people's roles (API.md), and `monitor` for a metrics scraper, which may read /metrics and nothing else. */
export const roles = ['admin', 'cashier', 'accountant', 'auditor', 'monitor'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  counter: z.string().nullable().describe('Counter a cashier key is tied to'),
  prefix: z.string().describe('First characters of the key, to recognise it'),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createApiKeySchema = z
  .object({
    name: safeText(100),
    role: roleSchema,
    counter: z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1–20 letters, digits, _ or -').optional(),
  })
  .strict();

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  counter_code: string | null;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const view = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  counter: r.counter_code,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** Keys are 256 random bits, so a plain SHA-256 is a safe hash to store (no password stretching needed). */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Who did something, for the audit trail. */
export const actorOf = (p: Principal): Actor & { keyId: string } => ({ keyId: p.keyId, name: p.name });

export async function createApiKey(
  db: Queryable,
  input: z.infer<typeof createApiKeySchema>,
  actor: Actor,
  now = new Date(),
): Promise<{ key: ApiKey; secret: string }> {
  if (input.counter && input.role !== 'cashier') {
    throw new AppError('VALIDATION_FAILED', 'only a cashier key can be tied to a counter', [
      { field: 'body.counter', message: 'only a cashier key can be tied to a counter' },
    ]);
  }
  const secret = `rk_${input.role}_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, name, role, counter_code, prefix, key_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [randomUUID(), input.name, input.role, input.counter ?? null, secret.slice(0, 16), hashKey(secret)],
  );
  const key = view(rows[0]!);
  await appendEvent(db, { actor, action: 'api_key.created', subjectType: 'api_key', subjectId: key.id, details: { name: key.name, role: key.role, counter: key.counter, prefix: key.prefix } }, now);
  return { key, secret };
}

export async function listApiKeys(db: Queryable, opts: { limit: number; after?: string }): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT * FROM api_keys WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
    [opts.after ?? null, opts.limit + 1],
  );
  return rows;
}
export { view as apiKeyView };

export async function revokeApiKey(db: Queryable, id: string, actor: Actor, now = new Date()): Promise<ApiKey> {
  const { rows } = await db.query<ApiKeyRow & { was_revoked: boolean }>(
    `UPDATE api_keys k SET revoked_at = COALESCE(k.revoked_at, now()) FROM api_keys old
      WHERE k.id = $1::uuid AND old.id = k.id RETURNING k.*, old.revoked_at IS NOT NULL AS was_revoked`,
    [id],
  );
  if (!rows[0]) throw new AppError('API_KEY_NOT_FOUND', `no API key ${id}`);
  const key = view(rows[0]);
  if (!rows[0].was_revoked) {
    await appendEvent(db, { actor, action: 'api_key.revoked', subjectType: 'api_key', subjectId: key.id, details: { name: key.name, role: key.role } }, now);
  }
  return key;
}

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  counter: string | null;
}

/** The key's holder, or null for a missing, unknown or revoked key. */
export async function authenticate(db: Queryable, secret: string): Promise<Principal | null> {
  const { rows } = await db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hashKey(secret)]);
  const row = rows[0];
  return row ? { keyId: row.id, name: row.name, role: row.role, counter: row.counter_code } : null;
}
