import { cp, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import t, { type Test } from 'tap';
import { VerificationPool } from '../../src/verification/pool.ts';
import { currentTrustStore } from '../../src/verification/trust.ts';
import { checkNames, verifyDocument } from '../../src/verification/verifier.ts';
import { issueCrl } from '../helpers/crl.ts';
import { testPki, devFileSigner, type TestPki } from '../helpers/pki.ts';
import { buildReceiptXml } from '../../src/receipts/xml.ts';
import { signDocument } from '../../src/signing/xml-signature.ts';
import { amountInWords } from '../../src/money/words.ts';

async function signedReceipt(pki: TestPki): Promise<Buffer> {
  const center = { name: 'Trung tâm Phục vụ hành chính công tỉnh Demo', taxCode: '0100000001', address: '01 Đường Trần Phú' };
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  const xml = buildReceiptXml({
    dataId: 'BL-pool-1',
    series: `${today.slice(2, 4)}TTP`,
    number: 1,
    issueDate: today,
    paymentMethod: 'cash',
    lookupCode: 'ABCDEFGHJKLM',
    department: { code: 'STP', name: 'Sở Tư pháp tỉnh Demo', taxCode: '0100000011', address: null },
    center,
    payer: { name: 'Nguyễn Văn An' },
    items: [{ line: 1, feeCode: 'STP-LLTP', name: 'Phí', kind: 'fee', quantity: 1, unitPrice: 200_000, amount: 200_000 }],
    total: 200_000,
    totalInWords: amountInWords(200_000),
  });
  return Buffer.from(await signDocument(xml, await devFileSigner(pki), { root: 'BLai', dataId: 'BL-pool-1', signingTime: new Date() }));
}

t.test('a verification that runs out of time is stopped and the document refused, in the usual shape', async (t) => {
  const pool = new VerificationPool({ threads: 1, timeoutMs: 1 });
  t.teardown(() => pool.close());
  const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><BLai>${'<a/>'.repeat(90_000)}</BLai>`);
  const result = await pool.verify(xml, { trustDir: (await testPki()).trustDir, now: new Date() });
  t.equal(result.valid, false);
  t.same(
    result.checks.map((c) => c.name),
    [...checkNames],
    'one entry per check',
  );
  t.match(
    result.checks.find((c) => c.name === 'size'),
    { passed: false, reason: 'verification was stopped after 0.001 s (waiting for a thread included); the document is refused' },
  );
  t.equal(result.checks.find((c) => c.name === 'certificate-chain')?.passed, false, 'nothing after it is established');
});

t.test('in production, a development CA in the trust directory vouches for nothing', async (t) => {
  const pki = await testPki();
  const dev = new VerificationPool({ threads: 1 });
  const production = new VerificationPool({ threads: 1, production: true });
  t.teardown(async () => {
    await dev.close();
    await production.close();
  });
  const xml = await signedReceipt(pki);
  const opts = { trustDir: pki.trustDir, now: new Date() };
  t.equal((await dev.verify(xml, opts)).valid, true, 'in development it does');
  const refused = await production.verify(xml, opts);
  t.equal(refused.valid, false);
  t.match(
    refused.checks.find((c) => c.name === 'certificate-chain'),
    { passed: false, reason: /^no chain from .*Receipts Development CA/ },
  );
});

/** A trust directory of its own (the CA, the pinned signer), and CRLs of the test CA: none revoked, or the signer revoked yesterday. */
async function ownTrustDir(t: Test, pki: TestPki) {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-trust-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp(pki.trustDir, dir, { recursive: true });
  const signer = forge.pki.certificateFromPem(await readFile(pki.certFile, 'utf8'));
  const crl = (revoked: boolean) =>
    issueCrl({
      caCertPem: pki.caPem,
      caKeyPem: forge.pki.privateKeyToPem(pki.ca.key),
      revoked: revoked ? [{ serialNumber: signer.serialNumber, at: new Date(Date.now() - 86_400_000), reason: 'cessationOfOperation' }] : [],
    });
  return { dir, crlFile: path.join(dir, 'ca.crl'), none: await crl(false), revokedSigner: await crl(true) };
}

const chainOf = (r: { checks: Array<{ name: string; passed: boolean; reason: string }> }) => r.checks.find((c) => c.name === 'certificate-chain')!;
const settle = () => new Promise((r) => setTimeout(r, 2_100));

t.test('the trust store is read once while its files stay as they are, and again as soon as one changes', async (t) => {
  const pki = await testPki();
  const xml = await signedReceipt(pki);
  const trust = await ownTrustDir(t, pki);
  await writeFile(trust.crlFile, trust.none);
  await settle();
  const first = await currentTrustStore(trust.dir);
  t.equal(await currentTrustStore(trust.dir), first, 'the same store, not read again');
  t.match(chainOf(await verifyDocument(xml, { trust: first })), { passed: true, reason: /is not revoked per the CRL/ });

  // A refreshed CRL counts from the next document on.
  await writeFile(trust.crlFile, trust.revokedSigner);
  const refreshed = await currentTrustStore(trust.dir);
  t.not(refreshed, first);
  t.match(chainOf(await verifyDocument(xml, { trust: refreshed })), { passed: false, reason: /\(cessationOfOperation\), before the signing time/ });

  // Rewritten in place to the same size, its modification time put back: the change time (which no program sets) still tells.
  const whole = 1_700_000_000;
  await utimes(trust.crlFile, whole, whole);
  await settle();
  const settled = await currentTrustStore(trust.dir);
  t.equal(await currentTrustStore(trust.dir), settled, 'remembered again once settled');
  const before = await stat(trust.crlFile);
  await writeFile(trust.crlFile, Buffer.alloc(before.size, 0x20));
  await utimes(trust.crlFile, whole, whole);
  const after = await stat(trust.crlFile);
  t.same([after.size, after.ino, after.mtimeMs], [before.size, before.ino, before.mtimeMs], 'same size, inode and modification time');
  t.match(chainOf(await verifyDocument(xml, { trust: await currentTrustStore(trust.dir) })), {
    passed: false,
    reason: /revocation cannot be established: ca\.crl in the trust store is not a CRL/,
  });

  // Replaced by renaming a new file into place, as the README's cron line does: a new inode.
  await settle();
  t.equal(await currentTrustStore(trust.dir), await currentTrustStore(trust.dir), 'remembered once settled');
  await writeFile(`${trust.crlFile}.new`, trust.none);
  await rename(`${trust.crlFile}.new`, trust.crlFile);
  t.match(chainOf(await verifyDocument(xml, { trust: await currentTrustStore(trust.dir) })), { passed: true, reason: /is not revoked per the CRL/ });
});

t.test('through the verification threads, a CRL put into the trust directory counts for the next document', async (t) => {
  const pki = await testPki();
  const xml = await signedReceipt(pki);
  const trust = await ownTrustDir(t, pki);
  const pool = new VerificationPool({ threads: 1 });
  t.teardown(() => pool.close());
  const opts = { trustDir: trust.dir, now: new Date() };
  t.match(chainOf(await pool.verify(xml, opts)), { passed: true, reason: /no CRL of .* in the trust store/ });
  await writeFile(trust.crlFile, trust.revokedSigner);
  const revoked = await pool.verify(xml, opts);
  t.equal(revoked.valid, false);
  t.match(chainOf(revoked), { passed: false, reason: /\(cessationOfOperation\), before the signing time/ });
  await rm(trust.crlFile);
  t.equal((await pool.verify(xml, opts)).valid, true, 'and a CRL taken away no longer counts');
});
