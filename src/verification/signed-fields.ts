import { child, elements, num, otherInfo, parse, text } from './xml-read.ts';

/**
 * Everything a signed document says, read from the canonical data element
 * the signature covers (never from the stored row): what the period audit
 * compares every stored column with.
 */

const kindOf = (code: string | undefined) => (code === 'LEPHI' ? 'charge' : code === 'PHI' ? 'fee' : code);

export interface SignedReceiptFields {
  dataId: string;
  template?: string;
  series?: string;
  number?: number;
  issueDate?: string;
  paymentMethod?: string;
  lookupCode?: string;
  replaces: { template?: string; series?: string; number?: number; issueDate?: string; reason?: string } | null;
  department: { name?: string; taxCode?: string };
  payer: Record<string, string>;
  dossierCode?: string;
  items: Array<{ line?: number; feeCode?: string; name?: string; kind?: string; quantity?: number; unitPrice?: number; amount?: number }>;
  total?: number;
  totalInWords?: string;
}

/** The payer as the receipt view names its fields (only those the document carries). */
function payerOf(el: Element | undefined): Record<string, string> {
  const payer: Record<string, string> = {};
  const fields = { Ten: 'name', DChi: 'address', MST: 'taxCode', SDDCNhan: 'idNumber' } as const;
  for (const [tag, field] of Object.entries(fields)) {
    const v = text(el, [tag]);
    if (v !== undefined) payer[field] = v;
  }
  return payer;
}

export function signedReceiptFields(canonical: string): SignedReceiptFields {
  const el = parse(canonical);
  const general = child(el, ['TTChung']);
  const content = child(el, ['NDBLai']);
  const replaced = child(general, ['TTBLTThe']);
  return {
    dataId: el.getAttribute('Id') ?? '',
    template: text(general, ['KHMSBLai']),
    series: text(general, ['KHBLai']),
    number: num(text(general, ['SBLai'])),
    issueDate: text(general, ['NLap']),
    paymentMethod: text(general, ['HTTToan']),
    lookupCode: text(general, ['MTCuu']),
    replaces: replaced
      ? { template: text(replaced, ['KHMSBLai']), series: text(replaced, ['KHBLai']), number: num(text(replaced, ['SBLai'])), issueDate: text(replaced, ['NLap']), reason: text(replaced, ['LDo']) }
      : null,
    department: { name: text(content, ['TCThu', 'Ten']), taxCode: text(content, ['TCThu', 'MST']) },
    payer: payerOf(child(content, ['NNop'])),
    dossierCode: text(content, ['MHSo']),
    items: elements(child(content, ['DSKhoan']) ?? el)
      .filter((e) => e.localName === 'Khoan')
      .map((k) => ({
        line: num(text(k, ['STT'])),
        feeCode: text(k, ['MKhoan']),
        name: text(k, ['Ten']),
        kind: kindOf(text(k, ['Loai'])),
        quantity: num(text(k, ['SLuong'])),
        unitPrice: num(text(k, ['DGia'])),
        amount: num(text(k, ['ThTien'])),
      })),
    total: num(text(content, ['TgTien'])),
    totalInWords: text(content, ['TgTienBChu']),
  };
}

export interface SignedVoucherFields {
  dataId: string;
  refundId?: string;
  receipt: { template?: string; series?: string; number?: number; issueDate?: string };
  amount?: number;
  reason?: string;
}

export function signedVoucherFields(canonical: string): SignedVoucherFields {
  const el = parse(canonical);
  const receipt = child(el, ['TTChung', 'TTBLai']);
  return {
    dataId: el.getAttribute('Id') ?? '',
    refundId: text(el, ['TTChung', 'MCTu']),
    receipt: { template: text(receipt, ['KHMSBLai']), series: text(receipt, ['KHBLai']), number: num(text(receipt, ['SBLai'])), issueDate: text(receipt, ['NLap']) },
    amount: num(text(el, ['NDCTu', 'STien'])),
    reason: text(el, ['NDCTu', 'LDo']),
  };
}

export interface SignedNoticeFields {
  dataId: string;
  noticeId?: string;
  receipt: { template?: string; series?: string; number?: number; issueDate?: string };
  field?: string;
  wrongValue: string | null;
  correctValue?: string;
  reason?: string;
}

export function signedNoticeFields(canonical: string): SignedNoticeFields {
  const el = parse(canonical);
  const receipt = child(el, ['DSCTu', 'CTu']);
  return {
    dataId: el.getAttribute('Id') ?? '',
    noticeId: otherInfo(el, 'MTBao'),
    receipt: { template: text(receipt, ['KHMSCTu']), series: text(receipt, ['KHCTu']), number: num(text(receipt, ['SCTu'])), issueDate: text(receipt, ['NLap']) },
    field: otherInfo(el, 'MTTin'),
    wrongValue: otherInfo(el, 'GTSai') ?? null,
    correctValue: otherInfo(el, 'GTDung'),
    reason: text(receipt, ['LDo']),
  };
}

/** Every field the period audit compares, read from a verified document's canonical data element, by its kind. */
export type SignedFields =
  | { type: 'receipt'; fields: SignedReceiptFields }
  | { type: 'refund-voucher'; fields: SignedVoucherFields }
  | { type: 'error-notice'; fields: SignedNoticeFields }
  | { type: 'daily-summary' | 'registration'; fields: null };

export function signedFieldsOf(type: SignedFields['type'], canonical: string): SignedFields {
  switch (type) {
    case 'receipt':
      return { type, fields: signedReceiptFields(canonical) };
    case 'refund-voucher':
      return { type, fields: signedVoucherFields(canonical) };
    case 'error-notice':
      return { type, fields: signedNoticeFields(canonical) };
    default:
      return { type, fields: null };
  }
}
