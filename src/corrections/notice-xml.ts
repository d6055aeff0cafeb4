import { appendParties, appendReceiptReference, openDocument, type ReceiptReference } from '../receipts/xml.ts';
import type { Center } from '../reference/schemas.ts';
import { noticeFields, type NoticeField } from './schemas.ts';

export const NOTICE_FORM = '04/SS-CTĐT';
export const NOTICE_NAME = 'Thông báo chứng từ điện tử có sai sót';

/**
 * Form 04/SS-CTĐT (Circular 91/2026 Art. 20) in the receipt's style:
 * TBSSot › DLTBSSot Id=… (TTChung, NDTBao with the receipt, the field, the
 * wrong and the correct value), then DSCKS. Schema: schemas/error-notice.xsd.
 */
export function buildNoticeXml(n: {
  dataId: string;
  noticeId: string;
  issueDate: string;
  department: { name: string; taxCode: string };
  center: Center;
  receipt: ReceiptReference & { lookupCode: string };
  field: NoticeField;
  wrongValue: string | null;
  correctValue: string;
  reason: string;
}): string {
  const { data, general, finish } = openDocument('TBSSot', 'DLTBSSot', n.dataId);
  general.ele('MSo').txt(NOTICE_FORM);
  general.ele('Ten').txt(NOTICE_NAME);
  general.ele('MTBao').txt(n.noticeId);
  general.ele('NLap').txt(n.issueDate);
  const content = data.ele('NDTBao');
  appendParties(content, n.department, n.center);
  const receipt = content.ele('DSBLai').ele('BLai');
  receipt.ele('STT').txt('1');
  appendReceiptReference(receipt, n.receipt);
  receipt.ele('MTCuu').txt(n.receipt.lookupCode);
  const error = receipt.ele('TTSai');
  error.ele('TTin').txt(noticeFields[n.field]);
  error.ele('MTTin').txt(n.field);
  if (n.wrongValue !== null) error.ele('GTSai').txt(n.wrongValue);
  error.ele('GTDung').txt(n.correctValue);
  receipt.ele('LDo').txt(n.reason);
  return finish();
}
