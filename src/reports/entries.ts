import { z } from 'zod';
import type { Queryable } from '../db/db.ts';
import { feeKindSchema } from '../reference/schemas.ts';
import { vietnamDate, vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';
import { checkReportScope, feeSharesQuery } from './fee-shares.ts';

export const entriesQuery = feeSharesQuery.extend({ kind: feeKindSchema.optional() });

export const ledgerEntrySchema = z.object({
  id: z.number().int(),
  postedAt: z.string(),
  businessDate: z.string(),
  department: z.string(),
  kind: feeKindSchema,
  entryType: z.enum(['receipt', 'refund', 'replacement_reversal']),
  receipt: z.object({ id: z.string(), template: z.string(), series: z.string(), number: z.number().int(), issueDate: z.string() }),
  refundId: z.string().nullable(),
  collected: z.number().int(),
  refunded: z.number().int(),
  centerShare: z.number().int(),
  departmentShare: z.number().int(),
  rateBp: z.number().int(),
  originalPeriod: z.string().nullable(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntrySchema>;

/** The ledger entries behind a report figure, in posting order (cursor: the last entry's id). */
export async function listEntries(db: Queryable, q: { from: string; to: string; department?: string; kind?: string; afterId?: number; limit: number }): Promise<LedgerEntryView[]> {
  await checkReportScope(db, q);
  const { rows } = await db.query<{
    id: number;
    posted_at: Date;
    business_date: string;
    department_code: string;
    kind: 'fee' | 'charge';
    entry_type: LedgerEntryView['entryType'];
    receipt_id: string;
    template: string;
    series: string;
    number: number;
    issued_at: Date;
    refund_id: string | null;
    collected: number;
    refunded: number;
    center_share: number;
    department_share: number;
    rate_bp: number;
    original_period: string | null;
  }>(
    `SELECT e.id, e.posted_at, e.business_date::text AS business_date, e.department_code, e.kind, e.entry_type, e.receipt_id,
            r.template, r.series, r.number, r.issued_at, e.refund_id, e.collected, e.refunded, e.center_share,
            e.department_share, e.rate_bp, e.original_period
       FROM ledger_entries e JOIN receipts r ON r.id = e.receipt_id
      WHERE e.posted_at >= $1 AND e.posted_at < $2 AND ($3::text IS NULL OR e.department_code = $3)
        AND ($4::text IS NULL OR e.kind = $4) AND ($5::bigint IS NULL OR e.id > $5)
      ORDER BY e.id LIMIT $6`,
    [vietnamDayStart(q.from), vietnamDayEnd(q.to), q.department ?? null, q.kind ?? null, q.afterId ?? null, q.limit],
  );
  return rows.map((e) => ({
    id: Number(e.id),
    postedAt: e.posted_at.toISOString(),
    businessDate: e.business_date,
    department: e.department_code,
    kind: e.kind,
    entryType: e.entry_type,
    receipt: { id: e.receipt_id, template: e.template, series: e.series, number: e.number, issueDate: vietnamDate(e.issued_at) },
    refundId: e.refund_id,
    collected: e.collected,
    refunded: e.refunded,
    centerShare: e.center_share,
    departmentShare: e.department_share,
    rateBp: e.rate_bp,
    originalPeriod: e.original_period,
  }));
}
