/**
 * What the rest of the service knows about signing: bytes in, signature out,
 * plus the certificate chain to put in KeyInfo. The file signer and the
 * PKCS#11 signer are interchangeable behind it.
 */
export interface Signer {
  /** How the signer is backed, for /v1/signer and `token info`. */
  readonly kind: 'file' | 'pkcs11';
  /** XML-DSig SignatureMethod URI of the signatures it makes. */
  readonly signatureMethod: string;
  /** Signs `data` (the canonical SignedInfo) with SHA-256 and the private key. */
  sign(data: Buffer): Promise<Buffer>;
  /** The signer's certificate first, then the issuing CAs, as PEM. */
  readonly certificateChain: readonly string[];
  /** Signs a probe and checks it with the certificate's public key: usable now or not. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * For a signer whose key can be switched while the service runs: the signer
   * of one whole document, whose chain and key stay together.
   */
  pinned?(): Signer;
  /** For a pool: how many signers stand behind it, so a document that fails on one is tried on the next. */
  readonly size?: number;
}

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

/** Checks a signature made by a signer against its own certificate. */
export async function selfTest(signer: Signer): Promise<boolean> {
  const { createPublicKey, verify } = await import('node:crypto');
  const probe = Buffer.from(`probe ${Date.now()}`);
  const signature = await signer.sign(probe);
  const key = createPublicKey(signer.certificateChain[0]!);
  // PKCS#11 ECDSA returns r||s (IEEE P1363), which XML-DSig also uses.
  return verify('sha256', probe, { key, dsaEncoding: 'ieee-p1363' }, signature);
}
