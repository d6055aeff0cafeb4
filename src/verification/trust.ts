import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readCertificates } from '../certificates/pem.ts';
import { isDevelopmentCertificate } from '../certificates/development.ts';
import { crlDer, type CrlFile } from './revocation.ts';

/** What a verifier trusts: the pinned CA certificates of TRUST_DIR, the CRLs beside them, and the pinned signers. */
export interface TrustStore {
  anchors: string[];
  crls: CrlFile[];
  /** Signer certificates pinned in TRUST_DIR/signers: who may sign, besides a certificate naming the issuer's tax code. */
  signers: string[];
}

/** Whether an anchor is a development CA; an unreadable one is left for the chain check to refuse. */
function developmentCa(pem: string): boolean {
  try {
    return isDevelopmentCertificate(pem);
  } catch {
    return false;
  }
}

/** The subdirectory of a trust directory holding pinned signer certificates. */
export const SIGNERS_DIR = 'signers';

/**
 * Reads TRUST_DIR: CA certificates from *.pem and *.crt, revocation lists
 * from *.crl (PEM or DER), pinned signer certificates from signers/*.pem.
 * Read on every use, so an auditor's refreshed CRL or a new anchor counts at
 * once, without a restart.
 */
export async function readTrustStore(dir: string, opts: { production?: boolean } = {}): Promise<TrustStore> {
  const files = (await readdir(dir).catch(() => [] as string[])).sort();
  const crls: CrlFile[] = [];
  for (const name of files) {
    if (/\.crl$/i.test(name)) {
      const content = await readFile(path.join(dir, name));
      // Not a CRL at all: kept with empty content, so verification names it and fails closed.
      crls.push({ name, der: crlDer(content) ?? Buffer.alloc(0) });
    }
  }
  const anchors = await readCertificates(dir);
  return {
    // In production a development CA vouches for nothing, even one copied into TRUST_DIR after the start.
    anchors: opts.production ? anchors.filter((a) => !developmentCa(a)) : anchors,
    crls,
    signers: await readCertificates(path.join(dir, SIGNERS_DIR)),
  };
}
