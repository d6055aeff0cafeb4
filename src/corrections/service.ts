import { createHash, randomUUID } from 'node:crypto';
import type { Requester } from '../approvals/rules.ts';
import type { Actor } from '../audit/chain.ts';
import { appendEvent } from '../audit/chain.ts';
import type { Config } from '../config/config.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { amountInWords, wordsReadAs } from '../money/words.ts';
import { refundTotals } from '../refunds/repository.ts';
import { lockReceipt, markReceiptReplaced, queueMail, type LockedReceipt } from '../receipts/repository.ts';
import { ID_NUMBER } from '../receipts/schemas.ts';
import { paymentMethodText } from '../receipts/xml.ts';
import type { IssueReceiptInput, Receipt } from '../receipts/schemas.ts';
import { issueReceipt } from '../receipts/service.ts';
import { getDepartment } from '../reference/repository.ts';
import type { Center } from '../reference/schemas.ts';
import { requireCenter } from '../reference/service.ts';
import { periodOf, postEntries } from '../shares/ledger.ts';
import { receiptParts } from '../shares/repository.ts';
import type { Signer } from '../signing/signer.ts';
import { signDocument } from '../signing/xml-signature.ts';
import { enqueue } from '../tax/outbox.ts';
import { vietnamDate } from '../time/vietnam.ts';
import { buildNoticeXml } from './notice-xml.ts';
import { insertErrorNotice, latestCorrectValue, noticeById, noticeXml } from './repository.ts';
import { noticeFields, type ErrorNotice, type NoticeField } from './schemas.ts';

/** What an approved correction is done as: asked for by `issuer` (whose key and counter it carries), approved by `approver`. */
export interface CorrectionContext {
  issuer: Requester;
  approver: Actor & { keyId: string };
  signer: Signer;
  /** Whose messages carry an error notice to the tax authority (the outbox's sender code). */
  config: Pick<Config, 'TAX_SENDER_CODE'>;
}

export async function correctable(tx: Tx, receiptId: string): Promise<LockedReceipt> {
  const receipt = await lockReceipt(tx, receiptId);
  if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', `no receipt ${receiptId}`);
  if (receipt.status === 'replaced') {
    throw new AppError('RECEIPT_REPLACED', `receipt ${receipt.series} ${receipt.number} was already replaced; correct its replacement`);
  }
  return receipt;
}

/**
 * Decision: a receipt with approved or pending refunds cannot be replaced.
 * Money already returned would leave the replacement's total and the cash
 * apart; decide pending refunds first, and correct a refunded receipt by
 * refunding the rest and issuing a new receipt.
 */
export async function checkReplaceable(tx: Queryable, original: LockedReceipt): Promise<void> {
  const refunds = await refundTotals(tx, original.id);
  if (refunds.pending > 0) throw new AppError('REFUND_PENDING', `receipt ${original.series} ${original.number} has ${refunds.pending} VND of refunds pending; decide them first`);
  if (refunds.approved > 0) throw new AppError('RECEIPT_REFUNDED', `receipt ${original.series} ${original.number} has ${refunds.approved} VND refunded and cannot be replaced`);
}

/**
 * Issues an approved replacement receipt (Circular 91 Art. 20): the next
 * number of the current series, naming the receipt it replaces; the original
 * becomes `replaced` (its signed bytes untouched), its shares are reversed and
 * the new receipt's posted, all in the approving transaction. The receipt
 * carries the requesting cashier's key and counter.
 */
