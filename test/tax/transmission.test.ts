import t from 'tap';
import { execFile } from 'node:child_process';
import forge from 'node-forge';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { parseEnvelope } from '../../src/tax/envelope.ts';
import { startReceiver } from '../../src/tax/receiver.ts';
import { addWorkingDays } from '../../src/time/dates.ts';
import { backoffMs, sendPending } from '../../src/tax/sender.ts';
import { taxRound } from '../../src/tax/service.ts';
import { folderTransport, httpsTransport, type Transport } from '../../src/tax/transports.ts';
import { auth, correct, issue, testApp, type TestContext } from '../helpers/app.ts';
import { addDays, dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';
import { tempDir } from '../helpers/temp.ts';
import { vietnamDate } from '../../src/time/vietnam.ts';

const receipt = (department: string, feeCode: string, payer = 'Nguyễn Văn An') => ({
  department,
  payer: { name: payer, address: '12 Lê Lợi' },
  items: [{ feeCode }],
  paymentMethod: 'cash',
});

async function summaries(ctx: TestContext, query = '') {
  const res = await ctx.app.inject({ url: `/v1/daily-summaries${query}`, headers: auth(ctx.keys.accountant) });
  return res.json().data as Array<{ id: string; dataId: string; date: string; department: string; supplement: number; sequence: number; receipts: number }>;
}

async function transmissions(ctx: TestContext, query = '') {
  const res = await ctx.app.inject({ url: `/v1/transmissions${query}`, headers: auth(ctx.keys.auditor) });
  return res.json().data as Array<{
    messageCode: string;
    messageType: number;
    documentId: string;
    documentDate: string;
    status: string;
    overdue: boolean;
    taxCode: string;
    attempts: Array<{ outcome: string; detail: string }>;
    reply: { type: number; code: string; text: string; at: string } | null;
  }>;
}

const summaryXml = async (ctx: TestContext, id: string) => (await ctx.app.inject({ url: `/v1/daily-summaries/${id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;

t.test('a day of receipts reaches the tax authority by itself: summaries per department, supplements, replies, in order, once', async (t) => {
  const clock = new TestClock(dayOfThisYear('05-20'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const receiver = await startReceiver({ refuse: { taxCode: '0100000013', reason: 'Mã số thuế chưa đăng ký sử dụng biên lai' } });
  t.teardown(async () => {
    await receiver.close();
    await ctx.close();
  });
  const config = loadConfig({ DATA_DIR: await tempDir(t, 'tax-'), TAX_TRANSPORT: 'https', TAX_ENDPOINT: receiver.url });
  const transport = httpsTransport({ endpoint: receiver.url });
  const round = () => taxRound(ctx.database.db, { config, signer: ctx.signer, transport, now: clock.now });

  const day = clock.date;
  const a = (await issue(ctx, receipt('STP', 'STP-LLTP'))).json();
  const b = (await issue(ctx, receipt('STP', 'STP-CCHN', 'Trần Thị Bình'))).json();
  const c = (await issue(ctx, receipt('SXD', 'SXD-TDTK'))).json();
  const n = (await issue(ctx, receipt('SNNMT', 'SNNMT-TDHS'))).json();

  // Nothing is due while the day lasts.
  t.same((await round()).made, [], 'no summary of a day that has not ended');

  clock.set(addDays(day, 1), '00:05:00');
  const first = await round();
  t.same(
    first.made.map((m) => [m.dataId, m.supplement, m.sequence, m.receipts]),
    [
      [`TH-${day}-SNNMT`, 0, 1, 1],
      [`TH-${day}-STP`, 0, 1, 2],
      [`TH-${day}-SXD`, 0, 1, 1],
    ],
    'one summary per collecting organisation, made without anyone asking',
  );
  t.same(first.sent, { sent: 3, failed: 0, waiting: false });
  t.same((await round()).made, [], 'made once');

  const [stp] = await summaries(ctx, `?date=${day}&department=STP`);
  const xml = await summaryXml(ctx, stp!.id);
  const text = xml.toString();
  t.match(
    text,
    `<MSo>01/TH-BLĐT</MSo><Ten>Bảng tổng hợp dữ liệu biên lai điện tử gửi cơ quan thuế</Ten><SBTHDLieu>1</SBTHDLieu><LKDLieu>N</LKDLieu><KDLieu>${day}</KDLieu><LDau>1</LDau><BSLThu>0</BSLThu>`,
  );
  t.match(text, '<TNNT>Sở Tư pháp tỉnh Demo</TNNT><MST>0100000011</MST><DVTTe>VND</DVTTe>');
  t.match(
    text,
    `<DLieu><STT>1</STT><KHMSBLai>EBL01</KHMSBLai><KHBLai>${a.series}</KHBLai><SBLai>${a.number}</SBLai><NLap>${day}</NLap><TPLPhi>Phí cung cấp thông tin lý lịch tư pháp</TPLPhi><TgTien>200000</TgTien><TGia>1</TGia><TThai>0</TThai><GChu>Mới</GChu></DLieu>`,
  );
  t.match(text, `<SBLai>${b.number}</SBLai>`);
  t.match(text, '<SLuong>2</SLuong><TgTien>300000</TgTien>');
  t.match(text, /<DSCKS><NNT><Signature /);
  t.ok((await xmllintValidate(xml, 'schemas/daily-summary.xsd')).ok, 'valid against daily-summary.xsd');
  t.ok((await xmlsecVerify(xml, { idElement: 'DLBTHop' })).ok, 'xmlsec1 verifies it');
  const verdict = (await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: xml })).json();
  t.equal(verdict.valid, true, 'our verifier: valid');
  t.match(verdict.checks.find((c: { name: string }) => c.name === 'record-match').reason, "lists every one of the day's 2 receipts");

  // What arrived: each in its envelope, accepted, except the department the receiver refuses.
  t.equal(receiver.received.size, 3);
  const sent = await transmissions(ctx);
  t.same(sent.map((m) => [m.messageType, m.documentDate, m.taxCode, m.status, m.attempts.length]).sort(), [
    [400, day, '0100000011', 'accepted', 1],
    [400, day, '0100000012', 'accepted', 1],
    [400, day, '0100000013', 'rejected', 1],
  ]);
  const rejected = sent.find((m) => m.status === 'rejected')!;
  t.same(rejected.reply, { type: 999, code: '8', text: '8: Mã số thuế chưa đăng ký sử dụng biên lai', at: rejected.reply!.at });
  for (const m of sent) {
    t.match(m.messageCode, /^V0100000001[0-9A-F]{32}$/, 'MTDiep: sender code and an upper-case UUID without dashes');
    t.equal(receiver.received.get(m.messageCode)?.deliveries, 1);
  }
  const rejectedList = await transmissions(ctx, '?status=rejected');
  t.equal(rejectedList.length, 1, 'accountants see the rejection');

  // A late correction: receipt a is replaced and an error notice is filed on c, the next day.
  const replacement = (await correct(ctx, a.id, 'replacement', { ...receipt('STP', 'STP-CCHN'), reason: 'Thu nhầm loại phí' })).json();
  t.equal(replacement.replaces?.number ?? a.number, a.number);
  const notice = await correct(ctx, c.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
  t.equal(notice.statusCode, 200);
  const late = await round();
  t.same(
    late.made.map((m) => [m.dataId, m.supplement, m.sequence, m.receipts]),
    [
      [`TH-${day}-STP-BS1`, 1, 2, 1],
      [`TH-${day}-SXD-BS1`, 1, 2, 1],
    ],
    'the changed rows go in supplements of their own day; nothing already reported is rewritten',
  );
  t.same(late.sent, { sent: 3, failed: 0, waiting: false }, 'the error notice first (made first), then the two supplements');
  const notices = await transmissions(ctx, '?documentType=error-notice');
  t.same(
    notices.map((m) => [m.messageType, m.taxCode, m.status, m.documentId]),
    [[300, '0100000012', 'accepted', notice.json().id]],
    'the error notice went to the tax authority through the outbox, from the transaction that issued it',
  );
  const [bs] = await summaries(ctx, `?date=${day}&department=STP`);
  t.equal(bs!.supplement, 1, 'newest first');
  const bsText = (await summaryXml(ctx, bs!.id)).toString();
  t.match(bsText, '<LDau>0</LDau><BSLThu>1</BSLThu>');
  t.match(
    bsText,
    `<SBLai>${a.number}</SBLai><NLap>${day}</NLap><TPLPhi>Phí cung cấp thông tin lý lịch tư pháp</TPLPhi><TgTien>200000</TgTien><TGia>1</TGia><TThai>5</TThai><LKDLDChinh>N</LKDLDChinh><KDLDChinh>${day}</KDLDChinh><KHMSBLLQuan>EBL01</KHMSBLLQuan><KHBLLQuan>${replacement.series}</KHBLLQuan><SBLLQuan>${replacement.number}</SBLLQuan>`,
  );
  t.notMatch(bsText, `<SBLai>${b.number}</SBLai>`, 'the unchanged row is not reported again');
  t.ok((await xmllintValidate(await summaryXml(ctx, bs!.id), 'schemas/daily-summary.xsd')).ok);
  const bsVerdict = (
    await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: await summaryXml(ctx, bs!.id) })
  ).json();
  t.equal(bsVerdict.valid, true, 'a supplement verifies, record match included');
  const [sxd] = await summaries(ctx, `?date=${day}&department=SXD`);
  t.match(
    (await summaryXml(ctx, sxd!.id)).toString(),
    `<SBLai>${c.number}</SBLai><NLap>${day}</NLap><TPLPhi>Phí thẩm định thiết kế xây dựng</TPLPhi><TgTien>500000</TgTien><TGia>1</TGia><TThai>6</TThai>`,
  );

  // The replacement is a receipt of its own day, reported then with the receipt it replaces.
  clock.set(addDays(day, 2), '08:00:00');
  const next = await round();
  t.same(
    next.made.map((m) => m.dataId),
    [`TH-${addDays(day, 1)}-STP`],
  );
  t.match((await summaryXml(ctx, next.made[0]!.id)).toString(), `<TThai>3</TThai><KHMSBLLQuan>EBL01</KHMSBLLQuan><KHBLLQuan>${a.series}</KHBLLQuan><SBLLQuan>${a.number}</SBLLQuan>`);
  t.equal(n.department.code, 'SNNMT');

  // The receiver goes down: attempts fail with back-off, and nothing overtakes the head of the queue.
  receiver.setDown(true);
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  await issue(ctx, receipt('SXD', 'SXD-TDTK'));
  clock.set(addDays(day, 3), '08:00:00');
  const down = await round();
  t.equal(down.made.length, 2);
  t.match(down.sent, { sent: 0, failed: 1, waiting: false, error: /answered 503: down for maintenance/ }, 'a failure stops the pass');
  const [behind, head] = await transmissions(ctx, '?status=pending');
  t.match(head!.attempts[0]!.detail, /answered 503/);
  t.same(behind!.attempts, [], 'the message behind it is not tried before it');
  t.same((await round()).sent, { sent: 0, failed: 0, waiting: true }, 'waits its back-off');
  // Still down after the back-off, and still pending a week later: flagged.
  clock.advance(backoffMs(1) + 1000);
  t.match((await round()).sent, { sent: 0, failed: 1, waiting: false, error: /answered 503: down for maintenance/ });
  const metrics = (await ctx.app.inject({ url: '/metrics', headers: auth(ctx.keys.admin) })).body;
  t.match(metrics, `\ntax_outbox_oldest_pending_seconds ${backoffMs(1) / 1000 + 1}\n`, "the oldest unsent message's age");
  t.match(metrics, '\ntax_messages_rejected 1\n', 'the refused messages');
  clock.set(addWorkingDays(addDays(day, 2), 4), '09:00:00');
  t.equal((await transmissions(ctx, '?status=pending'))[0]!.overdue, true, 'a summary older than 3 working days is flagged');
  receiver.setDown(false);
  const caughtUp = await round();
  t.same(caughtUp.sent, { sent: 2, failed: 0, waiting: false }, 'everything pending goes out when the receiver is back');
  t.same([...receiver.received.keys()].slice(-2), [head!.messageCode, behind!.messageCode], 'in order');
  t.equal((await transmissions(ctx, '?status=pending')).length, 0);
});

t.test('a crash between delivery and recording sends the message again under the same code; the receiver keeps it once', async (t) => {
  const clock = new TestClock(dayOfThisYear('06-10'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const receiver = await startReceiver();
  t.teardown(async () => {
    await receiver.close();
    await ctx.close();
  });
  const config = loadConfig({ DATA_DIR: await tempDir(t, 'tax-'), TAX_TRANSPORT: 'off' });
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  await issue(ctx, receipt('SXD', 'SXD-TDTK'));
  clock.set(addDays(clock.date, 1), '01:00:00');
  const made = await taxRound(ctx.database.db, { config, signer: ctx.signer, transport: null, now: clock.now });
  t.equal(made.made.length, 2, 'made with transmission off: the outbox keeps them');

  const https = httpsTransport({ endpoint: receiver.url });
  let crashes = 1;
  const crashing: Transport = {
    name: 'https',
    async deliver(code, envelope) {
      const result = await https.deliver(code, envelope);
      if (crashes-- > 0) throw new Error('the process died before recording the delivery');
      return result;
    },
  };
  t.match(await sendPending(ctx.database.db, crashing, clock.now), { sent: 0, failed: 1, waiting: false, error: 'the process died before recording the delivery' });
  clock.advance(backoffMs(1));
  t.same(await sendPending(ctx.database.db, crashing, clock.now), { sent: 2, failed: 0, waiting: false });
  const list = await transmissions(ctx);
  t.same(
    list.map((m) => m.status),
    ['accepted', 'accepted'],
  );
  t.equal(receiver.received.size, 2, 'each message received once');
  t.same([...receiver.received.values()].map((m) => m.deliveries).sort(), [1, 2], 'the first arrived twice under one code');

  // Two senders at once (two servers): one holds the queue.
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  clock.set(addDays(clock.date, 1), '01:00:00');
  await taxRound(ctx.database.db, { config, signer: ctx.signer, transport: null, now: clock.now });
  // A slow intermediary, so the two senders overlap.
  const slow: Transport = {
    name: 'https',
    deliver: async (code, envelope) => {
      await new Promise((r) => setTimeout(r, 300));
      return https.deliver(code, envelope);
    },
  };
  const both = await Promise.all([sendPending(ctx.database.db, slow, clock.now), sendPending(ctx.database.db, slow, clock.now)]);
  t.equal(both[0].sent + both[1].sent, 1, 'sent once');
  t.equal(receiver.received.size, 3);
  t.same([...receiver.received.values()].map((m) => m.deliveries).sort(), [1, 1, 2]);
});

t.test('the folder transport writes each message once, whole, named by its code', async (t) => {
  const clock = new TestClock(dayOfThisYear('07-01'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const dir = await tempDir(t, 'tax-outbox-');
  t.teardown(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  const config = loadConfig({ DATA_DIR: dir, TAX_FOLDER: dir, TAX_SENDER_CODE: 'V0109999999' });
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  clock.set(addDays(clock.date, 1), '01:00:00');
  const r = await taxRound(ctx.database.db, { config, signer: ctx.signer, transport: folderTransport(dir), now: clock.now });
  t.same(r.sent, { sent: 1, failed: 0, waiting: false });
  const files = (await readdir(dir)).filter((f) => f.endsWith('.xml'));
  t.equal(files.length, 1);
  t.match(files[0]!, /^V0109999999[0-9A-F]{32}\.xml$/);
  const env = parseEnvelope(await readFile(path.join(dir, files[0]!), 'utf8'))!;
  t.same([env.senderCode, env.receiverCode, env.messageType, env.taxCode, env.count, env.documents[0]!.localName], ['V0109999999', 'TCT', 400, '0100000011', 1, 'BTHDLieu']);
  t.ok((await xmllintValidate(await readFile(path.join(dir, files[0]!)), 'schemas/envelope.xsd')).ok, 'the envelope is valid against envelope.xsd');
  t.same(
    (await transmissions(ctx)).map((m) => [m.status, m.reply]),
    [['sent', null]],
    'sent, no reply: someone uploads it on the portal',
  );
  // Again: the same bytes, no second file.
  const again = await folderTransport(dir).deliver(env.messageCode, await readFile(path.join(dir, files[0]!)));
  t.match(again.detail, /^already in /);
});

t.test('summaries on request, and bad input', async (t) => {
  const clock = new TestClock(dayOfThisYear('08-12'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(() => ctx.close());
  const day = clock.date;
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  const post = (body: unknown, key = ctx.keys.accountant) => ctx.app.inject({ method: 'POST', url: '/v1/daily-summaries', headers: auth(key), payload: body as object });
  const today = await post({ date: day });
  t.equal(today.statusCode, 422);
  t.equal(today.json().code, 'DAY_NOT_ENDED');
  t.equal((await post({ date: '2026-02-30' })).statusCode, 400);
  t.equal((await post({})).json().code, 'VALIDATION_FAILED');
  t.equal((await post({ date: addDays(day, -1) }, ctx.keys.cashier)).statusCode, 403);
  t.same(await summaries(ctx), [], 'nothing made by refused requests');
  t.equal((await ctx.app.inject({ url: '/v1/transmissions?status=lost', headers: auth(ctx.keys.auditor) })).statusCode, 400);
  t.equal((await ctx.app.inject({ url: '/v1/transmissions', headers: auth(ctx.keys.cashier) })).statusCode, 403);
  t.equal((await ctx.app.inject({ url: '/v1/daily-summaries?cursor=!!', headers: auth(ctx.keys.auditor) })).statusCode, 400);
  const noDept = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${addDays(day, -1)}`, headers: auth(ctx.keys.accountant) });
  t.equal(noDept.statusCode, 400);
  t.equal(noDept.json().errors[0].field, 'querystring.department');

  clock.set(addDays(day, 1), '00:00:01');
  const made = await post({ date: day });
  t.equal(made.statusCode, 201);
  t.same(
    made.json().data.map((m: { dataId: string }) => m.dataId),
    [`TH-${day}-STP`],
  );
  t.same((await post({ date: day })).json().data, [], 'nothing new the second time');
  const viaReport = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=STP`, headers: auth(ctx.keys.auditor) });
  t.equal(viaReport.statusCode, 200);
  t.equal(viaReport.rawPayload.equals(await summaryXml(ctx, made.json().data[0].id)), true, 'the report route serves the same stored bytes');
  const pending = await transmissions(ctx);
  t.same(
    pending.map((m) => [m.status, m.overdue]),
    [['pending', false]],
    'in the outbox from the transaction that made it',
  );
});

t.test('configuration of the transport is checked at start', async (t) => {
  t.throws(() => loadConfig({ TAX_TRANSPORT: 'https' }), /TAX_ENDPOINT: is required when TAX_TRANSPORT=https/);
  t.throws(() => loadConfig({ TAX_TRANSPORT: 'https', TAX_ENDPOINT: 'https://tctn.example.vn/in', TAX_CLIENT_CERT_FILE: '/x.pem' }), /TAX_CLIENT_KEY_FILE: mutual TLS needs both/);
  t.throws(() => loadConfig({ TAX_SENDER_CODE: 'v-01' }), /TAX_SENDER_CODE/);
  t.equal(loadConfig({ DATA_DIR: '/srv/receipts' }).TAX_FOLDER, '/srv/receipts/tax-outbox');
  t.equal(addWorkingDays('2026-11-27', 3), '2026-12-02', 'Friday + 3 working days is Wednesday');
});

t.test('receipts tax run: the daily job from the command line', async (t) => {
  const yesterday = addDays(vietnamDate(new Date()), -1);
  const ctx = await testApp('postgres', { clock: new TestClock(yesterday).now });
  const dataDir = await tempDir(t, 'tax-cli-');
  t.teardown(async () => {
    await ctx.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('node', ['bin/receipts.js', 'tax', 'run', ...args], { env: { ...process.env, DATABASE_URL: ctx.database.url!, DATA_DIR: dataDir, TAX_TRANSPORT: 'folder' } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const bad = await cli(['--date', `${yesterday.slice(0, 4)}-02-30`]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /date|Invalid/i);
  const first = await cli([]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, `made TH-${yesterday}-STP (first submission, Số 1, 1 rows)`);
  t.match(first.stdout, 'outbox: 1 sent, 0 failed');
  t.equal((await readdir(path.join(dataDir, 'tax-outbox'))).filter((f) => f.endsWith('.xml')).length, 1);
  const again = await cli([]);
  t.notMatch(again.stdout, 'made ');
  t.match(again.stdout, 'outbox: 0 sent, 0 failed');
});

/** A CA, and certificates it issues for TLS: the receiver's (for 127.0.0.1) and a client's. */
function tlsPki() {
  const make = (cn: string, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null, ext: object[]) => {
    const keys = forge.pki.rsa.generateKeyPair(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = `4${Math.floor(Math.random() * 1e12).toString(16)}`;
    cert.validity.notBefore = new Date(Date.now() - 3_600_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ name: 'commonName', value: cn }]);
    cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: 'commonName', value: cn }]);
    cert.setExtensions(ext);
    cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create());
    return { cert, key: keys.privateKey, certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
  };
  const ca = make('Test TCTN CA', null, [
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ]);
  const leaf = (cn: string, ext: object) => make(cn, ca, [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, ext]);
  return {
    ca,
    server: leaf('127.0.0.1', { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }),
    client: leaf('Trung tâm Demo', { name: 'extKeyUsage', clientAuth: true }),
  };
}

t.test('the HTTPS transport speaks mutual TLS: with the client certificate the message is delivered, without it nothing is', async (t) => {
  const pki = tlsPki();
  const receiver = await startReceiver({ tls: { key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem } });
  const clock = new TestClock(dayOfThisYear('09-14'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(async () => {
    await receiver.close();
    await ctx.close();
  });
  t.match(receiver.url, /^https:\/\/127\.0\.0\.1:\d+\/messages$/);
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  clock.set(addDays(clock.date, 1), '01:00:00');
  const config = loadConfig({ DATA_DIR: await tempDir(t, 'tax-'), TAX_TRANSPORT: 'off' });
  await taxRound(ctx.database.db, { config, signer: ctx.signer, transport: null, now: clock.now });

  const anonymous = httpsTransport({ endpoint: receiver.url, ca: Buffer.from(pki.ca.certPem) });
  t.match(await sendPending(ctx.database.db, anonymous, clock.now), { sent: 0, failed: 1, waiting: false, error: String }, 'no client certificate: refused');
  t.equal(receiver.received.size, 0);
  const untrusted = httpsTransport({ endpoint: receiver.url, clientCert: Buffer.from(pki.client.certPem), clientKey: Buffer.from(pki.client.keyPem) });
  clock.advance(backoffMs(1));
  t.match(
    await sendPending(ctx.database.db, untrusted, clock.now),
    { sent: 0, failed: 1, waiting: false, error: /certificate/ },
    'an endpoint whose certificate does not chain to TAX_CA_FILE: not trusted',
  );
  const [failed] = await transmissions(ctx);
  t.equal(failed!.attempts.length, 2);
  t.match(failed!.attempts[1]!.detail, /self[- ]signed|unable to verify|certificate/i);

  const mutual = httpsTransport({ endpoint: receiver.url, clientCert: Buffer.from(pki.client.certPem), clientKey: Buffer.from(pki.client.keyPem), ca: Buffer.from(pki.ca.certPem) });
  clock.advance(backoffMs(2));
  t.same(await sendPending(ctx.database.db, mutual, clock.now), { sent: 1, failed: 0, waiting: false });
  t.same(
    (await transmissions(ctx)).map((m) => [m.status, m.reply?.type, m.attempts.length]),
    [['accepted', 999, 3]],
  );
  t.equal(receiver.received.size, 1);
});

t.test('a correction that commits while the day is being reported is not lost: the job waits for it and reports it', async (t) => {
  const clock = new TestClock(dayOfThisYear('10-20'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(() => ctx.close());
  const config = loadConfig({ DATA_DIR: await tempDir(t, 'tax-'), TAX_TRANSPORT: 'off' });
  const round = () => taxRound(ctx.database.db, { config, signer: ctx.signer, transport: null, now: clock.now });
  const day = clock.date;
  const a = (await issue(ctx, receipt('STP', 'STP-LLTP'))).json();
  const b = (await issue(ctx, receipt('STP', 'STP-LLTP', 'Trần Thị Bình'))).json();
  clock.set(addDays(day, 1), '08:00:00');
  t.equal((await round()).made.length, 1);
  // A first change leaves the day marked; a second is under way, not yet committed.
  t.equal((await correct(ctx, a.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' })).statusCode, 200);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const change = ctx.database.db.transaction(async (tx) => {
    await tx.query(`UPDATE receipts SET status = 'replaced' WHERE id = $1`, [b.id]);
    entered();
    await gate;
  });
  await inside;
  let done = false;
  const job = round().then((r) => {
    done = true;
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 400));
  t.equal(done, false, 'the job waits for the change in flight');
  release();
  await change;
  const result = await job;
  t.same(
    result.made.map((m) => [m.dataId, m.receipts]),
    [[`TH-${day}-STP-BS1`, 2]],
    'both changes in the supplement',
  );
  const text = (await summaryXml(ctx, result.made[0]!.id)).toString();
  t.match(text, `<SBLai>${a.number}</SBLai><NLap>${day}</NLap><TPLPhi>Phí cung cấp thông tin lý lịch tư pháp</TPLPhi><TgTien>200000</TgTien><TGia>1</TGia><TThai>6</TThai>`);
  t.match(text, `<SBLai>${b.number}</SBLai><NLap>${day}</NLap><TPLPhi>Phí cung cấp thông tin lý lịch tư pháp</TPLPhi><TgTien>200000</TgTien><TGia>1</TGia><TThai>5</TThai>`);
  t.same((await round()).made, [], 'nothing left over');
});

t.test('replies that answer another message, or are not replies, settle nothing; a day that cannot be made holds nothing back', async (t) => {
  const { createServer } = await import('node:http');
  const { buildReply } = await import('../../src/tax/envelope.ts');
  let answer: (code: string) => string = () => '';
  const endpoint = createServer((req, res) => {
    const code = String(req.headers['x-message-code']);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/xml' }).end(answer(code)));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/in`;
  const clock = new TestClock(dayOfThisYear('11-03'));
  let failSigning = false;
  const base = await (await import('../helpers/app.ts')).devFileSigner();
  const signer = new Proxy(base, {
    get(target, prop) {
      if (prop === 'sign')
        return async (data: Buffer) => {
          if (failSigning) throw new Error('token removed');
          return target.sign(data);
        };
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const ctx = await testApp('postgres', { clock: clock.now, signer });
  t.teardown(async () => {
    await ctx.close();
    await new Promise((resolve) => endpoint.close(resolve));
  });
  const config = loadConfig({ DATA_DIR: await tempDir(t, 'tax-'), TAX_TRANSPORT: 'https', TAX_ENDPOINT: url });
  const transport = httpsTransport({ endpoint: url });
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  const day1 = clock.date;
  clock.set(addDays(day1, 1), '09:00:00');
  await issue(ctx, receipt('STP', 'STP-LLTP'));

  // The token is away while day 1 is made: later days are not held back by it, nor is the outbox.
  clock.set(addDays(day1, 2), '00:30:00');
  failSigning = true;
  const blocked = await taxRound(ctx.database.db, { config, signer, transport: null, now: clock.now });
  t.same(blocked.made, []);
  t.same(
    blocked.failed.map((f) => f.day),
    [day1, addDays(day1, 1)],
  );
  t.match(blocked.failed[0]!.reason, /could not be signed/);
  failSigning = false;

  const ok = { accepted: true, reasons: [] };
  const reply = (answers: string, type = 999) => buildReply({ senderCode: 'TCT', receiverCode: 'V0100000001', answers, taxCode: '0100000011', type }, ok).toString();
  answer = () => reply('V0100000001FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF');
  const first = await taxRound(ctx.database.db, { config, signer, transport, now: clock.now });
  t.same(
    first.made.map((m) => m.date),
    [day1, addDays(day1, 1)],
  );
  t.match(first.sent, { sent: 0, failed: 1, waiting: false, error: /without a reply envelope \(type 999 or 204\)/ }, 'a reply to another message is no reply');
  answer = (code) => reply(code).replace(/<MLTDiep>999<\/MLTDiep>/, '<MLTDiep>abc</MLTDiep>');
  clock.advance(backoffMs(1));
  t.match(await sendPending(ctx.database.db, transport, clock.now), { sent: 0, failed: 1, waiting: false, error: /without a reply envelope/ }, 'nor one without a number as its type');
  answer = (code) => reply(code, 400);
  clock.advance(backoffMs(2));
  t.match(await sendPending(ctx.database.db, transport, clock.now), { sent: 0, failed: 1, waiting: false, error: /without a reply envelope/ }, 'nor a message of another type');
  const [head] = (await transmissions(ctx)).filter((m) => m.documentDate === day1);
  t.same(
    head!.attempts.map((a) => a.outcome),
    ['failed', 'failed', 'failed'],
    'each attempt recorded, with its back-off',
  );
  t.match(head!.attempts[1]!.detail, /without a reply envelope \(type 999 or 204\) to V0100000001[0-9A-F]{32}/);
  answer = (code) => reply(code);
  clock.advance(backoffMs(3));
  t.same(await sendPending(ctx.database.db, transport, clock.now), { sent: 2, failed: 0, waiting: false });
  t.same(
    (await transmissions(ctx)).map((m) => m.status),
    ['accepted', 'accepted'],
  );
});

t.test('summaries of one department made at once for two days get different numbers (Số)', async (t) => {
  const clock = new TestClock(dayOfThisYear('11-10'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(() => ctx.close());
  const day1 = clock.date;
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  clock.set(addDays(day1, 1));
  await issue(ctx, receipt('STP', 'STP-LLTP'));
  clock.set(addDays(day1, 2));
  const post = (date: string) => ctx.app.inject({ method: 'POST', url: '/v1/daily-summaries', headers: auth(ctx.keys.accountant), payload: { date } });
  const both = await Promise.all([post(day1), post(addDays(day1, 1))]);
  t.same(
    both.map((r) => r.statusCode),
    [201, 201],
  );
  t.same(both.flatMap((r) => r.json().data.map((m: { sequence: number }) => m.sequence)).sort(), [1, 2]);
});

t.test('in production the endpoint must be HTTPS', async (t) => {
  const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNING_KEY_FILE: '/k', SIGNING_CERT_FILE: '/c', TAX_TRANSPORT: 'https' };
  t.throws(() => loadConfig({ ...prod, TAX_ENDPOINT: 'http://tctn.example.vn/in' }), /TAX_ENDPOINT="http:\/\/tctn\.example\.vn\/in": must be https:\/\/ when NODE_ENV=production/);
  t.doesNotThrow(() => loadConfig({ ...prod, TAX_ENDPOINT: 'https://tctn.example.vn/in' }));
});
