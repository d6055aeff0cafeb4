import { paymentMethodText } from '../receipts/xml.ts';
import { vietnamDate, wholeSecond } from '../time/vietnam.ts';

/** A recorded time as the signature can state it: to the second. */
const signedTime = (at: Date) => wholeSecond(at).toISOString();
import type { SignedNoticeFields, SignedReceiptFields, SignedVoucherFields } from './signed-fields.ts';

/**
 * Every stored column compared with what the signed document says (or, for
 * what no document carries — the counter, the cashier's key, the department
 * code — with the audit trail's record of the issue). An edit made with the
 * guards disabled shows here, naming the record's field.
 */

/** A receipt as other documents name it: template, series, number and date. */
type ReceiptIdentity = { template?: string; series?: string; number?: number; issueDate?: string };
const recordedIdentity = (r: { template: string; series: string; number: number; issuedAt: string } | null) =>
  r ? `${r.template} ${r.series} ${r.number} of ${vietnamDate(new Date(r.issuedAt))}` : null;
const signedIdentity = (s: ReceiptIdentity | null) => (s ? `${s.template} ${s.series} ${s.number} of ${s.issueDate}` : null);

const show = (v: unknown) => (v === undefined || v === null ? 'nothing' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

class Differences {
  readonly list: string[] = [];
  field(name: string, recorded: unknown, signed: unknown, from = 'the signed document'): void {
    if (!same(recorded, signed)) this.list.push(`${name}: the record says ${show(recorded)}; ${from} says ${show(signed)}`);
  }
}

export interface ReceiptRecord {
  id: string;
  series_id: number;
  series_symbol: string | null;
  series_department: string | null;
  template: string;
  series: string;
  number: number;
  department_code: string;
  department_name: string;
  department_tax_code: string;
  issued_at: Date;
  payer: Record<string, unknown>;
  payment_method: string;
  dossier_code: string | null;
  total: number;
  total_in_words: string;
  lookup_code: string;
  status: string;
  counter_code: string | null;
  issued_by: string;
  xml_sha256: string;
  replaces: string | null;
  replacement_reason: string | null;
  items: Array<{ line: number; feeCode: string | null; name: string; kind: string; quantity: number; unitPrice: number; amount: number }> | null;
  issued_event: { actorKey: string | null; details: Record<string, unknown> } | null;
  replaces_ref: { template: string; series: string; number: number; issuedAt: string } | null;
  replaced_by: string | null;
}

export function receiptDifferences(r: ReceiptRecord, s: SignedReceiptFields, signingTime: Date | null, sha256: string): string[] {
  const d = new Differences();
  d.field('id', `BL-${r.id}`, s.dataId);
  d.field('template', r.template, s.template);
  d.field('series', r.series, s.series);
  d.field('number', r.number, s.number);
  d.field('issueDate', vietnamDate(r.issued_at), s.issueDate);
  d.field('issuedAt', signedTime(r.issued_at), signingTime?.toISOString(), 'the signing time');
  d.field('department.name', r.department_name, s.department.name);
  d.field('department.taxCode', r.department_tax_code, s.department.taxCode);
  for (const key of new Set([...Object.keys(r.payer), ...Object.keys(s.payer)])) d.field(`payer.${key}`, r.payer[key], s.payer[key]);
  d.field('paymentMethod', paymentMethodText[r.payment_method as keyof typeof paymentMethodText] ?? r.payment_method, s.paymentMethod);
  d.field('dossierCode', r.dossier_code, s.dossierCode);
  d.field('lookupCode', r.lookup_code, s.lookupCode);
  d.field('total', r.total, s.total);
  d.field('totalInWords', r.total_in_words, s.totalInWords);
  const items = r.items ?? [];
  d.field('items', items.map((i) => i.line).join(','), s.items.map((i) => i.line).join(','), 'the signed receipt’s lines');
  for (const signed of s.items) {
    const item = items.find((i) => i.line === signed.line);
    if (!item) continue;
    for (const key of ['feeCode', 'name', 'kind', 'quantity', 'unitPrice', 'amount'] as const) d.field(`items.${signed.line}.${key}`, item[key], signed[key]);
  }
  d.field('replaces', recordedIdentity(r.replaces_ref) ?? r.replaces, signedIdentity(s.replaces));
  d.field('replacementReason', r.replacement_reason, s.replaces?.reason);
  d.field('xmlSha256', r.xml_sha256, sha256, 'the stored XML hashes to');
  // Not in the document: from the series and from the audit trail's record of the issue.
  d.field('seriesId', r.series_symbol, r.series, 'the receipt’s series symbol');
  d.field('department.code', r.department_code, r.series_department, 'its series');
  d.field('status', r.status, r.replaced_by ? 'replaced' : 'issued', 'its replacements');
  if (!r.issued_event) {
    d.list.push('audit trail: no receipt.issued event records this receipt');
  } else {
    const e = r.issued_event.details;
    d.field('department.code', r.department_code, e.department, 'the audit trail');
    d.field('counter', r.counter_code, e.counter, 'the audit trail');
    d.field('issuedBy', r.issued_by, e.issuedBy ?? r.issued_event.actorKey, 'the audit trail');
    d.field('xmlSha256', r.xml_sha256, e.xmlSha256, 'the audit trail');
  }
  return d.list;
}

export interface VoucherRecord {
  id: string;
  amount: number;
  reason: string;
  status: string;
  requested_by: string;
  decided_by: string | null;
  requested_event_key: string | null;
  approved_event_key: string | null;
  requested_at: Date;
  requested_event_at: Date | null;
  decision_reason: string | null;
  decided_at: Date | null;
  voucher_sha256: string | null;
  receipt: { template: string; series: string; number: number; issuedAt: string } | null;
}

export function voucherDifferences(r: VoucherRecord, s: SignedVoucherFields, signingTime: Date | null, sha256: string): string[] {
  const d = new Differences();
  d.field('id', `HT-${r.id}`, s.dataId);
  d.field('id', r.id, s.refundId);
  d.field('amount', r.amount, s.amount);
  d.field('reason', r.reason, s.reason);
  d.field('status', r.status, 'approved', 'a signed voucher');
  d.field('decidedAt', r.decided_at ? signedTime(r.decided_at) : undefined, signingTime?.toISOString(), 'the signing time');
  d.field('receipt', recordedIdentity(r.receipt), signedIdentity(s.receipt));
  d.field('voucherSha256', r.voucher_sha256, sha256, 'the stored voucher hashes to');
  d.field('requestedBy', r.requested_by, r.requested_event_key, 'the audit trail');
  d.field('decidedBy', r.decided_by, r.approved_event_key, 'the audit trail');
  d.field('requestedAt', r.requested_at.toISOString(), r.requested_event_at?.toISOString(), 'the audit trail');
  d.field('decisionReason', r.decision_reason, null, 'an approved refund (it has no decision reason)');
  return d.list;
}

export interface NoticeRecord {
  id: string;
  field: string;
  wrong_value: string | null;
  correct_value: string;
  reason: string;
  issued_at: Date;
  issued_by: string;
  issued_event_key: string | null;
  xml_sha256: string;
  receipt: { template: string; series: string; number: number; issuedAt: string } | null;
}

export function noticeDifferences(r: NoticeRecord, s: SignedNoticeFields, signingTime: Date | null, sha256: string): string[] {
  const d = new Differences();
  d.field('id', `SS-${r.id}`, s.dataId);
  d.field('id', r.id, s.noticeId);
  d.field('field', r.field, s.field);
  d.field('wrongValue', r.wrong_value, s.wrongValue);
  d.field('correctValue', r.correct_value, s.correctValue);
  d.field('reason', r.reason, s.reason);
  d.field('issuedAt', signedTime(r.issued_at), signingTime?.toISOString(), 'the signing time');
  d.field('receipt', recordedIdentity(r.receipt), signedIdentity(s.receipt));
  d.field('xmlSha256', r.xml_sha256, sha256, 'the stored notice hashes to');
  d.field('issuedBy', r.issued_by, r.issued_event_key, 'the audit trail');
  return d.list;
}
