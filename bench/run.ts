// npm run bench: prints figures from one run; copy them into the README.
import { benchConsole, printConsole } from './console.ts';
import { benchIssue } from './issue.ts';
import { benchReport } from './report.ts';

const only = process.argv[2];

if (!only || only === 'issue') {
  const clients = 16;
  console.log(`Issuing: one SoftHSM2 token, ${clients} concurrent HTTP clients, 4 series\n`);
  console.log('backend   | bare C_Sign/s | issues/s (HTTP) | ratio | p50 ms | p99 ms');
  console.log('----------|---------------|-----------------|-------|--------|-------');
  for (const backend of ['postgres', 'embedded'] as const) {
    const r = await benchIssue({ backend, clients, signs: 2000, issues: backend === 'postgres' ? 1500 : 600 });
    console.log(
      `${backend.padEnd(9)} | ${r.signRate.toFixed(0).padStart(13)} | ${r.issueRate.toFixed(0).padStart(15)} | ${r.ratio.toFixed(2).padStart(5)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)}`,
    );
  }
  console.log('');
}

if (!only || only === 'report') {
  console.log('Fee-share report of one month (PostgreSQL): median of 21 runs; baseline = aggregating the raw ledger entries\n');
  const rows = await benchReport([10_000, 1_000_000]);
  console.log('receipts  | report ms | baseline ms');
  console.log('----------|-----------|------------');
  for (const r of rows) console.log(`${String(r.receipts).padStart(9)} | ${r.reportMs.toFixed(2).padStart(9)} | ${r.scanMs.toFixed(1).padStart(11)}`);
  const [small, large] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log(`\nreport 1M / 10k: ${(large.reportMs / small.reportMs).toFixed(2)}  (baseline 1M / 10k: ${(large.scanMs / small.scanMs).toFixed(1)})`);
}

if (!only || only === 'console') {
  console.log('');
  printConsole(await benchConsole());
}
