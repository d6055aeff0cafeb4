import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { removeDataDir } from './helpers/temp.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import t from 'tap';
import { request } from 'undici';
import { issueCertificate, newRsaKeys } from '../src/signing/dev-certificates.ts';
import { freshDatabase } from './helpers/db.ts';
import { newTestPki } from './helpers/pki.ts';
import { xmlsecVerify } from './helpers/xml-tools.ts';

/**
 * Starts `npm start` as a new user would, on a fresh embedded database, on a
 * port the OS chooses (PORT=0), and waits for its banner, which names the address.
 */
async function start(dataDir: string) {
  const child = spawn('npm', ['start'], { env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, detached: true });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (/API docs/.test(out) && (/Demo center created/.test(out) ? /auditor\s+rk_/.test(out) : true)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
  });
  return {
    url: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!,
    output: () => out,
    /** SIGTERM to npm and the server under it; resolves once the whole process group has exited. */
    stop: async () => {
      process.kill(-child.pid!, 'SIGTERM');
      for (let i = 0; i < 300; i++) {
        try {
          process.kill(-child.pid!, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the server did not stop within 30 s');
    },
  };
}

t.test('npm start on an empty embedded database: demo keys printed once, a receipt issued over HTTP', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'receipts-start-'));
  t.teardown(() => removeDataDir(dataDir));
  const server = await start(dataDir);
  const base = server.url;
  const out = server.output();
  const cashier = /cashier\s+(rk_cashier_\S+)/.exec(out)?.[1];
  t.ok(cashier, 'a cashier key is printed');
  t.match(out, /listening on http:\/\/127\.0\.0\.1:\d+ \(embedded database/);
  t.match(out, `Signing with this installation's development key (${dataDir}/dev-pki): not for production; documents verify against ${dataDir}/trust only`);

  const res = await request(`${base}/v1/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': 'readme-1' },
    body: JSON.stringify({
      department: 'STP',
      payer: { name: 'Nguyễn Văn An' },
      items: [{ feeCode: 'STP-LLTP' }],
      paymentMethod: 'cash',
    }),
  });
  const receipt = (await res.body.json()) as { id: string; number: number; totalInWords: string };
  t.equal(res.statusCode, 201);
  t.equal(receipt.number, 1);
  t.equal(receipt.totalInWords, 'Hai trăm nghìn đồng');
  const xml = await request(`${base}/v1/receipts/${receipt.id}/xml`, { headers: { authorization: `Bearer ${cashier}` } });
  const served = Buffer.from(await xml.body.arrayBuffer());
  t.ok((await xmlsecVerify(served, { trustedPem: path.join(dataDir, 'trust', 'development-ca.pem') })).ok, 'xmlsec1 verifies the served XML against this installation’s CA');
  t.notOk((await xmlsecVerify(served)).ok, 'and not against another installation’s');
  t.same((await readdir(path.join(dataDir, 'dev-pki'))).sort(), ['ca.key.pem', 'ca.pem', 'signer.key.pem', 'signer.pem'], 'the development PKI lives in the data directory');
  const ready = await request(`${base}/readyz`);
  t.same(await ready.body.json(), { status: 'ready', database: true, signer: true, storage: true });
  t.equal((await request(`${base}/metrics`)).statusCode, 401, 'metrics need a key');
  const admin = /admin\s+(rk_admin_\S+)/.exec(out)![1];
  const metrics = await (await request(`${base}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).body.text();
  t.match(metrics, /receipts_issued_total\{department="STP"\} 1/);
  await server.stop();

  // Second start on the same data: no new keys, the receipt is still there.
  const again = await start(dataDir);
  t.notMatch(again.output(), /Demo center created/);
  const got = await request(`${again.url}/v1/receipts/${receipt.id}`, { headers: { authorization: `Bearer ${cashier}` } });
  t.equal(got.statusCode, 200);
  t.equal(((await got.body.json()) as { number: number }).number, 1);
  await again.stop();
});

t.test('a bad configuration stops the start with one line per bad value', async (t) => {
  const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], { env: { ...process.env, PORT: 'x', SIGNER: 'usb' } });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.equal(code, 2);
  t.match(err, /PORT="x": /);
  t.match(err, /SIGNER="usb": /);
});

