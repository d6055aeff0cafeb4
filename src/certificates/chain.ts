import type { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type * as pkijs from 'pkijs';
import { isDevelopmentCertificate } from './development.ts';
import { perCertificate, structureOf, x509 } from './parse.ts';

export interface ChainResult {
  trusted: boolean;
  reason: string;
  /** Leaf first, ending with the trust anchor when trusted. */
  path: X509Certificate[];
  /** The pinned CA the path ends at, when trusted. */
  anchor?: X509Certificate;
}

/**
 * The certificate among `candidates` that issued `cert` (its issuer name and
 * keyUsage fit, and its key verifies the signature), skipping any already on
 * `path`: the one step both chain walks below take.
 */
function issuerAmong(cert: X509Certificate, candidates: X509Certificate[], path: X509Certificate[]): X509Certificate | undefined {
  return candidates.find((c) => !path.some((p) => p.fingerprint256 === c.fingerprint256) && cert.checkIssued(c) && cert.verify(c.publicKey));
}

/**
 * The CAs above `leafPem` among `candidatePems`, nearest first, up to a
 * self-signed root: what a signer puts in KeyInfo so a verifier holding only
 * the root can build the path. It trusts nothing; buildChain decides trust.
 */
export function issuersOf(leafPem: string, candidatePems: string[]): string[] {
  const leaf = x509(leafPem);
  const candidates = candidatePems.map((p) => x509(p)).filter((c) => c.fingerprint256 !== leaf.fingerprint256);
  const path = [leaf];
  for (let depth = 0; depth < 8; depth++) {
    const current = path[path.length - 1]!;
    if (depth > 0 && current.checkIssued(current)) break; // self-signed root
    const issuer = issuerAmong(current, candidates, path);
    if (!issuer) break;
    path.push(issuer);
  }
  return path.slice(1).map((c) => c.toString());
}

/**
 * Builds a path from the signer's certificate to one of the trust anchors,
 * through intermediates the document carries. The document's certificates are
 * only candidates: nothing is trusted unless a pinned anchor signed its way
 * down to the leaf (a self-signed or foreign certificate never verifies).
 */
export function buildChain(leafPem: string, documentPems: string[], anchorPems: string[]): ChainResult {
  const leaf = x509(leafPem);
  const anchors = anchorPems.map((p) => x509(p));
  const intermediates = documentPems.map((p) => x509(p)).filter((c) => c.ca);
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 6; depth++) {
    const anchor = issuerAmong(current, anchors, []);
    if (anchor) {
      if (anchor.fingerprint256 !== current.fingerprint256) path.push(anchor);
      const constraint = caConstraintProblem(path);
      if (constraint) return { trusted: false, reason: constraint, path };
      const development = isDevelopmentCertificate(anchor.toString()) ? ' (a DEVELOPMENT CA: not for production)' : '';
      return { trusted: true, reason: `chains to trusted CA "${anchor.subject.replace(/\n/g, ', ')}"${development}`, path, anchor };
    }
    const next = issuerAmong(current, intermediates, path);
    if (!next) break;
    path.push(next);
    current = next;
  }
  const selfSigned = leaf.subject === leaf.issuer && leaf.verify(leaf.publicKey);
  return {
    trusted: false,
    reason: selfSigned ? `self-signed certificate "${leaf.subject.replace(/\n/g, ', ')}" is not a trusted CA` : `no chain from "${leaf.issuer.replace(/\n/g, ', ')}" to a trusted CA`,
    path,
  };
}

const BASIC_CONSTRAINTS_OID = '2.5.29.19';

/** A CA's basicConstraints pathLenConstraint, or undefined when it sets none. */
function pathLength(cert: X509Certificate): number | undefined {
  const parsed = structureOf(cert);
  const ext = parsed.extensions?.find((e) => e.extnID === BASIC_CONSTRAINTS_OID);
  const value = (ext?.parsedValue as pkijs.BasicConstraints | undefined)?.pathLenConstraint;
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : value.valueBlock.valueDec;
}

/**
 * The limit a CA sets on what it certifies (RFC 5280 §4.2.1.9): no more CAs
 * may stand between a CA and the leaf than its pathLenConstraint allows. A
 * CA limited to signing end entities cannot make a sub-CA whose certificates
 * count. (A CA certificate whose keyUsage lacks keyCertSign issues nothing:
 * Node's checkIssued, which builds the path, already refuses it.)
 */
