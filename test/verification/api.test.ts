import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { auth, correct, decideRefund, issue, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { buildCorpus } from '../helpers/corpus.ts';
import { backends } from '../helpers/db.ts';
import { dayOfThisYear, TestClock } from '../helpers/clock.ts';
import forge from 'node-forge';
import { issueCertificate, newRsaKeys } from '../../src/signing/dev-certificates.ts';
import { FileSigner } from '../../src/signing/file-signer.ts';
import { testPki } from '../helpers/pki.ts';

const pki = await testPki();
const corpus = await mkdtemp(path.join(tmpdir(), 'receipts-api-corpus-'));
t.teardown(() => rm(corpus, { recursive: true, force: true }));
await buildCorpus(corpus, pki);

function verify(ctx: TestContext, xml: Buffer | string, key = ctx.keys.auditor) {
  return ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(key), 'content-type': 'application/xml' }, payload: xml });
}

const failed = (body: { checks: Array<{ name: string; passed: boolean; reason: string }> }) => body.checks.filter((c) => !c.passed).map((c) => c.name);

for (const backend of backends) {
  t.test(`POST /v1/verify: every kind of stored document verifies and matches its record (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('03-16'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx)).json();
    const xml = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    const res = await verify(ctx, xml);
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.equal(body.valid, true, JSON.stringify(body.checks.filter((c: { passed: boolean }) => !c.passed)));
    t.match(body.document, { type: 'receipt', template: 'EBL01', series: receipt.series, number: 1, total: 400_000, issueDate: receipt.issueDate });
    t.equal(body.signingTime, receipt.issuedAt);
    t.match(body.signer.subject, /CN=Receipts Development Signer/);
    t.match(
      body.checks.find((c: { name: string }) => c.name === 'record-match'),
      { passed: true, reason: `byte for byte the stored receipt EBL01 ${receipt.series} 1` },
    );

    const refund = (await requestRefund(ctx, receipt.id, { amount: 100_000, reason: 'Nộp thừa' })).json();
    await decideRefund(ctx, refund.id, 'approve');
    const voucher = (await ctx.app.inject({ url: `/v1/refunds/${refund.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    const v = (await verify(ctx, voucher)).json();
    t.equal(v.valid, true);
    t.match(v.document, { type: 'refund-voucher', documentId: refund.id, total: 100_000, series: receipt.series, number: 1 });

    const notice = (await correct(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' })).json();
    const noticeXml = (await ctx.app.inject({ url: `/v1/error-notices/${notice.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.equal((await verify(ctx, noticeXml)).json().valid, true);

    const early = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${receipt.issueDate}&department=${receipt.department.code}`, headers: auth(ctx.keys.auditor) });
    t.equal(early.statusCode, 422, 'not before the day has ended');
    t.equal(early.json().code, 'DAY_NOT_ENDED');
    clock.set(dayOfThisYear('03-17'), '07:00:00');
    const summary = (await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${receipt.issueDate}&department=${receipt.department.code}`, headers: auth(ctx.keys.accountant) })).rawPayload;
    const s = (await verify(ctx, summary)).json();
    t.equal(s.valid, true, JSON.stringify(s.checks.filter((c: { passed: boolean }) => !c.passed)));
    t.match(
      s.checks.find((c: { name: string }) => c.name === 'record-match'),
      { passed: true, reason: /^byte for byte the stored daily summary TH-[\d-]+-STP; it lists every one of the day's 1 receipts$/ },
    );
    clock.set(dayOfThisYear('03-16'), '23:00:00');

    // One byte of the stored receipt edited in the database (bypassing the guard trigger, as an intruder would).
    await ctx.database.db.query('ALTER TABLE receipts DISABLE TRIGGER USER');
    const stored = Buffer.from(xml);
    const at = stored.indexOf('<TgTien>400000') + '<TgTien>'.length;
    stored[at] = '5'.charCodeAt(0);
    await ctx.database.db.query('UPDATE receipts SET xml = $1 WHERE id = $2', [stored, receipt.id]);
    const afterEdit = (await verify(ctx, xml)).json();
    t.equal(afterEdit.valid, false, 'the genuine document no longer matches the tampered record');
    t.same(failed(afterEdit), ['record-match']);
    t.match(afterEdit.checks.find((c: { name: string }) => c.name === 'record-match').reason, new RegExp(`differs from the stored receipt EBL01 ${receipt.series} 1 from byte ${at}`));
    const storedNow = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.same(failed((await verify(ctx, storedNow)).json()), ['digest', 'signature-value', 'certificate-validity', 'key-usage', 'record-match'], 'the tampered bytes fail their signature');
    await ctx.database.db.query('UPDATE receipts SET xml = $1, total = 400001 WHERE id = $2', [xml, receipt.id]);
    const column = (await verify(ctx, xml)).json();
    t.match(
      column.checks.find((c: { name: string }) => c.name === 'record-match'),
      { passed: false, reason: /the record of receipt .* says 400001 VND/ },
    );
    await ctx.database.db.query('ALTER TABLE receipts ENABLE TRIGGER USER');
  });

  t.test(`POST /v1/verify: attacks, roles and limits (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const edited = await verify(ctx, await readFile(`${corpus}/edited-amount.xml`));
    t.equal(edited.statusCode, 200);
    t.equal(edited.json().valid, false);
    t.equal(edited.json().checks.find((c: { name: string }) => c.name === 'digest').passed, false);
    const unknown = (await verify(ctx, await readFile(`${corpus}/genuine-receipt.xml`))).json();
    t.same(failed(unknown), ['record-match'], 'a genuine document the center never recorded');
    t.match(unknown.checks.find((c: { name: string }) => c.name === 'record-match').reason, /no receipt EBL01 .* is recorded/);

    t.equal((await verify(ctx, '<x/>', ctx.keys.cashier)).statusCode, 403);
    t.equal((await verify(ctx, '<x/>', ctx.keys.accountant)).statusCode, 403);
    const big = await verify(ctx, await readFile(`${corpus}/oversized.xml`));
    t.equal(big.statusCode, 413);
    t.equal(big.json().code, 'BODY_TOO_LARGE');
    const json = await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: auth(ctx.keys.auditor), payload: { xml: '<x/>' } });
    t.equal(json.statusCode, 415);
    t.equal(json.json().code, 'UNSUPPORTED_MEDIA_TYPE');
    const notXml = (await verify(ctx, 'hello')).json();
    t.equal(notXml.valid, false);
    t.equal(notXml.checks.find((c: { name: string }) => c.name === 'well-formed').passed, false);
  });
}

t.test('receipts verify: offline, exit code 0 only when every file passes, JSON on request', async (t) => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('node', ['bin/receipts.js', 'verify', ...args], { env: { ...process.env, TRUST_DIR: pki.trustDir, ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const dir = corpus;
  const good = await run([`${dir}/genuine-receipt.xml`, `${dir}/genuine-daily-summary.xml`]);
  t.equal(good.code, 0);
  t.match(good.stdout, new RegExp(`^OK {4}${dir}/genuine-receipt\\.xml {2}receipt EBL01 \\d\\dTTP 1, signed `, 'm'));
  t.match(good.stdout, /^Trusted a DEVELOPMENT CA .*Receipts Development CA [0-9a-f]{8}.*: not for production$/m, 'says the anchor is a development CA');
  t.match(good.stdout, '2 verified: 2 valid, 0 invalid (record match skipped: offline)');
  const bad = await run([`${dir}/genuine-receipt.xml`, `${dir}/sha1.xml`]);
  t.equal(bad.code, 1);
  t.match(bad.stdout, new RegExp(`^FAIL {2}${dir}/sha1\\.xml {2}.*algorithms: outside the signature profile`, 'm'));
  const json = await run(['--json', `${dir}/hmac.xml`]);
  t.equal(json.code, 1);
  const parsed = JSON.parse(json.stdout);
  t.equal(parsed[0].file, `${dir}/hmac.xml`);
  t.equal(parsed[0].checks.find((c: { name: string }) => c.name === 'algorithms').passed, false);
  const missing = await run([`${dir}/no-such-file.xml`]);
  t.equal(missing.code, 1);
  t.match(missing.stdout, /FAIL .*cannot read/);

  // Sized before it is read: a 5 GB sparse file is refused at once.
  const work = await mkdtemp(path.join(tmpdir(), 'receipts-cli-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  await truncate(await writeFile(path.join(work, 'huge.xml'), '').then(() => path.join(work, 'huge.xml')), 5 * 1024 ** 3);
  const huge = await run([path.join(work, 'huge.xml'), dir]);
  t.equal(huge.code, 1);
  t.match(huge.stdout, `FAIL  ${work}/huge.xml  size: 5368709120 bytes is over the limit of 4194304`);
  t.match(huge.stdout, `FAIL  ${dir}  size: not a regular file`);

  // A byte order mark an editor added is outside anything signed.
  await writeFile(path.join(work, 'bom.xml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await readFile(`${dir}/genuine-receipt.xml`)]));
  t.equal((await run([path.join(work, 'bom.xml')])).code, 0, 'a receipt saved with a BOM verifies');

  // In production a development CA in TRUST_DIR vouches for nothing.
  const production = await run([`${dir}/genuine-receipt.xml`], { NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNING_KEY_FILE: '/k', SIGNING_CERT_FILE: '/c' });
  t.equal(production.code, 2);
  t.match(production.stderr, `NODE_ENV=production: development CAs in TRUST_DIR (${pki.trustDir}) are ignored`);
  t.match(production.stderr, 'No trusted CA certificates in TRUST_DIR');
});

t.test('POST /v1/verify: a BOM is set aside, the record still matches byte for byte', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const xml = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  const body = (await verify(ctx, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), xml]))).json();
  t.equal(body.valid, true, JSON.stringify(body.checks.filter((c: { passed: boolean }) => !c.passed)));
  t.match(body.checks.find((c: { name: string }) => c.name === 'record-match').reason, /^byte for byte the stored receipt/);
});

t.test('a signer naming the center’s tax code verifies unpinned, and the center cannot be moved to another tax code', async (t) => {
  const keys = newRsaKeys();
  const cert = forge.pki.certificateToPem(
    issueCertificate({ publicKey: keys.publicKey, commonName: 'Receipts Center Signer', ca: pki.ca, taxCode: '0100000001', notBefore: new Date(Date.now() - 86_400_000) }),
  );
  const ctx = await testApp('postgres', { signer: FileSigner.fromPem(keys.privatePem, [cert, pki.caPem]) });
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const xml = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  const body = (await verify(ctx, xml)).json();
  t.equal(body.valid, true, JSON.stringify(body.checks.filter((c: { passed: boolean }) => !c.passed)));
  t.match(body.checks.find((c: { name: string }) => c.name === 'certificate-chain').reason, /issued to MST:0100000001, the document's issuer/);
  t.equal(body.document.issuerTaxCode, '0100000001');

  const center = (await ctx.app.inject({ url: '/v1/center', headers: auth(ctx.keys.admin) })).json();
  const moved = await ctx.app.inject({ method: 'PUT', url: '/v1/center', headers: auth(ctx.keys.admin), payload: { ...center, taxCode: '0109999999' } });
  t.equal(moved.statusCode, 409);
  t.equal(moved.json().code, 'CENTER_NOT_SIGNER');
  t.match(moved.json().detail, 'the signing certificate is MST:0100000001, the center MST:0109999999');
  t.same((await ctx.app.inject({ url: '/v1/center', headers: auth(ctx.keys.admin) })).json(), center, 'the center is unchanged');
  const renamed = await ctx.app.inject({ method: 'PUT', url: '/v1/center', headers: auth(ctx.keys.admin), payload: { ...center, name: `${center.name} (mới)` } });
  t.equal(renamed.statusCode, 200, 'the same tax code may be kept with another name');
});
