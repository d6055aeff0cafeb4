import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { FREE_ATTEMPTS, lockFor } from '../../src/auth/logins.ts';
import { SIGN_IN_RATE } from '../../src/auth/session-routes.ts';
import { IDLE_MS, SESSION_COOKIE } from '../../src/auth/sessions.ts';
import { addDays } from '../../src/time/calendar.ts';
import { vietnamDate } from '../../src/time/vietnam.ts';
import { auth, demoReceipt, newIdempotencyKey, type TestContext, testApp } from '../helpers/app.ts';

/** A browser: the session cookie it was given, and the CSRF token the sign-in returned. */
interface Browser {
  cookie: string;
  csrf: string;
  body: Record<string, unknown>;
}

function cookieOf(res: LightMyRequestResponse): string {
  const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!set) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  return set.value;
}

async function signIn(ctx: TestContext, username: string, password: string): Promise<Browser> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return { cookie: cookieOf(res), csrf: res.json().csrfToken, body: res.json() };
}

const as = (b: Browser, csrf = true) => ({ cookie: `${SESSION_COOKIE}=${b.cookie}`, ...(csrf ? { 'x-csrf-token': b.csrf } : {}) });

/** An admin creates a login with a known first password. */
async function createLogin(ctx: TestContext, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/logins', headers: auth(ctx.keys.admin), payload: body });
}

async function countReceipts(ctx: TestContext): Promise<number> {
  return Number((await ctx.database.db.query<{ n: string }>('SELECT count(*) AS n FROM receipts')).rows[0]!.n);
}

async function events(ctx: TestContext, action: string) {
  return (
    await ctx.database.db.query<{ actor_name: string; actor_staff: string | null; details: Record<string, unknown> }>(
      'SELECT actor AS actor_name, actor_staff, details FROM audit_events WHERE action = $1 ORDER BY seq',
      [action],
    )
  ).rows;
}

t.test('a person signs in, acts as themselves with their role, and signs out', async (t) => {
  let now = new Date();
  const ctx = await testApp('postgres', { clock: () => now });
  t.teardown(() => ctx.close());
  const created = await createLogin(ctx, { username: 'Lan.Tran', name: 'Trần Thị Lan', role: 'cashier', counter: 'Q02', password: 'first-password-1' });
  t.equal(created.statusCode, 201, created.body);
  t.equal(created.json().username, 'lan.tran', 'usernames are lower case');
  t.equal(created.json().password, 'first-password-1');
  t.equal(created.json().mustChangePassword, true);

  const signIn1 = await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'lan.tran', password: 'first-password-1' } });
  t.equal(signIn1.statusCode, 200);
  const cookie = signIn1.cookies.find((c) => c.name === SESSION_COOKIE)!;
  t.equal(cookie.httpOnly, true, 'scripts cannot read the session');
  t.equal(cookie.sameSite, 'Strict', 'other sites cannot send it');
  t.equal(cookie.path, '/');
  t.match(signIn1.json(), { username: 'lan.tran', role: 'cashier', counter: 'Q02', mustChangePassword: true, staff: { name: 'Trần Thị Lan' } });
  const lan: Browser = { cookie: cookie.value, csrf: signIn1.json().csrfToken, body: signIn1.json() };

  // The admin's first password must be changed before anything else.
  const blocked = await ctx.app.inject({ method: 'GET', url: '/v1/receipts', headers: as(lan) });
  t.equal(blocked.statusCode, 403);
  t.equal(blocked.json().code, 'PASSWORD_CHANGE_REQUIRED');
  const weak = await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(lan), payload: { currentPassword: 'first-password-1', newPassword: 'short' } });
  t.equal(weak.statusCode, 400);
  t.equal(weak.json().errors[0].field, 'body.newPassword');
  const withName = await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(lan), payload: { currentPassword: 'first-password-1', newPassword: 'my-lan.tran-pass' } });
  t.equal(withName.json().code, 'VALIDATION_FAILED');
  t.equal(withName.json().errors[0].message, 'must not contain the username');
  const wrongCurrent = await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(lan), payload: { currentPassword: 'nope', newPassword: 'a-new-password-2' } });
  t.equal(wrongCurrent.json().errors[0].field, 'body.currentPassword');
  const changed = await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(lan), payload: { currentPassword: 'first-password-1', newPassword: 'a-new-password-2' } });
  t.equal(changed.statusCode, 204);

  // Now she works: her receipt is issued at her counter, by her, and the audit trail names her.
  const issued = await ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...as(lan), 'idempotency-key': newIdempotencyKey() }, payload: demoReceipt });
  t.equal(issued.statusCode, 201, issued.body);
  t.equal(issued.json().total, 400_000);
  const issuedEvents = await events(ctx, 'receipt.issued');
  t.equal(issuedEvents.at(-1)!.actor_name, 'Trần Thị Lan');
  t.equal(issuedEvents.at(-1)!.actor_staff, created.json().staff.id);
  const { rows } = await ctx.database.db.query<{ counter_code: string; issued_by: string }>('SELECT counter_code, issued_by FROM receipts WHERE id = $1', [issued.json().id]);
  t.same(rows[0], { counter_code: 'Q02', issued_by: created.json().keyId }, 'the login’s key issued it at its counter');
  // The cashier role is hers, not more.
  const forbidden = await ctx.app.inject({ method: 'GET', url: '/v1/logins', headers: as(lan) });
  t.equal(forbidden.statusCode, 403);
  t.equal(forbidden.json().code, 'FORBIDDEN');
  // The print page opens in her browser without a key.
  const print = await ctx.app.inject({ method: 'GET', url: `/v1/receipts/${issued.json().id}/print`, headers: as(lan, false) });
  t.equal(print.statusCode, 200);
  t.match(print.headers['content-security-policy'], "frame-ancestors 'self'", 'the console may frame the print page');

  // An hour without a request ends the session.
  now = new Date(now.getTime() + IDLE_MS + 1000);
  const idle = await ctx.app.inject({ method: 'GET', url: '/v1/session', headers: as(lan) });
  t.equal(idle.statusCode, 401);
  t.equal(idle.json().detail, 'the session has ended; sign in again');

  const again = await signIn(ctx, 'lan.tran', 'a-new-password-2');
  const out = await ctx.app.inject({ method: 'DELETE', url: '/v1/session', headers: as(again) });
  t.equal(out.statusCode, 204);
  const after = await ctx.app.inject({ method: 'GET', url: '/v1/session', headers: as(again) });
  t.equal(after.statusCode, 401, 'a signed-out cookie is worth nothing');
  t.same(
    (await events(ctx, 'login.signed_in')).map((e) => e.actor_name),
    ['Trần Thị Lan', 'Trần Thị Lan'],
  );
  t.same(
    (await events(ctx, 'login.signed_out')).map((e) => e.actor_name),
    ['Trần Thị Lan'],
  );
});

