import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from '../db/db.ts';
import { oldestPendingTransmission, rejectedTransmissionCount } from './repository.ts';

/**
 * Prometheus metrics of one app instance (its own registry, so tests can build
 * many apps). The outbox gauges are read from the database at each scrape, so
 * every server on one database reports the same figures.
 */
export function createMetrics(db: Queryable, clock: () => Date) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    receiptsIssued: new Counter({
      name: 'receipts_issued_total',
      help: 'Receipts issued (signed and committed)',
      labelNames: ['department'] as const,
      registers: [registry],
    }),
    signSeconds: new Histogram({
      name: 'receipt_issue_seconds',
      help: 'Time to issue one receipt inside its transaction: number, XML, signature, storage',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    taxOldestPending: new Gauge({
      name: 'tax_outbox_oldest_pending_seconds',
      help: 'Age of the oldest message to the tax authority not yet delivered (0 when none waits)',
      registers: [registry],
      async collect() {
        const oldest = await oldestPendingTransmission(db);
        this.set(oldest ? Math.max(0, (clock().getTime() - oldest.getTime()) / 1000) : 0);
      },
    }),
    taxRejected: new Gauge({
      name: 'tax_messages_rejected',
      help: 'Messages the tax authority (or the intermediary) refused',
      registers: [registry],
      async collect() {
        this.set(await rejectedTransmissionCount(db));
      },
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
