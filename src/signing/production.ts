import { describeCertificate } from './certificates.ts';
import { isDevelopmentCertificate } from './dev-certificates.ts';

/**
 * Why a production start must be refused, or null. A development key signs
 * receipts nobody else can trust, and a development CA in the trust store
 * would make anything signed by any installation's development key verify:
 * both are configuration mistakes that must stop the start, not warnings.
 */
export function productionRefusal(signerChain: readonly string[], trustAnchors: string[], trustDir: string): string | null {
  const devSigner = signerChain.find(isDevelopmentCertificate);
  if (devSigner) {
    return `NODE_ENV=production refuses a development signer: certificate "${describeCertificate(devSigner).subject}" is not for production`;
  }
  const devAnchor = trustAnchors.find(isDevelopmentCertificate);
  if (devAnchor) {
    return `NODE_ENV=production refuses a development CA in TRUST_DIR (${trustDir}): "${describeCertificate(devAnchor).subject}"`;
  }
  return null;
}
