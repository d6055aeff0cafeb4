import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import t from 'tap';
import { request } from 'undici';
import { devPaths, ensureDevCa, issueCertificate, newRsaKeys } from '../../src/signing/dev-certificates.ts';
import { initSoftHsmToken } from '../../scripts/softhsm.ts';
import { generateKey, installCertificate, withTokenSession } from '../../src/signing/token-admin.ts';
import { freshDatabase } from '../helpers/db.ts';
import { testPki } from '../helpers/pki.ts';
import { startServer, until } from '../helpers/server.ts';
import { tempDir } from '../helpers/temp.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';
import { receipts } from '../helpers/cli.ts';

/**
 * A center's certificate renewal, with SoftHSM2 standing in for its USB token:
 * a new key generated on the token, a certificate request signed by it, the
 * CA's certificate installed beside it, and the running service switched to it
 * by SIGHUP while counters keep issuing.
 */
const dir = await tempDir(t, 'receipts-rotation-');
const pki = await testPki();
const token = await initSoftHsmToken({ dir: path.join(dir, 'hsm'), tokenLabel: 'center-token', keyLabel: 'center-2026', pin: '112233', dataDir: pki.dataDir });
const tokenEnv = {
  SIGNER: 'pkcs11',
  PKCS11_MODULE: token.module,
  PKCS11_TOKEN_LABEL: token.tokenLabel,
  PKCS11_PIN: token.pin,
  DATA_DIR: pki.dataDir,
  SOFTHSM2_CONF: token.conf,
};
/** The CLI as the operator runs it, with the service's configuration (the key it signs with now). */
const cliEnv = { ...tokenEnv, PKCS11_KEY_LABEL: 'center-2026' };
const subject = 'C=VN,O=DEVELOPMENT ONLY - NOT FOR PRODUCTION,CN=Trung tâm Phục vụ hành chính công 2027';

t.test('the token steps: key on the token, a request it signed, the CA’s certificate installed; mistakes refused', async (t) => {
  const made = await receipts(['token', 'keygen', '--label', 'center-2027'], cliEnv);
  t.equal(made.code, 0, made.stderr);
  t.match(made.stdout, /^Generated 2048-bit RSA key "center-2027" on the token; public key SHA-256 [0-9a-f]{64}\n$/);
  const again = await receipts(['token', 'keygen', '--label', 'center-2027'], cliEnv);
  t.equal(again.code, 1);
  t.match(again.stderr, 'the token already holds a key labelled "center-2027": choose a new label (a renewal is a new key)');

  const csrFile = path.join(dir, 'center-2027.csr');
  const asked = await receipts(['token', 'csr', '--label', 'center-2027', '--subject', subject, '--tax-code', '0100000001', '--out', csrFile], cliEnv);
  t.equal(asked.code, 0, asked.stderr);
  // OpenSSL, not our code, checks the request's signature and reads its subject.
  const openssl = await new Promise<string>((resolve) => execFile('openssl', ['req', '-in', csrFile, '-noout', '-verify', '-subject', '-nameopt', 'utf8'], (_e, out, err) => resolve(out + err)));
  t.match(openssl, /verify OK/);
  t.match(openssl, /CN\s*=\s*Trung tâm Phục vụ hành chính công 2027/);
  t.match(openssl, /UID\s*=\s*MST:0100000001/, 'the demo center’s tax code');
  const badTaxCode = await receipts(['token', 'csr', '--label', 'center-2027', '--subject', subject, '--tax-code', '12'], cliEnv);
  t.equal(badTaxCode.code, 1);
  t.match(badTaxCode.stderr, '--tax-code must be 10 digits');

  // The CA (here the installation's development CA) certifies the key in the request.
  const csr = forge.pki.certificationRequestFromPem(await readFile(csrFile, 'utf8'));
  const ca = await ensureDevCa(devPaths(pki.dataDir));
  // forge reads the request's UTF-8 values as bytes: decoded, so the certificate names the center as the request does.
  const fields = csr.subject.attributes.map((a) => ({ ...a, value: (a.valueTagClass as unknown) === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(a.value as string) : a.value }));
  const cert = issueCertificate({ publicKey: csr.publicKey!, commonName: 'x', subjectFields: fields as forge.pki.CertificateField[], ca });
  await writeFile(path.join(dir, 'center-2027.pem'), forge.pki.certificateToPem(cert));
  const stranger = issueCertificate({ publicKey: newRsaKeys().publicKey, commonName: 'Someone else', ca });
  await writeFile(path.join(dir, 'stranger.pem'), forge.pki.certificateToPem(stranger));

  const wrongKey = await receipts(['token', 'install-cert', '--label', 'center-2027', path.join(dir, 'stranger.pem')], cliEnv);
  t.equal(wrongKey.code, 1);
  t.match(wrongKey.stderr, 'certifies another key than "center-2027"; nothing was stored');
  const installed = await receipts(['token', 'install-cert', '--label', 'center-2027', path.join(dir, 'center-2027.pem')], cliEnv);
  t.equal(installed.code, 0, installed.stderr);
  t.match(installed.stdout, /Installed on the token for "center-2027": .*CN=Trung tâm Phục vụ hành chính công 2027/);
  const twice = await receipts(['token', 'install-cert', '--label', 'center-2027', path.join(dir, 'center-2027.pem')], cliEnv);
  t.equal(twice.code, 1);
  t.match(twice.stderr, 'already holds a certificate labelled "center-2027"');
  const info = await receipts(['token', 'info'], { ...cliEnv, PKCS11_KEY_LABEL: 'center-2027' });
  t.equal(info.stdout.match(/certificate "center-2027"/g)?.length, 1, 'one certificate for the new key, not the stranger’s');
});

