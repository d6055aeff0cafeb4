import { xmlText } from '../text/xml-text.ts';
import { create } from 'xmlbuilder2';
import { RECEIPT_FORMAT_VERSION, RECEIPT_NAME, type ReceiptReference } from '../receipts/xml.ts';
import type { Center } from '../reference/schemas.ts';
import { SIGNER_ROLE } from '../signing/xml-signature.ts';
import { placeOf } from '../text/place.ts';
import { noticeFields, type NoticeField } from './schemas.ts';

export const NOTICE_FORM = '04/SS-CTĐT';
export const NOTICE_NAME = 'Thông báo chứng từ điện tử đã lập sai';
/** Loai: 1 a notice, 2 an explanation (the form's notice type). */
const NOTICE = '1';

/**
 * Form 04/SS-CTĐT (Circular 91/2026 Art. 20.1), as the tax authority's
 * notice is shaped: TBao › DLTBao Id=… › PBan, MSo, Ten, Loai, MCQT and TCQT
 * (the tax office), TNNT and MST (the collecting organisation), DDanh,
 * NTBao, DSCTu › CTu (STT, template, series, number, date, document type,
 * notice or explanation, reason); then the delegated issuer that signs
 * (BNUNhiem) and TTKhac › TTin (TTruong, KDLieu, DLieu), the e-invoice
 * family's place for other data: the notice's id, the receipt's lookup code,
 * the field, the wrong and the correct value, which the payer and the
 * auditor read. Then DSCKS/NNT. Schema: schemas/error-notice.xsd.
 */
export function buildNoticeXml(n: {
  dataId: string;
  noticeId: string;
  issueDate: string;
  department: { name: string; taxCode: string };
  center: Center & { taxOffice: NonNullable<Center['taxOffice']> };
  receipt: ReceiptReference & { lookupCode: string };
  field: NoticeField;
  wrongValue: string | null;
  correctValue: string;
  reason: string;
}): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('TBao');
  const data = doc.ele('DLTBao', { Id: n.dataId });
  data.ele('PBan').txt(xmlText(RECEIPT_FORMAT_VERSION));
  data.ele('MSo').txt(xmlText(NOTICE_FORM));
  data.ele('Ten').txt(xmlText(NOTICE_NAME));
  data.ele('Loai').txt(xmlText(NOTICE));
  data.ele('MCQT').txt(xmlText(n.center.taxOffice.code));
  data.ele('TCQT').txt(xmlText(n.center.taxOffice.name));
  data.ele('TNNT').txt(xmlText(n.department.name));
  data.ele('MST').txt(xmlText(n.department.taxCode));
  data.ele('DDanh').txt(xmlText(placeOf(n.center.address)));
  data.ele('NTBao').txt(xmlText(n.issueDate));
  const row = data.ele('DSCTu').ele('CTu');
  row.ele('STT').txt(xmlText('1'));
  row.ele('KHMSCTu').txt(xmlText(n.receipt.template));
  row.ele('KHCTu').txt(xmlText(n.receipt.series));
  row.ele('SCTu').txt(xmlText(String(n.receipt.number)));
  row.ele('NLap').txt(xmlText(n.receipt.issueDate));
  row.ele('LCTDT').txt(xmlText(RECEIPT_NAME));
  row.ele('TCTBao').txt(xmlText(NOTICE));
  row.ele('LDo').txt(xmlText(n.reason));
  const issuer = data.ele('BNUNhiem');
  issuer.ele('Ten').txt(xmlText(n.center.name));
  issuer.ele('MST').txt(xmlText(n.center.taxCode));
  issuer.ele('DChi').txt(xmlText(n.center.address));
  const other = data.ele('TTKhac');
  const info = (field: string, value: string) => {
    const t = other.ele('TTin');
    t.ele('TTruong').txt(xmlText(field));
    t.ele('KDLieu').txt(xmlText('string'));
    t.ele('DLieu').txt(xmlText(value));
  };
  info('MTBao', n.noticeId);
  info('MTCuu', n.receipt.lookupCode);
  info('MTTin', n.field);
  info('TTin', noticeFields[n.field]);
  if (n.wrongValue !== null) info('GTSai', n.wrongValue);
  info('GTDung', n.correctValue);
  doc.ele('DSCKS').ele(SIGNER_ROLE);
  return doc.end();
}
