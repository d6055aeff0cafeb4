import type { Queryable } from '../db/db.ts';
import { centerPart } from '../shares/split.ts';
import { vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import type { VerificationPool } from './pool.ts';
import type { VerificationResult } from './verifier.ts';

export interface AuditFinding {
  type: 'receipt' | 'refund-voucher' | 'error-notice';
  id: string;
  label: string;
  problems: string[];
}

export interface PeriodAudit {
  from: string;
  to: string;
  documents: { receipts: number; refundVouchers: number; errorNotices: number };
  valid: number;
  invalid: number;
  findings: AuditFinding[];
  workers: number;
  durationMs: number;
}

interface StoredDocument {
  type: AuditFinding['type'];
  id: string;
  label: string;
  xml: Buffer;
}

/** The period's stored documents, in pages. */
async function* storedDocuments(db: Queryable, from: Date, to: Date): AsyncGenerator<StoredDocument> {
  const sources = [
    { type: 'receipt' as const, sql: `SELECT id, xml, 'EBL01 ' || series || ' ' || number AS label FROM receipts WHERE issued_at >= $1 AND issued_at < $2 AND id > $3::uuid ORDER BY id LIMIT 500` },
    { type: 'refund-voucher' as const, sql: `SELECT id, voucher_xml AS xml, 'refund ' || id AS label FROM refunds WHERE status = 'approved' AND decided_at >= $1 AND decided_at < $2 AND id > $3::uuid ORDER BY id LIMIT 500` },
    { type: 'error-notice' as const, sql: `SELECT id, xml, 'notice ' || id AS label FROM error_notices WHERE issued_at >= $1 AND issued_at < $2 AND id > $3::uuid ORDER BY id LIMIT 500` },
  ];
  for (const source of sources) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { rows } = await db.query<{ id: string; xml: Buffer; label: string }>(source.sql, [from, to, after]);
      for (const r of rows) yield { type: source.type, id: r.id, label: r.label, xml: r.xml };
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** The ledger must say what the signed document says: amounts per kind, and the center's part at the recorded rate. */
async function ledgerProblems(db: Queryable, doc: StoredDocument, result: VerificationResult): Promise<string[]> {
  const parts = result.document?.parts;
  if (!parts || doc.type === 'error-notice') return [];
  const column = doc.type === 'receipt' ? 'receipt_id' : 'refund_id';
  const entryType = doc.type === 'receipt' ? 'receipt' : 'refund';
  const { rows } = await db.query<{ kind: 'fee' | 'charge'; collected: number; refunded: number; center_share: number; department_share: number; rate_bp: number }>(
    `SELECT kind, collected, refunded, center_share, department_share, rate_bp FROM ledger_entries WHERE ${column} = $1 AND entry_type = $2`,
    [doc.id, entryType],
  );
  const problems: string[] = [];
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
 * error notices) against its signature, on every thread of the pool, and
 * checks the ledger against what each signed document says.
 */
export async function auditPeriod(
  db: Queryable,
  q: { from: string; to: string },
  opts: { pool: VerificationPool; trustDir: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<PeriodAudit> {
  const started = performance.now();
  const from = vietnamDayStart(q.from);
  const to = vietnamDayEnd(q.to);
  const counts = await db.query<{ receipts: number; vouchers: number; notices: number }>(
    `SELECT (SELECT count(*) FROM receipts WHERE issued_at >= $1 AND issued_at < $2)::int AS receipts,
            (SELECT count(*) FROM refunds WHERE status = 'approved' AND decided_at >= $1 AND decided_at < $2)::int AS vouchers,
            (SELECT count(*) FROM error_notices WHERE issued_at >= $1 AND issued_at < $2)::int AS notices`,
    [from, to],
  );
  const c = counts.rows[0]!;
  const total = c.receipts + c.vouchers + c.notices;
  const size = opts.pool.size;
  const findings: AuditFinding[] = [];
  let done = 0;
  let valid = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const doc of storedDocuments(db, from, to)) {
      const task = opts.pool.verify(doc.xml, { trustDir: opts.trustDir, now: opts.now }).then(async (result) => {
        const problems = [
          ...result.checks.filter((ch) => !ch.passed).map((ch) => `${ch.name}: ${ch.reason}`),
          ...(result.valid ? await ledgerProblems(db, doc, result) : []),
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
  } finally {
    // A failed audit leaves nothing running behind it.
    await Promise.allSettled(inFlight);
  }
  findings.sort((a, b) => a.label.localeCompare(b.label));
  return {
    from: q.from,
    to: q.to,
    documents: { receipts: c.receipts, refundVouchers: c.vouchers, errorNotices: c.notices },
    valid,
    invalid: findings.length,
    findings,
    workers: size,
    durationMs: Math.round(performance.now() - started),
  };
}
