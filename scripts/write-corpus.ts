// Writes the verification corpus for an auditor or another verifier:
//   npm run corpus -- <dir>
// Genuine documents of every kind and one document per attack, signed with a
// throwaway CA made for this corpus alone (<dir>/trust holds its certificate
// and CRL: point TRUST_DIR there; <dir>/certs holds the impostors'
// certificates, never to be trusted; no private key is written), with
// manifest.json naming the check each attack must fail first and whether
// xmlsec1 can judge it.
//   TRUST_DIR=<dir>/trust npx receipts verify --json <dir>/*.xml
import { mkdir } from 'node:fs/promises';
import { buildCorpus } from '../test/helpers/corpus.ts';
import { newTestPki } from '../test/helpers/pki.ts';

const out = process.argv[2];
if (!out) {
  console.error('usage: npm run corpus -- <dir>');
  process.exit(2);
}
await mkdir(out, { recursive: true });
const entries = await buildCorpus(out, await newTestPki());
console.log(`${entries.length} documents in ${out} (trust: ${out}/trust; manifest: ${out}/manifest.json)`);
