import { createHash, type X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { perCertificate, structureOf } from '../certificates/parse.ts';

/**
 * Certificate revocation lists (RFC 5280 §5) placed in TRUST_DIR beside the
 * CAs. Vietnamese CAs publish theirs at the CRL distribution point named in
 * each certificate; an auditor refreshes the files (README, Revocation).
 */
export interface RevocationList {
  /** DER of the issuer name, compared with the CA certificate's subject. */
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Serial number (lower-case hex, no leading zeros) → revocation. */
  revoked: Map<string, { at: Date; reason: string | null }>;
  crl: pkijs.CertificateRevocationList;
}

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  '',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];
const REASON_CODE_OID = '2.5.29.21';

const serialHex = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .toString('hex')
    .replace(/^0+(?=.)/, '')
    .toLowerCase();

/** DER of a CRL file's content: PEM ("X509 CRL") or DER as is. */
export function crlDer(content: Buffer): Buffer | null {
  const text = content.toString('latin1');
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  if (pem) return Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64');
  return content[0] === 0x30 ? content : null;
}

/** Parses a CRL; throws on anything that is not one. */
export function parseCrl(der: Buffer): RevocationList {
  const asn1 = asn1js.fromBER(new Uint8Array(der));
  if (asn1.offset === -1) throw new Error('not DER');
  const crl = new pkijs.CertificateRevocationList({ schema: asn1.result });
  const revoked = new Map<string, { at: Date; reason: string | null }>();
  for (const entry of crl.revokedCertificates ?? []) {
    const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === REASON_CODE_OID);
    const code = reasonExt ? (reasonExt.parsedValue as asn1js.Enumerated | undefined)?.valueBlock.valueDec : undefined;
    revoked.set(serialHex(entry.userCertificate.valueBlock.valueHexView), {
      at: entry.revocationDate.value,
      reason: code === undefined ? null : REASONS[code] || `code ${code}`,
    });
  }
  return {
    issuerDer: Buffer.from(crl.issuer.toSchema().toBER(false)),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
    revoked,
    crl,
  };
}

const subjectDer = perCertificate((cert) => Buffer.from(structureOf(cert).subject.toSchema().toBER(false)));

/**
 * Whether each parsed CRL's signature verifies with an issuer's key, by the
 * issuer certificate's fingerprint: a list and a certificate do not change,
 * so the answer is worked out once (a signature check per document otherwise).
 */
const signedBy = new WeakMap<RevocationList, Map<string, boolean>>();

async function crlSignedBy(list: RevocationList, issuer: X509Certificate): Promise<boolean> {
  let verdicts = signedBy.get(list);
  if (!verdicts) {
    verdicts = new Map();
    signedBy.set(list, verdicts);
  }
  const known = verdicts.get(issuer.fingerprint256);
  if (known !== undefined) return known;
  try {
    const verdict = await list.crl.verify({ issuerCertificate: structureOf(issuer) });
    verdicts.set(issuer.fingerprint256, verdict);
    return verdict;
  } catch {
    // Not remembered: an error is no verdict, and the next document tries again.
    return false;
  }
}

/** The CRLs issued by `issuer` whose signature verifies with its key. */
async function crlsOf(issuer: X509Certificate, lists: RevocationList[]): Promise<RevocationList[]> {
  const name = subjectDer(issuer);
  const own: RevocationList[] = [];
  for (const list of lists) {
    if (!list.issuerDer.equals(name)) continue;
    // A CRL counts only when its issuer signed it: a forged list could "unrevoke" nothing, but could revoke anything.
    if (await crlSignedBy(list, issuer)) own.push(list);
  }
  return own;
}

export interface RevocationVerdict {
  /** True when no certificate of the path was revoked at or before the signing time. */
  passed: boolean;
  reason: string;
}

const who = (c: X509Certificate) => c.subject.replace(/\n/g, ', ');

/**
 * Checks every certificate of a trusted path (leaf first, anchor last) against
 * the CRLs of its issuer. A certificate revoked at or before the signing time
 * fails: the key was no longer the center's to sign with. One revoked after
 * the signing time passes (the signature was made while the certificate was
 * good), and says so. A path with no CRL to consult passes, saying revocation
 * was not checked.
 */
export async function checkRevocation(path: X509Certificate[], signingTime: Date, lists: RevocationList[]): Promise<RevocationVerdict> {
  const notes: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const own = await crlsOf(issuer, lists);
    if (own.length === 0) {
      notes.push(`no CRL of "${who(issuer)}" in the trust store: revocation of "${who(cert)}" not checked`);
      continue;
    }
    const serial = serialHex(Buffer.from(cert.serialNumber, 'hex'));
    const revocations = own.flatMap((list) => list.revoked.get(serial) ?? []).sort((a, b) => a.at.getTime() - b.at.getTime());
    const first = revocations[0];
    if (first) {
      const reason = first.reason ? ` (${first.reason})` : '';
      if (first.at.getTime() <= signingTime.getTime()) {
        return { passed: false, reason: `"${who(cert)}" was revoked on ${first.at.toISOString()}${reason}, before the signing time ${signingTime.toISOString()}` };
      }
      notes.push(`"${who(cert)}" was revoked on ${first.at.toISOString()}${reason}, after the signing time ${signingTime.toISOString()}`);
      continue;
    }
    const newest = own.reduce((a, b) => (a.thisUpdate > b.thisUpdate ? a : b));
    const stale = newest.nextUpdate && newest.nextUpdate < new Date() ? ' (out of date since its next update: refresh it)' : '';
    notes.push(`"${who(cert)}" is not revoked per the CRL of "${who(issuer)}" of ${newest.thisUpdate.toISOString()}${stale}`);
  }
  return { passed: true, reason: notes.join('; ') };
}

export interface CrlFile {
  name: string;
  der: Buffer;
}

const parsed = new Map<string, RevocationList>();

/**
 * Parses CRL files (cached by content: a national CA's list can hold many
 * thousands of entries). A file that is not a CRL makes revocation
 * impossible to establish: the caller fails closed.
 */
export function revocationLists(files: CrlFile[]): { lists: RevocationList[]; unreadable: string[] } {
  const lists: RevocationList[] = [];
  const unreadable: string[] = [];
  for (const f of files) {
    const key = createHash('sha256').update(f.der).digest('hex');
    let list = parsed.get(key);
    if (!list) {
      try {
        list = parseCrl(f.der);
      } catch {
        unreadable.push(f.name);
        continue;
      }
      if (parsed.size > 64) parsed.clear();
      parsed.set(key, list);
    }
    lists.push(list);
  }
  return { lists, unreadable };
}
