import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { clientKey } from './client-address.ts';
import { AppError } from './errors.ts';

/**
 * Per-address limits for the routes of one plugin (each route names its
 * `config.rateLimit`): counted by client address (IPv6 by /64, see
 * client-address.ts), answered 429 RATE_LIMITED with the wait, as every
 * other problem is.
 */
export async function limitPerAddress(app: FastifyInstance, what: string): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => clientKey(request.ip),
    errorResponseBuilder: (_request, context) => {
      const err = new AppError('RATE_LIMITED', `at most ${context.max} ${what} per minute; try again in ${Math.ceil(context.ttl / 1000)} s`);
      return Object.assign(err, { statusCode: 429 });
    },
  });
}
