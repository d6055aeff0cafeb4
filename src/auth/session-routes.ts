import { safeQueryText } from '../text/safe-text.ts';
import { limitPerAddress } from '../http/rate-limit.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf, principalOf, roleSchema } from '../http/access.ts';
import { clientKey } from '../http/client-address.ts';
import { AppError } from '../http/errors.ts';
import { idParams } from '../http/ids.ts';
import { wholeList } from '../http/pagination.ts';
import { changePassword, changePasswordSchema, checkPassword, createLogin, createLoginSchema, listLogins, loginSchema, resetPassword } from './logins.ts';
import { SESSION_COOKIE, type SessionPrincipal, signOut, startSession } from './sessions.ts';

const tags = ['Sign-in'];

/** Sign-in attempts per address per minute, on top of each login's own slowing down. */
export const SIGN_IN_RATE = 20;

export const sessionSchema = z.object({
  username: z.string(),
  staff: z.object({ id: z.uuid(), name: z.string() }),
  role: roleSchema,
  counter: z.string().nullable(),
  csrfToken: z.string().describe('Send it back in the X-CSRF-Token header on every request that is not a GET'),
  mustChangePassword: z.boolean(),
  expiresAt: z.string().describe('The latest the session lasts; an hour without requests ends it sooner'),
});

const people = { roles: access.anyKey, passwordChange: true };

/** What the console learns of its session: who is signed in, and the CSRF token to send back. */
const sessionView = (person: SessionPrincipal): z.infer<typeof sessionSchema> => ({
  username: person.session.username,
  staff: { id: person.staffId, name: person.staffName },
  role: person.role,
  counter: person.counter,
  csrfToken: person.session.csrfToken,
  mustChangePassword: person.session.mustChangePassword,
  expiresAt: person.session.expiresAt.toISOString(),
});

/** A refused sign-in: the same answer whether the username exists or not. */
function refuse(reply: FastifyReply, outcome: { reason: 'failed' | 'inactive' } | { reason: 'throttled'; retryAfterSeconds: number }): never {
  if (outcome.reason === 'throttled') {
    reply.header('retry-after', String(outcome.retryAfterSeconds));
    throw new AppError('SIGN_IN_THROTTLED', `try again in ${outcome.retryAfterSeconds} s`);
  }
  throw new AppError('SIGN_IN_FAILED');
}

/** Sign-in for people at the staff console, and the logins an admin manages. */
const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  await limitPerAddress(app, 'attempts');

  /** The cookie is Secure whenever the service is reached over HTTPS (directly, or per PUBLIC_URL behind a proxy). */
  const secure = (request: FastifyRequest) => request.protocol === 'https' || (app.config.PUBLIC_URL?.startsWith('https:') ?? false);

  const current = (request: FastifyRequest) => {
    const principal = principalOf(request);
    const session = request.staffSession;
    if (!session) throw new AppError('UNAUTHENTICATED', 'this route is for a person signed in at the console, not an API key');
    return { principal, session };
  };

  app.post(
    '/v1/session',
    {
      config: { rateLimit: { max: SIGN_IN_RATE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Sign in at the staff console with a username and password',
        description:
          'Sets an HttpOnly, SameSite=Strict session cookie. Five wrong passwords in a row for a username from one address lock that username, from that address, for 30 seconds, doubling with each further one up to 15 minutes (SIGN_IN_THROTTLED, with Retry-After, even for the right password); ' +
          `at most ${SIGN_IN_RATE} attempts per minute per address. Unknown usernames and wrong passwords get the same answers.`,
        body: z.object({ username: safeQueryText(100), password: z.string().max(200) }).strict(),
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const now = app.clock();
      const source = clientKey(request.ip);
      const checked = await checkPassword(app.db, request.body.username, request.body.password, source, now, (tx, login) => startSession(tx, login, source, now));
      if (!checked.ok) refuse(reply, checked);
      const { token, person } = checked.started;
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(request), expires: person.session.expiresAt });
      return sessionView(person);
    },
  );

  app.get('/v1/session', { config: people, schema: { tags, summary: 'The signed-in person and the session’s CSRF token', response: { 200: sessionSchema } } }, async (request) => {
    const { principal, session } = current(request);
    return sessionView({ ...principal, session });
  });

  app.delete('/v1/session', { config: people, schema: { tags, summary: 'Sign out', response: { 204: z.null() } } }, async (request, reply: FastifyReply) => {
    const { principal, session } = current(request);
    await app.db.transaction((tx) => signOut(tx, { ...principal, session }, app.clock()));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.post(
    '/v1/session/password',
    {
      config: { ...people, rateLimit: { max: SIGN_IN_RATE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Change one’s own password; other sessions of the login end',
        description: 'A wrong current password counts as a wrong sign-in of the username from this address (and locks it alike).',
        body: changePasswordSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { session } = current(request);
      const changed = await changePassword(app.db, { loginId: session.loginId, id: session.id, source: clientKey(request.ip) }, request.body, app.clock());
      if (!changed.ok) {
        if (changed.reason === 'throttled') refuse(reply, changed);
        throw new AppError('VALIDATION_FAILED', 'the current password is wrong', [{ field: 'body.currentPassword', message: 'is wrong' }]);
      }
      return reply.code(204).send(null);
    },
  );

  app.get('/v1/logins', { config: { roles: access.admin }, schema: { tags, summary: 'Console logins', response: { 200: wholeList(loginSchema) } } }, async () => ({
    data: await listLogins(app.db),
    nextCursor: null,
  }));

  app.post(
    '/v1/logins',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'Create a console login for a staff member; its first password is returned once',
        description: 'The login acts through its own console key (role, counter, scope). The person must change the first password at their first sign-in. Revoke the key to end the login.',
        body: createLoginSchema,
        response: { 201: loginSchema.extend({ password: z.string().describe('Shown once') }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(principalOf(request));
      const { login, password } = await app.db.transaction((tx) => createLogin(tx, request.body, actor, app.clock()));
      return reply.code(201).send({ ...login, password });
    },
  );

  app.post(
    '/v1/logins/:id/reset-password',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'Set a new first password (returned once); the person’s sessions end and the lock from wrong passwords lifts',
        params: idParams,
        response: { 200: loginSchema.extend({ password: z.string().describe('Shown once') }) },
      },
    },
    async (request) => {
      const actor = actorOf(principalOf(request));
      const { login, password } = await app.db.transaction((tx) => resetPassword(tx, request.params.id, actor, app.clock()));
      return { ...login, password };
    },
  );
};

export default sessionRoutes;
