import { readFile, stat } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Config } from '../config/config.ts';
import { openMigratedDatabase } from '../runtime.ts';
import { auditPeriod } from '../verification/period-audit.ts';
import { VerificationPool } from '../verification/pool.ts';
import { readTrustStore } from '../verification/trust.ts';
import { MAX_DOCUMENT_BYTES, refusedAt, verifyDocument, type VerificationResult } from '../verification/verifier.ts';

/** Runs `work` over `items`, `limit` at a time, in order of completion. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function describe(r: VerificationResult): string {
  const d = r.document;
  if (!d) return '';
  const what =
    d.type === 'receipt'
      ? `receipt ${d.template} ${d.series} ${d.number}`
      : d.type === 'daily-summary'
        ? `daily summary ${d.day}`
        : d.type === 'registration'
          ? `registration ${d.dataId} of ${d.issueDate}`
          : `${d.type} ${d.documentId}`;
  return `${what}, signed ${r.signingTime} by ${r.signer?.subject}`;
}

/**
 * `receipts verify <files…>`: offline, with no server and no database (the
 * record match is skipped and says so). Exit code 0 only if every file passes.
 */
export async function verifyFiles(config: Config, files: string[], opts: { json?: boolean }): Promise<number> {
  const production = config.NODE_ENV === 'production';
  const trust = await readTrustStore(config.TRUST_DIR, { production });
  if (production && (await readTrustStore(config.TRUST_DIR)).anchors.length > trust.anchors.length) {
    console.error(`NODE_ENV=production: development CAs in TRUST_DIR (${config.TRUST_DIR}) are ignored`);
  }
  if (trust.anchors.length === 0) {
    console.error(`No trusted CA certificates in TRUST_DIR (${config.TRUST_DIR}): nothing can verify.`);
    return 2;
  }
  const bar =
    files.length > 1 && process.stderr.isTTY && !opts.json
      ? new cliProgress.SingleBar({ format: 'verifying {bar} {value}/{total} files', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
  bar?.start(files.length, 0);
  const results: Array<{ file: string } & VerificationResult> = [];
  await eachLimited(files, 16, async (file) => {
    let result: VerificationResult;
    try {
      // Sized before it is read: a huge file (or a device) is refused without filling memory.
      const { size, isFile } = await stat(file).then((s) => ({ size: s.size, isFile: s.isFile() }));
      if (!isFile) result = refusedAt('size', 'not a regular file');
      else if (size > MAX_DOCUMENT_BYTES) result = refusedAt('size', `${size} bytes is over the limit of ${MAX_DOCUMENT_BYTES}`);
      else result = await verifyDocument(await readFile(file), { trust });
    } catch (err) {
      result = refusedAt('size', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    results.push({ file, ...result });
    bar?.increment();
  });
  bar?.stop();
  results.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
  const valid = results.filter((r) => r.valid).length;
  if (opts.json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    for (const r of results) {
      if (r.valid) console.log(`OK    ${r.file}  ${describe(r)}`);
      else
        console.log(
          `FAIL  ${r.file}  ${r.checks
            .filter((c) => !c.passed)
            .map((c) => `${c.name}: ${c.reason}`)
            .join('; ')}`,
        );
    }
    console.log(`${results.length} verified: ${valid} valid, ${results.length - valid} invalid (record match skipped: offline)`);
    // A development CA makes only this installation's own test documents verify: say so, every time.
    for (const subject of new Set(results.filter((r) => r.trustAnchor?.development).map((r) => r.trustAnchor!.subject))) {
      console.log(`Trusted a DEVELOPMENT CA "${subject}" from ${config.TRUST_DIR}: not for production`);
    }
  }
  return valid === results.length ? 0 : 1;
}

/**
 * `receipts verify --from <date> --to <date>`: re-verifies every stored
 * document of the period against its signature and the ledger, on all cores.
 */
export async function verifyPeriod(config: Config, q: { from: string; to: string }, opts: { json?: boolean }): Promise<number> {
  const database = await openMigratedDatabase(config, 'command');
  const pool = new VerificationPool({ production: config.NODE_ENV === 'production' });
  const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: 'auditing {bar} {value}/{total} documents', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  try {
    let started = false;
    const audit = await auditPeriod(database.db, q, {
      pool,
      trustDir: config.TRUST_DIR,
      now: new Date(),
      onProgress: (done, total) => {
        if (!started) bar?.start(total, 0);
        started = true;
        bar?.update(done);
      },
    });
    bar?.stop();
    if (opts.json) {
      console.log(JSON.stringify(audit, null, 2));
    } else {
      for (const f of audit.findings) console.log(`FAIL  ${f.label}  ${f.problems.join('; ')}`);
      const d = audit.documents;
      console.log(
        `${audit.from} – ${audit.to}: ${d.receipts} receipts, ${d.refundVouchers} refund vouchers, ${d.errorNotices} error notices, ${d.dailySummaries} daily summaries, ${d.registrations} registrations; ` +
          `${audit.valid} valid, ${audit.invalid} with problems (${audit.workers} workers, ${audit.durationMs} ms)`,
      );
    }
    return audit.invalid === 0 ? 0 : 1;
  } finally {
    bar?.stop();
    await pool.close();
    await database.close();
  }
}
