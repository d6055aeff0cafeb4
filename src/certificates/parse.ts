import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';

/**
 * Parsed certificates, kept: every verification parses the same few (the
 * trust anchors, the center's signer) several times over — building the
 * chain, reading key usage, the tax code, path length, revocation — and
 * parsing dominated a verification's time. Certificates are immutable, so a
 * parse can be shared. Bounded: past LIMIT entries the cache starts again
 * (documents carry certificates of their own; an attacker's stream of new
 * ones costs only re-parsing).
 */
const LIMIT = 512;
const parsed = new Map<string, X509Certificate>();
const asn1 = new WeakMap<X509Certificate, pkijs.Certificate>();

/** The certificate of a PEM text (or DER bytes), parsed once. */
export function x509(pem: string | Buffer): X509Certificate {
  const key = typeof pem === 'string' ? pem : pem.toString('base64');
  let cert = parsed.get(key);
  if (!cert) {
    if (parsed.size >= LIMIT) parsed.clear();
    cert = new X509Certificate(pem);
    parsed.set(key, cert);
  }
  return cert;
}

/** The same certificate's ASN.1 structure (extensions, names), parsed once. Callers only read it. */
export function structureOf(cert: X509Certificate): pkijs.Certificate {
  let s = asn1.get(cert);
  if (!s) {
    s = pkijs.Certificate.fromBER(new Uint8Array(cert.raw));
    asn1.set(cert, s);
  }
  return s;
}
