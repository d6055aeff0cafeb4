import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../http/errors.ts';
import { clientKey } from '../http/client-address.ts';
import { AuthFailureSummary } from '../audit/auth-failures.ts';
import type { Principal } from '../http/access.ts';
import { authenticate } from './api-keys.ts';
import { CSRF_HEADER, csrfMatches, SESSION_COOKIE, type SessionPrincipal, sessionPrincipal } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session of a signed-in person; null for a key's request. */
    staffSession: SessionPrincipal['session'] | null;
  }
  interface FastifyContextConfig {
    /** A route a person must still reach while their password awaits its first change (the session routes). */
    passwordChange?: boolean;
    /** A GET that may make something (the day's summary, made on first request): a session must send its CSRF token even to read it. */
    csrfOnRead?: boolean;
  }
  interface FastifyInstance {
    /** Failed sign-ins, summarised into the audit trail once a minute. */
    authFailures: AuthFailureSummary;
  }
}

/** Methods that change nothing: a session needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route that declares `config.roles` needs a caller (else 401) whose
 * role is listed (else 403): a program with an API key in the Authorization
 * header, or a person signed in at the console with a session cookie. Both
 * are looked up on every request, so a revoked key, an ended session or a
 * disabled person stops working at once. A session must also send its CSRF
 * token on anything but a read (a page elsewhere cannot read the token, so it
 * cannot forge a request the cookie would carry), and a person whose password
 * an admin set may only change it until they do.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('staffSession', null);
    app.decorate('authFailures', new AuthFailureSummary(app.db, app.clock));
    app.addHook('onClose', async () => app.authFailures.flush());
    app.addHook('onRequest', async (request, reply) => {
      const allowed = request.routeOptions.config.roles;
      if (!allowed) return;
      const header = request.headers.authorization;
      const token = request.cookies[SESSION_COOKIE];
      let principal: Principal;
      if (header === undefined && token) {
        const person = await sessionPrincipal(app.db, token, app.clock());
        if (!person) {
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
          throw new AppError('UNAUTHENTICATED', 'the session has ended; sign in again');
        }
        const changes = !SAFE_METHODS.has(request.method) || request.routeOptions.config.csrfOnRead;
        if (changes && !csrfMatches(person.session, request.headers[CSRF_HEADER])) {
          throw new AppError('CSRF_FAILED', `send this session's CSRF token in the ${CSRF_HEADER} header`);
        }
        if (person.session.mustChangePassword && !request.routeOptions.config.passwordChange) {
          throw new AppError('PASSWORD_CHANGE_REQUIRED', 'change the password the admin set (POST /v1/session/password) first');
        }
        request.staffSession = person.session;
        principal = person;
      } else {
        const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
        if (!match) throw new AppError('UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>", or sign in at the console');
        const keyHolder = await authenticate(app.db, match[1]!);
        if (!keyHolder) {
          app.authFailures.record(clientKey(request.ip));
          throw new AppError('UNAUTHENTICATED', 'the API key is unknown or revoked');
        }
        principal = keyHolder;
      }
      if (!allowed.includes(principal.role)) {
        throw new AppError('FORBIDDEN', `the ${principal.role} role may not ${request.method} ${request.routeOptions.url}`);
      }
      request.principal = principal;
    });
  },
  { name: 'auth', dependencies: ['services', '@fastify/cookie'] },
);
