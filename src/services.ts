import fp from 'fastify-plugin';
import type { Config } from './config/config.ts';
import type { Db } from './db/db.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import { IssuingEngine } from './receipts/engine.ts';
import { MAX_BATCH } from './receipts/schemas.ts';
import type { Signer } from './signing/signer.ts';
import { VerificationPool } from './verification/pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    signer: Signer;
    /** Issues receipts in groups per series (receipts/engine.ts). */
    issuing: IssuingEngine;
    metrics: Metrics;
    /** Verification threads (started on first use, stopped when the app closes). */
    verifier: VerificationPool;
    /** The current time: the system clock, or a test's. */
    clock: () => Date;
  }
}

export interface Services {
  config: Config;
  db: Db;
  signer: Signer;
  clock?: () => Date;
  /** Verification threads shared with the caller, who then closes them; by default the app owns its own. */
  verifier?: VerificationPool;
}

/**
 * Makes the opened resources reachable by routes through typed decorators.
 * Whoever opened them (server.ts, or a test) closes them; the verification
 * threads belong to the app and close with it.
 */
export default fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('db', services.db);
    app.decorate('signer', services.signer);
    app.decorate('clock', services.clock ?? (() => new Date()));
    app.decorate('metrics', createMetrics(services.db, app.clock));
    app.decorate(
      'issuing',
      new IssuingEngine(services.db, { signer: services.signer, now: app.clock }, { maxGroup: services.config.ISSUE_GROUP_MAX, maxWaiting: services.config.ISSUE_QUEUE_MAX, maxBulk: 4 * MAX_BATCH }),
    );
    app.decorate('verifier', services.verifier ?? new VerificationPool({ production: services.config.NODE_ENV === 'production' }));
    if (!services.verifier) app.addHook('onClose', async () => app.verifier.close());
  },
  { name: 'services' },
);
