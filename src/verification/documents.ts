import { child, elements, num, otherInfo, parse, text } from './xml-read.ts';

/** The documents the service signs, by root element: data element, schema, what identifies one. */
export const documentKinds = {
  BLai: { type: 'receipt', dataElement: 'DLBLai', schema: 'receipt.xsd' },
  CTHTra: { type: 'refund-voucher', dataElement: 'DLCTHTra', schema: 'refund-voucher.xsd' },
  TBao: { type: 'error-notice', dataElement: 'DLTBao', schema: 'error-notice.xsd' },
  BTHDLieu: { type: 'daily-summary', dataElement: 'DLBTHop', schema: 'daily-summary.xsd' },
  TKhai: { type: 'registration', dataElement: 'DLTKhai', schema: 'registration.xsd' },
} as const;
export type RootName = keyof typeof documentKinds;
export type DocumentType = (typeof documentKinds)[RootName]['type'];
export const documentTypes = ['receipt', 'refund-voucher', 'error-notice', 'daily-summary', 'registration'] as const satisfies readonly DocumentType[];

export function kindOf(root: string) {
  return Object.hasOwn(documentKinds, root) ? documentKinds[root as RootName] : null;
}

/** What a signed document says about itself, read only from the canonical XML the signature covers. */
export interface SignedContent {
  type: DocumentType;
  dataId: string;
  /** The issuer's tax code (BNUNhiem/MST; a registration's TTChung/MST): whose signature the document must carry. */
  issuerTaxCode?: string;
  template?: string;
  series?: string;
  number?: number;
  issueDate?: string;
  total?: number;
  /** Refund voucher or error notice id. */
  documentId?: string;
  /** Receipt: the signed amounts per kind; refund voucher: the refund split per kind. */
  parts?: { fee: number; charge: number };
  /** Daily summary: the day, 0 or the supplement's number, and its receipts. */
  day?: string;
  supplement?: number;
  receipts?: Array<{ template: string; series: string; number: number; total: number }>;
}

/** Σ amount per kind over the children of a list element (Khoan: Loai PHI/LEPHI with an amount element). */
function partsOf(list: Element | undefined, amountElement: string): { fee: number; charge: number } {
  const parts = { fee: 0, charge: 0 };
  for (const item of list ? elements(list) : []) {
    const kind = text(item, ['Loai']) === 'LEPHI' ? 'charge' : 'fee';
    parts[kind] += Number(text(item, [amountElement]) ?? 0);
  }
  return parts;
}

/** Reads the identifying fields from the canonical data element (a string the signature covers). */
export function readSignedContent(type: DocumentType, canonicalData: string): SignedContent {
  const el = parse(canonicalData);
  // A registration is the center's own declaration: it names the center as the registering organisation.
  const issuer = type === 'registration' ? text(el, ['TTChung', 'MST'])?.trim() || undefined : issuerTaxCode(el);
  return { ...contentOf(type, el), issuerTaxCode: issuer };
}

/** The tax code of the one BNUNhiem (the issuing center) the data element names; undefined unless exactly one. */
function issuerTaxCode(el: Element): string | undefined {
  const issuers = Array.from(el.getElementsByTagName('BNUNhiem'));
  return issuers.length === 1 ? text(issuers[0]!, ['MST'])?.trim() || undefined : undefined;
}

function contentOf(type: DocumentType, el: Element): SignedContent {
  const dataId = el.getAttribute('Id') ?? '';
  switch (type) {
    case 'receipt':
      return {
        type,
        dataId,
        template: text(el, ['TTChung', 'KHMSBLai']),
        series: text(el, ['TTChung', 'KHBLai']),
        number: num(text(el, ['TTChung', 'SBLai'])),
        issueDate: text(el, ['TTChung', 'NLap']),
        total: num(text(el, ['NDBLai', 'TgTien'])),
        parts: partsOf(child(el, ['NDBLai', 'DSKhoan']), 'ThTien'),
      };
    case 'refund-voucher':
      return {
        type,
        dataId,
        documentId: text(el, ['TTChung', 'MCTu']),
        issueDate: text(el, ['TTChung', 'NLap']),
        template: text(el, ['TTChung', 'TTBLai', 'KHMSBLai']),
        series: text(el, ['TTChung', 'TTBLai', 'KHBLai']),
        number: num(text(el, ['TTChung', 'TTBLai', 'SBLai'])),
        total: num(text(el, ['NDCTu', 'STien'])),
        parts: partsOf(child(el, ['NDCTu', 'DSKhoan']), 'STien'),
      };
    case 'error-notice':
      return {
        type,
        dataId,
        documentId: otherInfo(el, 'MTBao'),
        issueDate: text(el, ['NTBao']),
        template: text(el, ['DSCTu', 'CTu', 'KHMSCTu']),
        series: text(el, ['DSCTu', 'CTu', 'KHCTu']),
        number: num(text(el, ['DSCTu', 'CTu', 'SCTu'])),
      };
    case 'daily-summary': {
      const receipts: NonNullable<SignedContent['receipts']> = [];
      const list = child(el, ['NDBTHDLieu', 'DSDLieu']);
      for (const b of list ? elements(list) : []) {
        receipts.push({ template: text(b, ['KHMSBLai'])!, series: text(b, ['KHBLai'])!, number: Number(text(b, ['SBLai'])), total: Number(text(b, ['TgTien'])) });
      }
      return { type, dataId, day: text(el, ['TTChung', 'KDLieu']), supplement: num(text(el, ['TTChung', 'BSLThu'])), receipts };
    }
    case 'registration':
      return { type, dataId, issueDate: text(el, ['TTChung', 'NLap']) };
  }
}
