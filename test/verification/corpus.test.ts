import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { crlDer } from '../../src/verification/revocation.ts';
import { readTrustStore, type TrustStore } from '../../src/verification/trust.ts';
import { checkNames, verifyDocument } from '../../src/verification/verifier.ts';
import { buildCorpus } from '../helpers/corpus.ts';
import { issueCrl } from '../helpers/crl.ts';
import { testPki } from '../helpers/pki.ts';
import { xmlsecArgs } from '../helpers/xml-tools.ts';
import { DEVELOPMENT_MARK } from '../../src/certificates/development.ts';
import { issueCertificate, newRsaKeys, pinSigner } from '../../src/signing/dev-certificates.ts';
import forge from 'node-forge';

const pki = await testPki();
const dir = await mkdtemp(path.join(tmpdir(), 'receipts-corpus-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const manifest = await buildCorpus(dir, pki);
const trust: TrustStore = await readTrustStore(`${dir}/trust`);
const signers = trust.signers;

function xmlsec(file: string, dataElement: string, args = xmlsecArgs(file, pki.caFile, dataElement)): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('xmlsec1', args, { timeout: 30_000 }, (err) => resolve(!err));
  });
}

t.ok(manifest.filter((e) => e.valid).length >= 5, 'genuine documents of every kind');
t.ok(manifest.filter((e) => !e.valid).length >= 30, 'an attack corpus');
t.test('every named check has an attack that it alone catches first', async (t) => {
  const caught = new Set(manifest.filter((e) => !e.valid && !e.alsoFails).map((e) => e.failedCheck));
  t.same(
    checkNames.filter((n) => n !== 'record-match' && !caught.has(n)),
    [],
    'record-match is proven online, in api.test.ts',
  );
});

