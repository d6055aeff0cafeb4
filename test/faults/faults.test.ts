import t from 'tap';
import { describe, header, runScenario, scenarios, type Outcome } from './suite.ts';

/**
 * The fault suite at a size that fits in `npm test` (60 receipts, 8 clients per
 * scenario); `npm run faults` runs it larger and prints the same table.
 */
const outcomes: Outcome[] = [];
t.teardown(() => console.log(['', header, ...outcomes.map(describe)].join('\n')));

/** What each fault must have made the clients see, so a scenario whose fault did not strike fails. */
const sawTheFault: Record<(typeof scenarios)[number], (o: Outcome) => boolean> = {
  sigkill: (o) => (o.retried.network ?? 0) > 0 && o.byServer.length === 2,
  'postgres-restart': (o) => (o.retried['503 DATABASE_UNAVAILABLE'] ?? 0) > 0,
  'two-servers': (o) => o.byServer.length === 2 && o.byServer.every((n) => n > 0),
  'token-pulled': (o) => (o.retried['503 SIGNER_UNAVAILABLE'] ?? 0) > 0,
  sigterm: (o) => o.byServer.length === 2 && (o.retried.network ?? 0) + (o.retried['503 SHUTTING_DOWN'] ?? 0) > 0,
};

for (const scenario of scenarios) {
  t.test(`fault: ${scenario}, under concurrent issuing with retrying clients`, async (t) => {
    const o = await runScenario(scenario, { receipts: 60, clients: 8 });
    outcomes.push(o);
    t.ok(sawTheFault[scenario](o), `the fault struck: ${describe(o)}`);
    t.equal(o.acknowledged, 60, 'every receipt asked for got its 201');
    t.equal(o.stored, 60, 'exactly that many receipts are stored');
    t.same(
      { lost: o.lost, unacknowledged: o.unacknowledged, duplicates: o.duplicates, gaps: o.gaps, withoutLedger: o.withoutLedger, withoutAudit: o.withoutAudit, auditSeqGaps: o.auditSeqGaps },
      { lost: 0, unacknowledged: 0, duplicates: 0, gaps: 0, withoutLedger: 0, withoutAudit: 0, auditSeqGaps: 0 },
    );
    const unexpected = Object.keys(o.retried).filter((k) => !/^(network|503 (DATABASE_UNAVAILABLE|SIGNER_UNAVAILABLE|SHUTTING_DOWN)|409 IDEMPOTENCY_IN_PROGRESS)$/.test(k));
    t.same(unexpected, [], 'every failure was answered with 503 and a code (or the connection closed), never a 500');
  });
}
