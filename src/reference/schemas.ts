import { z } from 'zod';
import { isoDate } from '../time/dates.ts';
import { safeText } from '../text/safe-text.ts';

/** Largest amount of one fee or one receipt the service accepts: 10^12 VND, far above any fee, far below 2^53. */
export const MAX_AMOUNT = 1_000_000_000_000;
export const amountSchema = z.number().int().positive().max(MAX_AMOUNT).describe('Integer VND');

// Vietnamese tax code: 10 digits, or 10 digits, a hyphen and 3 digits for a branch.
export const taxCodeSchema = z.string().regex(/^\d{10}(-\d{3})?$/, 'must be a tax code: 10 digits, or 10 digits-3 digits');
export const codeSchema = z.string().regex(/^[A-Z0-9][A-Z0-9_.-]{0,29}$/, 'must be 1–30 capitals, digits, _ . or -');
const text = (max: number) => safeText(max);

export const centerSchema = z
  .object({
    name: text(300),
    taxCode: taxCodeSchema,
    address: text(500),
    taxOffice: z
      .object({ code: z.string().regex(/^[0-9A-Z]{3,10}$/, 'must be 3–10 digits or capitals'), name: text(300) })
      .strict()
      .optional()
      .describe('The tax office managing the center: error notices 04/SS-CTĐT are addressed to it'),
  })
  .strict();
export type Center = z.infer<typeof centerSchema>;

export const departmentSchema = z.object({
  code: codeSchema,
  name: text(300),
  taxCode: taxCodeSchema,
  address: text(500).nullable().optional(),
});
export const createDepartmentSchema = departmentSchema
  .extend({
    shareRates: z
      .object({
        fee: z.number().int().min(0).max(10_000).default(1500),
        charge: z.number().int().min(0).max(10_000).default(1500),
      })
      .strict()
      .default({ fee: 1500, charge: 1500 })
      .describe('Center’s share in basis points from today on; default 15% of both kinds'),
  })
  .strict();
export const updateDepartmentSchema = departmentSchema.omit({ code: true }).partial().strict();
export type Department = z.infer<typeof departmentSchema>;

export const feeKindSchema = z.enum(['fee', 'charge']).describe('fee (phí) or charge (lệ phí)');
export const feeSchema = z.object({
  code: codeSchema,
  department: codeSchema,
  name: text(300),
  kind: feeKindSchema,
  amount: amountSchema,
  active: z.boolean().default(true),
});
export const createFeeSchema = feeSchema.strict();
export const updateFeeSchema = feeSchema.pick({ name: true, amount: true, active: true }).partial().strict();
export type Fee = z.infer<typeof feeSchema>;

export const TEMPLATE = 'EBL01';
/**
 * Series symbol, Circular 91/2026 Appendix II §2: two digits of the year, the
 * letter T, then two letters from the allowed set (no F, I, J, O, W, Z).
 */
export const SERIES_SYMBOL = /^(\d{2})T([ABCDEGHKLMNPQRSTUVXY]{2})$/;
export const receiptNumberSchema = z.number().int().min(1).max(99_999_999).describe('At most 8 digits (Decree 254 Art. 23.2)');

/**
 * The delegation of a series to the center (Decree 254 Art. 25): the day both
 * tax offices were notified (the center may issue from 3 days later) and the
 * term.
 */
export const delegationSchema = z
  .object({
    notifiedOn: isoDate.describe('The day the tax offices were notified'),
    from: isoDate.describe('First day of the term'),
    to: isoDate.describe('Last day of the term'),
  })
  .strict();

export const seriesSchema = z.object({
  id: z.number().int(),
  template: z.literal(TEMPLATE),
  series: z.string().regex(SERIES_SYMBOL),
  year: z.number().int(),
  department: codeSchema,
  rangeFrom: receiptNumberSchema,
  rangeTo: receiptNumberSchema,
  nextNumber: z.number().int().describe('Number the next receipt gets; rangeTo + 1 when exhausted'),
  delegation: delegationSchema.nullable().describe('The delegation to the center, when registered with one'),
  terminatedOn: z.string().nullable().describe('The day the delegation ended early; no receipt from that day on'),
});
export const createSeriesSchema = z
  .object({
    delegation: delegationSchema.optional(),
    template: z.literal(TEMPLATE).default(TEMPLATE),
    series: z.string().regex(SERIES_SYMBOL, 'must be YYT plus two letters of A B C D E G H K L M N P Q R S T U V X Y, e.g. 26TTP'),
    department: codeSchema,
    rangeFrom: receiptNumberSchema,
    rangeTo: receiptNumberSchema,
  })
  .strict();
export type Series = z.infer<typeof seriesSchema>;
