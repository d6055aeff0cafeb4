import { z } from 'zod';
import type { Queryable } from '../db/db.ts';
import { feeKindSchema } from '../reference/schemas.ts';
import { checkReportScope, feeSharesQuery } from './fee-shares.ts';
import { ledgerEntries } from './repository.ts';

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
  return ledgerEntries(db, q);
}