t.test('a request that changes something needs the session’s CSRF token, and without it changes nothing', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  t.equal((await createLogin(ctx, { username: 'an', name: 'Nguyễn Văn An', role: 'cashier', counter: 'Q01', password: 'password-of-an' })).statusCode, 201);
  const first = await signIn(ctx, 'an', 'password-of-an');
  const other = await signIn(ctx, 'an', 'password-of-an');
  await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(first), payload: { currentPassword: 'password-of-an', newPassword: 'better-password-9' } });
  const an = await signIn(ctx, 'an', 'better-password-9');
  const before = await countReceipts(ctx);
  for (const headers of [as(an, false), { ...as(an, false), 'x-csrf-token': 'guess' }, { ...as(an, false), 'x-csrf-token': first.csrf }]) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...headers, 'idempotency-key': newIdempotencyKey() }, payload: demoReceipt });
    t.equal(res.statusCode, 403);
    t.equal(res.json().code, 'CSRF_FAILED');
  }
  t.equal(await countReceipts(ctx), before, 'no receipt was issued');
  // Reads need no token.
  t.equal((await ctx.app.inject({ method: 'GET', url: '/v1/receipts', headers: as(an, false) })).statusCode, 200);
  const ok = await ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...as(an), 'idempotency-key': newIdempotencyKey() }, payload: demoReceipt });
  t.equal(ok.statusCode, 201);
  t.equal(await countReceipts(ctx), before + 1);
  // A GET that makes a document (the day's summary) needs the token as well.
  await createLogin(ctx, { username: 'lien', name: 'Hồ Thị Liên', role: 'accountant', password: 'lien-password-1' });
  const lienFirst = await signIn(ctx, 'lien', 'lien-password-1');
  await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(lienFirst), payload: { currentPassword: 'lien-password-1', newPassword: 'accounts-pass-22' } });
  const lien = await signIn(ctx, 'lien', 'accounts-pass-22');
  const yesterday = addDays(vietnamDate(new Date()), -1);
  const url = `/v1/reports/daily-summary?date=${yesterday}&department=STP`;
  const summaries = async () => (await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM daily_summaries')).rows[0]!.n;
  const noToken = await ctx.app.inject({ method: 'GET', url, headers: as(lien, false) });
  t.equal(noToken.statusCode, 403);
  t.equal(noToken.json().code, 'CSRF_FAILED');
  const head = await ctx.app.inject({ method: 'HEAD', url, headers: as(lien, false) });
  t.equal(head.statusCode, 403, 'HEAD too');
  t.equal(await summaries(), 0, 'nothing was made');
  const withToken = await ctx.app.inject({ method: 'GET', url, headers: as(lien) });
  t.not(withToken.statusCode, 403, `with the token it runs (${withToken.statusCode})`);
  // The password change ended the person's other session, not the one that made it.
  t.equal((await ctx.app.inject({ method: 'GET', url: '/v1/session', headers: as(other) })).statusCode, 401, 'other sessions end with a password change');
  t.equal((await ctx.app.inject({ method: 'GET', url: '/v1/session', headers: as(first) })).statusCode, 200);
});

