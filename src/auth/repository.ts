import type { Queryable, Tx } from '../db/db.ts';
import type { correctionScopes, Role } from '../http/access.ts';
import type { ApiKey } from './api-keys.ts';

export interface ApiKeyRow {
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
  kind: 'api' | 'console';
}

export const apiKeyView = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  staff: { id: r.staff_id, name: r.staff_name },
  counter: r.counter_code,
  scope: r.scope,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  kind: r.kind,
});

const SELECT_KEY = 'SELECT k.*, s.name AS staff_name FROM api_keys k JOIN staff s ON s.id = k.staff_id';

/** Stores a key: only its hash and its first characters, never the secret. */
export async function insertApiKey(
  db: Tx,
  k: { id: string; name: string; role: Role; staffId: string; counter: string | null; scope: (typeof correctionScopes)[number]; prefix: string; keyHash: string; kind: 'api' | 'console' },
): Promise<void> {
  await db.query(`INSERT INTO api_keys (id, name, role, staff_id, counter_code, scope, prefix, key_hash, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
    k.id,
    k.name,
    k.role,
    k.staffId,
    k.counter,
    k.scope,
    k.prefix,
    k.keyHash,
    k.kind,
  ]);
}

export async function apiKeyById(db: Queryable, id: string): Promise<ApiKey | null> {
  const { rows } = await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE k.id = $1::uuid`, [id]);
  return rows[0] ? apiKeyView(rows[0]) : null;
}

export async function listApiKeys(db: Queryable, opts: { limit: number; after?: string }): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(`${SELECT_KEY} WHERE ($1::uuid IS NULL OR k.id > $1::uuid) ORDER BY k.id LIMIT $2`, [opts.after ?? null, opts.limit + 1]);
  return rows;
}

/** Revokes a key (a second revocation keeps the first time): whether it already was, or null for no such key. */
export async function markRevoked(db: Tx, id: string, now: Date): Promise<boolean | null> {
  const { rows } = await db.query<{ was_revoked: boolean }>(
    `UPDATE api_keys k SET revoked_at = COALESCE(k.revoked_at, $2) FROM api_keys old
      WHERE k.id = $1::uuid AND old.id = k.id RETURNING old.revoked_at IS NOT NULL AS was_revoked`,
    [id, now],
  );
  return rows[0] ? rows[0].was_revoked : null;
}

/** The unrevoked key with this hash, with its holder's name and whether the holder is disabled. */
export async function liveKeyByHash(db: Queryable, keyHash: string): Promise<(ApiKeyRow & { disabled_at: Date | null }) | null> {
  const { rows } = await db.query<ApiKeyRow & { disabled_at: Date | null }>(
    "SELECT k.*, s.name AS staff_name, s.disabled_at FROM api_keys k JOIN staff s ON s.id = k.staff_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND k.kind = 'api'",
    [keyHash],
  );
  return rows[0] ?? null;
}

export interface LoginRow {
  id: string;
  staff_id: string;
  staff_name: string;
  staff_disabled_at: Date | null;
  username: string;
  password_hash: string;
  key_id: string;
  key_revoked_at: Date | null;
  role: Role;
  counter_code: string | null;
  scope: (typeof correctionScopes)[number];
  must_change: boolean;
  created_at: Date;
  password_set_at: Date;
}

const LOGIN_COLUMNS = 'l.*, s.name AS staff_name, s.disabled_at AS staff_disabled_at, k.revoked_at AS key_revoked_at, k.role, k.counter_code, k.scope';
const LOGIN_FROM = 'staff_logins l JOIN staff s ON s.id = l.staff_id JOIN api_keys k ON k.id = l.key_id';
const SELECT_LOGIN = `SELECT ${LOGIN_COLUMNS} FROM ${LOGIN_FROM}`;

