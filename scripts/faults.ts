// The fault suite at a larger size than `npm test` runs it:
//   npm run faults [-- <receipts per scenario> <clients> [scenario…]]   (default 2000, 16, all)
// Prints one line of counts per scenario; copy them into the README.
import os from 'node:os';
import { describe, header, runScenario, scenarios, type Scenario } from '../test/faults/suite.ts';

const receipts = Number(process.argv[2] ?? 2000);
const clients = Number(process.argv[3] ?? 16);
const only = process.argv.slice(4) as Scenario[];
console.log(
  `Fault suite: ${receipts} receipts per scenario, ${clients} concurrent clients; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log(header);
let failed = false;
for (const scenario of only.length ? only : scenarios) {
  const o = await runScenario(scenario, { receipts, clients });
  console.log(describe(o));
  failed ||=
    o.acknowledged !== receipts ||
    o.stored !== receipts ||
    o.lost + o.unacknowledged + o.duplicates + o.gaps + o.withoutLedger + o.withoutAudit + o.auditSeqGaps > 0 ||
    Object.keys(o.retried).some((k) => !/^(network|503 |409 IDEMPOTENCY_IN_PROGRESS)/.test(k));
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
process.exit(failed ? 1 : 0);
