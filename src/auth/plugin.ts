import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../http/errors.ts';
import { clientKey } from '../http/client-address.ts';
import { AuthFailureSummary } from '../audit/auth-failures.ts';
import { authenticate } from './api-keys.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed sign-ins, summarised into the audit trail once a minute. */
    authFailures: AuthFailureSummary;
  }
}

/**
 * Every route that declares `config.roles` needs a valid key (else 401) whose
 * role is listed (else 403). Keys are looked up on every request, so a revoked
 * key stops working at once.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('principal', null);
    app.decorate('authFailures', new AuthFailureSummary(app.db, app.clock));
    app.addHook('onClose', async () => app.authFailures.flush());
    app.addHook('onRequest', async (request) => {
      const allowed = request.routeOptions.config.roles;
      if (!allowed) return;
      const header = request.headers.authorization;
      const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
      if (!match) throw new AppError('UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"');
      const principal = await authenticate(app.db, match[1]!);
      if (!principal) {
        app.authFailures.record(clientKey(request.ip));
        throw new AppError('UNAUTHENTICATED', 'the API key is unknown or revoked');
      }
      if (!allowed.includes(principal.role)) {
        throw new AppError('FORBIDDEN', `the ${principal.role} role may not ${request.method} ${request.routeOptions.url}`);
      }
      request.principal = principal;
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
