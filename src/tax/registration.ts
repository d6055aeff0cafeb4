import { xmlText } from '../text/xml-text.ts';
import { chainsOf } from '../signing/pool.ts';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { create } from 'xmlbuilder2';
import { appendEvent, type Actor } from '../audit/chain.ts';
import type { Config } from '../config/config.ts';
import type { Db, Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { afterNotice } from '../receipts/numbering.ts';
import { RECEIPT_FORMAT_VERSION } from '../receipts/xml.ts';
import { placeOf } from '../text/place.ts';
import type { Center } from '../reference/schemas.ts';
import { requireCenter } from '../reference/service.ts';
import type { Signer } from '../signing/signer.ts';
import { SIGNER_ROLE, signDocument } from '../signing/xml-signature.ts';
import { addDays } from '../time/dates.ts';
import { vietnamDate, vietnamLocalTime } from '../time/vietnam.ts';
import { schemaProblem, schemaValidator } from '../verification/schema.ts';
import { enqueue } from './outbox.ts';
import { delegatedSeries, insertRegistration, lastStandingRegistration, lockRegistrations, registrationRecords, type RegistrationRecord } from './repository/registrations.ts';

export const REGISTRATION_FORM = '01/ĐKTĐ-CTĐT';
export const REGISTRATION_NAME = 'Tờ khai đăng ký/thay đổi thông tin sử dụng chứng từ điện tử';
/** The kind of document declared (TLCTu) in each delegation. */
export const DELEGATED_DOCUMENT = 'Biên lai thu phí, lệ phí không in sẵn mệnh giá';
/** LDKUNhiem: 1 the party that delegates, 2 the party that receives the delegation (the center). */
const RECEIVES_DELEGATION = '2';

/** A department's series delegated to the center, as the series table holds it. */
export interface Delegation {
  seriesId: number;
  template: string;
  series: string;
  rangeFrom: number;
  rangeTo: number;
  department: { code: string; name: string; taxCode: string };
  notifiedOn: string;
  from: string;
  to: string;
  terminatedOn: string | null;
}

/** The first day the center may issue on it: the term's start, and not before notification + 3 days (Decree 254 Art. 25). */
// biome-ignore lint/complexity/useMathMinMax: ISO dates compared as strings, not numbers
export const firstIssuingDay = (d: Delegation) => (d.from > afterNotice(d.notifiedOn) ? d.from : afterNotice(d.notifiedOn));
/** The last day the center may issue on it: the term's end, or the day before an early termination. */
export const lastIssuingDay = (d: Delegation) => (d.terminatedOn && addDays(d.terminatedOn, -1) < d.to ? addDays(d.terminatedOn, -1) : d.to);
/** Whether the center may issue on it on `date`. */
export const inForce = (d: Delegation, date: string) => firstIssuingDay(d) <= date && date <= lastIssuingDay(d);

/** Every series delegated to the center, by department and series. */
export async function listDelegations(db: Queryable): Promise<Delegation[]> {
  const rows = await delegatedSeries(db);
  return rows.map((r) => ({
    seriesId: r.id,
    template: r.template,
    series: r.symbol,
    rangeFrom: r.range_from,
    rangeTo: r.range_to,
    department: { code: r.code, name: r.name, taxCode: r.tax_code },
    notifiedOn: r.notified_on,
    from: r.valid_from,
    to: r.valid_to,
    terminatedOn: r.terminated_on,
  }));
}

export interface RegistrationInput {
  contact: { name: string; address: string; email: string; phone: string };
  purpose: string;
  method: string;
}

/** A signing certificate as DSCTSSDung › CTS declares it. */
export interface CertificateEntry {
  issuer: string;
  serial: string;
  from: string;
  to: string;
}

/** The certificate the center signs with, as DSCTSSDung › CTS declares it. */
function certificateEntry(pem: string): CertificateEntry {
  const cert = new X509Certificate(pem);
  const issuer = Object.fromEntries(cert.issuer.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return {
    issuer: issuer.O ?? issuer.CN ?? cert.issuer,
    serial: cert.serialNumber.toUpperCase(),
    from: vietnamLocalTime(new Date(cert.validFrom)),
    to: vietnamLocalTime(new Date(cert.validTo)),
  };
}

/**
 * Form 01/ĐKTĐ-CTĐT (Circular 91 Art. 17) as the tax authority's
 * registration is shaped: TKhai › DLTKhai Id=… › TTChung (form, name, first
 * registration or change, the center, its tax office, the contact, place and
 * date) and NDTKhai: who issues (an organisation), the kind of documents
 * (receipts not pre-printed with a value), how data is sent (by the daily
 * summary 01/TH-BLĐT, through an intermediary or the portal), the signing
 * certificate, and section 5: each series a department delegated to the
 * center (received delegation: principal, template, series, range, purpose,
 * term, method). Then DSCKS/NNT. Schema: schemas/registration.xsd.
 */
export function buildRegistrationXml(r: {
  dataId: string;
  kind: 1 | 2;
  date: string;
  center: Center & { taxOffice: NonNullable<Center['taxOffice']> };
  input: RegistrationInput;
  transport: Config['TAX_TRANSPORT'];
  /** HThuc 1: in use from this registration on; 3: no longer used. */
  certificates: Array<CertificateEntry & { use: 1 | 3 }>;
  delegations: Delegation[];
}): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('TKhai');
  const data = doc.ele('DLTKhai', { Id: r.dataId });
  const general = data.ele('TTChung');
  general.ele('PBan').txt(xmlText(RECEIPT_FORMAT_VERSION));
  general.ele('MSo').txt(xmlText(REGISTRATION_FORM));
  general.ele('Ten').txt(xmlText(REGISTRATION_NAME));
  general.ele('HThuc').txt(xmlText(String(r.kind)));
  general.ele('TNNT').txt(xmlText(r.center.name));
  general.ele('MST').txt(xmlText(r.center.taxCode));
  general.ele('CQTQLy').txt(xmlText(r.center.taxOffice.name));
  general.ele('MCQTQLy').txt(xmlText(r.center.taxOffice.code));
  general.ele('NLHe').txt(xmlText(r.input.contact.name));
  general.ele('DCLHe').txt(xmlText(r.input.contact.address));
  general.ele('DCTDTu').txt(xmlText(r.input.contact.email));
  general.ele('DTLHe').txt(xmlText(r.input.contact.phone));
  general.ele('DDanh').txt(xmlText(placeOf(r.center.address)));
  general.ele('NLap').txt(xmlText(r.date));
  const content = data.ele('NDTKhai');
  const issuer = content.ele('DTPHanh');
  issuer.ele('TCCNPHanh').txt(xmlText('1'));
  issuer.ele('CQTPHanh').txt(xmlText('0'));
  const kinds = content.ele('LHSDung');
  kinds.ele('CTTNCNhan').txt(xmlText('0'));
  kinds.ele('CTKTTTMDTu').txt(xmlText('0'));
  kinds.ele('BLTPLPKIn').txt(xmlText('1'));
  kinds.ele('BLTPLPIn').txt(xmlText('0'));
  kinds.ele('BLTTPLPhi').txt(xmlText('0'));
  const sending = content.ele('HTGDLCTDT');
  sending.ele('CDLQCCQT').txt(xmlText(r.transport === 'https' ? '0' : '1'));
  sending.ele('CDLQTCTN').txt(xmlText(r.transport === 'https' ? '1' : '0'));
  sending.ele('CDLQTCTNUT').txt(xmlText('0'));
  sending.ele('CDLBTHop').txt(xmlText('1'));
  const certs = content.ele('DSCTSSDung');
  r.certificates.forEach((c, i) => {
    const cert = certs.ele('CTS');
    cert.ele('STT').txt(xmlText(String(i + 1)));
    cert.ele('TTChuc').txt(xmlText(c.issuer));
    cert.ele('Seri').txt(xmlText(c.serial));
    cert.ele('TNgay').txt(xmlText(c.from));
    cert.ele('DNgay').txt(xmlText(c.to));
    cert.ele('HThuc').txt(xmlText(String(c.use)));
  });
  if (r.delegations.length > 0) {
    const list = content.ele('DSDKUNhiem');
    r.delegations.forEach((d, i) => {
      const row = list.ele('DKUNhiem');
      row.ele('LDKUNhiem').txt(xmlText(RECEIVES_DELEGATION));
      row.ele('STT').txt(xmlText(String(i + 1)));
      row.ele('TLCTu').txt(xmlText(DELEGATED_DOCUMENT));
      row.ele('KHMCTu').txt(xmlText(d.template));
      row.ele('KHCTu').txt(xmlText(d.series));
      row.ele('TSo').txt(xmlText(String(d.rangeFrom)));
      row.ele('DSo').txt(xmlText(String(d.rangeTo)));
      row.ele('MST').txt(xmlText(d.department.taxCode));
      row.ele('TTChuc').txt(xmlText(d.department.name));
      row.ele('MDich').txt(xmlText(r.input.purpose));
      row.ele('TNgay').txt(xmlText(d.from));
      row.ele('DNgay').txt(xmlText(lastIssuingDay(d)));
      row.ele('PThuc').txt(xmlText(r.input.method));
    });
  }
  doc.ele('DSCKS').ele(SIGNER_ROLE);
  return doc.end();
}

export interface StoredRegistration {
  id: string;
  dataId: string;
  kind: 1 | 2;
  createdAt: string;
  delegations: number;
  xmlSha256: string;
  status: 'pending' | 'sent' | 'accepted' | 'rejected';
  reply: { code: string | null; text: string | null; at: string | null } | null;
}

const toStored = (r: RegistrationRecord): StoredRegistration => ({
  id: r.id,
  dataId: r.data_id,
  kind: r.kind,
  createdAt: r.created_at.toISOString(),
  delegations: r.delegations,
  xmlSha256: r.xml_sha256,
  status: r.status,
  reply: r.reply_type === null ? null : { code: r.reply_code, text: r.reply_text, at: r.replied_at?.toISOString() ?? null },
});

/** Registrations, newest first, each with its message's status and the tax authority's reply. */
export async function listRegistrations(db: Queryable, id?: string): Promise<StoredRegistration[]> {
  return (await registrationRecords(db, id)).map(toStored);
}

/**
 * Makes, signs and stores a registration 01/ĐKTĐ-CTĐT, and puts it in the
 * outbox in the same transaction. Against the last registration the tax
 * authority did not refuse: without one it is a first registration (HThuc
 * 1), otherwise a change (HThuc 2); it declares every delegation still
 * running on that registration's day or later, or terminated from then on
 * (with its last day), and drops what ended long before; the signing
 * certificate is declared in use (1), and a different one declared before
 * as no longer used (3). One at a time: a lock orders concurrent requests.
 */
export async function createRegistration(
  db: Db,
  input: RegistrationInput,
  ctx: { signer: Signer; now: Date; actor: Actor; config: Pick<Config, 'TAX_SENDER_CODE' | 'TAX_TRANSPORT'> },
): Promise<StoredRegistration> {
  return db.transaction(async (tx) => {
    await lockRegistrations(tx);
    const center = await requireCenter(tx);
    if (!center.taxOffice) {
      throw new AppError('TAX_OFFICE_NOT_SET', 'a registration 01/ĐKTĐ-CTĐT is filed with the tax office managing the center: an admin sets it (PUT /v1/center, taxOffice)');
    }
    const date = vietnamDate(ctx.now);
    const previous = await lastStandingRegistration(tx);
    const since = previous ? vietnamDate(previous.created_at) : null;
    // Still running on that day or later, or ended by a termination that takes effect since: a change declares it.
    const delegations = (await listDelegations(tx)).filter((d) => since === null || lastIssuingDay(d) >= since || (d.terminatedOn !== null && d.terminatedOn >= since));
    // Every token of the pool signs receipts: each certificate is declared in use.
    const inUse = [
      ...new Map(
        chainsOf(ctx.signer)
          .map((chain) => certificateEntry(chain[0]!))
          .map((c) => [c.serial, c]),
      ).values(),
    ];
    const current = inUse[0]!;
    const replaced = previous && !inUse.some((c) => c.serial === previous.certificate.serial) ? previous.certificate : null;
    const id = randomUUID();
    const dataId = `DK-${id}`;
    const kind = previous ? 2 : 1;
    const xml = buildRegistrationXml({
      dataId,
      kind,
      date,
      center: { ...center, taxOffice: center.taxOffice },
      input,
      transport: ctx.config.TAX_TRANSPORT,
      certificates: [...inUse.map((c) => ({ ...c, use: 1 as const })), ...(replaced ? [{ ...replaced, use: 3 as const }] : [])],
      delegations,
    });
    const signed = Buffer.from(await signDocument(xml, ctx.signer, { root: 'TKhai', dataId, signingTime: ctx.now }), 'utf8');
    // Checked before it is stored: what the request brought must make a document the schema takes.
    const problem = await schemaValidator.validate('registration.xsd', signed.toString('utf8'));
    if (!problem.valid) {
      throw new AppError('VALIDATION_FAILED', `the registration would not be valid against registration.xsd: ${problem.errors.slice(0, 3).map(schemaProblem).join('; ')}`);
    }
    const sha256 = createHash('sha256').update(signed).digest('hex');
    await insertRegistration(tx, {
      id,
      dataId,
      kind,
      createdAt: ctx.now,
      createdBy: ctx.actor.keyId,
      delegations: delegations.length,
      certificate: current,
      xml: signed,
      xmlSha256: sha256,
    });
    await enqueue(tx, { documentType: 'registration', documentId: id, documentDate: date, taxCode: center.taxCode, document: signed, config: ctx.config, now: ctx.now });
    await appendEvent(
      tx,
      {
        actor: ctx.actor,
        action: 'registration.created',
        subjectType: 'registration',
        subjectId: id,
        details: { kind, delegations: delegations.map((d) => `${d.template} ${d.series}`), xmlSha256: sha256 },
      },
      ctx.now,
    );
    return (await listRegistrations(tx, id))[0]!;
  });
}
