import { rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devPaths, ensureDevCa, ensureDevSigner, pinSigner, trustDevCa, type DevCa } from '../../src/signing/dev-certificates.ts';
import { FileSigner } from '../../src/signing/file-signer.ts';

/**
 * The test run's own development PKI, made the way the service makes an
 * installation's: a CA and a signer in a fresh data directory, the CA and the
 * pinned signer in its trust directory. Nothing is committed; each test process has its own, and
 * the directory is removed when the process exits.
 */
export interface TestPki {
  dataDir: string;
  trustDir: string;
  caFile: string;
  caPem: string;
  ca: DevCa;
  keyFile: string;
  certFile: string;
}

let shared: Promise<TestPki> | undefined;

export async function newTestPki(): Promise<TestPki> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'receipts-pki-'));
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const paths = devPaths(dataDir);
  // Valid from the start of last year: tests move their clock to days earlier this year.
  const signer = await ensureDevSigner(paths, { validFrom: new Date(Date.UTC(new Date().getUTCFullYear() - 1, 0, 1)) });
  const trustDir = path.join(dataDir, 'trust');
  await trustDevCa(trustDir, signer.caFile);
  await pinSigner(trustDir, await readFile(signer.certFile, 'utf8'));
  return {
    dataDir,
    trustDir,
    caFile: signer.caFile,
    caPem: await readFile(signer.caFile, 'utf8'),
    ca: await ensureDevCa(paths),
    keyFile: signer.keyFile,
    certFile: signer.certFile,
  };
}

/** One PKI per test process. */
export function testPki(): Promise<TestPki> {
  shared ??= newTestPki();
  return shared;
}

/** The development file signer of the test PKI, its CA completing the chain. */
export async function devFileSigner(pki?: TestPki): Promise<FileSigner> {
  const p = pki ?? (await testPki());
  return FileSigner.open(p.keyFile, p.certFile, [p.caPem]);
}
