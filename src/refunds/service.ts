import { createHash, randomUUID } from 'node:crypto';
import { pendingCorrections, requesterOf } from '../approvals/repository.ts';
import { checkCounterScope, checkSeparation } from '../approvals/rules.ts';
import { actorOf, type Principal } from '../http/access.ts';
import { appendEvent } from '../audit/chain.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { amountInWords } from '../money/words.ts';
import { lockReceipt, type LockedReceipt } from '../receipts/repository.ts';
import { getDepartment } from '../reference/repository.ts';
import { requireCenter } from '../reference/service.ts';
import { periodOf, postEntries, type LedgerEntry } from '../shares/ledger.ts';
import { receiptParts } from '../shares/repository.ts';
import { refundedByKind, refundReversal } from '../shares/split.ts';
import type { Signer } from '../signing/signer.ts';
import { signDocument } from '../signing/xml-signature.ts';
import { vietnamDate } from '../time/vietnam.ts';
import * as repo from './repository.ts';
import type { Refund } from './schemas.ts';
import { buildVoucherXml } from './voucher.ts';

async function requireReceiptForCorrection(tx: Tx, receiptId: string): Promise<LockedReceipt> {
  const receipt = await lockReceipt(tx, receiptId);
  if (!receipt) throw new AppError('RECEIPT_NOT_FOUND', `no receipt ${receiptId}`);
  return receipt;
}

/**
 * A cashier asks for part or all of a receipt's money back. Pending and
 * approved refunds together never exceed the receipt's total: requests on one
 * receipt are serialised by the receipt's row lock.
 */
export async function requestRefund(tx: Tx, receiptId: string, input: { amount: number; reason: string }, ctx: { principal: Principal; now: Date }): Promise<Refund> {
  const receipt = await requireReceiptForCorrection(tx, receiptId);
  if (receipt.status === 'replaced') {
    throw new AppError('RECEIPT_REPLACED', `receipt ${receipt.series} ${receipt.number} was replaced; refund its replacement`);
  }
  checkCounterScope(ctx.principal, receipt);
  if ((await pendingCorrections(tx, receipt.id)).replacement) {
    throw new AppError('CORRECTION_PENDING', `receipt ${receipt.series} ${receipt.number} has a replacement waiting for approval; decide it first`);
  }
  const { approved, pending } = await repo.refundTotals(tx, receipt.id);
  const left = receipt.total - approved - pending;
  if (input.amount > left) {
    throw new AppError('REFUND_EXCEEDS_REMAINING', `${input.amount} VND is more than is left to refund: ${left} VND of ${receipt.total} (approved ${approved}, pending ${pending})`);
  }
  const id = randomUUID();
  await repo.insertRefund(tx, { id, receiptId: receipt.id, amount: input.amount, reason: input.reason, requestedBy: ctx.principal.keyId, requestedAt: ctx.now });
  await appendEvent(
    tx,
    {
      actor: actorOf(ctx.principal),
      action: 'refund.requested',
      subjectType: 'refund',
      subjectId: id,
      details: { receipt: receipt.id, series: receipt.series, number: receipt.number, amount: input.amount, reason: input.reason },
    },
    ctx.now,
  );
  return (await repo.getRefund(tx, id))!.view;
}

async function pendingRefund(tx: Queryable, refundId: string, principal: Principal) {
  const refund = await repo.getRefund(tx, refundId, { lock: true });
  if (!refund) throw new AppError('REFUND_NOT_FOUND', `no refund ${refundId}`);
  if (refund.status !== 'pending') throw new AppError('REFUND_NOT_PENDING', `refund ${refundId} is already ${refund.status}`);
  const requester = await requesterOf(tx, refund.requested_by);
  checkSeparation(requester, principal, 'refund');
  return { ...refund, requester };
}

/**
 * The reversal of one refund, per kind: the refunded total is split over the
 * receipt's kinds cumulatively, and each kind's center part is reversed by
 * the cumulative rule at the receipt's own rate, so any sequence of partial
 * refunds adding up to the total leaves both shares at exactly zero.
 */
