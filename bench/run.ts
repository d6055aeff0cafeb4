// npm run bench: prints figures from one run; copy them into the README.
import { benchConsole, printConsole } from './console.ts';
import { benchFootprint, printFootprint } from './footprint.ts';
import { benchIssuing, benchSlowToken, printIssuing, printSlowToken } from './issue.ts';
import { benchVerify, printVerify } from './verify.ts';
import { benchReport } from './report.ts';

const only = process.argv[2];

if (!only || only === 'issue') {
  console.log('Issuing over HTTP: the compiled server in its own process, the load from this one; 4 series; rounds interleave the baselines and the subject');
  for (const setup of [
    { backend: 'postgres', signer: 'pkcs11', clients: [1, 4, 16] },
    { backend: 'postgres', signer: 'file', clients: [1, 4, 16] },
    { backend: 'embedded', signer: 'pkcs11', clients: [1, 4, 16] },
  ] as const) {
    printIssuing(await benchIssuing({ ...setup, clients: [...setup.clients], rounds: 3, seconds: 4 }));
  }
  console.log('');
}

if (!only || only === 'slow-token') {
  printSlowToken(await benchSlowToken({ delayMs: 300, clients: 16, rounds: 3, seconds: 12 }));
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

if (!only || only === 'verify') {
  console.log('');
  printVerify(await benchVerify({ documents: 2000, rounds: 3, singles: 100 }));
}

if (!only || only === 'footprint') {
  console.log('');
  printFootprint(await benchFootprint({ receipts: 20_000, starts: 5 }));
}
