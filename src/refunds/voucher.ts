import { xmlText } from '../text/xml-text.ts';
import { appendParties, appendReceiptReference, kindCodes, openDocument, type ReceiptReference } from '../receipts/xml.ts';
import type { Center } from '../reference/schemas.ts';

export const VOUCHER_NAME = 'Chứng từ hoàn trả phí, lệ phí';

export interface VoucherDocument {
  dataId: string;
  refundId: string;
  issueDate: string;
  receipt: ReceiptReference & { lookupCode: string; total: number };
  department: { name: string; taxCode: string };
  center: Center;
  payerName: string;
  parts: Array<{ kind: 'fee' | 'charge'; amount: number }>;
  amount: number;
  amountInWords: string;
  reason: string;
  refundedBefore: number;
  requestedBy: string;
  approvedBy: string;
}

/**
 * The refund voucher (docs/rules.md, Corrections and refunds; Decision: a refund is its own signed
 * document referencing the receipt, which stays valid), in the receipt's
 * style: CTHTra › DLCTHTra Id=… (TTChung with the receipt refunded, NDCTu),
 * then DSCKS. Schema: schemas/refund-voucher.xsd.
 */
export function buildVoucherXml(v: VoucherDocument): string {
  const { data, general, finish } = openDocument('CTHTra', 'DLCTHTra', v.dataId);
  general.ele('TCTu').txt(xmlText(VOUCHER_NAME));
  general.ele('MCTu').txt(xmlText(v.refundId));
  general.ele('NLap').txt(xmlText(v.issueDate));
  general.ele('DVTTe').txt(xmlText('VND'));
  const receipt = general.ele('TTBLai');
  appendReceiptReference(receipt, v.receipt);
  receipt.ele('MTCuu').txt(xmlText(v.receipt.lookupCode));
  receipt.ele('TgTien').txt(xmlText(String(v.receipt.total)));

  const content = data.ele('NDCTu');
  appendParties(content, v.department, v.center);
  content.ele('NNhan').ele('Ten').txt(xmlText(v.payerName));
  const parts = content.ele('DSKhoan');
  for (const p of v.parts) {
    const part = parts.ele('Khoan');
    part.ele('Loai').txt(xmlText(kindCodes[p.kind]));
    part.ele('STien').txt(xmlText(String(p.amount)));
  }
  content.ele('STien').txt(xmlText(String(v.amount)));
  content.ele('STienBChu').txt(xmlText(v.amountInWords));
  content.ele('LDo').txt(xmlText(v.reason));
  content.ele('LKTruoc').txt(xmlText(String(v.refundedBefore)));
  content.ele('LKSau').txt(xmlText(String(v.refundedBefore + v.amount)));
  content.ele('NYCau').txt(xmlText(v.requestedBy));
  content.ele('NDuyet').txt(xmlText(v.approvedBy));
  return finish();
}
