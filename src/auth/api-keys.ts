import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { personName } from '../staff/names.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { correctionScopes, type Principal, type Role, roleSchema } from '../http/access.ts';
import { staffForKey } from '../staff/service.ts';

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  staff: z.object({ id: z.uuid(), name: z.string() }).describe('The person the key belongs to'),
  counter: z.string().nullable().describe('Counter a cashier key is tied to'),
  scope: z.enum(correctionScopes).describe('Receipts a cashier key may ask to correct or refund: its counter’s, or the center’s'),
  prefix: z.string().describe('First characters of the key, to recognise it'),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createApiKeySchema = z
  .object({
    name: personName(100)
      .optional()
      .describe(
        'The holder’s name: the key joins the staff member of that name (look-alike names count as one), or a new one. Required without staffId; with it, the key’s label (default: the staff member’s name)',
      ),
    role: roleSchema,
    staffId: z.uuid().optional().describe('The staff member the key belongs to (needed when several have a name like `name`)'),
    counter: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1–20 letters, digits, _ or -')
      .optional(),
    scope: z.enum(correctionScopes).default('counter').describe('For cashier keys: counter (default) or center'),
  })
  .strict()
  .refine((k) => k.name !== undefined || k.staffId !== undefined, { message: 'give the holder’s name, or the staffId of the staff member', path: ['name'] });

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  staff_id: string;
  staff_name: string;
  scope: (typeof correctionScopes)[number];
  counter_code: string | null;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const view = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  staff: { id: r.staff_id, name: r.staff_name },
  counter: r.counter_code,
  scope: r.scope,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** Keys are 256 random bits, so a plain SHA-256 is a safe hash to store (no password stretching needed). */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const SELECT_KEY = 'SELECT k.*, s.name AS staff_name FROM api_keys k JOIN staff s ON s.id = k.staff_id';

export async function createApiKey(db: Tx, input: z.input<typeof createApiKeySchema>, actor: Actor, now = new Date()): Promise<{ key: ApiKey; secret: string }> {
  if (input.counter && input.role !== 'cashier') {
    throw new AppError('VALIDATION_FAILED', 'only a cashier key can be tied to a counter', [{ field: 'body.counter', message: 'only a cashier key can be tied to a counter' }]);
  }
  const scope = input.scope ?? 'counter';
  if (scope !== 'counter' && input.role !== 'cashier') {
    throw new AppError('VALIDATION_FAILED', 'only a cashier key has a correction scope', [{ field: 'body.scope', message: 'only a cashier key has a correction scope' }]);
  }
  const staff = await staffForKey(db, { staffId: input.staffId, name: input.name ?? '' }, actor, now);
  const secret = `rk_${input.role}_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await db.query(`INSERT INTO api_keys (id, name, role, staff_id, counter_code, scope, prefix, key_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
    id,
    input.name ?? staff.name,
    input.role,
    staff.id,
    input.counter ?? null,
    scope,
    secret.slice(0, 16),
    hashKey(secret),
  ]);
  const key = view((await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE k.id = $1`, [id])).rows[0]!);
  await appendEvent(
    db,
    {
      actor,
      action: 'api_key.created',
      subjectType: 'api_key',
      subjectId: key.id,
      details: { name: key.name, role: key.role, staff: key.staff.id, counter: key.counter, scope: key.scope, prefix: key.prefix },
    },
    now,
  );
  return { key, secret };
}

export async function listApiKeys(db: Queryable, opts: { limit: number; after?: string }): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE ($1::uuid IS NULL OR k.id > $1::uuid) ORDER BY k.id LIMIT $2`, [opts.after ?? null, opts.limit + 1]);
  return rows;
}
export { view as apiKeyView };

export async function revokeApiKey(db: Tx, id: string, actor: Actor, now = new Date()): Promise<ApiKey> {
  const { rows } = await db.query<{ was_revoked: boolean }>(
    `UPDATE api_keys k SET revoked_at = COALESCE(k.revoked_at, $2) FROM api_keys old
      WHERE k.id = $1::uuid AND old.id = k.id RETURNING old.revoked_at IS NOT NULL AS was_revoked`,
    [id, now],
  );
  if (!rows[0]) throw new AppError('API_KEY_NOT_FOUND', `no API key ${id}`);
  const key = view((await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE k.id = $1::uuid`, [id])).rows[0]!);
  if (!rows[0].was_revoked) {
    await appendEvent(db, { actor, action: 'api_key.revoked', subjectType: 'api_key', subjectId: key.id, details: { name: key.name, role: key.role } }, now);
  }
  return key;
}

/** The key's holder, or null for a missing, unknown or revoked key, or a disabled person's. */
export async function authenticate(db: Queryable, secret: string): Promise<Principal | null> {
  const { rows } = await db.query<ApiKeyRow & { disabled_at: Date | null }>(
    'SELECT k.*, s.name AS staff_name, s.disabled_at FROM api_keys k JOIN staff s ON s.id = k.staff_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL',
    [hashKey(secret)],
  );
  const row = rows[0];
  if (!row || row.disabled_at) return null;
  return { keyId: row.id, name: row.name, role: row.role, staffId: row.staff_id, staffName: row.staff_name, counter: row.counter_code, scope: row.scope };
}
