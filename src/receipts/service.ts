import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { amountInWords } from '../money/words.ts';
import { getFees, lockedRatesOn } from '../reference/repository.ts';
import { knownDepartment } from '../reference/known.ts';
import { requireCenter } from '../reference/service.ts';
import { MAX_AMOUNT, TEMPLATE } from '../reference/schemas.ts';
import type { Signer } from '../signing/signer.ts';
import { signDocument } from '../signing/xml-signature.ts';
import { vietnamDate, vietnamYear } from '../time/vietnam.ts';
import { lockSeries } from './numbering.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { postEntries, receiptEntries, totalShares } from '../shares/ledger.ts';
import { getReceipt, insertReceipt, queueMail } from './repository.ts';
import type { IssueReceiptInput, Receipt, ReceiptItem } from './schemas.ts';
import { buildReceiptXml, type ReceiptReference } from './xml.ts';

// No 0/O, 1/I: a citizen types this code from paper.
const LOOKUP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 12 characters of a 32-letter alphabet: 60 random bits, unguessable behind the lookup rate limit. */
export function newLookupCode(): string {
  return Array.from({ length: 12 }, () => LOOKUP_ALPHABET[randomInt(LOOKUP_ALPHABET.length)]).join('');
}

/** Resolves catalog items to name, kind and price; explicit items are taken as given (quantity 1). */
async function resolveItems(db: Queryable, department: string, items: IssueReceiptInput['items']): Promise<ReceiptItem[]> {
  const codes = items.flatMap((i) => ('feeCode' in i ? [i.feeCode] : []));
  const fees = await getFees(db, codes);
  return items.map((item, index) => {
    if (!('feeCode' in item)) {
      return { line: index + 1, feeCode: null, name: item.name, kind: item.kind, quantity: 1, unitPrice: item.amount, amount: item.amount };
    }
    const fee = fees.get(item.feeCode);
    if (!fee || fee.department !== department || !fee.active) {
      throw new AppError('UNKNOWN_FEE', `department ${department} has no active fee ${item.feeCode}`, [
        { field: `body.items.${index}.feeCode`, message: `no active fee ${item.feeCode} in ${department}` },
      ]);
    }
    const amount = fee.amount * item.quantity;
    return { line: index + 1, feeCode: fee.code, name: fee.name, kind: fee.kind, quantity: item.quantity, unitPrice: fee.amount, amount };
  });
}

export interface IssueContext {
  signer: Signer;
  /** Who issues it, in the audit trail: the cashier, or the accountant approving a replacement. */
  actor: Actor & { keyId: string };
  /** The cashier's key recorded on the receipt (default: the actor's); a replacement carries its requester's. */
  issuedBy?: string;
  counter: string | null;
  now?: () => Date;
  /** Set when issuing a replacement: the receipt it replaces and why. */
  replaces?: ReceiptReference & { id: string; reason: string };
}

/**
 * Issues one receipt inside `tx`: validates everything, locks the series
 * counter, signs with the next number and stores the signed bytes. If signing
 * or storing fails, the caller's transaction rolls back and the number is
 * used by the next receipt: no gap.
 */
/** The department, items and total a receipt would have, checked as issuing checks them: nothing is numbered or signed. */
export async function previewReceipt(db: Queryable, input: IssueReceiptInput) {
  const department = await knownDepartment(db, input.department);
  const items = await resolveItems(db, department.code, input.items);
  const total = items.reduce((sum, i) => sum + i.amount, 0);
  if (total > MAX_AMOUNT) throw new AppError('TOTAL_TOO_LARGE', `total ${total} exceeds ${MAX_AMOUNT} VND`);
  return { department, items, total };
}

