import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import t from 'tap';
import { SignedXml } from 'xml-crypto';
import { profileVerifier } from '../../src/verification/algorithms.ts';
import { buildCorpus } from '../helpers/corpus.ts';
import { testPki } from '../helpers/pki.ts';

const pki = await testPki();
const dir = await mkdtemp(path.join(tmpdir(), 'receipts-algorithms-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
await buildCorpus(dir, pki);
const signerCert = await readFile(pki.certFile, 'utf8');

/** Runs a library verifier on a document, bypassing every other check of the service. */
async function libraryVerdict(file: string, sig: SignedXml): Promise<boolean> {
  const xml = await readFile(path.join(dir, file), 'utf8');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  try {
    sig.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0] as unknown as Node);
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

const stock = () => new SignedXml({ publicCert: signerCert, getCertFromKeyInfo: () => null });

t.test('xml-crypto as shipped accepts what the profile refuses; the narrowed verifier cannot', async (t) => {
  t.equal(await libraryVerdict('genuine-receipt.xml', profileVerifier(signerCert)), true, 'a genuine receipt verifies with the narrowed registries');
  for (const file of ['nested-signature-method.xml', 'sha1.xml', 'digest-sha1.xml', 'canonicalization-inclusive.xml', 'transform-inclusive-c14n.xml']) {
    t.equal(await libraryVerdict(file, stock()), true, `${file}: the stock library verifies it`);
    t.equal(await libraryVerdict(file, profileVerifier(signerCert)), false, `${file}: the profile's registries cannot`);
  }
});

t.test('the narrowed verifier checks the key type against the signature method', async (t) => {
  const { generateKeyPairSync } = await import('node:crypto');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  t.equal(await libraryVerdict('genuine-receipt.xml', profileVerifier(ec)), false, 'an RSA-SHA256 signature never verifies with an EC key');
});