export async function replaceReceipt(tx: Tx, original: LockedReceipt, input: IssueReceiptInput & { reason: string }, ctx: CorrectionContext & { now: () => Date }): Promise<Receipt> {
  await checkReplaceable(tx, original);
  const { reason, ...corrected } = input;
  const replacement = await issueReceipt(tx, corrected, {
    signer: ctx.signer,
    actor: ctx.approver,
    issuedBy: ctx.issuer.keyId,
    counter: ctx.issuer.counter,
    now: ctx.now,
    replaces: {
      id: original.id,
      template: original.template,
      series: original.series,
      number: original.number,
      issueDate: vietnamDate(original.issued_at),
      reason,
    },
  });
  await markReceiptReplaced(tx, original.id);
  const postedAt = new Date(replacement.issuedAt);
  const originalPeriod = periodOf(original.issued_at);
  await postEntries(
    tx,
    (await receiptParts(tx, original.id)).map((p) => ({
      postedAt,
      department: original.department_code,
      kind: p.kind,
      entryType: 'replacement_reversal' as const,
      receiptId: original.id,
      collected: -p.amount,
      refunded: 0,
      centerShare: -p.centerShare,
      departmentShare: -p.departmentShare,
      rateBp: p.rateBp,
      originalPeriod: originalPeriod === periodOf(postedAt) ? null : originalPeriod,
    })),
  );
  await appendEvent(
    tx,
    {
      actor: ctx.approver,
      action: 'receipt.replaced',
      subjectType: 'receipt',
      subjectId: original.id,
      details: { series: original.series, number: original.number, replacement: replacement.id, replacementNumber: replacement.number, reason },
    },
    postedAt,
  );
  // The replacement's view is what issuing returned: nothing of it changed since.
  return replacement;
}

export async function getNotice(db: Queryable, id: string): Promise<ErrorNotice> {
  const notice = await noticeById(db, id);
  if (!notice) throw new AppError('ERROR_NOTICE_NOT_FOUND', `no error notice ${id}`);
  return notice;
}

export async function getNoticeXml(db: Queryable, id: string): Promise<Buffer> {
  const xml = await noticeXml(db, id);
  if (!xml) throw new AppError('ERROR_NOTICE_NOT_FOUND', `no error notice ${id}`);
  return xml;
}

/** What the receipt shows for a field now: the latest notice's correct value, else the receipt's own. */
async function shownValue(tx: Queryable, receipt: LockedReceipt, field: NoticeField): Promise<string | null> {
  const latest = await latestCorrectValue(tx, receipt.id, field);
  if (latest !== undefined) return latest;
  switch (field) {
    case 'payerName':
      return receipt.payer.name;
    case 'payerAddress':
      return receipt.payer.address ?? null;
    case 'payerIdNumber':
      return receipt.payer.idNumber ?? null;
    case 'dossierCode':
      return receipt.dossier_code;
    case 'paymentMethod':
      return paymentMethodText[receipt.payment_method];
    case 'totalInWords':
      return receipt.total_in_words;
  }
}

/** What a correct value must be, per field, as the receipt itself would have been refused otherwise. */
function checkCorrectValue(field: NoticeField, value: string): void {
  const refuse = (message: string) => {
    throw new AppError('VALIDATION_FAILED', `${noticeFields[field]}: ${message}`, [{ field: 'body.correctValue', message }]);
  };
  if (field === 'payerIdNumber' && !ID_NUMBER.test(value)) refuse('must be a 12-digit citizen ID (or an old 9-digit ID)');
  if (field === 'dossierCode' && value.length > 50) refuse('must be at most 50 characters');
  const methods = Object.values(paymentMethodText) as string[];
  if (field === 'paymentMethod' && !methods.includes(value)) refuse(`must be one of ${methods.join(', ')}`);
}

/** The field an error notice corrects, refused unless an error notice may correct it. */
export function noticeField(field: string): NoticeField {
  if (!Object.hasOwn(noticeFields, field)) {
    throw new AppError('NOTICE_FIELD_NOT_ALLOWED', `an error notice corrects only ${Object.keys(noticeFields).join(', ')} (Circular 91 Art. 20); "${field}" needs a replacement receipt`, [
      { field: 'body.field', message: `must be one of ${Object.keys(noticeFields).join(', ')}` },
    ]);
  }
  return field as NoticeField;
}

