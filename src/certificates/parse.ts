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

/**
 * A function of a certificate worked out once per parsed certificate
 * (certificates are immutable; x509 hands out one object per PEM), kept as
 * long as that object is.
 */
export function perCertificate<T>(compute: (cert: X509Certificate) => T): (cert: X509Certificate) => T {
  const known = new WeakMap<X509Certificate, { value: T }>();
  return (cert) => {
    let entry = known.get(cert);
    if (!entry) {
      entry = { value: compute(cert) };
      known.set(cert, entry);
    }
    return entry.value;
  };
}

/** The same certificate's ASN.1 structure (extensions, names), parsed once. Callers only read it. */
export const structureOf = perCertificate((cert) => pkijs.Certificate.fromBER(new Uint8Array(cert.raw)));