t.test('a document keeps the key it started with: the pinned signer signs with its own certificate’s key after a switch', async (t) => {
  const { Pkcs11Signer } = await import('../../src/signing/pkcs11-signer.ts');
  const { createPublicKey, verify } = await import('node:crypto');
  const signer = await Pkcs11Signer.open({ module: token.module, tokenLabel: token.tokenLabel, keyLabel: 'center-2026', pin: token.pin });
  t.teardown(() => signer.close());
  const before = signer.pinned();
  const renewed = await signer.prepareKey('center-2027');
  t.equal(signer.keyLabel, 'center-2026', 'prepared, not yet used');
  signer.useKey(renewed);
  t.equal(signer.keyLabel, 'center-2027');
  const data = Buffer.from('SignedInfo');
  const verifies = (pem: string, sig: Buffer) => verify('sha256', data, createPublicKey(pem), sig);
  const old = await before.sign(data);
  t.ok(verifies(before.certificateChain[0]!, old), 'the pinned signer still signs with the old key, matching its certificate');
  t.notOk(verifies(signer.certificateChain[0]!, old));
  const fresh = await signer.sign(data);
  t.ok(verifies(signer.certificateChain[0]!, fresh), 'new signatures come from the renewed key');
  await t.rejects(signer.prepareKey('no-such-key'), /holds no certificate labelled "no-such-key"/);
});

