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
import { appendEvents, type Actor } from '../audit/chain.ts';
import { postEntries, receiptEntries, totalShares } from '../shares/ledger.ts';
import { getReceipt, insertReceipts, type NewReceipt, queueMail } from './repository.ts';
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
  // Items given with their amount (a dossier paid online, a bulk import) need no catalog: no query.
  const fees = codes.length > 0 ? await getFees(db, codes) : new Map<string, never>();
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

/** Who asks for a receipt and on what terms: everything of an issue but the signer and the clock. */
export interface IssueContext {
  /** Who issues it, in the audit trail: the cashier, or the accountant approving a replacement. */
  actor: Actor & { keyId: string };
  /** The cashier's key recorded on the receipt (default: the actor's); a replacement carries its requester's. */
  issuedBy?: string;
  counter: string | null;
  /** Set when issuing a replacement: the receipt it replaces and why. */
  replaces?: ReceiptReference & { id: string; reason: string };
}

/** What issuing needs from the service around it. */
export interface IssueDeps {
  signer: Signer;
  now?: () => Date;
}

/** The department, items and total a receipt would have, checked as issuing checks them: nothing is numbered or signed. */
export async function previewReceipt(db: Queryable, input: IssueReceiptInput) {
  const department = await knownDepartment(db, input.department);
  const items = await resolveItems(db, department.code, input.items);
  const total = items.reduce((sum, i) => sum + i.amount, 0);
  if (total > MAX_AMOUNT) throw new AppError('TOTAL_TOO_LARGE', `total ${total} exceeds ${MAX_AMOUNT} VND`);
  return { department, items, total };
}

export type Preview = Awaited<ReturnType<typeof previewReceipt>>;

/** A request checked and priced (previewReceipt), waiting for its number. */
export interface PreparedReceipt {
  input: IssueReceiptInput;
  preview: Preview;
  ctx: IssueContext;
}

/** Requests that may share one series lock: the same department and the same series asked for (or none). */
export const seriesQueueOf = (r: PreparedReceipt) => `${r.preview.department.code}|${r.input.series ?? ''}`;

/**
 * Issues one receipt inside `tx`: validates everything, locks the series
 * counter, signs with the next number and stores the signed bytes. If signing
 * or storing fails, the caller's transaction rolls back and the number is
 * used by the next receipt: no gap.
 */
export async function issueReceipt(tx: Tx, input: IssueReceiptInput, ctx: IssueContext & IssueDeps): Promise<Receipt> {
  const [receipt] = await issueGroup(tx, [{ input, preview: await previewReceipt(tx, input), ctx }], ctx);
  return receipt!;
}

/**
 * Issues a group of prepared requests of one series queue (seriesQueueOf)
 * inside `tx`, under one lock of the series counter: consecutive numbers in
 * the order given, signed concurrently (the signer pool spreads them over
 * its tokens), stored with one statement per table, recorded in the audit
 * chain under one take of its lock. All or nothing: any failure (a signature,
 * a closed period, a range that cannot hold the whole group) rolls the
 * caller's transaction back and no number is used.
 */
export async function issueGroup(tx: Tx, requests: readonly PreparedReceipt[], deps: IssueDeps): Promise<Receipt[]> {
  const first = requests[0];
  if (!first) return [];
  const { department } = first.preview;
  if (requests.some((r) => seriesQueueOf(r) !== seriesQueueOf(first))) throw new Error('a group holds requests of one series queue only');
  const center = await requireCenter(tx);
  const now = deps.now ?? (() => new Date());
  const series = await lockSeries(tx, { department: department.code, series: first.input.series, year: vietnamYear(now()), date: vietnamDate(now()) });
  const last = series.next_number + requests.length - 1;
  if (last > series.range_to) {
    throw new AppError('SERIES_EXHAUSTED', `series ${series.symbol} has ${series.range_to - series.next_number + 1} numbers left, fewer than ${requests.length}`);
  }
  // Taken after the lock, so numbers ascend with their signing times.
  const issuedAt = now();
  if (vietnamYear(issuedAt) !== series.year) {
    throw new AppError('SERIES_WRONG_YEAR', `series ${series.symbol} is for ${series.year}`);
  }
  // Read before signing: a missing rate must fail before anything is used.
  const rates = await lockedRatesOn(tx, department.code, vietnamDate(issuedAt));
  const signer = deps.signer;
  const made = await Promise.all(
    requests.map(async ({ input, preview: { items, total }, ctx }, index) => {
      const id = randomUUID();
      const number = series.next_number + index;
      const entries = receiptEntries({ id, department: department.code, issuedAt, items }, rates);
      const lookupCode = newLookupCode();
      const dataId = `BL-${id}`;
      const totalInWords = amountInWords(total);
      const unsigned = buildReceiptXml({
        dataId,
        series: series.symbol,
        number,
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
      const xml = Buffer.from(await signDocument(unsigned, signer, { root: 'BLai', dataId, signingTime: issuedAt }), 'utf8');
      const row: NewReceipt = {
        id,
        seriesId: Number(series.id),
        template: series.template,
        series: series.symbol,
        number,
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
        xmlSha256: createHash('sha256').update(xml).digest('hex'),
        items,
        replaces: ctx.replaces ? { id: ctx.replaces.id, reason: ctx.replaces.reason } : null,
      };
      return { row, entries, input, ctx };
    }),
  );
  await insertReceipts(
    tx,
    made.map((m) => m.row),
  );
  await postEntries(
    tx,
    made.flatMap((m) => m.entries),
  );
  for (const { row, input } of made) {
    if (input.email) await queueMail(tx, { kind: 'receipt', receiptId: row.id, address: input.email, now: issuedAt });
  }
  await appendEvents(
    tx,
    made.map(({ row, ctx }) => ({
      input: {
        actor: ctx.actor,
        action: 'receipt.issued',
        subjectType: 'receipt',
        subjectId: row.id,
        details: {
          template: row.template,
          series: row.series,
          number: row.number,
          department: department.code,
          total: row.total,
          counter: ctx.counter,
          issuedBy: row.issuedBy,
          xmlSha256: row.xmlSha256,
          replaces: ctx.replaces?.id,
        },
      },
      at: issuedAt,
    })),
  );
  // Built here rather than read back: the chain lock is held until commit, so nothing slow follows it.
  return made.map(({ row, entries, ctx }) => ({
    id: row.id,
    template: TEMPLATE,
    series: row.series,
    number: row.number,
    issuedAt: issuedAt.toISOString(),
    issueDate: vietnamDate(issuedAt),
    department: row.department,
    payer: row.payer,
    paymentMethod: row.paymentMethod,
    dossierCode: row.dossierCode,
    items: row.items,
    total: row.total,
    totalInWords: row.totalInWords,
    lookupCode: row.lookupCode,
    status: 'issued',
    counter: row.counter,
    xmlSha256: row.xmlSha256,
    shares: totalShares(entries),
    replaces: ctx.replaces ? { id: ctx.replaces.id, template: ctx.replaces.template, series: ctx.replaces.series, number: ctx.replaces.number, issueDate: ctx.replaces.issueDate } : null,
    replacementReason: ctx.replaces?.reason ?? null,
    replacedBy: null,
    refunds: { approved: 0, pending: 0, refundable: row.total },
    history: [{ at: issuedAt.toISOString(), event: 'issued', id: row.id, amount: row.total }],
  }));
}

export async function requireReceipt(db: Queryable, id: string): Promise<Receipt> {
  const receipt = await getReceipt(db, id);
  if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', `no receipt ${id}`);
  return receipt;
}
