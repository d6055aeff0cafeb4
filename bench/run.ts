// npm run bench: prints figures from one run; copy them into the README.
import { benchIssue } from './issue.ts';

const clients = 16;
console.log(`Issuing benchmark: one SoftHSM2 token, ${clients} concurrent HTTP clients, 4 series\n`);
console.log('backend   | bare C_Sign/s | issues/s (HTTP) | ratio | p50 ms | p99 ms');
console.log('----------|---------------|-----------------|-------|--------|-------');
for (const backend of ['postgres', 'pglite'] as const) {
  const r = await benchIssue({ backend, clients, signs: 2000, issues: backend === 'postgres' ? 1500 : 600 });
  console.log(
    `${backend.padEnd(9)} | ${r.signRate.toFixed(0).padStart(13)} | ${r.issueRate.toFixed(0).padStart(15)} | ${r.ratio.toFixed(2).padStart(5)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)}`,
  );
}
