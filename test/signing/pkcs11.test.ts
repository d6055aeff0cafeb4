import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/config.ts';
import { openSigner } from '../../src/signing/open.ts';
import { Pkcs11Signer } from '../../src/signing/pkcs11-signer.ts';
import { describeToken } from '../../src/signing/token-info.ts';
import { RSA_SHA256 } from '../../src/signing/signer.ts';
import { initSoftHsmToken } from '../../scripts/softhsm.ts';
import { auth, issue, testApp } from '../helpers/app.ts';
import { testPki } from '../helpers/pki.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'receipts-hsm-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const pki = await testPki();
const token = await initSoftHsmToken({ dir, tokenLabel: 'test-token', keyLabel: 'center-key', pin: '246810', dataDir: pki.dataDir });
const env = {
  SIGNER: 'pkcs11',
  PKCS11_MODULE: token.module,
  PKCS11_TOKEN_LABEL: token.tokenLabel,
  PKCS11_KEY_LABEL: token.keyLabel,
  PKCS11_PIN: token.pin,
  DATA_DIR: pki.dataDir,
};

t.test('the configured PKCS#11 signer signs on the token and carries the chain', async (t) => {
  const signer = await openSigner(loadConfig(env));
  t.teardown(() => signer.close());
  t.equal(signer.kind, 'pkcs11');
  t.equal(signer.signatureMethod, RSA_SHA256);
  t.equal(signer.certificateChain.length, 2, 'token certificate and the development CA');
  t.match(signer.certificateChain[0], /BEGIN CERTIFICATE/);
  t.equal(await signer.healthy(), true);
  // Many overlapping signs on one session: serialised, none crashes, all verify.
  const { createPublicKey, verify } = await import('node:crypto');
  const key = createPublicKey(signer.certificateChain[0]!);
  const data = Array.from({ length: 40 }, (_, i) => Buffer.from(`document ${i}`));
  const signatures = await Promise.all(data.map((d) => signer.sign(d)));
  t.same(
    signatures.map((s, i) => verify('sha256', data[i]!, key, s)),
    Array(40).fill(true),
  );
});

t.test('a PIN from a file works; a wrong PIN and a wrong label fail clearly', async (t) => {
  const pinFile = path.join(dir, 'pin');
  await writeFile(pinFile, `${token.pin}\n`);
  const fromFile = await openSigner(loadConfig({ ...env, PKCS11_PIN: undefined, PKCS11_PIN_FILE: pinFile }));
  t.equal(await fromFile.healthy(), true);
  await fromFile.close();
  await t.rejects(Pkcs11Signer.open({ module: token.module, tokenLabel: token.tokenLabel, keyLabel: token.keyLabel, pin: '000000' }), /CKR_PIN_INCORRECT/);
  await t.rejects(Pkcs11Signer.open({ module: token.module, tokenLabel: 'absent', keyLabel: token.keyLabel, pin: token.pin }), /no token labelled "absent"/);
  await t.rejects(Pkcs11Signer.open({ module: token.module, tokenLabel: token.tokenLabel, keyLabel: 'absent', pin: token.pin }), /no certificate labelled "absent"/);
});

