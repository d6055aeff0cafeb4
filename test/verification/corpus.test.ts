import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { checkNames, verifyDocument } from '../../src/verification/verifier.ts';
import { buildCorpus } from '../helpers/corpus.ts';
import { testPki } from '../helpers/pki.ts';
import { xmlsecArgs } from '../helpers/xml-tools.ts';

const pki = await testPki();
const dir = await mkdtemp(path.join(tmpdir(), 'receipts-corpus-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const manifest = await buildCorpus(dir, pki);
const anchors = [pki.caPem];

function xmlsec(file: string, dataElement: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('xmlsec1', xmlsecArgs(file, pki.caFile, dataElement), { timeout: 30_000 }, (err) => resolve(!err));
  });
}

t.ok(manifest.filter((e) => e.valid).length >= 4, 'genuine documents of every kind');
t.ok(manifest.filter((e) => !e.valid).length >= 18, 'an attack corpus');

for (const entry of manifest) {
  t.test(entry.file, async (t) => {
    const started = performance.now();
    const result = await verifyDocument(await readFile(`${dir}/${entry.file}`), { trustAnchors: anchors });
    t.ok(performance.now() - started < 10_000, 'answers quickly (no hang)');
    t.equal(result.valid, entry.valid, entry.valid ? 'genuine: valid' : 'attack: invalid');
    t.same(result.checks.map((c) => c.name), [...checkNames], 'one entry per check, in order');
    for (const c of result.checks) t.ok(c.reason.length > 0, `${c.name} gives a reason`);
    if (entry.valid) {
      t.same(result.checks.filter((c) => !c.passed), []);
      t.equal(result.checks.find((c) => c.name === 'record-match')?.skipped, true, 'the record match is skipped offline, and says so');
      t.ok(result.document && result.signingTime && result.signer, 'document, signing time and signer come from the signed content');
    } else {
      const named = result.checks.find((c) => c.name === entry.failedCheck);
      t.equal(named?.passed, false, `fails the ${entry.failedCheck} check: ${named?.reason}`);
      const cryptoFailed = result.checks.some((c) => (c.name === 'digest' || c.name === 'signature-value') && !c.passed);
      if (cryptoFailed) t.equal(result.document, null, 'nothing is reported from content the signature does not vouch for');
    }
    if (entry.xmlsec.judges) {
      t.equal(await xmlsec(`${dir}/${entry.file}`, entry.dataElement), entry.valid, 'xmlsec1 agrees');
    } else {
      t.ok(entry.xmlsec.why, `xmlsec1 cannot judge: ${entry.xmlsec.why}`);
    }
  });
}

t.test('genuine documents fail when their CA is not trusted', async (t) => {
  const other = await readFile(`${dir}/certs/other-ca-signer.pem`, 'utf8');
  const ca = other.slice(other.indexOf('-----BEGIN CERTIFICATE-----', 10));
  const r = await verifyDocument(await readFile(`${dir}/genuine-receipt.xml`), { trustAnchors: [ca] });
  t.equal(r.valid, false);
  t.match(r.checks.find((c) => c.name === 'certificate-chain'), { passed: false, reason: /no chain from .*Receipts Development CA [0-9a-f]{8}.* to a trusted CA/ });
});

t.test('a signing time in the future is not believed', async (t) => {
  const r = await verifyDocument(await readFile(`${dir}/genuine-receipt.xml`), { trustAnchors: anchors, now: () => new Date('2020-01-01T00:00:00Z') });
  t.equal(r.valid, false);
  t.match(r.checks.find((c) => c.name === 'certificate-validity'), { passed: false, reason: /in the future/ });
});