t.test('SIGHUP switches the running service to the renewed key while counters keep issuing; a bad key is not switched to', async (t) => {
  const database = await freshDatabase('postgres');
  t.teardown(() => database.close());
  const cwd = await tempDir(t, 'receipts-rotation-cwd-');
  await writeFile(path.join(cwd, '.env'), 'PKCS11_KEY_LABEL=center-2026\n');
  const { PKCS11_KEY_LABEL: _k, ...inherited } = process.env;
  const noUsageCa = await ensureDevCa(devPaths(pki.dataDir));
  const server = await startServer({ ...(inherited as Record<string, string>), ...tokenEnv, DATABASE_URL: database.url! }, { cwd });
  t.teardown(() => server.child.kill('SIGKILL'));
  const cashier = server.key('cashier');
  const signerSubject = async () =>
    ((await (await request(`${server.url}/v1/signer`, { headers: { authorization: `Bearer ${cashier}` } })).body.json()) as { certificate: { subject: string } }).certificate.subject;
  t.match(await signerSubject(), /CN=Receipts Development Token Signer \(center-token\)/);

  // Four counters issue without pause through the switch.
  let stop = false;
  const issued: Array<{ status: number; id?: string; number?: number }> = [];
  let n = 0;
  const counter = async () => {
    while (!stop) {
      const res = await request(`${server.url}/v1/receipts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': `rot-${++n}` },
        body: JSON.stringify({ department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' }),
      });
      const body = (await res.body.json()) as { id?: string; number?: number };
      issued.push({ status: res.statusCode, id: body.id, number: body.number });
    }
  };
  const counters = Array.from({ length: 4 }, counter);
  await until('a few receipts with the old key', () => issued.length >= 20);
  await writeFile(path.join(cwd, '.env'), 'PKCS11_KEY_LABEL=center-2027\n');
  server.child.kill('SIGHUP');
  await until('the switch', () => /Signing key switched to "center-2027"/.test(server.output()));
  const switchedAt = issued.length;
  await until('a few receipts with the new key', () => issued.length >= switchedAt + 20);

  // A label with no key: refused, and the renewed key keeps signing.
  await writeFile(path.join(cwd, '.env'), 'PKCS11_KEY_LABEL=no-such-key\n');
  server.child.kill('SIGHUP');
  await until('the refusal', () => /Signing key not switched: token "center-token" holds no certificate labelled "no-such-key"/.test(server.output()));
  // A key whose certificate has no keyUsage: every verifier would refuse its documents, so it is not switched to.
  await withTokenSession({ module: token.module, tokenLabel: token.tokenLabel, pin: token.pin }, (lib, session) => {
    const publicKey = generateKey(lib, session, 'center-no-usage');
    installCertificate(lib, session, 'center-no-usage', forge.pki.certificateToPem(issueCertificate({ publicKey, commonName: 'No key usage', ca: noUsageCa, keyUsage: null })));
  });
  // A certificate not valid yet (a renewal dated from the old one's expiry): refused until its day.
  await withTokenSession({ module: token.module, tokenLabel: token.tokenLabel, pin: token.pin }, (lib, session) => {
    const publicKey = generateKey(lib, session, 'center-later');
    const from = new Date(Date.now() + 30 * 86_400_000);
    installCertificate(lib, session, 'center-later', forge.pki.certificateToPem(issueCertificate({ publicKey, commonName: 'Later', ca: noUsageCa, notBefore: from })));
  });
  await writeFile(path.join(cwd, '.env'), 'PKCS11_KEY_LABEL=center-later\n');
  server.child.kill('SIGHUP');
  await until('the refusal of a certificate not valid yet', () => /Signing key not switched: the signing certificate cannot sign verifiable documents now: /.test(server.output()));
  await writeFile(path.join(cwd, '.env'), 'PKCS11_KEY_LABEL=center-no-usage\n');
  server.child.kill('SIGHUP');
  await until('the second refusal', () => /Signing key not switched: the signing certificate cannot sign verifiable documents: the signer certificate has no keyUsage/.test(server.output()));
  const refusedAt = issued.length;
  await until('issuing to go on', () => issued.length >= refusedAt + 10);
  stop = true;
  await Promise.all(counters);

  t.same([...new Set(issued.map((r) => r.status))], [201], `all ${issued.length} issues succeeded through both SIGHUPs`);
  t.same(
    issued.map((r) => r.number).sort((a, b) => a! - b!),
    Array.from({ length: issued.length }, (_, i) => i + 1),
    'no gap, no duplicate',
  );
  t.match(await signerSubject(), /CN=Trung tâm Phục vụ hành chính công 2027/);
  const newCert = (await readFile(path.join(dir, 'center-2027.pem'), 'utf8')).replace(/-----[^-]+-----|\s/g, '');
  const xmlOf = async (id: string) => Buffer.from(await (await request(`${server.url}/v1/receipts/${id}/xml`, { headers: { authorization: `Bearer ${cashier}` } })).body.arrayBuffer());
  const first = await xmlOf(issued[0]!.id!);
  const last = await xmlOf(issued.at(-1)!.id!);
  t.notOk(first.toString().includes(newCert), 'the first receipts carry the old certificate');
  t.ok(last.toString().includes(newCert), 'the last carry the renewed one');
  const trusted = path.join(pki.dataDir, 'trust', 'development-ca.pem');
  t.ok((await xmlsecVerify(first, { trustedPem: trusted })).ok, 'xmlsec1 verifies an old-key receipt');
  t.ok((await xmlsecVerify(last, { trustedPem: trusted })).ok, 'and a renewed-key one');

  // Every stored receipt, those signed while the key switched included, verifies: chain and key always matched.
  const audit = await receipts(['verify', '--from', '2020-01-01', '--to', '2099-12-31'], { ...tokenEnv, DATABASE_URL: database.url!, PKCS11_KEY_LABEL: 'center-2027' });
  t.equal(audit.code, 0, audit.stdout + audit.stderr);
  t.match(audit.stdout, new RegExp(`${issued.length} receipts?`));
  t.equal(await server.stop(), 0);
});
