import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { personName } from '../staff/names.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { correctionScopes, type Principal, roleSchema } from '../http/access.ts';
import { staffForKey } from '../staff/service.ts';
import { apiKeyById, insertApiKey, liveKeyByHash, markRevoked } from './repository.ts';

export { apiKeyView, listApiKeys } from './repository.ts';

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  staff: z.object({ id: z.uuid(), name: z.string() }).describe('The person the key belongs to'),
  counter: z.string().nullable().describe('Counter a cashier key is tied to'),
  scope: z.enum(correctionScopes).describe('Receipts a cashier key may ask to correct or refund: its counter’s, or the center’s'),
  prefix: z.string().describe('First characters of the key, to recognise it'),
  kind: z.enum(['api', 'console']).describe('api: a bearer key for a program; console: a person’s sign-in at the staff console (no usable secret)'),
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

/** Keys are 256 random bits, so a plain SHA-256 is a safe hash to store (no password stretching needed). */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates a key and returns its secret once. A `console` key is a login's
 * (logins.ts): its secret is dropped here, so it can only be used by signing
 * in, never as a bearer token.
 */
export async function createApiKey(db: Tx, input: z.input<typeof createApiKeySchema>, actor: Actor, now = new Date(), kind: 'api' | 'console' = 'api'): Promise<{ key: ApiKey; secret: string }> {
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
  await insertApiKey(db, {
    id,
    name: input.name ?? staff.name,
    role: input.role,
    staffId: staff.id,
    counter: input.counter ?? null,
    scope,
    prefix: secret.slice(0, 16),
    keyHash: hashKey(secret),
    kind,
  });
  const key = (await apiKeyById(db, id))!;
  await appendEvent(
    db,
    {
      actor,
      action: kind === 'console' ? 'login_key.created' : 'api_key.created',
      subjectType: 'api_key',
      subjectId: key.id,
      details: { name: key.name, role: key.role, staff: key.staff.id, counter: key.counter, scope: key.scope, prefix: key.prefix },
    },
    now,
  );
  return { key, secret };
}

export async function revokeApiKey(db: Tx, id: string, actor: Actor, now = new Date()): Promise<ApiKey> {
  const wasRevoked = await markRevoked(db, id, now);
  if (wasRevoked === null) throw new AppError('API_KEY_NOT_FOUND', `no API key ${id}`);
  const key = (await apiKeyById(db, id))!;
  if (!wasRevoked) {
    await appendEvent(db, { actor, action: 'api_key.revoked', subjectType: 'api_key', subjectId: key.id, details: { name: key.name, role: key.role } }, now);
  }
  return key;
}

/** The key's holder, or null for a missing, unknown or revoked key, or a disabled person's. */
export async function authenticate(db: Queryable, secret: string): Promise<Principal | null> {
  const row = await liveKeyByHash(db, hashKey(secret));
  if (!row || row.disabled_at) return null;
  return { keyId: row.id, name: row.name, role: row.role, staffId: row.staff_id, staffName: row.staff_name, counter: row.counter_code, scope: row.scope };
}
