import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendEvent, type Actor } from '../audit/chain.ts';
import pLimit from 'p-limit';
import type { Db, Queryable, Tx } from '../db/db.ts';
import { correctionScopes, roleSchema } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { personName } from '../staff/names.ts';
import { createApiKey } from './api-keys.ts';
import { hashPassword, passwordMatches, passwordSchema, spendVerification, temporaryPassword, usernameSchema } from './passwords.ts';
import * as repo from './repository.ts';
import { loginActor } from './sessions.ts';
import type { LoginRow } from './repository.ts';

/**
 * Logins: how a person signs in at the staff console. Each acts through its
 * own `console` API key (see createApiKey), so the role, the counter and every
 * check and audit entry are a key's; this module adds the username, the
 * password and the slowing down of guesses.
 */

export const loginSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  staff: z.object({ id: z.uuid(), name: z.string() }),
  role: roleSchema,
  counter: z.string().nullable(),
  scope: z.enum(correctionScopes),
  keyId: z.uuid().describe('The console key the login acts through: revoking it ends the login'),
  active: z.boolean().describe('False once its key is revoked or its staff member disabled'),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type Login = z.infer<typeof loginSchema>;

export const loginView = (r: LoginRow): Login => ({
  id: r.id,
  username: r.username,
  staff: { id: r.staff_id, name: r.staff_name },
  role: r.role,
  counter: r.counter_code,
  scope: r.scope,
  keyId: r.key_id,
  active: !r.key_revoked_at && !r.staff_disabled_at,
  mustChangePassword: r.must_change,
  createdAt: r.created_at.toISOString(),
});

export const createLoginSchema = z
  .object({
    username: usernameSchema,
    name: personName(100).optional().describe('The person’s name: joins the staff member of that name, or a new one. Required without staffId'),
    staffId: z.uuid().optional(),
    role: z.enum(['admin', 'cashier', 'accountant', 'auditor']),
    counter: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1–20 letters, digits, _ or -')
      .optional(),
    scope: z.enum(correctionScopes).default('counter'),
    password: passwordSchema.optional().describe('The first password; omitted, one is generated. Either way it must be changed at the first sign-in'),
  })
  .strict()
  .refine((l) => l.name !== undefined || l.staffId !== undefined, { message: 'give the person’s name, or the staffId of the staff member', path: ['name'] });

/** Creates a login and its console key; the first password is returned once and must be changed at the first sign-in. */
export async function createLogin(tx: Tx, input: z.input<typeof createLoginSchema>, actor: Actor, now: Date, opts: { mustChange?: boolean } = {}): Promise<{ login: Login; password: string }> {
  const username = usernameSchema.parse(input.username);
  await repo.lockUsername(tx, username);
  if (await repo.usernameTaken(tx, username)) {
    throw new AppError('USERNAME_TAKEN', `a login named "${username}" exists`, [{ field: 'body.username', message: 'is taken' }]);
  }
  const { key } = await createApiKey(tx, { name: input.name, staffId: input.staffId, role: input.role, counter: input.counter, scope: input.scope }, actor, now, 'console');
  const password = input.password ?? temporaryPassword();
  const id = randomUUID();
  await repo.insertLogin(tx, { id, staffId: key.staff.id, username, passwordHash: await hashPassword(password), keyId: key.id, mustChange: opts.mustChange ?? true, now });
  await appendEvent(tx, { actor, action: 'login.created', subjectType: 'login', subjectId: id, details: { username, staff: key.staff.id, role: key.role, counter: key.counter } }, now);
  return { login: loginView((await repo.loginById(tx, id))!), password };
}

export async function listLogins(db: Queryable): Promise<Login[]> {
  return (await repo.allLogins(db)).map(loginView);
}

async function requireLockedLogin(tx: Tx, id: string): Promise<LoginRow> {
  const login = await repo.lockLogin(tx, id);
  if (!login) throw new AppError('LOGIN_NOT_FOUND', `no login ${id}`);
  return login;
}

/** An admin sets a new first password (returned once): the person's sessions end, the lock from wrong guesses lifts. */
export async function resetPassword(tx: Tx, id: string, actor: Actor, now: Date): Promise<{ login: Login; password: string }> {
  const login = await requireLockedLogin(tx, id);
  const password = temporaryPassword();
  await repo.setPassword(tx, id, await hashPassword(password), true, now);
  const ended = await repo.endSessionsOf(tx, id, now);
  await repo.clearFailures(tx, login.username);
  await appendEvent(tx, { actor, action: 'login.password_reset', subjectType: 'login', subjectId: id, details: { username: login.username, sessionsEnded: ended } }, now);
  return { login: loginView((await repo.loginById(tx, id))!), password };
}

/** Consecutive wrong passwords allowed before each further one locks the username, from that address, for a while. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 30_000;
const LONGEST_LOCK_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** How long a username stays locked after `attempts` consecutive wrong passwords: 30 s after the sixth, doubling, at most 15 minutes. */
export function lockFor(attempts: number): number {
  if (attempts <= FREE_ATTEMPTS) return 0;
  return Math.min(FIRST_LOCK_MS * 2 ** (attempts - FREE_ATTEMPTS - 1), LONGEST_LOCK_MS);
}

/**
 * At most as many password checks at once as libuv has threads: a burst of
 * sign-ins waits here, holding no database connection, instead of taking
 * the pool while argon2 queues.
 */
const verifications = pLimit(4);