t.test('token info lists the slot, key and certificate', async (t) => {
  const info = await describeToken(loadConfig(env));
  t.match(info, /Slot 0x[0-9a-f]{1,16}: token "test-token" \(SoftHSM/, 'the slot id as pkcs11-tool prints it');
  t.match(info, /private key "center-key"/);
  t.match(info, /certificate "center-key": .*CN=Receipts Development Token Signer \(test-token\)/);
});

for (const backend of ['postgres', 'embedded'] as const) {
  t.test(`receipts issued through the token verify with xmlsec1 (${backend})`, async (t) => {
    const signer = await openSigner(loadConfig(env));
    const ctx = await testApp(backend, { signer });
    t.teardown(async () => {
      await ctx.close();
      await signer.close();
    });
    const results = await Promise.all(Array.from({ length: 16 }, () => issue(ctx)));
    t.same(
      results.map((r) => r.statusCode),
      Array(16).fill(201),
    );
    t.same(
      results.map((r) => r.json().number).sort((a, b) => a - b),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    for (const r of results.slice(0, 3)) {
      const xml = (await ctx.app.inject({ url: `/v1/receipts/${r.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
      const verified = await xmlsecVerify(xml);
      t.ok(verified.ok, `xmlsec1: ${verified.output}`);
      t.match(xml.toString(), /<SignatureMethod Algorithm="http:\/\/www.w3.org\/2001\/04\/xmldsig-more#rsa-sha256"\/>/);
    }
    // Opening a development token signer pinned its certificate in the default trust directory: the service's own verifier accepts it.
    const xml = (await ctx.app.inject({ url: `/v1/receipts/${results[0]!.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    const verdict = (await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: xml })).json();
    t.equal(verdict.valid, true, JSON.stringify(verdict.checks.filter((c: { passed: boolean }) => !c.passed)));
    t.match(verdict.checks.find((c: { name: string }) => c.name === 'certificate-chain').reason, /the signer certificate is pinned in the trust store's signers/);
    const info = (await ctx.app.inject({ url: '/v1/signer', headers: auth(ctx.keys.cashier) })).json();
    t.equal(info.kind, 'pkcs11');
    t.equal(info.usable, true);
    t.match(info.certificate.subject, /CN=Receipts Development Token Signer \(test-token\)/);
    t.match(info.certificate.issuer, /CN=Receipts Development CA [0-9a-f]{8}/);
    t.equal(info.chainPem.length, 2);
  });
}

t.test('two tokens with two sessions each: receipts go to every session, each signed document verifies with xmlsec1 and names its own token', async (t) => {
  const second = await initSoftHsmToken({ dir, tokenLabel: 'second-token', keyLabel: 'center-key', pin: '246810', dataDir: pki.dataDir });
  const signer = await openSigner(loadConfig({ ...env, PKCS11_TOKEN_LABEL: `${token.tokenLabel}, ${second.tokenLabel}`, PKCS11_SESSIONS: '2' }));
  const ctx = await testApp('postgres', { signer });
  t.teardown(async () => {
    await ctx.close();
    await signer.close();
  });
  const results = await Promise.all(Array.from({ length: 40 }, () => issue(ctx)));
  t.same(
    results.map((r) => r.statusCode),
    Array(40).fill(201),
  );
  const info = (await ctx.app.inject({ url: '/v1/signer', headers: auth(ctx.keys.cashier) })).json();
  t.same(
    info.tokens.map((m: { name: string; up: boolean }) => [m.name, m.up]),
    [
      ['test-token#1', true],
      ['test-token#2', true],
      ['second-token#1', true],
      ['second-token#2', true],
    ],
  );
  t.ok(
    info.tokens.every((m: { signed: number }) => m.signed > 0),
    `every session signed: ${info.tokens.map((m: { signed: number }) => m.signed).join(', ')}`,
  );
  const subjects = new Set<string>();
  for (const r of results) {
    const xml = (await ctx.app.inject({ url: `/v1/receipts/${r.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    subjects.add(/Receipts Development Token Signer \(([a-z-]+)\)/.exec(xml.toString())![1]!);
    if (subjects.size === 2 && r === results.at(-1)) break;
  }
  t.same([...subjects].sort(), ['second-token', 'test-token'], 'documents of both tokens, each with its own certificate');
  for (const r of results.slice(0, 6)) {
    const xml = (await ctx.app.inject({ url: `/v1/receipts/${r.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    const verified = await xmlsecVerify(xml);
    t.ok(verified.ok, `xmlsec1: ${verified.output}`);
  }
  // The registration with the tax authority declares both tokens' certificates in use: receipts are signed with either.
  const contact = { name: 'Lê Thị Hoa', address: '1 Trần Phú, Tỉnh Demo', email: 'ketoan@tthcc.demo.vn', phone: '0236 3822 111' };
  const registration = (await ctx.app.inject({ method: 'POST', url: '/v1/registrations', headers: auth(ctx.keys.admin), payload: { contact } })).json();
  const declared = (await ctx.app.inject({ url: `/v1/registrations/${registration.id}/xml`, headers: auth(ctx.keys.admin) })).rawPayload.toString();
  const serials = [token.certificatePem, second.certificatePem].map((pem) => new X509Certificate(pem).serialNumber.toUpperCase());
  for (const serial of serials) t.match(declared, `<Seri>${serial}</Seri>`, `certificate ${serial} declared`);
  t.equal((declared.match(/<Seri>/g) ?? []).length, 2, 'two certificates, each once (two sessions each)');
});
