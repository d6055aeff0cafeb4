import { xmlText } from '../text/xml-text.ts';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { SIGNER_ROLE } from '../signing/xml-signature.ts';
import type { Center, Department } from '../reference/schemas.ts';
import { TEMPLATE } from '../reference/schemas.ts';
import type { IssueReceiptInput, ReceiptItem } from './schemas.ts';

/** Version of our receipt format (schemas/receipt.xsd). */
export const RECEIPT_FORMAT_VERSION = '1.0';
export const RECEIPT_NAME = 'Biên lai thu phí, lệ phí';

export const paymentMethodText: Record<IssueReceiptInput['paymentMethod'], string> = {
  cash: 'Tiền mặt',
  transfer: 'Chuyển khoản',
  card: 'Thẻ',
  qr: 'Mã QR',
};
const kindCode = { fee: 'PHI', charge: 'LEPHI' } as const;

export const kindCodes = kindCode;

/**
 * The skeleton every signed document shares, in the style of the tax
 * authority's e-invoice: root › data element (Id, the signature's reference)
 * › TTChung opening with the format version. `finish` appends the empty DSCKS
 * the signature goes into and serialises the document.
 */
export function openDocument(root: string, dataElement: string, dataId: string) {
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(root);
  const data = doc.ele(dataElement, { Id: dataId });
  const general = data.ele('TTChung');
  general.ele('PBan').txt(xmlText(RECEIPT_FORMAT_VERSION));
  return {
    data,
    general,
    finish(): string {
      doc.ele('DSCKS').ele(SIGNER_ROLE);
      return doc.end();
    },
  };
}

/** The collecting organization (department) and the delegated issuer (center), as every document names them. */
export function appendParties(parent: XMLBuilder, department: Pick<Department, 'name' | 'taxCode'>, center: Center): void {
  const collector = parent.ele('TCThu');
  collector.ele('Ten').txt(xmlText(department.name));
  collector.ele('MST').txt(xmlText(department.taxCode));
  const issuer = parent.ele('BNUNhiem');
  issuer.ele('Ten').txt(xmlText(center.name));
  issuer.ele('MST').txt(xmlText(center.taxCode));
  issuer.ele('DChi').txt(xmlText(center.address));
}

/** The identifiers of a receipt that another document refers to. */
export interface ReceiptReference {
  template: string;
  series: string;
  number: number;
  issueDate: string;
}

export function appendReceiptReference(parent: XMLBuilder, r: ReceiptReference): void {
  parent.ele('KHMSBLai').txt(xmlText(r.template));
  parent.ele('KHBLai').txt(xmlText(r.series));
  parent.ele('SBLai').txt(xmlText(String(r.number)));
  parent.ele('NLap').txt(xmlText(r.issueDate));
}

export interface ReceiptDocument {
  dataId: string;
  series: string;
  number: number;
  issueDate: string;
  paymentMethod: IssueReceiptInput['paymentMethod'];
  lookupCode: string;
  department: Department;
  center: Center;
  payer: IssueReceiptInput['payer'];
  dossierCode?: string;
  items: ReceiptItem[];
  total: number;
  totalInWords: string;
  /** For a replacement receipt: the receipt it replaces and why (Circular 91 Art. 20). */
  replaces?: ReceiptReference & { reason: string };
}

/**
 * The unsigned receipt, shaped like the tax authority's e-invoice (HDon ›
 * DLHDon, DSCKS) with receipt names (docs/rules.md, Signatures; schemas/receipt.xsd). It carries
 * every field of Decree 254/2026 Art. 23.2; the delegated issuer (the
 * center) is named beside the collecting department (Art. 4.6).
 */
export function buildReceiptXml(r: ReceiptDocument): string {
  const { data, general, finish } = openDocument('BLai', 'DLBLai', r.dataId);
  general.ele('TBLai').txt(xmlText(RECEIPT_NAME));
  general.ele('KHMSBLai').txt(xmlText(TEMPLATE));
  general.ele('KHBLai').txt(xmlText(r.series));
  general.ele('SBLai').txt(xmlText(String(r.number)));
  general.ele('NLap').txt(xmlText(r.issueDate));
  general.ele('DVTTe').txt(xmlText('VND'));
  general.ele('HTTToan').txt(xmlText(paymentMethodText[r.paymentMethod]));
  general.ele('MTCuu').txt(xmlText(r.lookupCode));
  if (r.replaces) {
    const replaced = general.ele('TTBLTThe');
    appendReceiptReference(replaced, r.replaces);
    replaced.ele('LDo').txt(xmlText(r.replaces.reason));
  }

  const content = data.ele('NDBLai');
  appendParties(content, r.department, r.center);
  const payer = content.ele('NNop');
  payer.ele('Ten').txt(xmlText(r.payer.name));
  if (r.payer.address) payer.ele('DChi').txt(xmlText(r.payer.address));
  if (r.payer.taxCode) payer.ele('MST').txt(xmlText(r.payer.taxCode));
  if (r.payer.idNumber) payer.ele('SDDCNhan').txt(xmlText(r.payer.idNumber));
  if (r.dossierCode) content.ele('MHSo').txt(xmlText(r.dossierCode));
  const items = content.ele('DSKhoan');
  for (const item of r.items) {
    const line = items.ele('Khoan');
    line.ele('STT').txt(xmlText(String(item.line)));
    if (item.feeCode) line.ele('MKhoan').txt(xmlText(item.feeCode));
    line.ele('Ten').txt(xmlText(item.name));
    line.ele('Loai').txt(xmlText(kindCode[item.kind]));
    line.ele('SLuong').txt(xmlText(String(item.quantity)));
    line.ele('DGia').txt(xmlText(String(item.unitPrice)));
    line.ele('ThTien').txt(xmlText(String(item.amount)));
  }
  content.ele('TgTien').txt(xmlText(String(r.total)));
  content.ele('TgTienBChu').txt(xmlText(r.totalInWords));
  return finish();
}