export async function issueReceipt(tx: Tx, input: IssueReceiptInput, ctx: IssueContext): Promise<Receipt> {
  const { department, items, total } = await previewReceipt(tx, input);
  const center = await requireCenter(tx);

  const now = ctx.now ?? (() => new Date());
  const series = await lockSeries(tx, { department: department.code, series: input.series, year: vietnamYear(now()), date: vietnamDate(now()) });
  // Taken after the lock, so numbers ascend with their signing times.
  const issuedAt = now();
  if (vietnamYear(issuedAt) !== series.year) {
    throw new AppError('SERIES_WRONG_YEAR', `series ${series.symbol} is for ${series.year}`);
  }
  const id = randomUUID();
  // Computed before signing: a missing rate must fail before anything is used.
  const entries = receiptEntries({ id, department: department.code, issuedAt, items }, await lockedRatesOn(tx, department.code, vietnamDate(issuedAt)));
  const lookupCode = newLookupCode();
  const dataId = `BL-${id}`;
  const totalInWords = amountInWords(total);
  const unsigned = buildReceiptXml({
    dataId,
    series: series.symbol,
    number: series.next_number,
    issueDate: vietnamDate(issuedAt),
    paymentMethod: input.paymentMethod,
    lookupCode,
    department,
    center,
    payer: input.payer,
    dossierCode: input.dossierCode,
    items,
    total,
    totalInWords,
    replaces: ctx.replaces,
  });
  const signed = await signDocument(unsigned, ctx.signer, { root: 'BLai', dataId, signingTime: issuedAt });
  const xml = Buffer.from(signed, 'utf8');
  const xmlSha256 = createHash('sha256').update(xml).digest('hex');
  await insertReceipt(tx, {
    id,
    seriesId: Number(series.id),
    template: series.template,
    series: series.symbol,
    number: series.next_number,
    department: { code: department.code, name: department.name, taxCode: department.taxCode },
    issuedAt,
    payer: input.payer,
    paymentMethod: input.paymentMethod,
    dossierCode: input.dossierCode ?? null,
    total,
    totalInWords,
    lookupCode,
    counter: ctx.counter,
    issuedBy: ctx.issuedBy ?? ctx.actor.keyId,
    xml,
    xmlSha256,
    items,
    replaces: ctx.replaces ? { id: ctx.replaces.id, reason: ctx.replaces.reason } : null,
  });
  await postEntries(tx, entries);
  if (input.email) await queueMail(tx, { kind: 'receipt', receiptId: id, address: input.email, now: issuedAt });
  await appendEvent(
    tx,
    {
      actor: ctx.actor,
      action: 'receipt.issued',
      subjectType: 'receipt',
      subjectId: id,
      details: {
        template: series.template,
        series: series.symbol,
        number: series.next_number,
        department: department.code,
        total,
        counter: ctx.counter,
        issuedBy: ctx.issuedBy ?? ctx.actor.keyId,
        xmlSha256,
        replaces: ctx.replaces?.id,
      },
    },
    issuedAt,
  );
  // Built here rather than read back: the chain lock is held until commit, so nothing slow follows it.
  return {
    id,
    template: TEMPLATE,
    series: series.symbol,
    number: series.next_number,
    issuedAt: issuedAt.toISOString(),
    issueDate: vietnamDate(issuedAt),
    department: { code: department.code, name: department.name, taxCode: department.taxCode },
    payer: input.payer,
    paymentMethod: input.paymentMethod,
    dossierCode: input.dossierCode ?? null,
    items,
    total,
    totalInWords,
    lookupCode,
    status: 'issued',
    counter: ctx.counter,
    xmlSha256,
    shares: totalShares(entries),
    replaces: ctx.replaces ? { id: ctx.replaces.id, template: ctx.replaces.template, series: ctx.replaces.series, number: ctx.replaces.number, issueDate: ctx.replaces.issueDate } : null,
    replacementReason: ctx.replaces?.reason ?? null,
    replacedBy: null,
    refunds: { approved: 0, pending: 0, refundable: total },
    history: [{ at: issuedAt.toISOString(), event: 'issued', id, amount: total }],
  };
}

export async function requireReceipt(db: Queryable, id: string): Promise<Receipt> {
  const receipt = await getReceipt(db, id);
  if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', `no receipt ${id}`);
  return receipt;
}