export type SignInOutcome<T> = { ok: true; login: LoginRow; started: T } | { ok: false; reason: 'failed' | 'inactive' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const normalise = (username: string) => username.trim().toLowerCase();

type Failure = { ok: false; reason: 'failed' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Counts one wrong password of `username` from `source`; past FREE_ATTEMPTS
 * each one locks that pair for a while. The same for a username that exists
 * and one that does not: the answers never tell them apart.
 */
async function countFailure(tx: Tx, username: string, source: string, attempts: number, now: Date): Promise<number> {
  const lock = lockFor(attempts);
  await repo.recordFailure(tx, username, source, attempts, lock ? new Date(now.getTime() + lock) : null, now);
  if (attempts === 1) await repo.forgetOldFailures(tx, new Date(now.getTime() - DAY_MS));
  return lock;
}

function throttled(failures: { locked_until: Date | null }, now: Date): Failure | null {
  if (!failures.locked_until || failures.locked_until <= now) return null;
  return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((failures.locked_until.getTime() - now.getTime()) / 1000) };
}

/**
 * Checks a username and password and, if they are right, runs `start` (the
 * session) in the same transaction. Wrong passwords are counted per username
 * (as typed, normalised) and source address, the count's row locked so
 * parallel guesses count one by one; past FREE_ATTEMPTS that pair is refused
 * every password, right or wrong, until its lock passes. A guesser elsewhere
 * does not lock a person out of their own counter, and a made-up username
 * slows down exactly as a real one does. Each wrong password for a real
 * login is an audit event; an unknown username costs the time of a real check.
 */
export function checkPassword<T>(db: Db, username: string, password: string, source: string, now: Date, start: (tx: Tx, login: LoginRow) => Promise<T>): Promise<SignInOutcome<T>> {
  const name = normalise(username);
  return verifications(() =>
    db.transaction(async (tx): Promise<SignInOutcome<T>> => {
      const failures = await repo.lockFailures(tx, name, source, now);
      const locked = throttled(failures, now);
      if (locked) return locked;
      const login = await repo.loginByUsername(tx, name);
      let matches = false;
      if (login) matches = await passwordMatches(login.password_hash, password);
      else await spendVerification(password);
      const system = { keyId: null, name: 'sign-in' };
      if (!login || !matches) {
        const attempts = failures.failed_attempts + 1;
        const lock = await countFailure(tx, name, source, attempts, now);
        if (login) {
          await appendEvent(
            tx,
            { actor: system, action: 'login.sign_in_failed', subjectType: 'login', subjectId: login.id, details: { username: login.username, attempts, source, lockedForSeconds: lock / 1000 } },
            now,
          );
        }
        return { ok: false, reason: 'failed' };
      }
      if (login.key_revoked_at || login.staff_disabled_at) {
        await appendEvent(tx, { actor: system, action: 'login.sign_in_refused', subjectType: 'login', subjectId: login.id, details: { username: login.username, source, reason: 'inactive' } }, now);
        return { ok: false, reason: 'inactive' };
      }
      await repo.clearFailures(tx, name, source);
      return { ok: true, login, started: await start(tx, login) };
    }),
  );
}

export const changePasswordSchema = z.object({ currentPassword: z.string().max(200), newPassword: passwordSchema }).strict();

/**
 * The person changes their own password: the current one is checked (a wrong
 * one counts as a wrong sign-in, so a stolen session cannot guess the
 * password), the new one must differ and not contain the username; their
 * other sessions end.
 */
export async function changePassword(db: Db, session: { loginId: string; id: string; source: string }, input: z.infer<typeof changePasswordSchema>, now: Date): Promise<{ ok: true } | Failure> {
  return verifications(() =>
    db.transaction(async (tx) => {
      const login = await requireLockedLogin(tx, session.loginId);
      const failures = await repo.lockFailures(tx, login.username, session.source, now);
      const locked = throttled(failures, now);
      if (locked) return locked;
      if (!(await passwordMatches(login.password_hash, input.currentPassword))) {
        const attempts = failures.failed_attempts + 1;
        const lock = await countFailure(tx, login.username, session.source, attempts, now);
        await appendEvent(
          tx,
          {
            actor: loginActor(login),
            action: 'login.password_change_failed',
            subjectType: 'login',
            subjectId: login.id,
            details: { attempts, source: session.source, lockedForSeconds: lock / 1000 },
          },
          now,
        );
        return { ok: false, reason: 'failed' } as const;
      }
      if (input.newPassword === input.currentPassword) {
        throw new AppError('VALIDATION_FAILED', 'the new password is the current one', [{ field: 'body.newPassword', message: 'must differ from the current password' }]);
      }
      // A short username ("an") is part of too many good passwords to forbid.
      if (login.username.length >= 4 && input.newPassword.toLowerCase().includes(login.username)) {
        throw new AppError('VALIDATION_FAILED', 'the new password contains the username', [{ field: 'body.newPassword', message: 'must not contain the username' }]);
      }
      await repo.clearFailures(tx, login.username, session.source);
      await repo.setPassword(tx, login.id, await hashPassword(input.newPassword), false, now);
      const ended = await repo.endSessionsOf(tx, login.id, now, session.id);
      await appendEvent(
        tx,
        {
          actor: loginActor(login),
          action: 'login.password_changed',
          subjectType: 'login',
          subjectId: login.id,
          details: { otherSessionsEnded: ended },
        },
        now,
      );
      return { ok: true } as const;
    }),
  );
}