export function reversalEntries(
  receipt: { id: string; department: string; issuedAt: Date },
  parts: Array<{ kind: 'fee' | 'charge'; amount: number; rateBp: number }>,
  refundedBefore: number,
  amount: number,
  refund: { id: string; postedAt: Date },
): LedgerEntry[] {
  const before = refundedByKind(parts, refundedBefore);
  const after = refundedByKind(parts, refundedBefore + amount);
  const original = periodOf(receipt.issuedAt);
  return parts.flatMap((p) => {
    const kindBefore = before.get(p.kind)!;
    const kindAmount = after.get(p.kind)! - kindBefore;
    if (kindAmount === 0) return [];
    const reversal = refundReversal(kindBefore, kindAmount, p.rateBp);
    return [
      {
        postedAt: refund.postedAt,
        department: receipt.department,
        kind: p.kind,
        entryType: 'refund' as const,
        receiptId: receipt.id,
        refundId: refund.id,
        collected: 0,
        refunded: kindAmount,
        centerShare: -reversal.center,
        departmentShare: -reversal.department,
        rateBp: p.rateBp,
        originalPeriod: original === periodOf(refund.postedAt) ? null : original,
      },
    ];
  });
}

/** An accountant approves: the signed refund voucher is issued and the shares are reversed, in one transaction. */
export async function approveRefund(tx: Tx, refundId: string, ctx: { principal: Principal; signer: Signer; now: Date }): Promise<Refund> {
  const refund = await pendingRefund(tx, refundId, ctx.principal);
  const receipt = await requireReceiptForCorrection(tx, refund.receipt_id);
  const { approved } = await repo.refundTotals(tx, receipt.id);
  const parts = await receiptParts(tx, receipt.id);
  const entries = reversalEntries({ id: receipt.id, department: receipt.department_code, issuedAt: receipt.issued_at }, parts, approved, refund.amount, { id: refund.id, postedAt: ctx.now });
  const department = (await getDepartment(tx, receipt.department_code))!;
  const dataId = `HT-${refund.id}`;
  const xml = buildVoucherXml({
    dataId,
    refundId: refund.id,
    issueDate: vietnamDate(ctx.now),
    receipt: {
      template: receipt.template,
      series: receipt.series,
      number: receipt.number,
      issueDate: vietnamDate(receipt.issued_at),
      lookupCode: receipt.lookup_code,
      total: receipt.total,
    },
    department,
    center: await requireCenter(tx),
    payerName: receipt.payer.name,
    parts: entries.map((e) => ({ kind: e.kind, amount: e.refunded })),
    amount: refund.amount,
    amountInWords: amountInWords(refund.amount),
    reason: refund.reason,
    refundedBefore: approved,
    // The people, as the signed voucher names them: who asked and who approved.
    requestedBy: refund.requester.staffName,
    approvedBy: ctx.principal.staffName,
  });
  const voucher = Buffer.from(await signDocument(xml, ctx.signer, { root: 'CTHTra', dataId, signingTime: ctx.now }), 'utf8');
  await repo.decideRefund(tx, {
    id: refund.id,
    status: 'approved',
    decidedBy: ctx.principal.keyId,
    decidedAt: ctx.now,
    reason: null,
    voucher,
    voucherSha256: createHash('sha256').update(voucher).digest('hex'),
  });
  await postEntries(tx, entries);
  await appendEvent(
    tx,
    {
      actor: actorOf(ctx.principal),
      action: 'refund.approved',
      subjectType: 'refund',
      subjectId: refund.id,
      details: { receipt: receipt.id, amount: refund.amount, voucherSha256: createHash('sha256').update(voucher).digest('hex') },
    },
    ctx.now,
  );
  return (await repo.getRefund(tx, refund.id))!.view;
}

export async function rejectRefund(tx: Tx, refundId: string, reason: string, ctx: { principal: Principal; now: Date }): Promise<Refund> {
  const refund = await pendingRefund(tx, refundId, ctx.principal);
  await repo.decideRefund(tx, { id: refund.id, status: 'rejected', decidedBy: ctx.principal.keyId, decidedAt: ctx.now, reason });
  await appendEvent(
    tx,
    {
      actor: actorOf(ctx.principal),
      action: 'refund.rejected',
      subjectType: 'refund',
      subjectId: refund.id,
      details: { receipt: refund.receipt_id, amount: refund.amount, reason },
    },
    ctx.now,
  );
  return (await repo.getRefund(tx, refund.id))!.view;
}
