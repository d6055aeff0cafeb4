import { stringify } from 'csv-stringify/sync';
import { openDocument } from '../receipts/xml.ts';
import type { Queryable } from '../db/db.ts';
import type { Center } from '../reference/schemas.ts';
import type { Signer } from '../signing/signer.ts';
import { signDocument } from '../signing/xml-signature.ts';
import { vietnamDate, vietnamDayEnd, vietnamDayStart } from '../time/vietnam.ts';

export const SUMMARY_FORM = '01/TH-BLĐT';
export const SUMMARY_NAME = 'Bảng tổng hợp dữ liệu biên lai điện tử';
const statusText = { issued: 'Đã lập', replaced: 'Bị thay thế' } as const;

export interface SummaryReceipt {
  template: string;
  series: string;
  number: number;
  issueDate: string;
  payerName: string;
  fee: number;
  charge: number;
  total: number;
  status: keyof typeof statusText;
}

export interface SummaryOrganization {
  code: string;
  name: string;
  taxCode: string;
  receipts: SummaryReceipt[];
}

/** Each department's receipts issued on one Vietnamese calendar day, in number order. */
export async function dailySummaryData(db: Queryable, date: string, department?: string): Promise<SummaryOrganization[]> {
  const { rows } = await db.query<{
    department_code: string; department_name: string; tax_code: string; template: string; series: string; number: number;
    issued_at: Date; payer_name: string; fee: number; charge: number; total: number; status: SummaryReceipt['status'];
  }>(
    `SELECT r.department_code, d.name AS department_name, d.tax_code, r.template, r.series, r.number, r.issued_at,
            r.payer->>'name' AS payer_name, r.total, r.status,
            COALESCE(sum(i.amount) FILTER (WHERE i.kind = 'fee'), 0)::bigint AS fee,
            COALESCE(sum(i.amount) FILTER (WHERE i.kind = 'charge'), 0)::bigint AS charge
       FROM receipts r JOIN departments d ON d.code = r.department_code JOIN receipt_items i ON i.receipt_id = r.id
      WHERE r.issued_at >= $1 AND r.issued_at < $2 AND ($3::text IS NULL OR r.department_code = $3)
      GROUP BY r.id, d.name, d.tax_code
      ORDER BY r.department_code, r.template, r.series, r.number`,
    [vietnamDayStart(date), vietnamDayEnd(date), department ?? null],
  );
  const orgs = new Map<string, SummaryOrganization>();
  for (const r of rows) {
    let org = orgs.get(r.department_code);
    if (!org) orgs.set(r.department_code, (org = { code: r.department_code, name: r.department_name, taxCode: r.tax_code, receipts: [] }));
    org.receipts.push({
      template: r.template, series: r.series, number: r.number, issueDate: vietnamDate(r.issued_at), payerName: r.payer_name,
      fee: r.fee, charge: r.charge, total: r.total, status: r.status,
    });
  }
  return [...orgs.values()];
}

const sum = (rs: SummaryReceipt[], f: (r: SummaryReceipt) => number) => rs.reduce((s, r) => s + f(r), 0);

/**
 * The summary table of form 01/TH-BLĐT (Decree 254 Art. 29.3.b, Circular 91
 * Art. 4.6.d) in the receipt's style: BTHDLieu › DLBTHop Id=… (TTChung,
 * NDBTHop with one TCThu per collecting organization), then DSCKS.
 */
export function buildDailySummaryXml(opts: {
  dataId: string;
  date: string;
  createdAt: Date;
  center: Center;
  organizations: SummaryOrganization[];
  /** The audit trail's last event of the day: a signed copy outside the database pins the chain. */
  chainHead: { seq: number; hash: string };
}): string {
  const { data, general, finish } = openDocument('BTHDLieu', 'DLBTHop', opts.dataId);
  general.ele('MSo').txt(SUMMARY_FORM);
  general.ele('Ten').txt(SUMMARY_NAME);
  general.ele('NDLieu').txt(opts.date);
  general.ele('TGLap').txt(opts.createdAt.toISOString());
  const issuer = general.ele('BNUNhiem');
  issuer.ele('Ten').txt(opts.center.name);
  issuer.ele('MST').txt(opts.center.taxCode);
  issuer.ele('DChi').txt(opts.center.address);
  const chain = general.ele('CSKien');
  chain.ele('STT').txt(String(opts.chainHead.seq));
  chain.ele('HBam').txt(opts.chainHead.hash);
  const list = data.ele('NDBTHop').ele('DSTCThu');
  for (const org of opts.organizations) {
    const o = list.ele('TCThu');
    o.ele('Ten').txt(org.name);
    o.ele('MST').txt(org.taxCode);
    const receipts = o.ele('DSBLai');
    org.receipts.forEach((r, i) => {
      const b = receipts.ele('BLai');
      b.ele('STT').txt(String(i + 1));
      b.ele('KHMSBLai').txt(r.template);
      b.ele('KHBLai').txt(r.series);
      b.ele('SBLai').txt(String(r.number));
      b.ele('NLap').txt(r.issueDate);
      b.ele('TNNop').txt(r.payerName);
      b.ele('TPhi').txt(String(r.fee));
      b.ele('TLPhi').txt(String(r.charge));
      b.ele('TgTien').txt(String(r.total));
      b.ele('TThai').txt(statusText[r.status]);
    });
    o.ele('SLuong').txt(String(org.receipts.length));
    o.ele('TgTPhi').txt(String(sum(org.receipts, (r) => r.fee)));
    o.ele('TgTLPhi').txt(String(sum(org.receipts, (r) => r.charge)));
    o.ele('TgTien').txt(String(sum(org.receipts, (r) => r.total)));
  }
  return finish();
}

export async function signedDailySummary(opts: {
  date: string; department?: string; center: Center; organizations: SummaryOrganization[]; signer: Signer; now: Date;
  chainHead: { seq: number; hash: string };
}): Promise<string> {
  const dataId = `TH-${opts.date}${opts.department ? `-${opts.department}` : ''}`;
  const xml = buildDailySummaryXml({
    dataId, date: opts.date, createdAt: opts.now, center: opts.center, organizations: opts.organizations, chainHead: opts.chainHead,
  });
  return signDocument(xml, opts.signer, { root: 'BTHDLieu', dataId, signingTime: opts.now });
}

export function dailySummaryCsv(organizations: SummaryOrganization[]): string {
  const header = ['Mã đơn vị', 'Tên đơn vị', 'Mã số thuế', 'Mẫu số', 'Ký hiệu', 'Số', 'Ngày lập', 'Người nộp', 'Tiền phí', 'Tiền lệ phí', 'Tổng tiền', 'Trạng thái'];
  const rows = organizations.flatMap((o) =>
    o.receipts.map((r) => [o.code, o.name, o.taxCode, r.template, r.series, r.number, r.issueDate, r.payerName, r.fee, r.charge, r.total, statusText[r.status]]),
  );
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows' });
}