t.test('wrong passwords: a real and a made-up username answer alike, a lock that doubles per address, each one audited', async (t) => {
  let now = new Date();
  const ctx = await testApp('postgres', { clock: () => now });
  t.teardown(() => ctx.close());
  await createLogin(ctx, { username: 'binh', name: 'Lê Văn Bình', role: 'accountant', password: 'binh-password-1' });
  const attempt = (username: string, password: string, from = '127.0.0.1') => ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username, password }, remoteAddress: from });
  // The address's own rate limit (SIGN_IN_RATE a minute) is not what this test is about: batches come from their own addresses.
  const answers = async (username: string, from: string) => {
    const seen: string[] = [];
    for (let i = 1; i <= FREE_ATTEMPTS + 2; i++) {
      const res = await attempt(username, `wrong-${i}`, from);
      seen.push(`${res.statusCode} ${res.json().code} ${res.headers['retry-after'] ?? '-'} ${res.cookies.length}`);
    }
    return seen;
  };
  const real = await answers('binh', '127.0.0.1');
  const madeUp = await answers('nobody', '10.0.0.7');
  t.same(real, madeUp, 'nothing tells a real username from a made-up one, locks included');
  t.same(real, [
    '401 SIGN_IN_FAILED - 0',
    '401 SIGN_IN_FAILED - 0',
    '401 SIGN_IN_FAILED - 0',
    '401 SIGN_IN_FAILED - 0',
    '401 SIGN_IN_FAILED - 0',
    '401 SIGN_IN_FAILED - 0',
    '429 SIGN_IN_THROTTLED 30 0',
  ]);
  // While locked, even the right password is refused from this address…
  const locked = await attempt('BINH ', 'binh-password-1');
  t.equal(locked.statusCode, 429, 'case and spaces do not dodge the lock');
  // …but the person at another counter signs in: a guesser cannot lock them out.
  t.equal((await attempt('binh', 'binh-password-1', '10.1.2.3')).statusCode, 200);
  now = new Date(now.getTime() + 31_000);
  t.equal((await attempt('binh', 'wrong-7')).json().code, 'SIGN_IN_FAILED');
  t.equal((await attempt('binh', 'binh-password-1')).headers['retry-after'], '60', 'the next lock is twice as long');
  t.same([lockFor(5), lockFor(6), lockFor(7), lockFor(8), lockFor(20)], [0, 30_000, 60_000, 120_000, 900_000]);
  const failed = await events(ctx, 'login.sign_in_failed');
  t.same(
    failed.map((e) => e.details.attempts),
    [1, 2, 3, 4, 5, 6, 7],
    'every wrong password of a real login is recorded, with its address',
  );
  t.equal(failed[5]!.details.lockedForSeconds, 30);
  t.equal(failed[0]!.details.source, '127.0.0.1');
  // After the lock, the right password works and the count starts again.
  now = new Date(now.getTime() + 61_000);
  const ok = await attempt('binh', 'binh-password-1');
  t.equal(ok.statusCode, 200);
  const left = await ctx.database.db.query("SELECT 1 FROM sign_in_failures WHERE username = 'binh' AND source = '127.0.0.1'");
  t.equal(left.rowCount, 0, 'a right password clears the count');
  // An admin's reset lifts every lock on the username and ends the sessions.
  await answers('binh', '10.0.0.8');
  const session = { cookie: cookieOf(ok), csrf: ok.json().csrfToken, body: ok.json() };
  const id = (await ctx.app.inject({ url: '/v1/logins', headers: auth(ctx.keys.admin) })).json().data.find((l: { username: string }) => l.username === 'binh').id;
  const reset = await ctx.app.inject({ method: 'POST', url: `/v1/logins/${id}/reset-password`, headers: auth(ctx.keys.admin) });
  t.equal(reset.statusCode, 200);
  t.match(reset.json().password, /^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
  t.equal(reset.json().mustChangePassword, true);
  t.equal((await ctx.app.inject({ url: '/v1/session', headers: as(session) })).statusCode, 401, 'the reset ended the session');
  t.equal((await attempt('binh', 'binh-password-1', '10.0.0.8')).statusCode, 401, 'the old password is gone');
  t.equal((await attempt('binh', reset.json().password, '10.0.0.8')).statusCode, 200, 'and the lock with it');
});

