import { z } from 'zod';
import { safeText } from '../text/safe-text.ts';
import { problemSchema } from '../http/problem.ts';
import { amountSchema, codeSchema, feeKindSchema, SERIES_SYMBOL, TEMPLATE } from '../reference/schemas.ts';

export const paymentMethods = ['cash', 'transfer', 'card', 'qr'] as const;
const text = (max: number) => safeText(max);
/** A citizen's identity number: 12 digits (or an old 9-digit ID). */
export const ID_NUMBER = /^\d{9}$|^\d{12}$/;

export const payerSchema = z
  .object({
    name: text(300).describe('Payer’s full name (người nộp)'),
    address: text(500).optional(),
    taxCode: z
      .string()
      .regex(/^\d{10}(-\d{3})?$/, 'must be a tax code: 10 digits, or 10 digits-3 digits')
      .optional(),
    idNumber: z.string().regex(ID_NUMBER, 'must be a 12-digit citizen ID (or an old 9-digit ID)').optional(),
  })
  .strict();

const catalogItem = z
  .object({
    feeCode: codeSchema.describe('A fee of the department’s catalog'),
    quantity: z.number().int().min(1).max(1000).default(1),
  })
  .strict();
const explicitItem = z
  .object({
    name: text(300),
    kind: feeKindSchema,
    amount: amountSchema,
  })
  .strict();

export const issueReceiptSchema = z
  .object({
    department: codeSchema.describe('Collecting organization'),
    series: z.string().regex(SERIES_SYMBOL, 'must be a series symbol such as 26TTP').optional().describe('Default: the department’s series of the year'),
    payer: payerSchema,
    items: z
      .array(z.union([catalogItem, explicitItem]))
      .min(1, 'at least one item is required')
      .max(50),
    paymentMethod: z.enum(paymentMethods),
    dossierCode: safeText(50).optional().describe('Dossier code of the administrative procedure (mã hồ sơ)'),
    email: z
      .email('must be an e-mail address')
      .max(254)
      .optional()
      .describe('The payer’s e-mail: the signed receipt and its page are sent there, and later error notices; not part of the signed receipt'),
  })
  .strict();
export type IssueReceiptInput = z.infer<typeof issueReceiptSchema>;

export const receiptItemSchema = z.object({
  line: z.number().int(),
  feeCode: z.string().nullable(),
  name: z.string(),
  kind: feeKindSchema,
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  amount: z.number().int(),
});
export type ReceiptItem = z.infer<typeof receiptItemSchema>;

export const receiptStatuses = ['issued', 'replaced'] as const;

export const receiptReferenceSchema = z.object({
  id: z.uuid(),
  template: z.string(),
  series: z.string(),
  number: z.number().int(),
  issueDate: z.string(),
});

export const receiptSchema = z.object({
  id: z.uuid(),
  template: z.literal(TEMPLATE),
  series: z.string(),
  number: z.number().int(),
  issuedAt: z.string().describe('Signing time, ISO 8601'),
  issueDate: z.string().describe('Date of issue in Vietnam (YYYY-MM-DD)'),
  department: z.object({ code: z.string(), name: z.string(), taxCode: z.string() }),
  payer: z.object({ name: z.string(), address: z.string().optional(), taxCode: z.string().optional(), idNumber: z.string().optional() }),
  paymentMethod: z.enum(paymentMethods),
  dossierCode: z.string().nullable(),
  items: z.array(receiptItemSchema),
  total: z.number().int(),
  totalInWords: z.string(),
  lookupCode: z.string(),
  status: z.enum(receiptStatuses),
  counter: z.string().nullable(),
  xmlSha256: z.string().describe('SHA-256 of the signed XML as stored'),
  shares: z.object({ center: z.number().int(), department: z.number().int() }).describe('Split of the total at the rates in force on the issue date: center = Σ floor(amount × rate) per kind'),
  replaces: receiptReferenceSchema.nullable().describe('The receipt this one replaces'),
  replacementReason: z.string().nullable(),
  replacedBy: receiptReferenceSchema.nullable().describe('The receipt that replaced this one'),
  refunds: z.object({
    approved: z.number().int(),
    pending: z.number().int(),
    refundable: z.number().int().describe('What can still be requested: total − approved − pending'),
  }),
  history: z
    .array(
      z.object({
        at: z.string(),
        event: z.enum([
          'issued',
          'refund_requested',
          'refund_approved',
          'refund_rejected',
          'replacement_requested',
          'replacement_rejected',
          'replaced',
          'error_notice_requested',
          'error_notice_rejected',
          'error_notice',
        ]),
        id: z.string().describe('The receipt, refund, correction request, replacement receipt or error notice'),
        amount: z.number().int().nullable(),
      }),
    )
    .describe('Every event of the receipt, oldest first'),
});
export type Receipt = z.infer<typeof receiptSchema>;

/** Most receipts in one batch. */
export const MAX_BATCH = 1000;

export const batchSchema = z.object({
  receipts: z.array(issueReceiptSchema).min(1).max(MAX_BATCH).describe(`1–${MAX_BATCH} receipts, each as for POST /v1/receipts`),
});

export const batchResultSchema = z.object({
  issued: z.number().int().describe('Items with a receipt (newly issued or issued by an earlier try of this batch)'),
  failed: z.number().int(),
  results: z
    .array(
      z.union([
        z.object({ index: z.number().int(), status: z.literal(201), replayed: z.boolean(), receipt: receiptSchema }),
        z.object({ index: z.number().int(), status: z.number().int(), problem: problemSchema }),
      ]),
    )
    .describe('One per item, in the batch’s order'),
});
