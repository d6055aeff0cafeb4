import { readdirSync, statSync } from 'node:fs';
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

/**
 * What the files of a trust directory are now, without reading them: each
 * file's name, size, inode and change times, and the newest change time. The
 * kernel sets ctime on every write, rename and attribute change (no program
 * can set it back), so a refreshed CRL or a new anchor changes this.
 */
function trustDirState(dir: string): { state: string; newest: number } {
  const parts: string[] = [];
  let newest = 0;
  for (const d of [dir, path.join(dir, SIGNERS_DIR)]) {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      const s = statSync(path.join(d, name), { throwIfNoEntry: false });
      parts.push(s ? `${d}/${name} ${s.size} ${s.ino} ${s.mtimeMs} ${s.ctimeMs}` : `${d}/${name} -`);
      if (s) newest = Math.max(newest, s.ctimeMs, s.mtimeMs);
    }
  }
  return { state: parts.join('\n'), newest };
}

/**
 * A file changed this recently may change again within the same tick of the
 * file system's clock, leaving its times as they were: such a directory is
 * read afresh every time, not remembered (as git does for "racy" files).
 */
const SETTLED_MS = 2_000;

const stores = new Map<string, { state: string; store: TrustStore }>();

/**
 * readTrustStore, read again only when a file of the directory changed:
 * verifying a document then costs a directory listing and a stat per file,
 * not reading and parsing every certificate and CRL (a verification thread
 * checks hundreds of documents a second). A change counts from the next
 * document on, as with readTrustStore. For verification threads: the
 * listing and the stats are synchronous (microseconds each, where a trip
 * through libuv's pool costs tens).
 */
export async function currentTrustStore(dir: string, opts: { production?: boolean } = {}): Promise<TrustStore> {
  const key = `${opts.production ? 'production' : 'development'} ${dir}`;
  const { state, newest } = trustDirState(dir);
  const known = stores.get(key);
  if (known?.state === state) return known.store;
  const store = await readTrustStore(dir, opts);
  // Kept only when nothing changed while it was read, and nothing changed too recently to be sure.
  if (trustDirState(dir).state === state && Date.now() - newest > SETTLED_MS) {
    if (stores.size >= 16) stores.clear();
    stores.set(key, { state, store });
  }
  return store;
}
