import { z } from 'zod';
import { safeText } from '../text/safe-text.ts';
import { amountSchema } from '../reference/schemas.ts';

export const refundStatuses = ['pending', 'approved', 'rejected'] as const;

export const requestRefundSchema = z
  .object({
    amount: amountSchema.describe('Integer VND, at most what is left of the receipt'),
    reason: safeText(500, { multiline: true }),
  })
  .strict();

export const decideRefundSchema = z.object({ reason: safeText(500, { multiline: true }) }).strict();

export const refundSchema = z.object({
  id: z.uuid(),
  receiptId: z.uuid(),
  amount: z.number().int(),
  reason: z.string(),
  status: z.enum(refundStatuses),
  requestedAt: z.string(),
  requestedBy: z.string().describe('Name of the requesting key'),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  shares: z.object({ center: z.number().int(), department: z.number().int() }).nullable().describe('The reversal, as positive amounts, once approved'),
  voucherSha256: z.string().nullable(),
});
export type Refund = z.infer<typeof refundSchema>;
