import { X509Certificate } from 'node:crypto';
import { buildChain } from '../certificates/chain.ts';
import { subjectTaxCodes } from '../certificates/identity.ts';
import { describeCertificate } from '../certificates/pem.ts';
import { isDevelopmentCertificate } from '../certificates/development.ts';
import { chainsOf } from './pool.ts';
import type { Signer } from './signer.ts';

/**
 * Why a production start must be refused, or null. A development key signs
 * receipts nobody else can trust, and a development CA in the trust store
 * would make anything signed by any installation's development key verify;
 * a signer that does not chain to TRUST_DIR, or that verification could not
 * tell from any other subscriber of its CA (neither pinned in
 * TRUST_DIR/signers nor naming a tax code), would sign documents its own
 * verifier refuses. All are configuration mistakes that stop the start.
 */
export function productionRefusal(signerChain: readonly string[], trust: { anchors: string[]; signers: string[] }, trustDir: string): string | null {
  const devSigner = signerChain.find(isDevelopmentCertificate);
  if (devSigner) {
    return `NODE_ENV=production refuses a development signer: certificate "${describeCertificate(devSigner).subject}" is not for production`;
  }
  const devAnchor = trust.anchors.find(isDevelopmentCertificate);
  if (devAnchor) {
    return `NODE_ENV=production refuses a development CA in TRUST_DIR (${trustDir}): "${describeCertificate(devAnchor).subject}"`;
  }
  const leaf = new X509Certificate(signerChain[0]!);
  const chain = buildChain(signerChain[0]!, signerChain.slice(1), trust.anchors);
  if (!chain.trusted) {
    return `the signing certificate "${describeCertificate(signerChain[0]!).subject}" does not verify against TRUST_DIR (${trustDir}): ${chain.reason}`;
  }
  const pinned = trust.signers.some((p) => new X509Certificate(p).fingerprint256 === leaf.fingerprint256);
  if (!pinned && subjectTaxCodes(leaf).length === 0) {
    return `the signing certificate "${describeCertificate(signerChain[0]!).subject}" names no tax code (UID=MST:…): pin it in ${trustDir}/signers/ so verification can tell the center's documents from other subscribers' of its CA`;
  }
  return null;
}

/** Why the signing certificate cannot sign for a center with this tax code, or null. */
export function centerMismatch(signerLeaf: string, centerTaxCode: string): string | null {
  const certified = subjectTaxCodes(new X509Certificate(signerLeaf));
  if (certified.length === 0 || certified.includes(centerTaxCode)) return null;
  return `the signing certificate is MST:${certified.join(', MST:')}, the center MST:${centerTaxCode}: documents it signs would not verify`;
}

/** centerMismatch for every token of `signer` (each signs receipts): the first that cannot sign for the center, or null. */
export function signerMismatch(signer: Signer, centerTaxCode: string): string | null {
  for (const chain of chainsOf(signer)) {
    const mismatch = centerMismatch(chain[0]!, centerTaxCode);
    if (mismatch) return mismatch;
  }
  return null;
}