function caConstraintProblem(path: X509Certificate[]): string | null {
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const limit = pathLength(ca);
    const below = i - 1;
    if (limit !== undefined && below > limit) {
      return `"${name(ca)}" allows ${limit} CA${limit === 1 ? '' : 's'} below it (pathLenConstraint), the chain has ${below}`;
    }
  }
  return null;
}

const name = (c: X509Certificate) => c.subject.replace(/\n/g, ', ');

/** Validity of every certificate on the path at the signing time. */
export function validAt(path: X509Certificate[], at: Date): { passed: boolean; reason: string } {
  for (const cert of path) {
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (at < from || at > to) {
      return { passed: false, reason: `"${cert.subject.replace(/\n/g, ', ')}" was valid ${from.toISOString()} – ${to.toISOString()}, not at ${at.toISOString()}` };
    }
  }
  return { passed: true, reason: `every certificate was valid at ${at.toISOString()}` };
}

const KEY_USAGE_OID = '2.5.29.15';

/**
 * keyUsage bits of a certificate (RFC 5280 §4.2.1.3), read from its ASN.1
 * (node-forge's certificate parser handles RSA keys only; this works for EC too).
 */
export function keyUsage(pem: string): KeyUsage | null {
  return usageOf(x509(pem));
}

type KeyUsage = { digitalSignature: boolean; nonRepudiation: boolean };
/** Once per certificate: a verifier asks about the same signer for every document. */
const usageOf = perCertificate((cert) => keyUsageOf(cert.raw));

function keyUsageOf(der: Buffer): KeyUsage | null {
  const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!;
  const extensionsTagged = (tbs.value as forge.asn1.Asn1[]).find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  if (!extensionsTagged) return null;
  for (const ext of (extensionsTagged.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]) {
    const parts = ext.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(parts[0]!.value as string) !== KEY_USAGE_OID) continue;
    const octets = parts[parts.length - 1]!.value as string;
    const bits = forge.asn1.fromDer(forge.util.createBuffer(octets)).value as string;
    // BIT STRING: first byte is the number of unused bits; bit 0 (0x80) digitalSignature, bit 1 (0x40) nonRepudiation.
    const first = bits.length > 1 ? bits.charCodeAt(1) : 0;
    return { digitalSignature: (first & 0x80) !== 0, nonRepudiation: (first & 0x40) !== 0 };
  }
  return null;
}

/**
 * Extended key usages under which a certificate may sign documents: any
 * purpose, document signing (RFC 9336, and Microsoft's), and the e-mail and
 * client-authentication purposes Vietnamese CAs put on organisations' token
 * certificates. Without the extension, keyUsage alone decides.
 */
const DOCUMENT_SIGNING_PURPOSES: Record<string, string> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.36': 'documentSigning',
  '1.3.6.1.4.1.311.10.3.12': 'Microsoft document signing',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
};

/** Why the certificate's extendedKeyUsage excludes signing documents, or null. */
export function extendedKeyUsageProblem(cert: X509Certificate): string | null {
  // Node names the extendedKeyUsage OIDs `keyUsage`.
  const purposes = cert.keyUsage;
  if (!purposes || purposes.some((oid) => Object.hasOwn(DOCUMENT_SIGNING_PURPOSES, oid))) return null;
  return `extendedKeyUsage allows only ${purposes.join(', ')}, not signing documents`;
}

/**
 * Why a signer certificate cannot sign documents that verify: a CA, no
 * keyUsage, neither digitalSignature nor nonRepudiation, or an extendedKeyUsage
 * for something else. Null when it can.
 */
export function signerCertificateProblem(leaf: X509Certificate): string | null {
  const usage = keyUsage(leaf.toString());
  if (leaf.ca) return 'the signer certificate is a CA certificate';
  if (!usage) return 'the signer certificate has no keyUsage';
  if (!usage.digitalSignature && !usage.nonRepudiation) return 'keyUsage allows neither digitalSignature nor nonRepudiation';
  return extendedKeyUsageProblem(leaf);
}