/** The value the notice says was wrong: what the receipt shows now. Refused when the correct value is that already. */
export async function wrongValueOf(tx: Queryable, receipt: LockedReceipt, field: NoticeField, correctValue: string): Promise<string | null> {
  // The amount in words may be corrected only to words for the amount in figures: a notice must not state another sum.
  checkCorrectValue(field, correctValue);
  if (field === 'totalInWords' && !wordsReadAs(correctValue, receipt.total)) {
    throw new AppError('NOTICE_WORDS_MISMATCH', `"${correctValue}" does not read as the receipt's total of ${receipt.total} VND ("${amountInWords(receipt.total)}")`, [
      { field: 'body.correctValue', message: `must read as ${receipt.total} VND` },
    ]);
  }
  const wrongValue = await shownValue(tx, receipt, field);
  if (wrongValue === correctValue) throw new AppError('NOTICE_NO_CHANGE', `the receipt already shows "${correctValue}"`);
  return wrongValue;
}

/** The center with the tax office a notice is addressed to; without one, no notice can be made. */
function withTaxOffice(center: Center): Center & { taxOffice: NonNullable<Center['taxOffice']> } {
  if (!center.taxOffice) {
    throw new AppError('TAX_OFFICE_NOT_SET', 'an error notice 04/SS-CTĐT is addressed to the tax office managing the center: an admin sets it (PUT /v1/center, taxOffice)');
  }
  return { ...center, taxOffice: center.taxOffice };
}

/** Issues an approved, signed error notice (04/SS-CTĐT); the receipt and its money are untouched. */
export async function issueErrorNotice(
  tx: Tx,
  receipt: LockedReceipt,
  input: { field: NoticeField; correctValue: string; reason: string },
  ctx: CorrectionContext & { now: Date },
): Promise<ErrorNotice> {
  const field = input.field;
  const wrongValue = await wrongValueOf(tx, receipt, field, input.correctValue);
  const id = randomUUID();
  const dataId = `SS-${id}`;
  const department = (await getDepartment(tx, receipt.department_code))!;
  const xml = buildNoticeXml({
    dataId,
    noticeId: id,
    issueDate: vietnamDate(ctx.now),
    department,
    center: withTaxOffice(await requireCenter(tx)),
    receipt: { template: receipt.template, series: receipt.series, number: receipt.number, issueDate: vietnamDate(receipt.issued_at), lookupCode: receipt.lookup_code },
    field,
    wrongValue,
    correctValue: input.correctValue,
    reason: input.reason,
  });
  const signed = Buffer.from(await signDocument(xml, ctx.signer, { root: 'TBao', dataId, signingTime: ctx.now }), 'utf8');
  await insertErrorNotice(tx, {
    id,
    receiptId: receipt.id,
    field,
    wrongValue,
    correctValue: input.correctValue,
    reason: input.reason,
    issuedBy: ctx.issuer.keyId,
    issuedAt: ctx.now,
    xml: signed,
    xmlSha256: createHash('sha256').update(signed).digest('hex'),
  });
  // To the payer, when they gave an address for the receipt.
  await queueMail(tx, { kind: 'error-notice', receiptId: receipt.id, noticeId: id, now: ctx.now });
  // To the tax authority, through the outbox, in the transaction that issues it.
  await enqueue(tx, {
    documentType: 'error-notice',
    documentId: id,
    documentDate: vietnamDate(ctx.now),
    taxCode: department.taxCode,
    document: signed,
    config: ctx.config,
    now: ctx.now,
  });
  await appendEvent(
    tx,
    {
      actor: ctx.approver,
      action: 'error_notice.issued',
      subjectType: 'error_notice',
      subjectId: id,
      details: { receipt: receipt.id, series: receipt.series, number: receipt.number, field, correctValue: input.correctValue, issuedBy: ctx.issuer.keyId },
    },
    ctx.now,
  );
  return getNotice(tx, id);
}
