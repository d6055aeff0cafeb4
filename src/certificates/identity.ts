import type { X509Certificate } from 'node:crypto';
import type * as asn1js from 'asn1js';
import { structureOf, x509 } from './parse.ts';

/**
 * Whose signature it is. A CA certifies many subscribers: every organisation
 * with a token from the same national CA holds a certificate that chains to
 * it. A chain to a trusted CA therefore says only that the signer is someone
 * that CA knows; the document must also be signed by the issuer it names.
 *
 * A signer is the document's issuer when its certificate is pinned (a copy
 * in TRUST_DIR/signers/), or when its subject carries the issuer's tax code
 * the way Vietnamese CAs write it for organisations, UID=MST:<tax code>
 * (UID is OID 0.9.2342.19200300.100.1.1). A certificate that names a tax
 * code never signs for another one, pinned or not.
 */
const UID_OID = '0.9.2342.19200300.100.1.1';

/** The tax codes a certificate's subject names (UID=MST:…), read from its ASN.1. */
export function subjectTaxCodes(cert: X509Certificate): string[] {
  const parsed = structureOf(cert);
  const codes: string[] = [];
  for (const tv of parsed.subject.typesAndValues) {
    if (tv.type !== UID_OID) continue;
    const value = (tv.value as asn1js.BaseStringBlock).valueBlock.value;
    const m = /^MST:(\S+)$/.exec(typeof value === 'string' ? value.trim() : '');
    if (m) codes.push(m[1]!);
  }
  return codes;
}

export interface IdentityVerdict {
  passed: boolean;
  reason: string;
}

const who = (c: X509Certificate) => c.subject.replace(/\n/g, ', ');

/** Whether `leaf` may sign a document whose issuer has tax code `issuerTaxCode`. */
export function signerIdentity(leaf: X509Certificate, pinned: readonly string[], issuerTaxCode: string | undefined): IdentityVerdict {
  if (!issuerTaxCode) return { passed: false, reason: 'the document names no issuer tax code (BNUNhiem/MST) to check the signer against' };
  const codes = subjectTaxCodes(leaf);
  if (codes.length > 0 && !codes.includes(issuerTaxCode)) {
    return { passed: false, reason: `the signer "${who(leaf)}" is MST:${codes.join(', MST:')}, not the document's issuer MST:${issuerTaxCode}` };
  }
  const isPinned = pinned.some((p) => {
    try {
      return x509(p).fingerprint256 === leaf.fingerprint256;
    } catch {
      return false;
    }
  });
  if (isPinned) return { passed: true, reason: `the signer certificate is pinned in the trust store's signers` };
  if (codes.length > 0) return { passed: true, reason: `the signer certificate is issued to MST:${issuerTaxCode}, the document's issuer` };
  return {
    passed: false,
    reason: `the signer "${who(leaf)}" is not pinned in the trust store's signers and its certificate names no tax code (UID=MST:…): it could be any subscriber of the CA, not the issuer MST:${issuerTaxCode}`,
  };
}
