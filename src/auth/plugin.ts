import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../http/errors.ts';
import { clientKey } from '../http/client-address.ts';
import { AuthFailureSummary } from '../audit/auth-failures.ts';
import { authenticate, type Principal, type Role } from './api-keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Failed sign-ins, summarised into the audit trail once a minute. */
    authFailures: AuthFailureSummary;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent means the route is public. */
    roles?: readonly Role[];
  }
}

/** Roles that may call a route: a constant per kind of access, so routes read as policy. */
export const access = {
  anyKey: ['admin', 'cashier', 'accountant', 'auditor'],
  admin: ['admin'],
  cashier: ['cashier'],
  readReceipts: ['admin', 'cashier', 'accountant', 'auditor'],
  reports: ['accountant', 'auditor'],
  accountant: ['accountant'],
  verify: ['auditor'],
  audit: ['auditor'],
  /** Counts per department are the center's business: a scraper's key, or an admin's. */
  metrics: ['monitor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED');
  return request.principal;
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