for (const entry of manifest) {
  t.test(entry.file, async (t) => {
    const started = performance.now();
    const result = await verifyDocument(await readFile(`${dir}/${entry.file}`), { trust });
    t.ok(performance.now() - started < 10_000, 'answers quickly (no hang)');
    t.equal(result.valid, entry.valid, entry.valid ? 'genuine: valid' : 'attack: invalid');
    t.same(
      result.checks.map((c) => c.name),
      [...checkNames],
      'one entry per check, in order',
    );
    for (const c of result.checks) t.ok(c.reason.length > 0, `${c.name} gives a reason`);
    for (const c of result.checks) t.notMatch(c.reason, /xmldom|libxml|xmllint|openssl|error:[0-9A-F]{8}|Error:/i, `${c.name}: the reason is in the service's own words`);
    if (entry.valid) {
      t.same(
        result.checks.filter((c) => !c.passed),
        [],
      );
      t.equal(result.checks.find((c) => c.name === 'record-match')?.skipped, true, 'the record match is skipped offline, and says so');
      t.ok(result.document && result.signingTime && result.signer, 'document, signing time and signer come from the signed content');
    } else {
      // The first failing check, in order, is the one named after the attack: remove or relax it and the next
      // protection (if any) answers instead, and this assertion fails.
      const first = result.checks.find((c) => !c.passed && !entry.alsoFails?.includes(c.name))!;
      t.equal(first.name, entry.failedCheck, `fails first the ${entry.failedCheck} check: ${first.reason}`);
      for (const also of entry.alsoFails ?? []) t.equal(result.checks.find((c) => c.name === also)?.passed, false, `caught by ${also} too`);
      if (entry.reason) t.match(first.reason, new RegExp(entry.reason), 'for the reason the attack calls for');
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

t.test('xmlsec1 without --enabled-key-data x509 takes the key in the document: the flag is what refuses it', async (t) => {
  const file = `${dir}/bare-key-in-keyinfo.xml`;
  t.equal(await xmlsec(file, 'DLBLai', ['--verify', '--trusted-pem', pki.caFile, '--id-attr:Id', 'DLBLai', file]), true, 'accepted without the flag');
  t.equal(await xmlsec(file, 'DLBLai'), false, 'refused with it (the README and the tests use it)');
});

t.test('genuine documents fail when their CA is not trusted', async (t) => {
  const other = await readFile(`${dir}/certs/other-ca-signer.pem`, 'utf8');
  const ca = other.slice(other.indexOf('-----BEGIN CERTIFICATE-----', 10));
  const r = await verifyDocument(await readFile(`${dir}/genuine-receipt.xml`), { trust: { anchors: [ca], crls: [], signers } });
  t.equal(r.valid, false);
  t.match(
    r.checks.find((c) => c.name === 'certificate-chain'),
    { passed: false, reason: /no chain from .*Receipts Development CA [0-9a-f]{8}.* to a trusted CA/ },
  );
});

t.test('a signing time in the future is not believed', async (t) => {
  const r = await verifyDocument(await readFile(`${dir}/genuine-receipt.xml`), { trust, now: () => new Date('2020-01-01T00:00:00Z') });
  t.equal(r.valid, false);
  t.match(
    r.checks.find((c) => c.name === 'certificate-validity'),
    { passed: false, reason: /in the future/ },
  );
});

t.test('revocation: the CA’s CRL counts, a forged or unreadable one does not', async (t) => {
  const after = await verifyDocument(await readFile(`${dir}/revoked-after-signing.xml`), { trust });
  t.match(
    after.checks.find((c) => c.name === 'certificate-chain'),
    { passed: true, reason: /was revoked on .* \(superseded\), after the signing time/ },
  );
  const genuine = await readFile(`${dir}/genuine-receipt.xml`);
  const checked = await verifyDocument(genuine, { trust });
  t.match(
    checked.checks.find((c) => c.name === 'certificate-chain'),
    { passed: true, reason: /"C=VN, O=DEVELOPMENT ONLY - NOT FOR PRODUCTION, CN=Receipts Development Signer" is not revoked per the CRL of/ },
  );
  const unchecked = await verifyDocument(genuine, { trust: { anchors: [pki.caPem], crls: [], signers } });
  t.match(
    unchecked.checks.find((c) => c.name === 'certificate-chain'),
    { passed: true, reason: /no CRL of .* in the trust store: revocation of .* not checked/ },
  );

  // A CRL naming the CA but signed with another key revokes nothing.
  const impostor = newRsaKeys();
  const signerCert = forge.pki.certificateFromPem(await readFile(pki.certFile, 'utf8'));
  const sameName = [
    { name: 'countryName', value: 'VN' },
    { name: 'organizationName', value: DEVELOPMENT_MARK },
    { name: 'commonName', value: pki.ca.cert.subject.getField('CN').value as string },
  ];
  const fakeCa = issueCertificate({ publicKey: impostor.publicKey, selfKey: impostor.privateKey, commonName: 'x', subjectFields: sameName, isCa: true });
  const forged = await issueCrl({
    caCertPem: forge.pki.certificateToPem(fakeCa),
    caKeyPem: impostor.privatePem,
    revoked: [{ serialNumber: signerCert.serialNumber, at: new Date(Date.now() - 86_400_000) }],
  });
  const withForged = await verifyDocument(genuine, { trust: { anchors: [pki.caPem], crls: [{ name: 'forged.crl', der: crlDer(Buffer.from(forged))! }], signers } });
  t.equal(withForged.valid, true, 'the forged CRL is not the CA’s');
  const real = await issueCrl({
    caCertPem: pki.caPem,
    caKeyPem: forge.pki.privateKeyToPem(pki.ca.key),
    revoked: [{ serialNumber: signerCert.serialNumber, at: new Date(Date.now() - 86_400_000), reason: 'cessationOfOperation' }],
  });
  const withReal = await verifyDocument(genuine, { trust: { anchors: [pki.caPem], crls: [{ name: 'ca.crl', der: crlDer(Buffer.from(real))! }], signers } });
  t.match(
    withReal.checks.find((c) => c.name === 'certificate-chain'),
    { passed: false, reason: /\(cessationOfOperation\), before the signing time/ },
  );

  // From a trust directory: PEM and DER CRLs are read; a file that is not a CRL fails closed.
  const trustDir = await mkdtemp(path.join(tmpdir(), 'receipts-trust-'));
  t.teardown(() => rm(trustDir, { recursive: true, force: true }));
  await writeFile(path.join(trustDir, 'ca.pem'), pki.caPem);
  await writeFile(path.join(trustDir, 'ca.crl'), crlDer(Buffer.from(real))!);
  await pinSigner(trustDir, await readFile(pki.certFile, 'utf8'));
  const fromDir = await readTrustStore(trustDir);
  t.equal(fromDir.crls.length, 1);
  t.equal((await verifyDocument(genuine, { trust: fromDir })).valid, false, 'a DER CRL from TRUST_DIR revokes');
  await writeFile(path.join(trustDir, 'ca.crl'), 'not a revocation list');
  const broken = await verifyDocument(genuine, { trust: await readTrustStore(trustDir) });
  t.match(
    broken.checks.find((c) => c.name === 'certificate-chain'),
    { passed: false, reason: /revocation cannot be established: ca\.crl in the trust store is not a CRL/ },
  );
});

t.test('a document of another kind than expected says what it is', async (t) => {
  const r = await verifyDocument(await readFile(`${dir}/genuine-refund-voucher.xml`), { trust, expect: 'receipt' });
  t.equal(r.valid, false);
  t.match(
    r.checks.find((c) => c.name === 'document-type'),
    { passed: false, reason: 'this is a refund voucher (CTHTra), not a receipt' },
  );
});

t.test('whose signature: a pinned signer, or a certificate naming the issuer’s tax code', async (t) => {
  const genuine = await readFile(`${dir}/genuine-receipt.xml`);
  const chainOf = (r: Awaited<ReturnType<typeof verifyDocument>>) => r.checks.find((c) => c.name === 'certificate-chain')!;
  const pinned = await verifyDocument(genuine, { trust });
  t.match(chainOf(pinned), { passed: true, reason: /the signer certificate is pinned in the trust store's signers/ });
  t.equal(pinned.document?.issuerTaxCode, '0100000001', 'the issuer is read from the signed content');
  const unpinned = await verifyDocument(genuine, { trust: { ...trust, signers: [] } });
  t.equal(unpinned.valid, false, 'the center’s own signer, unpinned and naming no tax code, is anyone the CA knows');
  t.match(chainOf(unpinned), { passed: false, reason: /not pinned .* names no tax code .* not the issuer MST:0100000001/ });

  // The tax-code path: the signer of revoked-after-signing.xml is not pinned but is MST:0100000001.
  const byTaxCode = await verifyDocument(await readFile(`${dir}/revoked-after-signing.xml`), { trust: { ...trust, signers: [] } });
  t.match(chainOf(byTaxCode), { passed: true, reason: /issued to MST:0100000001, the document's issuer/ });

  // Pinning never overrides a certificate that names another tax code.
  const other = await readFile(`${dir}/certs/other-subscriber.pem`, 'utf8');
  const otherLeaf = other.slice(0, other.indexOf('-----END CERTIFICATE-----') + 26);
  const pinnedOther = await verifyDocument(await readFile(`${dir}/another-subscriber-of-the-ca.xml`), { trust: { ...trust, signers: [...trust.signers, otherLeaf] } });
  t.match(chainOf(pinnedOther), { passed: false, reason: /is MST:0109999999, not the document's issuer MST:0100000001/ });
});

t.test('the trust directory pins signers in signers/', async (t) => {
  const trustDir = await mkdtemp(path.join(tmpdir(), 'receipts-trust-'));
  t.teardown(() => rm(trustDir, { recursive: true, force: true }));
  await writeFile(path.join(trustDir, 'ca.pem'), pki.caPem);
  const genuine = await readFile(`${dir}/genuine-receipt.xml`);
  t.equal((await verifyDocument(genuine, { trust: await readTrustStore(trustDir) })).valid, false, 'the CA alone is not enough');
  const file = await pinSigner(trustDir, await readFile(pki.certFile, 'utf8'));
  t.match(path.relative(trustDir, file), /^signers\/[0-9a-f]{24}\.pem$/);
  const store = await readTrustStore(trustDir);
  t.equal(store.anchors.length, 1, 'a pinned signer is not an anchor');
  t.equal(store.signers.length, 1);
  t.equal((await verifyDocument(genuine, { trust: store })).valid, true, 'pinned, the center’s signer verifies');
});