t.test('a stolen session cannot guess the password: wrong current passwords count and lock like sign-ins', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  await createLogin(ctx, { username: 'khanh', name: 'Ngô Văn Khánh', role: 'cashier', counter: 'Q01', password: 'khanh-password-1' });
  const khanh = await signIn(ctx, 'khanh', 'khanh-password-1');
  const change = (currentPassword: string) => ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(khanh), payload: { currentPassword, newPassword: 'a-fresh-password-9' } });
  const codes: string[] = [];
  for (let i = 1; i <= FREE_ATTEMPTS + 2; i++) codes.push((await change(`guess-${i}`)).json().code);
  t.same(codes, [...Array(FREE_ATTEMPTS + 1).fill('VALIDATION_FAILED'), 'SIGN_IN_THROTTLED']);
  t.equal((await change('khanh-password-1')).statusCode, 429, 'locked: the right one waits too');
  t.same(
    (await events(ctx, 'login.password_change_failed')).map((e) => e.details.attempts),
    [1, 2, 3, 4, 5, 6],
  );
});

t.test('the sign-in route: its rate limit answers 429, odd usernames 400, parallel creations one login', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const nul = await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'ad\u0000min', password: 'x' }, remoteAddress: '10.9.9.9' });
  t.equal(nul.statusCode, 400);
  t.equal(nul.json().errors[0].field, 'body.username');
  const created = await Promise.all(
    [1, 2, 3, 4].map(() => ctx.app.inject({ method: 'POST', url: '/v1/logins', headers: auth(ctx.keys.admin), payload: { username: 'same', name: 'Mai Thị Sâm', role: 'cashier' } })),
  );
  t.same(created.map((r) => r.statusCode).sort(), [201, 409, 409, 409], 'one login, three USERNAME_TAKEN, no 500');
  const statuses: number[] = [];
  for (let i = 0; i < SIGN_IN_RATE + 1; i++) {
    statuses.push((await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: `u${i}`, password: 'x' }, remoteAddress: '10.8.8.8' })).statusCode);
  }
  const limited = await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'u', password: 'x' }, remoteAddress: '10.8.8.8' });
  t.equal(statuses.filter((s) => s === 401).length, SIGN_IN_RATE);
  t.equal(limited.statusCode, 429);
  t.equal(limited.json().code, 'RATE_LIMITED');
});

