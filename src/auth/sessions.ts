import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { appendEvent } from '../audit/chain.ts';
import type { Queryable, Tx } from '../db/db.ts';
import type { Principal } from '../http/access.ts';
import type { LoginRow } from './repository.ts';
import * as repo from './repository.ts';

/**
 * Sessions of the staff console. The browser holds a random token in an
 * HttpOnly, SameSite=Strict cookie; the database holds its SHA-256. A
 * session ends when the person signs out, after IDLE_MS without a request,
 * after MAX_AGE_MS in any case, and when their password changes or is reset.
 */
export const SESSION_COOKIE = 'rcpt_session';
export const CSRF_HEADER = 'x-csrf-token';
export const IDLE_MS = 60 * 60_000;
export const MAX_AGE_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often: a page's burst of requests costs one update. */
const TOUCH_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Who a login acts as in the audit trail: its console key and the person. */
export const loginActor = (login: LoginRow) => ({ keyId: login.key_id, name: login.staff_name, staffId: login.staff_id });

export interface SessionPrincipal extends Principal {
  session: { id: string; loginId: string; username: string; csrfToken: string; mustChangePassword: boolean; expiresAt: Date };
}

function personOf(login: LoginRow, session: { id: string; csrfToken: string; expiresAt: Date }): SessionPrincipal {
  return {
    keyId: login.key_id,
    name: login.staff_name,
    role: login.role,
    staffId: login.staff_id,
    staffName: login.staff_name,
    counter: login.counter_code,
    scope: login.scope,
    session: { ...session, loginId: login.id, username: login.username, mustChangePassword: login.must_change },
  };
}

/** A new session of `login`: the token for the cookie (only its hash is kept), and the person it signs in. */
export async function startSession(tx: Tx, login: LoginRow, source: string, now: Date): Promise<{ token: string; person: SessionPrincipal }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + MAX_AGE_MS);
  const id = randomUUID();
  await repo.insertSession(tx, { id, tokenHash: hashToken(token), loginId: login.id, csrfToken, now, expiresAt });
  await appendEvent(tx, { actor: loginActor(login), action: 'login.signed_in', subjectType: 'login', subjectId: login.id, details: { username: login.username, source, session: id } }, now);
  return { token, person: personOf(login, { id, csrfToken, expiresAt }) };
}

/**
 * The person behind a session cookie, or null when the session is unknown,
 * ended, expired or idle too long, or its login's key is revoked or its
 * staff member disabled (checked on every request, as keys are).
 */
export async function sessionPrincipal(db: Queryable, token: string, now: Date): Promise<SessionPrincipal | null> {
  const found = await repo.liveSessionByHash(db, hashToken(token), now);
  if (!found) return null;
  const { login } = found;
  if (found.last_seen_at.getTime() + IDLE_MS <= now.getTime()) return null;
  if (login.key_revoked_at || login.staff_disabled_at) return null;
  if (now.getTime() - found.last_seen_at.getTime() >= TOUCH_MS) await repo.touchSession(db, found.id, now);
  return personOf(login, { id: found.id, csrfToken: found.csrf_token, expiresAt: found.expires_at });
}

/** Whether a request's CSRF header is this session's token (compared in constant time). */
export function csrfMatches(session: { csrfToken: string }, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(session.csrfToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Signing out: the session ends, and the audit trail says who left. */
export async function signOut(tx: Tx, person: SessionPrincipal, now: Date): Promise<void> {
  await repo.endSession(tx, person.session.id, now);
  await appendEvent(
    tx,
    {
      actor: { keyId: person.keyId, name: person.name, staffId: person.staffId },
      action: 'login.signed_out',
      subjectType: 'login',
      subjectId: person.session.loginId,
      details: { session: person.session.id },
    },
    now,
  );
}