export async function insertLogin(db: Tx, l: { id: string; staffId: string; username: string; passwordHash: string; keyId: string; mustChange: boolean; now: Date }): Promise<void> {
  await db.query(`INSERT INTO staff_logins (id, staff_id, username, password_hash, key_id, must_change, created_at, password_set_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, [
    l.id,
    l.staffId,
    l.username,
    l.passwordHash,
    l.keyId,
    l.mustChange,
    l.now,
  ]);
}

export async function usernameTaken(db: Queryable, username: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM staff_logins WHERE username = $1', [username])).rowCount ?? 0) > 0;
}

export async function loginById(db: Queryable, id: string): Promise<LoginRow | null> {
  const { rows } = await db.query<LoginRow>(`${SELECT_LOGIN} WHERE l.id = $1::uuid`, [id]);
  return rows[0] ?? null;
}

export async function loginByUsername(db: Queryable, username: string): Promise<LoginRow | null> {
  const { rows } = await db.query<LoginRow>(`${SELECT_LOGIN} WHERE l.username = $1`, [username]);
  return rows[0] ?? null;
}

export async function lockLogin(db: Tx, id: string): Promise<LoginRow | null> {
  const { rows } = await db.query<LoginRow>(`${SELECT_LOGIN} WHERE l.id = $1::uuid FOR UPDATE OF l`, [id]);
  return rows[0] ?? null;
}

export async function allLogins(db: Queryable): Promise<LoginRow[]> {
  const { rows } = await db.query<LoginRow>(`${SELECT_LOGIN} ORDER BY l.username`);
  return rows;
}

export interface FailureRow {
  failed_attempts: number;
  locked_until: Date | null;
}

/** The wrong-password count of a username from a source, its row locked (made if missing) so parallel attempts count one by one. */
export async function lockFailures(db: Tx, username: string, source: string, now: Date): Promise<FailureRow> {
  await db.query('INSERT INTO sign_in_failures (username, source, failed_attempts, last_failed_at) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING', [username, source, now]);
  const { rows } = await db.query<FailureRow>('SELECT failed_attempts, locked_until FROM sign_in_failures WHERE username = $1 AND source = $2 FOR UPDATE', [username, source]);
  return rows[0]!;
}

export async function recordFailure(db: Tx, username: string, source: string, attempts: number, lockedUntil: Date | null, now: Date): Promise<void> {
  await db.query('UPDATE sign_in_failures SET failed_attempts = $3, locked_until = $4, last_failed_at = $5 WHERE username = $1 AND source = $2', [username, source, attempts, lockedUntil, now]);
}

/** Forgets the wrong passwords of a username: from one source (a right password), or from all (an admin's reset). */
export async function clearFailures(db: Queryable, username: string, source?: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE username = $1 AND ($2::text IS NULL OR source = $2)', [username, source ?? null]);
}

/** Drops counts no failure has touched for a day (made-up usernames would otherwise pile up). */
export async function forgetOldFailures(db: Queryable, before: Date): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE last_failed_at < $1 AND (locked_until IS NULL OR locked_until < $1)', [before]);
}

/** Serialises creating logins of one username: two admins at once get one login and one USERNAME_TAKEN. */
export async function lockUsername(db: Tx, username: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('login:' || $1))", [username]);
}

export async function setPassword(db: Tx, id: string, passwordHash: string, mustChange: boolean, now: Date): Promise<void> {
  await db.query('UPDATE staff_logins SET password_hash = $2, must_change = $3, password_set_at = $4 WHERE id = $1', [id, passwordHash, mustChange, now]);
}

export interface SessionRow {
  id: string;
  login_id: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
}

export async function insertSession(db: Tx, s: { id: string; tokenHash: string; loginId: string; csrfToken: string; now: Date; expiresAt: Date }): Promise<void> {
  await db.query('INSERT INTO staff_sessions (id, token_hash, login_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)', [
    s.id,
    s.tokenHash,
    s.loginId,
    s.csrfToken,
    s.now,
    s.expiresAt,
  ]);
}

/** The unended, unexpired session with this token hash, with its login: one query, on every console request. */
export async function liveSessionByHash(db: Queryable, tokenHash: string, now: Date): Promise<(SessionRow & { login: LoginRow }) | null> {
  const { rows } = await db.query<LoginRow & { session_id: string; csrf_token: string; last_seen_at: Date; expires_at: Date }>(
    `SELECT ${LOGIN_COLUMNS}, ss.id AS session_id, ss.csrf_token, ss.last_seen_at, ss.expires_at
       FROM ${LOGIN_FROM} JOIN staff_sessions ss ON ss.login_id = l.id
      WHERE ss.token_hash = $1 AND ss.ended_at IS NULL AND ss.expires_at > $2`,
    [tokenHash, now],
  );
  const row = rows[0];
  if (!row) return null;
  const { session_id, csrf_token, last_seen_at, expires_at, ...login } = row;
  return { id: session_id, login_id: login.id, csrf_token, last_seen_at, expires_at, login };
}

export async function touchSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [id, now]);
}

export async function endSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE staff_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL', [id, now]);
}

/** Ends every session of a login (a password change or reset, a disabled login), but `except`. */
export async function endSessionsOf(db: Tx, loginId: string, now: Date, except?: string): Promise<number> {
  const { rowCount } = await db.query('UPDATE staff_sessions SET ended_at = $2 WHERE login_id = $1 AND ended_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)', [loginId, now, except ?? null]);
  return rowCount ?? 0;
}
