import fp from 'fastify-plugin';
import type { Config } from './config/config.ts';
import type { Db } from './db/db.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import type { Signer } from './signing/signer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    signer: Signer;
    metrics: Metrics;
    /** The current time: the system clock, or a test's. */
    clock: () => Date;
  }
}

export interface Services {
  config: Config;
  db: Db;
  signer: Signer;
  clock?: () => Date;
}

/**
 * Makes the opened resources reachable by routes through typed decorators.
 * Whoever opened them (server.ts, or a test) closes them.
 */
export default fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('db', services.db);
    app.decorate('signer', services.signer);
    app.decorate('metrics', createMetrics());
    app.decorate('clock', services.clock ?? (() => new Date()));
  },
  { name: 'services' },
);
