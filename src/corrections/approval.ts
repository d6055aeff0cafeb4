import { randomUUID } from 'node:crypto';
import { pendingCorrections, requesterOf } from '../approvals/repository.ts';
import { checkCounterScope, checkSeparation } from '../approvals/rules.ts';
import { actorOf, type Principal } from '../http/access.ts';
import { appendEvent } from '../audit/chain.ts';
import type { Config } from '../config/config.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import type { IssueReceiptInput } from '../receipts/schemas.ts';
import { previewReceipt } from '../receipts/service.ts';
import type { Signer } from '../signing/signer.ts';
import * as repo from './repository.ts';
import type { CorrectionRequest, NoticeField } from './schemas.ts';
import { checkReplaceable, correctable, issueErrorNotice, noticeField, replaceReceipt, wrongValueOf } from './service.ts';

/**
 * Replacements and error notices change what a signed receipt says, and a
 * replacement moves money: a cashier asks, and an accountant who is another
 * person approves (then it is signed, numbered and posted) or rejects (then
 * nothing changes). The flow and its guards are the refunds' own:
 * idempotent requests, separation of duties by person, the counter's scope,
 * and pending requests that block each other.
 */

/** Pending corrections block each other as pending refunds block a replacement. */
async function checkNothingPending(tx: Queryable, receipt: { id: string; series: string; number: number }, field?: NoticeField): Promise<void> {
  const pending = await pendingCorrections(tx, receipt.id);
  const which = `receipt ${receipt.series} ${receipt.number}`;
  if (pending.replacement) throw new AppError('CORRECTION_PENDING', `${which} has a replacement waiting for approval; decide it first`);
  if (field === undefined && pending.noticeFields.length > 0) {
    throw new AppError('CORRECTION_PENDING', `${which} has an error notice waiting for approval; decide it first`);
  }
  if (field !== undefined && pending.noticeFields.includes(field)) {
    throw new AppError('CORRECTION_PENDING', `${which} has an error notice on ${field} waiting for approval; decide it first`);
  }
}

export async function requestReplacement(tx: Tx, receiptId: string, input: IssueReceiptInput & { reason: string }, ctx: { principal: Principal; now: Date }): Promise<CorrectionRequest> {
  const receipt = await correctable(tx, receiptId);
  checkCounterScope(ctx.principal, receipt);
  await checkReplaceable(tx, receipt);
  await checkNothingPending(tx, receipt);
  const { reason, ...corrected } = input;
  // Checked now, as issuing would: the accountant approves a receipt that can be issued, for the total shown.
  const { total } = await previewReceipt(tx, corrected);
  const id = randomUUID();
  await repo.insertRequest(tx, { id, receiptId: receipt.id, kind: 'replacement', payload: { receipt: corrected, total }, reason, requestedBy: ctx.principal.keyId, requestedAt: ctx.now });
  await appendEvent(
    tx,
    {
      actor: actorOf(ctx.principal),
      action: 'replacement.requested',
      subjectType: 'correction',
      subjectId: id,
      details: { receipt: receipt.id, series: receipt.series, number: receipt.number, total: receipt.total, newTotal: total, reason },
    },
    ctx.now,
  );
  return (await repo.getRequest(tx, id))!.view;
}

export async function requestErrorNotice(
  tx: Tx,
  receiptId: string,
  input: { field: string; correctValue: string; reason: string },
  ctx: { principal: Principal; now: Date },
): Promise<CorrectionRequest> {
  const field = noticeField(input.field);
  const receipt = await correctable(tx, receiptId);
  checkCounterScope(ctx.principal, receipt);
  await checkNothingPending(tx, receipt, field);
  const wrongValue = await wrongValueOf(tx, receipt, field, input.correctValue);
  const id = randomUUID();
  await repo.insertRequest(tx, {
    id,
    receiptId: receipt.id,
    kind: 'error_notice',
    payload: { field, wrongValue, correctValue: input.correctValue },
    reason: input.reason,
    requestedBy: ctx.principal.keyId,
    requestedAt: ctx.now,
  });
  await appendEvent(
    tx,
    {
      actor: actorOf(ctx.principal),
      action: 'error_notice.requested',
      subjectType: 'correction',
      subjectId: id,
      details: { receipt: receipt.id, series: receipt.series, number: receipt.number, field, correctValue: input.correctValue },
    },
    ctx.now,
  );
  return (await repo.getRequest(tx, id))!.view;
}

async function pendingRequest(tx: Queryable, id: string, principal: Principal) {
  const request = await repo.getRequest(tx, id, { lock: true });
  if (!request) throw new AppError('CORRECTION_NOT_FOUND', `no correction request ${id}`);
  if (request.status !== 'pending') throw new AppError('CORRECTION_NOT_PENDING', `correction request ${id} is already ${request.status}`);
  const requester = await requesterOf(tx, request.requested_by);
  checkSeparation(requester, principal, 'correction');
  return { request, requester };
}

/** An accountant approves: the replacement is issued, or the error notice signed, in this transaction. */
export async function approveCorrection(tx: Tx, id: string, ctx: { principal: Principal; signer: Signer; now: () => Date; config: Pick<Config, 'TAX_SENDER_CODE'> }): Promise<CorrectionRequest> {
  const { request, requester } = await pendingRequest(tx, id, ctx.principal);
  const receipt = await correctable(tx, request.receipt_id);
  const approver = actorOf(ctx.principal);
  const correction = { issuer: requester, approver, signer: ctx.signer, config: ctx.config };
  const decidedAt = ctx.now();
  if (request.kind === 'replacement') {
    const payload = request.payload as { receipt: IssueReceiptInput; total: number };
    const { total } = await previewReceipt(tx, payload.receipt);
    if (total !== payload.total) {
      throw new AppError('CORRECTION_OUTDATED', `the fees changed since the request: the replacement would now total ${total} VND, not ${payload.total}; reject it and ask again`);
    }
    const replacement = await replaceReceipt(tx, receipt, { ...payload.receipt, reason: request.reason }, { ...correction, now: ctx.now });
    await repo.decideRequest(tx, { id, status: 'approved', decidedBy: ctx.principal.keyId, decidedAt, reason: null, receiptId: replacement.id });
  } else {
    const payload = request.payload as { field: NoticeField; correctValue: string };
    const notice = await issueErrorNotice(tx, receipt, { field: payload.field, correctValue: payload.correctValue, reason: request.reason }, { ...correction, now: decidedAt });
    await repo.decideRequest(tx, { id, status: 'approved', decidedBy: ctx.principal.keyId, decidedAt, reason: null, noticeId: notice.id });
  }
  await appendEvent(
    tx,
    {
      actor: approver,
      action: `${request.kind}.approved`,
      subjectType: 'correction',
      subjectId: id,
      details: { receipt: receipt.id, requestedBy: requester.keyId },
    },
    decidedAt,
  );
  return (await repo.getRequest(tx, id))!.view;
}

export async function rejectCorrection(tx: Tx, id: string, reason: string, ctx: { principal: Principal; now: Date }): Promise<CorrectionRequest> {
  const { request, requester } = await pendingRequest(tx, id, ctx.principal);
  await repo.decideRequest(tx, { id, status: 'rejected', decidedBy: ctx.principal.keyId, decidedAt: ctx.now, reason });
  await appendEvent(
    tx,
    {
      actor: actorOf(ctx.principal),
      action: `${request.kind}.rejected`,
      subjectType: 'correction',
      subjectId: id,
      details: { receipt: request.receipt_id, requestedBy: requester.keyId, reason },
    },
    ctx.now,
  );
  return (await repo.getRequest(tx, id))!.view;
}
