import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitPemChain } from '../signing/certificates.ts';
import { crlDer, type CrlFile } from './revocation.ts';

/** What a verifier trusts: the pinned CA certificates of TRUST_DIR and the CRLs beside them. */
export interface TrustStore {
  anchors: string[];
  crls: CrlFile[];
}

/**
 * Reads TRUST_DIR: certificates from *.pem and *.crt, revocation lists from
 * *.crl (PEM or DER). Read on every use, so an auditor's refreshed CRL or a
 * new anchor counts at once, without a restart.
 */
export async function readTrustStore(dir: string): Promise<TrustStore> {
  const files = (await readdir(dir).catch(() => [] as string[])).sort();
  const anchors: string[] = [];
  const crls: CrlFile[] = [];
  for (const name of files) {
    if (/\.(pem|crt)$/i.test(name)) {
      anchors.push(...splitPemChain(await readFile(path.join(dir, name), 'utf8')));
    } else if (/\.crl$/i.test(name)) {
      const content = await readFile(path.join(dir, name));
      // Not a CRL at all: kept with empty content, so verification names it and fails closed.
      crls.push({ name, der: crlDer(content) ?? Buffer.alloc(0) });
    }
  }
  return { anchors, crls };
}