t.test('a revoked login key, a disabled person, or a login key used as a bearer token: nothing gets in', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const created = (await createLogin(ctx, { username: 'chi', name: 'Phạm Thị Chi', role: 'auditor', password: 'chi-password-1' })).json();
  const first = await signIn(ctx, 'chi', 'chi-password-1');
  await ctx.app.inject({ method: 'POST', url: '/v1/session/password', headers: as(first), payload: { currentPassword: 'chi-password-1', newPassword: 'chi-password-22' } });
  const chi = await signIn(ctx, 'chi', 'chi-password-22');
  t.equal((await ctx.app.inject({ url: '/v1/audit/verify', headers: as(chi) })).statusCode, 200);
  const revoked = await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${created.keyId}/revoke`, headers: auth(ctx.keys.admin) });
  t.equal(revoked.statusCode, 200);
  t.equal(revoked.json().kind, 'console');
  t.equal((await ctx.app.inject({ url: '/v1/audit/verify', headers: as(chi) })).statusCode, 401, 'a revoked key ends its sessions at once');
  const refused = await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'chi', password: 'chi-password-22' } });
  t.equal(refused.json().code, 'SIGN_IN_FAILED', 'and its sign-in');
  t.equal((await events(ctx, 'login.sign_in_refused')).length, 1);

  // A person disabled in the staff table: their sessions stop too.
  const dungLogin = (await createLogin(ctx, { username: 'dung', name: 'Võ Văn Dũng', role: 'auditor', password: 'dung-password-1' })).json();
  const dung = await signIn(ctx, 'dung', 'dung-password-1');
  t.equal((await ctx.app.inject({ url: '/v1/session', headers: as(dung) })).statusCode, 200);
  const disabled = await ctx.app.inject({ method: 'POST', url: `/v1/staff/${dungLogin.staff.id}/disable`, headers: auth(ctx.keys.admin) });
  t.equal(disabled.statusCode, 200);
  t.type(disabled.json().disabledAt, 'string');
  t.equal((await ctx.app.inject({ url: '/v1/session', headers: as(dung) })).statusCode, 401, 'a disabled person is signed out at once');
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'dung', password: 'dung-password-1' } })).json().code, 'SIGN_IN_FAILED');
  const enabled = await ctx.app.inject({ method: 'POST', url: `/v1/staff/${dungLogin.staff.id}/enable`, headers: auth(ctx.keys.admin) });
  t.equal(enabled.json().disabledAt, null);
  t.equal((await ctx.app.inject({ url: '/v1/session', headers: as(dung) })).statusCode, 401, 'enabling the person again does not revive the old session');
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'dung', password: 'dung-password-1' } })).statusCode, 200, 'and may sign in again once enabled');
  t.same(
    (await events(ctx, 'staff.disabled')).map((e) => [e.details.name, e.details.sessionsEnded]),
    [['Võ Văn Dũng', 1]],
  );
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/staff/${dungLogin.staff.id}/disable`, headers: auth(ctx.keys.cashier) })).statusCode, 403, 'only an admin disables');

  // A console key's secret is never a bearer key, even if it leaked.
  const { secret } = await ctx.database.db.transaction((tx) => createApiKey(tx, { name: 'Võ Văn Em', role: 'admin' }, { keyId: null, name: 'test' }, new Date(), 'console'));
  const bearer = await ctx.app.inject({ url: '/v1/logins', headers: auth(secret) });
  t.equal(bearer.statusCode, 401);
  t.equal(bearer.json().code, 'UNAUTHENTICATED');
  // And an API key cannot use the session routes.
  const keyed = await ctx.app.inject({ url: '/v1/session', headers: auth(ctx.keys.auditor) });
  t.equal(keyed.statusCode, 401);
});

t.test('bad logins are refused with the field named, and change nothing', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const count = async () => Number((await ctx.database.db.query<{ n: string }>('SELECT count(*) AS n FROM staff_logins')).rows[0]!.n);
  const keysBefore = Number((await ctx.database.db.query<{ n: string }>('SELECT count(*) AS n FROM api_keys')).rows[0]!.n);
  const cases: Array<[Record<string, unknown>, number, string, string]> = [
    [{ username: 'x', name: 'A B', role: 'cashier' }, 400, 'VALIDATION_FAILED', 'body.username'],
    [{ username: 'bad name', name: 'A B', role: 'cashier' }, 400, 'VALIDATION_FAILED', 'body.username'],
    [{ username: 'ok.name', name: 'A B', role: 'monitor' }, 400, 'VALIDATION_FAILED', 'body.role'],
    [{ username: 'ok.name', name: 'A B', role: 'cashier', password: 'short' }, 400, 'VALIDATION_FAILED', 'body.password'],
    [{ username: 'ok.name', role: 'cashier' }, 400, 'VALIDATION_FAILED', 'body.name'],
  ];
  for (const [body, status, code, field] of cases) {
    const res = await createLogin(ctx, body);
    t.equal(res.statusCode, status, JSON.stringify(body));
    t.equal(res.json().code, code);
    t.equal(res.json().errors[0].field, field);
  }
  t.equal((await createLogin(ctx, { username: 'giang', name: 'Đỗ Thị Giang', role: 'cashier' })).statusCode, 201);
  const taken = await createLogin(ctx, { username: 'GIANG', name: 'Đỗ Văn Khác', role: 'cashier' });
  t.equal(taken.statusCode, 409);
  t.equal(taken.json().code, 'USERNAME_TAKEN');
  t.equal(await count(), 1, 'only the good login was made');
  t.equal(Number((await ctx.database.db.query<{ n: string }>('SELECT count(*) AS n FROM api_keys')).rows[0]!.n), keysBefore + 1, 'and only its key');
  const cashierTries = await ctx.app.inject({ method: 'POST', url: '/v1/logins', headers: auth(ctx.keys.cashier), payload: { username: 'h', name: 'H', role: 'admin' } });
  t.equal(cashierTries.statusCode, 403, 'only an admin makes logins');
});
