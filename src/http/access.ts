import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from './errors.ts';

/**
 * Who may do what: the roles, the person acting on a request, and the roles
 * each kind of route admits. Every capability's routes read their policy
 * from here; auth/ decides who the caller is.
 */

/** The people's roles (the API conventions, README), and `monitor` for a metrics scraper, which may read /metrics and nothing else. */
export const roles = ['admin', 'cashier', 'accountant', 'auditor', 'monitor'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * Which receipts a cashier key may ask to correct or refund: only those
 * issued at its own counter (the default), or any receipt of the center
 * (granted by an admin, for a back office or a head cashier).
 */
export const correctionScopes = ['counter', 'center'] as const;

export interface Principal {
  keyId: string;
  /** The key's name, as shown in the audit trail. */
  name: string;
  role: Role;
  /** The person holding the key: separation of duties compares people, not keys. */
  staffId: string;
  staffName: string;
  counter: string | null;
  scope: (typeof correctionScopes)[number];
}

/** Who did something, for the audit trail: the key and the person holding it. */
export const actorOf = (p: Principal): { keyId: string; name: string; staffId: string } => ({ keyId: p.keyId, name: p.name, staffId: p.staffId });

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin on a route that declares its roles. */
    principal: Principal | null;
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

/** The caller of a route that declared its roles (the auth plugin has checked them). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED');
  return request.principal;
}
