import { createHash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { centerPart } from '../shares/split.ts';
import { wholeSecond } from '../time/vietnam.ts';
import type { VerificationPool } from './pool.ts';
import { noticeDifferences, receiptDifferences, voucherDifferences } from './record-fields.ts';
import { aggregateMismatches, periodDocumentCounts, storedDocuments, type StoredDocument } from './repository.ts';
import { summaryCompleteness } from './summary-completeness.ts';
import type { VerificationResult } from './verifier.ts';

export interface AuditFinding {
  type: 'receipt' | 'refund-voucher' | 'error-notice' | 'daily-summary' | 'registration' | 'ledger-aggregate';
  id: string;
  label: string;
  problems: string[];
}

export interface PeriodAudit {
  from: string;
  to: string;
  documents: { receipts: number; refundVouchers: number; errorNotices: number; dailySummaries: number; registrations: number };
  valid: number;
  invalid: number;
  findings: AuditFinding[];
  workers: number;
  durationMs: number;
}

/** Every field of the record against the signed document. */
async function recordProblems(db: Queryable, doc: StoredDocument, result: VerificationResult): Promise<string[]> {
  const signed = result.signedFields;
  if (!signed) return [];
  const signingTime = result.signingTime ? new Date(result.signingTime) : null;
  const sha256 = createHash('sha256').update(doc.xml).digest('hex');
  switch (doc.type) {
    case 'daily-summary': {
      const r = doc.record;
      const q = { date: r.business_date, department: r.department_code || undefined, supplement: r.supplement };
      const problems = [];
      if (r.xml_sha256 !== sha256) problems.push(`xmlSha256: the record says "${r.xml_sha256}"; the stored summary hashes to "${sha256}"`);
      if (result.document?.dataId !== r.data_id) problems.push(`id: the record is the summary ${r.data_id}; the signed document is ${result.document?.dataId}`);
      if (r.department_code && result.document?.day !== r.business_date) problems.push(`date: the record says ${r.business_date}; the signed summary reports ${result.document?.day}`);
      if (r.department_code && result.document?.supplement !== r.supplement) problems.push(`supplement: the record says ${r.supplement}; the signed summary says ${result.document?.supplement}`);
      const incomplete = await summaryCompleteness(db, q, result.document?.receipts ?? []);
      if (incomplete) problems.push(`receipts: the summary ${incomplete}`);
      return problems;
    }
    case 'receipt':
      return signed.type === 'receipt' ? receiptDifferences(doc.record, signed.fields, signingTime, sha256) : [`type: the record is a receipt; the signed document is ${signed.type}`];
    case 'refund-voucher':
      return signed.type === 'refund-voucher' ? voucherDifferences(doc.record, signed.fields, signingTime, sha256) : [`type: the record is a refund voucher; the signed document is ${signed.type}`];
    case 'error-notice':
      return signed.type === 'error-notice' ? noticeDifferences(doc.record, signed.fields, signingTime, sha256) : [`type: the record is an error notice; the signed document is ${signed.type}`];
    case 'registration': {
      const r = doc.record;
      const problems = [];
      if (r.xml_sha256 !== sha256) problems.push(`xmlSha256: the record says "${r.xml_sha256}"; the stored registration hashes to "${sha256}"`);
      if (result.document?.dataId !== r.data_id) problems.push(`id: the record is the registration ${r.data_id}; the signed document is ${result.document?.dataId}`);
      if (signingTime && wholeSecond(r.created_at).getTime() !== signingTime.getTime()) {
        problems.push(`signingTime: the record was made at ${r.created_at.toISOString()}; the signature claims ${signingTime.toISOString()}`);
      }
      return problems;
    }
  }
}

/**
 * The reports read the daily aggregates, not the entries: each day's
 * aggregate must be the sum of that day's entries, and its receipt count the
 * count of its receipts.
 */
async function aggregateFindings(db: Queryable, from: string, to: string): Promise<AuditFinding[]> {
  const rows = await aggregateMismatches(db, from, to);
  return rows.map((r) => ({ type: 'ledger-aggregate' as const, id: `${r.day}/${r.department_code}/${r.kind}`, label: `aggregate ${r.day} ${r.department_code} ${r.kind}`, problems: [r.problem] }));
}

/** The ledger must say what the signed document says: amounts per kind, and the center's part at the recorded rate. */
function ledgerProblems(doc: StoredDocument, result: VerificationResult): string[] {
  const parts = result.document?.parts;
  if (!parts || (doc.type !== 'receipt' && doc.type !== 'refund-voucher')) return [];
  const rows = doc.record.ledger;
  const problems: string[] = [];
  // One entry per kind at most: an extra one (inserted around the service) would otherwise go unseen.
  for (const kind of new Set(rows.map((r) => r.kind))) {
    const count = rows.filter((r) => r.kind === kind).length;
    if (count > 1) problems.push(`ledger: ${count} ${kind} entries posted, one expected`);
  }
  for (const kind of ['fee', 'charge'] as const) {
    const signed = parts[kind];
    const entry = rows.find((r) => r.kind === kind);
    const posted = entry ? (doc.type === 'receipt' ? entry.collected : entry.refunded) : 0;
    if (posted !== signed) problems.push(`ledger: ${kind} posted ${posted}, signed ${signed}`);
    if (entry && doc.type === 'receipt' && entry.center_share !== centerPart(entry.collected, entry.rate_bp)) {
      problems.push(`ledger: ${kind} center share ${entry.center_share} is not floor(${entry.collected} × ${entry.rate_bp} bp)`);
    }
    if (entry && entry.center_share + entry.department_share !== entry.collected - entry.refunded) problems.push(`ledger: ${kind} shares do not add up`);
  }
  return problems;
}

/**
 * Re-verifies every stored document of a period (receipts, refund vouchers,
 * error notices, daily summaries, registrations) against its signature, on every thread of the pool; compares
 * every field of each record with what its signed document says (or, where no
 * document says it, with the audit trail); checks the ledger against each
 * signed document, and the daily aggregates the reports read against the
 * ledger.
 */
export async function auditPeriod(
  db: Queryable,
  q: { from: string; to: string },
  opts: { pool: VerificationPool; trustDir: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<PeriodAudit> {
  const started = performance.now();
  const c = await periodDocumentCounts(db, q);
  const total = c.receipts + c.vouchers + c.notices + c.summaries + c.registrations;
  const size = opts.pool.size;
  const findings: AuditFinding[] = [];
  let done = 0;
  let valid = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const doc of storedDocuments(db, q)) {
      const task = opts.pool.verify(doc.xml, { trustDir: opts.trustDir, now: opts.now, expect: doc.type, signedFields: true }).then(async (result) => {
        const problems = [
          ...result.checks.filter((ch) => !ch.passed).map((ch) => `${ch.name}: ${ch.reason}`),
          ...(await recordProblems(db, doc, result)),
          ...(result.valid ? ledgerProblems(doc, result) : []),
        ];
        if (problems.length === 0) valid++;
        else findings.push({ type: doc.type, id: doc.id, label: doc.label, problems });
        opts.onProgress?.(++done, total);
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= size * 64) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    findings.push(...(await aggregateFindings(db, q.from, q.to)));
  } finally {
    // A failed audit leaves nothing running behind it.
    await Promise.allSettled(inFlight);
  }
  findings.sort((a, b) => a.label.localeCompare(b.label));
  return {
    from: q.from,
    to: q.to,
    documents: { receipts: c.receipts, refundVouchers: c.vouchers, errorNotices: c.notices, dailySummaries: c.summaries, registrations: c.registrations },
    valid,
    invalid: findings.length,
    findings,
    workers: size,
    durationMs: Math.round(performance.now() - started),
  };
}
