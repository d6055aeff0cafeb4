import { createHash } from 'node:crypto';
import { appendEvent, headAt, type Actor } from '../audit/chain.ts';
import type { Db } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { requireCenter } from '../reference/service.ts';
import { spreadsheetCsv } from './csv.ts';
import { openDocument } from '../receipts/xml.ts';
import type { Queryable } from '../db/db.ts';
import type { Center } from '../reference/schemas.ts';
import type { Signer } from '../signing/signer.ts';
import { signDocument } from '../signing/xml-signature.ts';
import { vietnamDate, vietnamDayEnd, vietnamDayStart, vietnamLocalTime } from '../time/vietnam.ts';

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
    `SELECT r.department_code, r.department_name, r.department_tax_code AS tax_code, r.template, r.series, r.number, r.issued_at,
            r.payer->>'name' AS payer_name, r.total, r.status,
            COALESCE(sum(i.amount) FILTER (WHERE i.kind = 'fee'), 0)::bigint AS fee,
            COALESCE(sum(i.amount) FILTER (WHERE i.kind = 'charge'), 0)::bigint AS charge
       FROM receipts r JOIN receipt_items i ON i.receipt_id = r.id
      WHERE r.issued_at >= $1 AND r.issued_at < $2 AND ($3::text IS NULL OR r.department_code = $3)
      GROUP BY r.id
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
  general.ele('TGLap').txt(vietnamLocalTime(opts.createdAt));
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

/** The summary's data element Id: its day, and its department when it covers one. */
export const summaryDataId = (date: string, department?: string) => `TH-${date}${department ? `-${department}` : ''}`;

/** A day is over, and its summary can be made, once the next Vietnamese day has begun. */
export function checkDayEnded(date: string, now: Date): void {
  const today = vietnamDate(now);
  if (date >= today) {
    throw new AppError('DAY_NOT_ENDED', `the summary of ${date} is made once the day has ended (Vietnam time); today is ${today}`, [
      { field: 'querystring.date', message: `must be before ${today}` },
    ]);
  }
}

async function storedSummary(db: Queryable, q: { date: string; department?: string }): Promise<Buffer | null> {
  const { rows } = await db.query<{ xml: Buffer }>('SELECT xml FROM daily_summaries WHERE business_date = $1 AND department_code = $2', [q.date, q.department ?? '']);
  return rows[0]?.xml ?? null;
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
  await db.transaction((tx) => tx.query('LOCK TABLE series IN EXCLUSIVE MODE'));
}

/**
 * The day's signed summary (01/TH-BLĐT): made once, after the day has ended
 * (so it lists every receipt of the day, for good), signed, stored byte for
 * byte, and served as stored ever after. Two requests at once make one.
 */
export async function dailySummary(
  db: Db,
  q: { date: string; department?: string },
  ctx: { signer: Signer; now: Date; actor: Actor; mayCreate: boolean },
): Promise<Buffer> {
  checkDayEnded(q.date, ctx.now);
  const stored = await storedSummary(db, q);
  if (stored) return stored;
  // Making one is an accountant's act (it signs a document for the tax authority); others read what was made.
  // A day before any series could have had receipts: nothing to sign for the tax authority.
  const { rows: first } = await db.query<{ year: number | null }>('SELECT min(year)::int AS year FROM series');
  if (first[0]?.year == null || q.date < `${first[0].year}-01-01`) {
    throw new AppError('DAY_BEFORE_SERIES', `no series covers ${q.date}: the first series is of ${first[0]?.year ?? 'no year yet'}`, [
      { field: 'querystring.date', message: first[0]?.year == null ? 'no series is registered yet' : `must be ${first[0].year}-01-01 or later` },
    ]);
  }
  if (!ctx.mayCreate) throw new AppError('DAILY_SUMMARY_NOT_FOUND', `the summary of ${q.date}${q.department ? ` for ${q.department}` : ''} has not been made; an accountant makes it`);
  await issuingBarrier(db);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`summary:${q.date}:${q.department ?? ''}`]);
    const again = await storedSummary(tx, q);
    if (again) return again;
    const organizations = await dailySummaryData(tx, q.date, q.department);
    // The chain as it stood at the end of the day: a copy of the summary kept elsewhere pins it.
    const chainHead = await headAt(tx, vietnamDayEnd(q.date));
    const dataId = summaryDataId(q.date, q.department);
    const xml = buildDailySummaryXml({ dataId, date: q.date, createdAt: ctx.now, center: await requireCenter(tx), organizations, chainHead });
    const signed = Buffer.from(await signDocument(xml, ctx.signer, { root: 'BTHDLieu', dataId, signingTime: ctx.now }), 'utf8');
    const receipts = organizations.reduce((n, o) => n + o.receipts.length, 0);
    const sha256 = createHash('sha256').update(signed).digest('hex');
    await tx.query(
      `INSERT INTO daily_summaries (business_date, department_code, created_at, created_by, receipts, xml, xml_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [q.date, q.department ?? '', ctx.now, ctx.actor.keyId, receipts, signed, sha256],
    );
    await appendEvent(tx, {
      actor: ctx.actor, action: 'daily_summary.created', subjectType: 'daily_summary', subjectId: dataId,
      details: { date: q.date, department: q.department ?? null, receipts, xmlSha256: sha256 },
    }, ctx.now);
    return signed;
  });
}

/**
 * What a summary lists against the day's receipts: every receipt of the day
 * (of its department, when it covers one) exactly once, at its total. Null
 * when they agree.
 */
export async function summaryCompleteness(
  db: Queryable,
  q: { date: string; department?: string },
  listed: Array<{ template: string; series: string; number: number; total: number }>,
): Promise<string | null> {
  const key = (r: { template: string; series: string; number: number }) => `${r.template} ${r.series} ${r.number}`;
  const { rows } = await db.query<{ template: string; series: string; number: number; total: number }>(
    `SELECT template, series, number, total FROM receipts
      WHERE issued_at >= $1 AND issued_at < $2 AND ($3::text IS NULL OR department_code = $3)`,
    [vietnamDayStart(q.date), vietnamDayEnd(q.date), q.department ?? null],
  );
  const day = new Map(rows.map((r) => [key(r), r.total]));
  const seen = new Set<string>();
  for (const r of listed) {
    const k = key(r);
    if (seen.has(k)) return `lists receipt ${k} twice`;
    seen.add(k);
    if (!day.has(k)) return `lists receipt ${k}, which is not a receipt of ${q.date}${q.department ? ` of ${q.department}` : ''}`;
    if (day.get(k) !== r.total) return `lists receipt ${k} at ${r.total} VND; the record says ${day.get(k)}`;
  }
  const missing = [...day.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0) return `leaves out ${missing.length} receipt(s) of ${q.date}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`;
  return null;
}

export function dailySummaryCsv(organizations: SummaryOrganization[]): string {
  const header = ['Mã đơn vị', 'Tên đơn vị', 'Mã số thuế', 'Mẫu số', 'Ký hiệu', 'Số', 'Ngày lập', 'Người nộp', 'Tiền phí', 'Tiền lệ phí', 'Tổng tiền', 'Trạng thái'];
  const rows = organizations.flatMap((o) =>
    o.receipts.map((r) => [o.code, o.name, o.taxCode, r.template, r.series, r.number, r.issueDate, r.payerName, r.fee, r.charge, r.total, statusText[r.status]]),
  );
  return spreadsheetCsv([header, ...rows]);
}
