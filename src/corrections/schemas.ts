import { z } from 'zod';
import { safeText } from '../text/safe-text.ts';
import { issueReceiptSchema } from '../receipts/schemas.ts';

export const replaceReceiptSchema = issueReceiptSchema
  .extend({ reason: safeText(500, { multiline: true }).describe('What was wrong with the replaced receipt') })
  .strict()
  .describe('The corrected receipt, in full, and why the original is replaced');

/**
 * Fields an error notice may correct (Circular 91/2026 Art. 20.1): any
 * content of the receipt but the tax code and the amount — the payer's name,
 * address and identity number, the dossier code, the payment method, and the
 * amount in words when the amount in figures is right. The tax code, the
 * amount, the items and the collecting organisation need a replacement.
 */
export const noticeFields = {
  payerName: 'Tên người nộp',
  payerAddress: 'Địa chỉ người nộp',
  payerIdNumber: 'Số định danh cá nhân người nộp',
  dossierCode: 'Mã hồ sơ thủ tục hành chính',
  paymentMethod: 'Hình thức thanh toán',
  totalInWords: 'Số tiền bằng chữ',
} as const;
export type NoticeField = keyof typeof noticeFields;

export const errorNoticeInputSchema = z
  .object({
    field: z.string().describe(`One of ${Object.keys(noticeFields).join(', ')}`),
    correctValue: safeText(500),
    reason: safeText(500, { multiline: true }),
  })
  .strict();

export const errorNoticeSchema = z.object({
  id: z.uuid(),
  receiptId: z.uuid(),
  field: z.enum(Object.keys(noticeFields) as [NoticeField, ...NoticeField[]]),
  wrongValue: z.string().nullable(),
  correctValue: z.string(),
  reason: z.string(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  xmlSha256: z.string(),
});
export type ErrorNotice = z.infer<typeof errorNoticeSchema>;

export const correctionKinds = ['replacement', 'error_notice'] as const;
export const correctionStatuses = ['pending', 'approved', 'rejected'] as const;

export const correctionRequestSchema = z.object({
  id: z.uuid(),
  kind: z.enum(correctionKinds),
  receiptId: z.uuid().describe('The receipt to correct'),
  status: z.enum(correctionStatuses),
  details: z.record(z.string(), z.unknown()).describe('replacement: the corrected receipt as requested; error_notice: field, wrongValue (at request time) and correctValue'),
  reason: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string().describe('Name of the requesting key'),
  requestedByStaff: z.object({ id: z.uuid(), name: z.string() }).describe('The person who asked'),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  result: z
    .union([z.object({ receiptId: z.uuid() }), z.object({ errorNoticeId: z.uuid() })])
    .nullable()
    .describe('Once approved: the replacement receipt, or the signed error notice'),
});
export type CorrectionRequest = z.infer<typeof correctionRequestSchema>;
