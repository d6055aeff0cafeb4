import { xmlText } from '../text/xml-text.ts';
import { createHash, randomUUID } from 'node:crypto';
import { appendEvent, headAt, type Actor } from '../audit/chain.ts';
import type { Config } from '../config/config.ts';
import type { Db, Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { openDocument } from '../receipts/xml.ts';
import type { Center } from '../reference/schemas.ts';
import { requireCenter } from '../reference/service.ts';
import { spreadsheetCsv } from '../text/csv.ts';
import type { Signer } from '../signing/signer.ts';
import { signDocument } from '../signing/xml-signature.ts';
import { vietnamDate, vietnamDayEnd, vietnamLocalTime } from '../time/vietnam.ts';
import { enqueue } from './outbox.ts';
import {
  clearSummaryDue,
  daysToReport,
  firstSeriesYear,
  firstSummaryXml,
  insertSummary,
  insertSummaryRows,
  lastSummaryNumbers,
  lockSeriesTable,
  lockSummaryDay,
  lockSummaryNumbers,
  receiptsOfDay,
  reportedStates,
  summaryDay,
  summaryReceiptIds,
  summaryResendState,
  type SummaryRecord,
} from './repository/summaries.ts';

export const SUMMARY_FORM = '01/TH-BLĐT';
export const SUMMARY_NAME = 'Bảng tổng hợp dữ liệu biên lai điện tử gửi cơ quan thuế';

/**
 * A row's status (column 9). The official codes for receipts are not
 * published; these follow the e-invoice summary's (0 new, 3 replacing) and
 * add what a receipt can become after it was reported: 5 replaced, 6 an
 * error notice filed on it. Our assumption, in the README.
 */
const rowStatus = { issued: 0, replacement: 3, replaced: 5, noticed: 6 } as const;
const statusText: Record<number, string> = { 0: 'Mới', 3: 'Thay thế', 5: 'Bị thay thế', 6: 'Có thông báo sai sót' };

export interface SummaryRow {
  receiptId: string;
  template: string;
  series: string;
  number: number;
  issueDate: string;
  payerName: string;
  /** The fees and charges on the receipt, by name (column 6). */
  names: string;
  fee: number;
  charge: number;
  total: number;
  status: 'issued' | 'replaced';
  notices: number;
  /** The receipt this one replaces. */
  replaces: { template: string; series: string; number: number } | null;
  /** The receipt that replaced this one. */
  replacedBy: { template: string; series: string; number: number } | null;
}

/** What a summary reports of a receipt: its status and how many error notices it has. A change is a new state. */
export const rowState = (r: Pick<SummaryRow, 'status' | 'notices'>) => `${r.status}:${r.notices}`;

export interface SummaryOrganization {
  code: string;
  name: string;
  taxCode: string;
  receipts: SummaryRow[];
}

/** Each department's receipts issued on one Vietnamese calendar day, in number order. */
export async function dailySummaryData(db: Queryable, date: string, department?: string): Promise<SummaryOrganization[]> {
  const rows = await receiptsOfDay(db, date, department);
  const orgs = new Map<string, SummaryOrganization>();
  for (const r of rows) {
    let org = orgs.get(r.department_code);
    if (!org) {
      org = { code: r.department_code, name: r.department_name, taxCode: r.tax_code, receipts: [] };
      orgs.set(r.department_code, org);
    }
    org.receipts.push({
      receiptId: r.id,
      template: r.template,
      series: r.series,
      number: r.number,
      issueDate: vietnamDate(r.issued_at),
      payerName: r.payer_name,
      names: r.names,
      fee: r.fee,
      charge: r.charge,
      total: r.total,
      status: r.status,
      notices: r.notices,
      replaces: r.replaces,
      replacedBy: r.replaced_by,
    });
  }
  return [...orgs.values()];
}

/**
 * A row's status code, related receipt and explanation, as the summary
 * reports it: the receipt's state when the summary is made (a receipt
 * replaced before its day's first summary is reported replaced there), which
 * is the state summary_rows records as reported.
 */
function rowReport(r: SummaryRow) {
  if (r.status === 'replaced') {
    return { status: rowStatus.replaced, related: r.replacedBy, explanation: 'Biên lai đã bị thay thế bởi biên lai liên quan' };
  }
  if (r.notices > 0) {
    return { status: rowStatus.noticed, related: null, explanation: `Đã lập ${r.notices} thông báo sai sót (04/SS-CTĐT)` };
  }
  if (r.replaces) return { status: rowStatus.replacement, related: r.replaces, explanation: 'Biên lai thay thế cho biên lai liên quan' };
  return { status: rowStatus.issued, related: null, explanation: null };
}

export interface SummaryHeader {
  dataId: string;
  date: string;
  createdAt: Date;
  center: Center;
  organization: { name: string; taxCode: string };
  /** 0 for the first submission (LDau = 1), n for supplement n (BSLThu). */
  supplement: number;
  /** The department's running number of summaries (Số). */
  sequence: number;
  /** The audit trail's last event of the day: a signed copy outside the database pins the chain. */
  chainHead: { seq: number; hash: string };
}

/**
 * Form 01/TH-BLĐT (Decree 254 Art. 29.3.b, Circular 91 Art. 4.6.d) for one
 * collecting organisation and one day, in the tax authority's summary style:
 * BTHDLieu › DLBTHop Id=… › TTChung (form, name, Số, period, first or
 * supplement, organisation, currency, the delegated signer) and NDBTHDLieu ›
 * DSDLieu › DLieu per receipt (columns 1–13), then DSCKS/NNT.
 */
export function buildDailySummaryXml(h: SummaryHeader, rows: SummaryRow[]): string {
  const { data, general, finish } = openDocument('BTHDLieu', 'DLBTHop', h.dataId);
  general.ele('MSo').txt(xmlText(SUMMARY_FORM));
  general.ele('Ten').txt(xmlText(SUMMARY_NAME));
  general.ele('SBTHDLieu').txt(xmlText(String(h.sequence)));
  general.ele('LKDLieu').txt(xmlText('N'));
  general.ele('KDLieu').txt(xmlText(h.date));
  general.ele('LDau').txt(xmlText(h.supplement === 0 ? '1' : '0'));
  general.ele('BSLThu').txt(xmlText(String(h.supplement)));
  general.ele('NLap').txt(xmlText(vietnamDate(h.createdAt)));
  general.ele('TGLap').txt(xmlText(vietnamLocalTime(h.createdAt)));
  general.ele('TNNT').txt(xmlText(h.organization.name));
  general.ele('MST').txt(xmlText(h.organization.taxCode));
  general.ele('DVTTe').txt(xmlText('VND'));
  const issuer = general.ele('BNUNhiem');
  issuer.ele('Ten').txt(xmlText(h.center.name));
  issuer.ele('MST').txt(xmlText(h.center.taxCode));
  issuer.ele('DChi').txt(xmlText(h.center.address));
  const chain = general.ele('CSKien');
  chain.ele('STT').txt(xmlText(String(h.chainHead.seq)));
  chain.ele('HBam').txt(xmlText(h.chainHead.hash));
  const content = data.ele('NDBTHDLieu');
  const list = content.ele('DSDLieu');
  rows.forEach((r, i) => {
    const report = rowReport(r);
    const row = list.ele('DLieu');
    row.ele('STT').txt(xmlText(String(i + 1)));
    row.ele('KHMSBLai').txt(xmlText(r.template));
    row.ele('KHBLai').txt(xmlText(r.series));
    row.ele('SBLai').txt(xmlText(String(r.number)));
    row.ele('NLap').txt(xmlText(r.issueDate));
    // Column 6 holds at most 2000 characters (the schema's limit): 50 long item names would pass it.
    row.ele('TPLPhi').txt(xmlText(r.names.length > 2000 ? `${r.names.slice(0, 1999)}…` : r.names));
    row.ele('TgTien').txt(xmlText(String(r.total)));
    row.ele('TGia').txt(xmlText('1'));
    row.ele('TThai').txt(xmlText(String(report.status)));
    if (h.supplement > 0) {
      row.ele('LKDLDChinh').txt(xmlText('N'));
      row.ele('KDLDChinh').txt(xmlText(h.date));
    }
    if (report.related) {
      row.ele('KHMSBLLQuan').txt(xmlText(report.related.template));
      row.ele('KHBLLQuan').txt(xmlText(report.related.series));
      row.ele('SBLLQuan').txt(xmlText(String(report.related.number)));
    }
    if (report.explanation) row.ele('GTrinh').txt(xmlText(report.explanation));
    row.ele('GChu').txt(xmlText(statusText[report.status]!));
  });
  content.ele('SLuong').txt(xmlText(String(rows.length)));
  content.ele('TgTien').txt(xmlText(String(rows.reduce((s, r) => s + r.total, 0))));
  return finish();
}

/** The summary's data element Id: day, department, and the supplement's number when it is one. */
const summaryDataId = (date: string, department: string, supplement = 0) => `TH-${date}-${department}${supplement > 0 ? `-BS${supplement}` : ''}`;

/** A day is over, and its summary can be made, once the next Vietnamese day has begun. */
export function checkDayEnded(date: string, now: Date, field = 'querystring.date'): void {
  const today = vietnamDate(now);
  if (date >= today) {
    throw new AppError('DAY_NOT_ENDED', `the summary of ${date} is made once the day has ended (Vietnam time); today is ${today}`, [{ field, message: `must be before ${today}` }]);
  }
}

/**
 * Waits until every receipt being issued has been stored or given up. An
 * issuer holds its series row locked from taking the number to committing,
 * and dates the receipt after taking that lock; one that took it before
 * midnight may still be signing (a USB token is slow) after the day ended.
 * An EXCLUSIVE lock on the series table waits for every such row lock, and
 * is let go at once: issuers that lock a series after it date their receipts
 * after now, on a later day. So a summary made after the barrier sees every
 * receipt of a day that ended before it.
 */
async function issuingBarrier(db: Db): Promise<void> {
  await db.transaction((tx) => lockSeriesTable(tx));
}

export interface StoredSummary {
  id: string;
  dataId: string;
  date: string;
  department: string;
  supplement: number;
  sequence: number;
  receipts: number;
  createdAt: string;
  xmlSha256: string;
  /** The refused summary this supplement sends again. */
  resends: string | null;
}

export function toStoredSummary(r: SummaryRecord): StoredSummary {
  return {
    id: r.id,
    dataId: r.data_id,
    date: r.business_date,
    department: r.department_code,
    supplement: r.supplement,
    sequence: r.sequence,
    receipts: r.receipts,
    createdAt: r.created_at.toISOString(),
    xmlSha256: r.xml_sha256,
    resends: r.resends,
  };
}

/**
 * Makes what is due for a day that has ended, per department with receipts
 * that day: the first summary when there is none, otherwise a supplement
 * listing the rows whose state changed since they were reported (replaced,
 * an error notice filed). Each is signed, stored byte for byte, numbered, and
 * put in the outbox in the same transaction. Made once: a second call finds
 * nothing new. Returns what it made.
 */
export async function makeDaySummaries(db: Db, date: string, ctx: { signer: Signer; now: Date; actor: Actor; config: Pick<Config, 'TAX_SENDER_CODE'> }): Promise<StoredSummary[]> {
  checkDayEnded(date, ctx.now, 'body.date');
  await issuingBarrier(db);
  return db.transaction(async (tx) => {
    await lockSummaryDay(tx, date);
    // Cleared before the day is read: a change committed after this statement keeps its mark for the next round.
    await clearSummaryDue(tx, date);
    const made: StoredSummary[] = [];
    const center = await requireCenter(tx);
    // The chain as it stood at the end of the day: a copy of the summary kept elsewhere pins it.
    const chainHead = await headAt(tx, vietnamDayEnd(date));
    for (const org of await dailySummaryData(tx, date)) {
      // The department's numbers (Số) are taken one summary at a time, whichever day another request makes.
      await lockSummaryNumbers(tx, org.code);
      const reported = await reportedStates(tx, date, org.code);
      const prior = await lastSummaryNumbers(tx, date, org.code);
      const first = prior.supplements === null;
      const rows = first ? org.receipts : org.receipts.filter((r) => reported.get(r.receiptId) !== rowState(r));
      if (rows.length === 0) continue;
      const supplement = first ? 0 : prior.supplements! + 1;
      const sequence = (prior.sequence ?? 0) + 1;
      made.push(await storeSummary(tx, { date, org, rows, supplement, sequence, center, chainHead }, ctx));
    }
    return made;
  });
}

/**
 * Signs one summary, stores it byte for byte with the state of each row it
 * reports, puts it in the outbox and records it in the audit trail, all in
 * the caller's transaction.
 */
async function storeSummary(
  tx: Tx,
  s: { date: string; org: SummaryOrganization; rows: SummaryRow[]; supplement: number; sequence: number; center: Center; chainHead: SummaryHeader['chainHead']; resends?: string },
  ctx: { signer: Signer; now: Date; actor: Actor; config: Pick<Config, 'TAX_SENDER_CODE'> },
): Promise<StoredSummary> {
  const { date, org, rows, supplement, sequence } = s;
  const dataId = summaryDataId(date, org.code, supplement);
  const xml = buildDailySummaryXml({ dataId, date, createdAt: ctx.now, center: s.center, organization: org, supplement, sequence, chainHead: s.chainHead }, rows);
  const signed = Buffer.from(await signDocument(xml, ctx.signer, { root: 'BTHDLieu', dataId, signingTime: ctx.now }), 'utf8');
  const sha256 = createHash('sha256').update(signed).digest('hex');
  const id = randomUUID();
  const stored = await insertSummary(tx, {
    id,
    dataId,
    date,
    department: org.code,
    supplement,
    sequence,
    createdAt: ctx.now,
    createdBy: ctx.actor.keyId,
    receipts: rows.length,
    xml: signed,
    xmlSha256: sha256,
    resends: s.resends ?? null,
  });
  await insertSummaryRows(
    tx,
    id,
    rows.map((r) => r.receiptId),
    rows.map(rowState),
  );
  await enqueue(tx, {
    documentType: 'daily-summary',
    documentId: id,
    documentDate: date,
    taxCode: org.taxCode,
    document: signed,
    config: ctx.config,
    now: ctx.now,
  });
  await appendEvent(
    tx,
    {
      actor: ctx.actor,
      action: 'daily_summary.created',
      subjectType: 'daily_summary',
      subjectId: dataId,
      details: { date, department: org.code, supplement, sequence, receipts: rows.length, xmlSha256: sha256, ...(s.resends ? { resends: s.resends } : {}) },
    },
    ctx.now,
  );
  return toStoredSummary(stored);
}

/**
 * Sends again, as the day's next supplement, the rows of a summary the tax
 * authority refused (each in its state now), once the reason is dealt with.
 * Only a refused summary, and once: the supplement names the summary it
 * re-sends, and a second request finds it.
 */
export async function resendSummary(db: Db, summaryId: string, ctx: { signer: Signer; now: Date; actor: Actor; config: Pick<Config, 'TAX_SENDER_CODE'> }): Promise<StoredSummary> {
  const summary = await summaryDay(db, summaryId);
  if (!summary || summary.department_code === '') throw new AppError('DAILY_SUMMARY_NOT_FOUND', `no summary ${summaryId}`);
  const date = summary.business_date;
  return db.transaction(async (tx) => {
    // The day's and the department's locks, in the order the daily job takes them.
    await lockSummaryDay(tx, date);
    await lockSummaryNumbers(tx, summary.department_code);
    const s = (await summaryResendState(tx, summaryId))!;
    if (s.status !== 'rejected') {
      throw new AppError('SUMMARY_NOT_REJECTED', `the summary ${s.data_id} is ${s.status ?? 'not in the outbox'}: only a summary the tax authority refused is sent again`);
    }
    if (s.resent_by) throw new AppError('SUMMARY_NOT_REJECTED', `the summary ${s.data_id} was already sent again as ${s.resent_by}`);
    const ids = new Set(await summaryReceiptIds(tx, summaryId));
    const org = (await dailySummaryData(tx, date, summary.department_code))[0]!;
    const rows = org.receipts.filter((r) => ids.has(r.receiptId));
    // The refused summary is the day's, so both numbers exist.
    const prior = await lastSummaryNumbers(tx, date, summary.department_code);
    return storeSummary(
      tx,
      {
        date,
        org,
        rows,
        supplement: prior.supplements! + 1,
        sequence: prior.sequence! + 1,
        center: await requireCenter(tx),
        chainHead: await headAt(tx, vietnamDayEnd(date)),
        resends: summaryId,
      },
      ctx,
    );
  });
}

/**
 * The ended days with something to report: receipts never reported, and days
 * whose reported rows changed since. Oldest first, so a catch-up after an
 * outage reports in order.
 */
export async function daysDue(db: Queryable, now: Date): Promise<string[]> {
  return daysToReport(db, vietnamDate(now));
}

/**
 * The first summary of a day and department, signed and stored; made first
 * (with the day's others) when an accountant asks and it is due.
 */
export async function dailySummary(
  db: Db,
  q: { date: string; department: string },
  ctx: { signer: Signer; now: Date; actor: Actor; mayCreate: boolean; config: Pick<Config, 'TAX_SENDER_CODE'> },
): Promise<Buffer> {
  checkDayEnded(q.date, ctx.now);
  const stored = () => firstSummaryXml(db, q.date, q.department);
  const found = await stored();
  if (found) return found;
  // A day before any series could have had receipts: nothing to sign for the tax authority.
  const year = await firstSeriesYear(db);
  if (year == null || q.date < `${year}-01-01`) {
    throw new AppError('DAY_BEFORE_SERIES', `no series covers ${q.date}: the first series is of ${year ?? 'no year yet'}`, [
      { field: 'querystring.date', message: year == null ? 'no series is registered yet' : `must be ${year}-01-01 or later` },
    ]);
  }
  const missing = () =>
    new AppError('DAILY_SUMMARY_NOT_FOUND', `there is no summary of ${q.date} for ${q.department}${ctx.mayCreate ? ': it had no receipts' : ' yet; an accountant makes it, or the daily job'}`);
  if (!ctx.mayCreate) throw missing();
  await makeDaySummaries(db, q.date, ctx);
  const made = await stored();
  if (!made) throw missing();
  return made;
}

export function dailySummaryCsv(organizations: SummaryOrganization[]): string {
  const header = [
    'Mã đơn vị',
    'Tên đơn vị',
    'Mã số thuế',
    'Mẫu số',
    'Ký hiệu',
    'Số',
    'Ngày lập',
    'Người nộp',
    'Tên phí, lệ phí',
    'Tiền phí',
    'Tiền lệ phí',
    'Tổng tiền',
    'Trạng thái',
    'Biên lai liên quan',
  ];
  const rows = organizations.flatMap((o) =>
    o.receipts.map((r) => {
      const report = rowReport(r);
      return [
        o.code,
        o.name,
        o.taxCode,
        r.template,
        r.series,
        r.number,
        r.issueDate,
        r.payerName,
        r.names,
        r.fee,
        r.charge,
        r.total,
        statusText[report.status]!,
        report.related ? `${report.related.template} ${report.related.series} ${report.related.number}` : '',
      ];
    }),
  );
  return spreadsheetCsv([header, ...rows]);
}
