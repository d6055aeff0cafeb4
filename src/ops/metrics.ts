import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (its own registry, so tests can build many apps). */
export function createMetrics() {
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
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
