import { X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { splitPemChain } from './certificates.ts';
import { devPaths, ensureDevSigner, trustDevCa } from './dev-certificates.ts';
import { FileSigner } from './file-signer.ts';
import { Pkcs11Signer } from './pkcs11-signer.ts';
import type { Signer } from './signer.ts';

/** Every certificate in the PEM/CRT files of a directory (the trust anchors). */
export async function readCertificates(dir: string): Promise<string[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const pems = await Promise.all(
    files.filter((f) => /\.(pem|crt)$/i.test(f)).sort().map((f) => readFile(path.join(dir, f), 'utf8')),
  );
  return pems.flatMap(splitPemChain);
}

/** The CAs above `leaf` found among `candidates`, nearest first, so KeyInfo carries the whole chain. */
export function issuersOf(leaf: string, candidates: string[]): string[] {
  const chain: string[] = [];
  let current = new X509Certificate(leaf);
  for (let depth = 0; depth < 8; depth++) {
    const issuer = candidates.find((c) => !chain.includes(c) && current.checkIssued(new X509Certificate(c)));
    if (!issuer || issuer === leaf) break;
    chain.push(issuer);
    const next = new X509Certificate(issuer);
    if (next.checkIssued(next)) break; // self-signed root
    current = next;
  }
  return chain;
}

/**
 * The configured signer. With no token and no key configured it is this
 * installation's development signer under DATA_DIR/dev-pki (created on first
 * use), whose certificate says it is not for production; its CA goes into
 * the default trust directory, so what this installation signs verifies here
 * and nowhere else.
 */
export async function openSigner(config: Config): Promise<Signer> {
  const anchors = await readCertificates(config.TRUST_DIR);
  if (config.SIGNER === 'pkcs11') {
    const signer = await Pkcs11Signer.open({
      module: config.PKCS11_MODULE!,
      tokenLabel: config.PKCS11_TOKEN_LABEL!,
      keyLabel: config.PKCS11_KEY_LABEL!,
      pin: config.PKCS11_PIN,
      pinFile: config.PKCS11_PIN_FILE,
    });
    return signer.withChain(issuersOf(signer.certificateChain[0]!, anchors));
  }
  let keyFile = config.SIGNING_KEY_FILE;
  let certFile = config.SIGNING_CERT_FILE;
  if (!keyFile || !certFile) {
    const dev = await ensureDevSigner(devPaths(config.DATA_DIR));
    if (config.trustDirIsDefault) await trustDevCa(config.TRUST_DIR, dev.caFile);
    keyFile = dev.keyFile;
    certFile = dev.certFile;
    anchors.push(...splitPemChain(await readFile(dev.caFile, 'utf8')));
  }
  const leaf = splitPemChain(await readFile(certFile, 'utf8'))[0];
  if (!leaf) throw new Error(`${certFile} holds no PEM certificate`);
  return FileSigner.open(keyFile, certFile, issuersOf(leaf, anchors));
}