/** Runs the server with `env` until it exits or prints its banner (then stops it): its exit code and output. */
async function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; started: boolean }> {
  const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  let started = false;
  child.stdout.on('data', (d) => {
    stdout += d;
    if (/API docs/.test(stdout) && !started) {
      started = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr, started };
}

t.test('NODE_ENV=production refuses development keys and development CAs, with a one-line reason', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-prod-'));
  t.teardown(() => removeDataDir(dir));
  const dev = await newTestPki();
  // A center's own CA and signer, as a real CA would issue them (no development mark).
  const caKeys = newRsaKeys();
  const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
  const subject = (cn: string) => [
    { name: 'countryName', value: 'VN' },
    { name: 'organizationName', ...utf8('Trung tâm Phục vụ hành chính công tỉnh Demo') },
    { name: 'commonName', ...utf8(cn) },
  ];
  const ca = issueCertificate({ publicKey: caKeys.publicKey, selfKey: caKeys.privateKey, commonName: 'x', subjectFields: subject('Center Test CA'), isCa: true });
  const signerKeys = newRsaKeys();
  const cert = issueCertificate({ publicKey: signerKeys.publicKey, commonName: 'x', subjectFields: subject('Center Signer'), ca: { cert: ca, key: caKeys.privateKey } });
  await mkdir(path.join(dir, 'trust'));
  await writeFile(path.join(dir, 'trust', 'center-ca.pem'), forge.pki.certificateToPem(ca));
  await writeFile(path.join(dir, 'signer.key.pem'), signerKeys.privatePem);
  await writeFile(path.join(dir, 'signer.pem'), forge.pki.certificateToPem(cert));
  const database = await freshDatabase('postgres');
  t.teardown(() => database.close());
  const production = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://bienlai.example.vn',
    DATABASE_URL: database.url!,
    DATA_DIR: dir,
    TRUST_DIR: path.join(dir, 'trust'),
    SIGNING_KEY_FILE: path.join(dir, 'signer.key.pem'),
    SIGNING_CERT_FILE: path.join(dir, 'signer.pem'),
  };

  const devSigner = await runServer({ ...production, SIGNING_KEY_FILE: dev.keyFile, SIGNING_CERT_FILE: dev.certFile });
  t.equal(devSigner.code, 1);
  t.equal(devSigner.started, false);
  t.match(
    devSigner.stderr,
    /^Cannot start: NODE_ENV=production refuses a development signer: certificate "C=VN, O=DEVELOPMENT ONLY - NOT FOR PRODUCTION, CN=Receipts Development Signer" is not for production\n$/,
  );

  await writeFile(path.join(dir, 'trust', 'development-ca.pem'), dev.caPem);
  const devCa = await runServer(production);
  t.equal(devCa.code, 1);
  t.match(
    devCa.stderr,
    new RegExp(
      `^Cannot start: NODE_ENV=production refuses a development CA in TRUST_DIR \\(${dir}/trust\\): "C=VN, O=DEVELOPMENT ONLY - NOT FOR PRODUCTION, CN=Receipts Development CA [0-9a-f]{8}"\\n$`,
    ),
  );
  await rm(path.join(dir, 'trust', 'development-ca.pem'));

  const noDevKey = await runServer({ ...production, SIGNING_KEY_FILE: '', SIGNING_CERT_FILE: '', PUBLIC_URL: '' });
  t.equal(noDevKey.code, 2, `configuration error: ${noDevKey.stderr}`);
  t.match(noDevKey.stderr, /PUBLIC_URL: is required when NODE_ENV=production/);
  t.match(noDevKey.stderr, /SIGNING_KEY_FILE: is required when NODE_ENV=production \(the development signer is refused\)/);

  // A signer verification could not tell from another subscriber of its CA.
  const unpinned = await runServer(production);
  t.equal(unpinned.code, 1);
  t.match(
    unpinned.stderr,
    new RegExp(
      `^Cannot start: the signing certificate "C=VN, O=Trung tâm Phục vụ hành chính công tỉnh Demo, CN=Center Signer" names no tax code \\(UID=MST:…\\): pin it in ${dir}/trust/signers/ so verification can tell the center's documents from other subscribers' of its CA\n$`,
    ),
  );
  await mkdir(path.join(dir, 'trust', 'signers'));
  await writeFile(path.join(dir, 'trust', 'signers', 'center-signer.pem'), forge.pki.certificateToPem(cert));
  // A signer whose CA is not in TRUST_DIR signs documents its own verifier refuses.
  await rename(path.join(dir, 'trust', 'center-ca.pem'), path.join(dir, 'center-ca.pem'));
  const untrusted = await runServer(production);
  t.equal(untrusted.code, 1);
  t.match(untrusted.stderr, /^Cannot start: the signing certificate "[^"]+CN=Center Signer" does not verify against TRUST_DIR \([^)]+\): no chain from "[^"]+CN=Center Test CA" to a trusted CA\n$/);
  await rename(path.join(dir, 'center-ca.pem'), path.join(dir, 'trust', 'center-ca.pem'));

  // A shifted clock with the center's real key, on an installation that never set NODE_ENV.
  const { NODE_ENV: _env, ...notProduction } = production;
  const shifted = await runServer({ ...notProduction, NODE_ENV: 'development', DEMO_CLOCK_START: '2026-01-01T00:00:00+07:00' });
  t.equal(shifted.code, 1);
  t.equal(shifted.started, false);
  t.match(shifted.stderr, /^Cannot start: DEMO_CLOCK_START is refused with a real signing certificate: documents it signs are dated by the real clock\n$/);

  const real = await runServer(production);
  t.equal(real.started, true, `starts with the center's own signer, pinned, and CA: ${real.stderr}`);
  t.notMatch(real.stdout, /development key/);
  await t.rejects(readdir(path.join(dir, 'dev-pki')), { code: 'ENOENT' }, 'no development PKI was created');
});
