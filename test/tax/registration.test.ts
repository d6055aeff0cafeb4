import t from 'tap';
import { createHash, X509Certificate } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config/config.ts';
import { buildReply, parseEnvelope, REPLY_RESULT, REPLY_TECHNICAL } from '../../src/tax/envelope.ts';
import { startReceiver } from '../../src/tax/receiver.ts';
import { sendPending } from '../../src/tax/sender.ts';
import { folderTransport, httpsTransport } from '../../src/tax/transports.ts';
import { vietnamLocalTime } from '../../src/time/vietnam.ts';
import { createRegistration } from '../../src/tax/registration.ts';
import { auth, testApp, type TestContext } from '../helpers/app.ts';
import { devFileSigner, newTestPki } from '../helpers/pki.ts';
import { addDays, dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';
import { tempDir } from '../helpers/temp.ts';

const contact = { name: 'Lê Thị Hoa', address: '1 Trần Phú, Tỉnh Demo', email: 'ketoan@tthcc.demo.vn', phone: '0236 3822 111' };

const call = (ctx: TestContext, key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => ctx.app.inject({ method, url, headers: auth(key), ...(payload ? { payload } : {}) });

async function transmissionOf(ctx: TestContext, documentId: string) {
  const all = (await call(ctx, ctx.keys.auditor, 'GET', '/v1/transmissions?documentType=registration')).json().data as Array<{
    id: string;
    documentId: string;
    messageCode: string;
    messageType: number;
    status: string;
  }>;
  return all.find((m) => m.documentId === documentId)!;
}

t.test('a registration 01/ĐKTĐ-CTĐT declares the center, its certificate and each delegation; signed, stored, sent, answered', async (t) => {
  const clock = new TestClock(dayOfThisYear('03-02'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const receiver = await startReceiver();
  t.teardown(async () => {
    await receiver.close();
    await ctx.close();
  });
  const today = clock.date;
  const yy = today.slice(2, 4);
  const admin = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => call(ctx, ctx.keys.admin, method, url, payload);

  const stp = await admin('POST', '/v1/series', {
    series: `${yy}TQP`,
    department: 'STP',
    rangeFrom: 1,
    rangeTo: 5000,
    delegation: { notifiedOn: today, from: addDays(today, 5), to: `${today.slice(0, 4)}-12-31` },
  });
  const sxd = await admin('POST', '/v1/series', {
    series: `${yy}TQX`,
    department: 'SXD',
    rangeFrom: 101,
    rangeTo: 900,
    delegation: { notifiedOn: addDays(today, -10), from: addDays(today, -7), to: addDays(today, 60) },
  });
  t.equal(stp.statusCode, 201, stp.body);
  t.equal(sxd.statusCode, 201, sxd.body);

  // Bad input, the wrong role, a center without its tax office: refused, nothing made.
  const badEmail = await admin('POST', '/v1/registrations', { contact: { ...contact, email: 'not an address' } });
  t.equal(badEmail.statusCode, 400);
  t.equal(badEmail.json().errors[0].field, 'body.contact.email');
  const badPhone = await admin('POST', '/v1/registrations', { contact: { ...contact, phone: '<script>' } });
  t.equal(badPhone.json().errors[0].field, 'body.contact.phone');
  t.equal((await admin('POST', '/v1/registrations', { contact, extra: 1 })).statusCode, 400, 'unknown fields refused');
  t.equal((await call(ctx, ctx.keys.accountant, 'POST', '/v1/registrations', { contact })).statusCode, 403, 'an accountant does not file it');
  t.equal((await call(ctx, ctx.keys.cashier, 'GET', '/v1/registrations')).statusCode, 403, 'a cashier does not read it');
  const center = (await admin('GET', '/v1/center')).json();
  const { taxOffice, ...withoutOffice } = center;
  t.equal((await admin('PUT', '/v1/center', withoutOffice)).statusCode, 200);
  const noOffice = await admin('POST', '/v1/registrations', { contact });
  t.equal(noOffice.statusCode, 409);
  t.equal(noOffice.json().code, 'TAX_OFFICE_NOT_SET');
  t.same((await admin('GET', '/v1/registrations')).json().data, [], 'nothing stored');
  t.same((await call(ctx, ctx.keys.auditor, 'GET', '/v1/transmissions')).json().data, [], 'nothing queued');
  t.equal((await admin('PUT', '/v1/center', { ...withoutOffice, taxOffice })).statusCode, 200);

  clock.set(today, '09:15:30');
  const made = await admin('POST', '/v1/registrations', { contact });
  t.equal(made.statusCode, 201, made.body);
  const first = made.json();
  t.match(first, { kind: 1, delegations: 2, status: 'pending', reply: null });
  t.match(first.dataId, /^DK-[0-9a-f-]{36}$/);

  const xml = (await admin('GET', `/v1/registrations/${first.id}/xml`)).rawPayload;
  const text = xml.toString();
  t.match(text, `<TKhai><DLTKhai Id="${first.dataId}"><TTChung><PBan>1.0</PBan><MSo>01/ĐKTĐ-CTĐT</MSo><Ten>Tờ khai đăng ký/thay đổi thông tin sử dụng chứng từ điện tử</Ten><HThuc>1</HThuc>`);
  t.match(text, '<TNNT>Trung tâm Phục vụ hành chính công tỉnh Demo</TNNT><MST>0100000001</MST><CQTQLy>Thuế tỉnh Demo</CQTQLy><MCQTQLy>101</MCQTQLy>');
  t.match(text, `<NLHe>Lê Thị Hoa</NLHe><DCLHe>1 Trần Phú, Tỉnh Demo</DCLHe><DCTDTu>ketoan@tthcc.demo.vn</DCTDTu><DTLHe>0236 3822 111</DTLHe><DDanh>Tỉnh Demo</DDanh><NLap>${today}</NLap>`);
  t.match(text, '<LHSDung><CTTNCNhan>0</CTTNCNhan><CTKTTTMDTu>0</CTKTTTMDTu><BLTPLPKIn>1</BLTPLPKIn><BLTPLPIn>0</BLTPLPIn><BLTTPLPhi>0</BLTTPLPhi></LHSDung>');
  t.match(text, '<HTGDLCTDT><CDLQCCQT>1</CDLQCCQT><CDLQTCTN>0</CDLQTCTN><CDLQTCTNUT>0</CDLQTCTNUT><CDLBTHop>1</CDLBTHop></HTGDLCTDT>', 'the folder transport: the portal');
  const cert = new X509Certificate(ctx.signer.certificateChain[0]!);
  t.match(
    text,
    `<Seri>${cert.serialNumber.toUpperCase()}</Seri><TNgay>${vietnamLocalTime(new Date(cert.validFrom))}</TNgay><DNgay>${vietnamLocalTime(new Date(cert.validTo))}</DNgay><HThuc>1</HThuc>`,
  );
  t.match(
    text,
    `<DKUNhiem><LDKUNhiem>2</LDKUNhiem><STT>1</STT><TLCTu>Biên lai thu phí, lệ phí không in sẵn mệnh giá</TLCTu><KHMCTu>EBL01</KHMCTu><KHCTu>${yy}TQP</KHCTu><TSo>1</TSo><DSo>5000</DSo><MST>0100000011</MST><TTChuc>Sở Tư pháp tỉnh Demo</TTChuc><MDich>Thu phí, lệ phí thủ tục hành chính tại bộ phận một cửa</MDich><TNgay>${addDays(today, 5)}</TNgay><DNgay>${today.slice(0, 4)}-12-31</DNgay><PThuc>Tiền mặt, chuyển khoản, thẻ, mã QR</PThuc></DKUNhiem>`,
  );
  t.match(text, `<STT>2</STT><TLCTu>Biên lai thu phí, lệ phí không in sẵn mệnh giá</TLCTu><KHMCTu>EBL01</KHMCTu><KHCTu>${yy}TQX</KHCTu><TSo>101</TSo><DSo>900</DSo><MST>0100000012</MST>`);
  t.equal((text.match(/<DKUNhiem>/g) ?? []).length, 2, 'the demo’s series without a delegation are not declared');
  t.match(text, /<DSCKS><NNT><Signature /);
  t.match(text, `<SigningTime xmlns="urn:receipts:signature-properties">${today}T09:15:30</SigningTime>`);
  t.ok((await xmllintValidate(xml, 'schemas/registration.xsd')).ok, 'valid against registration.xsd');
  t.ok((await xmlsecVerify(xml, { idElement: 'DLTKhai' })).ok, 'xmlsec1 verifies it');
  const verify = async (body: Buffer | string) =>
    (await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: body })).json();
  const verdict = await verify(xml);
  t.equal(verdict.valid, true, JSON.stringify(verdict.checks.filter((c: { passed: boolean }) => !c.passed)));
  t.equal(verdict.document.type, 'registration');
  t.match(verdict.checks.find((c: { name: string }) => c.name === 'record-match').reason, `byte for byte the stored registration ${first.dataId}`);
  const forged = await verify(text.replace('<DSo>5000</DSo>', '<DSo>9000</DSo>'));
  t.equal(forged.valid, false, 'a registration edited after signing fails');
  t.equal(forged.checks.find((c: { name: string }) => c.name === 'digest').passed, false, 'its digest no longer matches');

  // Stored once: the database refuses an edit or a removal.
  await t.rejects(ctx.database.db.query(`UPDATE registrations SET delegations = 3 WHERE id = $1`, [first.id]), /registrations: only nothing may change; UPDATE refused/);
  await t.rejects(ctx.database.db.query(`UPDATE registrations SET xml = $2 WHERE id = $1`, [first.id, Buffer.from('<TKhai/>')]), /UPDATE refused/);
  await t.rejects(ctx.database.db.query(`DELETE FROM registrations WHERE id = $1`, [first.id]), /registrations rows are kept for good: DELETE refused/);
  await t.rejects(ctx.database.db.query('TRUNCATE registrations CASCADE'), /kept for good/);

  // Through the outbox, in its envelope (type 100, the center's tax code), to a receiver that accepts it.
  const queued = await transmissionOf(ctx, first.id);
  t.equal(queued.messageType, 100);
  const sent = await sendPending(ctx.database.db, httpsTransport({ endpoint: receiver.url }), clock.now);
  t.same(sent, { sent: 1, failed: 0, waiting: false });
  const arrived = receiver.received.get(queued.messageCode)!;
  t.match(arrived, { messageType: 100, taxCode: '0100000001', accepted: true, deliveries: 1 });
  const accepted = (await call(ctx, ctx.keys.auditor, 'GET', `/v1/registrations/${first.id}`)).json();
  t.equal(accepted.status, 'accepted', 'the tax authority’s acceptance is recorded');
  t.equal(accepted.reply.code, 'accepted');

  // A termination, then a change (HThuc 2) that carries it: the last day is the day before it ends.
  clock.set(addDays(today, 20));
  const terminated = await admin('POST', `/v1/series/${sxd.json().id}/terminate`, { date: addDays(today, 25) });
  t.equal(terminated.statusCode, 200);
  const change = (await admin('POST', '/v1/registrations', { contact, purpose: 'Thu lệ phí cấp phép xây dựng', method: 'Chuyển khoản' })).json();
  t.match(change, { kind: 2, delegations: 2 });
  const changeXml = (await admin('GET', `/v1/registrations/${change.id}/xml`)).rawPayload.toString();
  t.match(changeXml, '<HThuc>2</HThuc>');
  t.match(
    changeXml,
    `<KHCTu>${yy}TQX</KHCTu><TSo>101</TSo><DSo>900</DSo><MST>0100000012</MST><TTChuc>Sở Xây dựng tỉnh Demo</TTChuc><MDich>Thu lệ phí cấp phép xây dựng</MDich><TNgay>${addDays(today, -7)}</TNgay><DNgay>${addDays(today, 24)}</DNgay><PThuc>Chuyển khoản</PThuc>`,
  );
  const list = (await call(ctx, ctx.keys.accountant, 'GET', '/v1/registrations')).json().data;
  t.same(
    list.map((r: { id: string; kind: number }) => [r.id, r.kind]),
    [
      [change.id, 2],
      [first.id, 1],
    ],
    'newest first',
  );

  // Long after, a delegation that ended before the previous registration is no longer declared.
  clock.set(addDays(today, 40));
  await admin('POST', '/v1/registrations', { contact });
  clock.set(addDays(today, 41));
  const later = (await admin('POST', '/v1/registrations', { contact })).json();
  t.equal(later.delegations, 1, 'only the delegation still running');

  // Two at once: one after the other, never two first registrations.
  const [x, y] = await Promise.all([admin('POST', '/v1/registrations', { contact }), admin('POST', '/v1/registrations', { contact })]);
  t.same([x.json().kind, y.json().kind], [2, 2]);

  // The auditor's re-verification of the period covers the registrations.
  const audit = (await call(ctx, ctx.keys.auditor, 'POST', '/v1/audit/verify-period', { from: today, to: addDays(today, 41) })).json();
  t.equal(audit.documents.registrations, 6);
  t.equal(audit.invalid, 0, JSON.stringify(audit.findings));
  // A record edited behind the guard's back (triggers off, as a superuser could) is found.
  await ctx.database.db.query('ALTER TABLE registrations DISABLE TRIGGER registrations_columns');
  await ctx.database.db.query(`UPDATE registrations SET xml_sha256 = repeat('0', 64) WHERE id = $1`, [first.id]);
  await ctx.database.db.query('ALTER TABLE registrations ENABLE TRIGGER registrations_columns');
  const tampered = (await call(ctx, ctx.keys.auditor, 'POST', '/v1/audit/verify-period', { from: today, to: addDays(today, 41) })).json();
  t.equal(tampered.invalid, 1);
  t.match(tampered.findings[0], {
    type: 'registration',
    label: `registration ${first.dataId}`,
    problems: [`xmlSha256: the record says "${'0'.repeat(64)}"; the stored registration hashes to "${first.xmlSha256}"`],
  });

  // The audit trail has each, as the admin.
  const events = (await call(ctx, ctx.keys.auditor, 'GET', '/v1/audit/events?action=registration.created')).json();
  t.same(
    events.data.map((e: { actor: string; details: { kind: number } }) => [e.actor, e.details.kind]),
    [
      ['test admin', 1],
      ['test admin', 2],
      ['test admin', 2],
      ['test admin', 2],
      ['test admin', 2],
      ['test admin', 2],
    ],
  );
});

t.test('the posting sheet lists the delegations in force on a day, and those ended early', async (t) => {
  const clock = new TestClock(dayOfThisYear('04-01'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(() => ctx.close());
  const today = clock.date;
  const yy = today.slice(2, 4);
  const admin = (url: string, payload: object) => call(ctx, ctx.keys.admin, 'POST', url, payload);
  await admin('/v1/series', { series: `${yy}TQP`, department: 'STP', rangeFrom: 1, rangeTo: 5000, delegation: { notifiedOn: addDays(today, -5), from: addDays(today, -5), to: addDays(today, 90) } });
  await admin('/v1/series', { series: `${yy}TQR`, department: 'SNNMT', rangeFrom: 1, rangeTo: 200, delegation: { notifiedOn: today, from: today, to: addDays(today, 90) } });
  const ended = (
    await admin('/v1/series', { series: `${yy}TQX`, department: 'SXD', rangeFrom: 1, rangeTo: 300, delegation: { notifiedOn: addDays(today, -30), from: addDays(today, -30), to: addDays(today, 30) } })
  ).json();
  await admin(`/v1/series/${ended.id}/terminate`, { date: today });

  const odd = await ctx.app.inject({ method: 'POST', url: '/v1/departments', headers: auth(ctx.keys.admin), payload: { code: 'SYT', name: 'Sở <b>Y tế</b> & "Dân số"', taxCode: '0100000015' } });
  t.equal(odd.statusCode, 201, odd.body);
  await admin('/v1/series', { series: `${yy}TQY`, department: 'SYT', rangeFrom: 1, rangeTo: 10, delegation: { notifiedOn: addDays(today, -5), from: addDays(today, -5), to: addDays(today, 5) } });
  const res = await ctx.app.inject({ url: '/public/delegations' });
  t.equal(res.statusCode, 200, 'no key: it is posted publicly');
  t.match(res.headers['content-type'], 'text/html');
  t.match(res.headers['content-security-policy'], "default-src 'none'");
  const html = res.body;
  const dmy = (d: string) => d.split('-').reverse().join('/');
  t.match(html, 'THÔNG BÁO ỦY NHIỆM LẬP BIÊN LAI ĐIỆN TỬ');
  t.match(html, `– ngày ${dmy(today)}`);
  const inForce = html.slice(html.indexOf('data-table="in-force"'), html.indexOf('</table>'));
  t.match(
    inForce,
    `Sở Tư pháp tỉnh Demo<br><small>MST 0100000011</small></td>\n  <td>EBL01</td><td>${yy}TQP</td>\n  <td class="n">0000001 – 0005000</td>\n  <td>${dmy(addDays(today, -2))} – ${dmy(addDays(today, 90))}</td>\n  <td>${dmy(addDays(today, -5))}</td>`,
  );
  t.notMatch(inForce, `${yy}TQR`, 'notified today: not in force until 3 days later');
  t.notMatch(inForce, `${yy}TQX`, 'terminated from today');
  t.match(inForce, 'Sở &lt;b&gt;Y tế&lt;/b&gt; &amp; &quot;Dân số&quot;<br>', 'names are escaped');
  t.notMatch(html, '<b>Y tế</b>');
  const terminated = html.slice(html.indexOf('data-table="terminated"'));
  t.match(terminated, `<td>${yy}TQX</td>\n  <td>${dmy(today)}</td>`);

  const later = (await ctx.app.inject({ url: `/public/delegations?date=${addDays(today, 3)}` })).body;
  t.match(later.slice(later.indexOf('data-table="in-force"'), later.indexOf('</table>')), `${yy}TQR`, 'in force from the third day');
  const bad = await ctx.app.inject({ url: '/public/delegations?date=2026-02-30' });
  t.equal(bad.statusCode, 400);
  t.equal((await ctx.app.inject({ url: '/public/delegations?date=x&y=1' })).statusCode, 400);

  const json = (await call(ctx, ctx.keys.cashier, 'GET', '/v1/delegations')).json().data;
  t.same(
    json.map((d: { series: string; inForce: boolean; firstIssuingDay: string; lastIssuingDay: string }) => [d.series, d.inForce, d.firstIssuingDay, d.lastIssuingDay]),
    [
      [`${yy}TQR`, false, addDays(today, 3), addDays(today, 90)],
      [`${yy}TQP`, true, addDays(today, -2), addDays(today, 90)],
      [`${yy}TQX`, false, addDays(today, -27), addDays(today, -1)],
      [`${yy}TQY`, true, addDays(today, -2), addDays(today, 5)],
    ],
  );
});

t.test('replies that come another way are recorded against their message; a refused summary is sent again as a supplement', async (t) => {
  const clock = new TestClock(dayOfThisYear('05-11'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const folder = await tempDir(t, 'tax-folder-');
  t.teardown(() => ctx.close());
  const reply = async (id: string, body: Buffer | string, key = ctx.keys.accountant) =>
    ctx.app.inject({ method: 'POST', url: `/v1/transmissions/${id}/reply`, headers: { ...auth(key), 'content-type': 'application/xml' }, payload: body });
  const answer = (messageCode: string, type: number, accepted: boolean) =>
    buildReply({ senderCode: 'TCT', receiverCode: 'V0100000001', answers: messageCode, taxCode: '0100000001', type }, { accepted, reasons: accepted ? [] : [{ code: '8', text: 'Sai định dạng' }] });

  const [made, twin] = (await Promise.all([1, 2].map(() => call(ctx, ctx.keys.admin, 'POST', '/v1/registrations', { contact })))).map((r) => r.json());
  t.same([made.kind, twin.kind].sort(), [1, 2], 'two at once: one first registration, then a change');
  const m = await transmissionOf(ctx, made.id);
  const early = await reply(m.id, answer(m.messageCode, REPLY_TECHNICAL, true));
  t.equal(early.statusCode, 409);
  t.equal(early.json().code, 'TRANSMISSION_NOT_SENT');

  // The folder transport: the file is dropped for the portal, and no reply comes back with it.
  t.same(await sendPending(ctx.database.db, folderTransport(folder), clock.now), { sent: 2, failed: 0, waiting: false });
  t.equal((await readdir(folder)).length, 2, 'one file per message');
  t.equal((await call(ctx, ctx.keys.admin, 'GET', `/v1/registrations/${made.id}`)).json().status, 'sent');

  const other = await reply(m.id, answer('V0100000001ABCDEF0123456789ABCDEF01234567', REPLY_TECHNICAL, true));
  t.equal(other.statusCode, 422, 'a reply to another message');
  t.equal(other.json().code, 'REPLY_NOT_FOR_MESSAGE');
  t.equal((await reply(m.id, '<TDiep><TTChung/></TDiep>')).json().code, 'REPLY_NOT_FOR_MESSAGE');
  const elsewhere = await reply(
    m.id,
    buildReply({ senderCode: 'TCT', receiverCode: 'V0999999999', answers: m.messageCode, taxCode: '0100000001', type: REPLY_TECHNICAL }, { accepted: true, reasons: [] }),
  );
  t.match(elsewhere.json(), { code: 'REPLY_NOT_FOR_MESSAGE', detail: 'the reply is addressed to V0999999999 about MST 0100000001; the message went from V0100000001 about MST 0100000001' });
  const otherTaxpayer = await reply(
    m.id,
    buildReply({ senderCode: 'TCT', receiverCode: 'V0100000001', answers: m.messageCode, taxCode: '0100000011', type: REPLY_TECHNICAL }, { accepted: true, reasons: [] }),
  );
  t.equal(otherTaxpayer.json().code, 'REPLY_NOT_FOR_MESSAGE', 'about another taxpayer');
  const mixed = answer(m.messageCode, REPLY_TECHNICAL, true).toString().replace(`<MTDTChieu>${m.messageCode}</MTDTChieu><TTTNhan>`, '<MTDTChieu>V0100000001OTHER</MTDTChieu><TTTNhan>');
  t.equal((await reply(m.id, mixed)).json().code, 'REPLY_NOT_FOR_MESSAGE', 'the notice inside answers another message');
  t.equal((await reply(m.id, 'not xml at all')).json().code, 'REPLY_NOT_FOR_MESSAGE');
  t.equal((await reply(m.id, answer(m.messageCode, REPLY_TECHNICAL, true), ctx.keys.auditor)).statusCode, 403, 'an auditor reads, does not record');
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/transmissions/${m.id}/reply`, headers: auth(ctx.keys.accountant), payload: { xml: 'x' } })).statusCode, 415);
  t.equal((await reply('00000000-0000-4000-8000-000000000000', answer(m.messageCode, REPLY_TECHNICAL, true))).json().code, 'TRANSMISSION_NOT_FOUND');
  t.equal((await call(ctx, ctx.keys.admin, 'GET', `/v1/registrations/${made.id}`)).json().status, 'sent', 'nothing recorded by a refused reply');

  const technical = await reply(m.id, answer(m.messageCode, REPLY_TECHNICAL, true));
  t.equal(technical.statusCode, 200, technical.body);
  t.match(technical.json(), { status: 'accepted', reply: { type: 999, code: 'accepted' } });
  t.equal((await reply(m.id, answer(m.messageCode, REPLY_TECHNICAL, false))).json().code, 'TRANSMISSION_SETTLED', 'a second technical receipt changes nothing');
  const result = await reply(m.id, answer(m.messageCode, REPLY_RESULT, false));
  t.match(result.json(), { status: 'rejected', reply: { type: 204, code: '8', text: '8: Sai định dạng' } }, 'the result follows the technical receipt');
  t.match((await call(ctx, ctx.keys.admin, 'GET', `/v1/registrations/${made.id}`)).json(), { status: 'rejected', reply: { code: '8', text: '8: Sai định dạng' } });
  t.equal((await reply(m.id, answer(m.messageCode, REPLY_RESULT, true))).json().code, 'TRANSMISSION_SETTLED', 'a result is final');
  const events = (await call(ctx, ctx.keys.auditor, 'GET', '/v1/audit/events?action=transmission.reply_recorded')).json().data;
  t.same(
    events.map((e: { actor: string; details: { replyType: number; accepted: boolean } }) => [e.actor, e.details.replyType, e.details.accepted]),
    [
      ['test accountant', 999, true],
      ['test accountant', 204, false],
    ],
  );
  const stored = (await ctx.database.db.query<{ reply_xml: Buffer }>('SELECT reply_xml FROM transmissions WHERE id = $1', [m.id])).rows[0]!.reply_xml;
  t.equal(events[1].details.replySha256, createHash('sha256').update(stored).digest('hex'), 'the trail keeps the hash of the reply stored');

  // A day's summary the receiver refuses, sent again once the reason is dealt with.
  const receiver = await startReceiver({ refuse: { taxCode: '0100000011', reason: 'Mã số thuế chưa đăng ký sử dụng biên lai' } });
  t.teardown(() => receiver.close());
  const issued = await ctx.app.inject({
    method: 'POST',
    url: '/v1/receipts',
    headers: { ...auth(ctx.keys.cashier), 'idempotency-key': 'r-1' },
    payload: { department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' },
  });
  t.equal(issued.statusCode, 201, issued.body);
  const day = clock.date;
  clock.set(addDays(day, 1), '00:10:00');
  const summaries = (await ctx.app.inject({ method: 'POST', url: '/v1/daily-summaries', headers: auth(ctx.keys.accountant), payload: { date: day } })).json().data;
  t.equal(summaries.length, 1);
  const summary = summaries[0];
  const notRefused = await ctx.app.inject({ method: 'POST', url: `/v1/daily-summaries/${summary.id}/resend`, headers: auth(ctx.keys.accountant) });
  t.equal(notRefused.statusCode, 409, 'a summary not refused is not sent again');
  t.equal(notRefused.json().code, 'SUMMARY_NOT_REJECTED');
  await sendPending(ctx.database.db, httpsTransport({ endpoint: receiver.url }), clock.now);
  const refused = (await call(ctx, ctx.keys.auditor, 'GET', '/v1/transmissions?documentType=daily-summary')).json().data[0];
  t.match(refused, { documentId: summary.id, status: 'rejected', reply: { code: '8', text: '8: Mã số thuế chưa đăng ký sử dụng biên lai' } });

  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/daily-summaries/${summary.id}/resend`, headers: auth(ctx.keys.cashier) })).statusCode, 403);
  // Two at once: one supplement, one refusal.
  const [one, two] = await Promise.all([1, 2].map(() => ctx.app.inject({ method: 'POST', url: `/v1/daily-summaries/${summary.id}/resend`, headers: auth(ctx.keys.accountant) })));
  const [resent, again] = one!.statusCode === 201 ? [one!, two!] : [two!, one!];
  t.equal(resent.statusCode, 201, resent.body);
  t.match(resent.json(), { dataId: `TH-${day}-STP-BS1`, supplement: 1, sequence: 2, receipts: 1, resends: summary.id });
  t.equal(again.statusCode, 409, 'once');
  t.match(again.json(), { code: 'SUMMARY_NOT_REJECTED', detail: `the summary TH-${day}-STP was already sent again as TH-${day}-STP-BS1` });
  const rows = (await ctx.database.db.query<{ receipt_id: string; state: string }>('SELECT receipt_id, state FROM summary_rows WHERE summary_id = $1', [resent.json().id])).rows;
  t.same(rows, [{ receipt_id: issued.json().id, state: 'issued:0' }], 'the supplement records the row it reports, in its state now');
  const xml = (await ctx.app.inject({ url: `/v1/daily-summaries/${resent.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  t.match(xml.toString(), `<LDau>0</LDau><BSLThu>1</BSLThu>`);
  t.match(xml.toString(), `<SBLai>${issued.json().number}</SBLai>`);
  t.ok((await xmllintValidate(xml, 'schemas/daily-summary.xsd')).ok);
  const queued = (await call(ctx, ctx.keys.auditor, 'GET', '/v1/transmissions?status=pending')).json().data;
  t.same(
    queued.map((q: { documentId: string }) => q.documentId),
    [resent.json().id],
    'in the outbox',
  );
  const envelope = parseEnvelope((await ctx.database.db.query<{ envelope: Buffer }>('SELECT envelope FROM transmissions WHERE document_id = $1', [resent.json().id])).rows[0]!.envelope.toString());
  t.equal(envelope?.taxCode, '0100000011');
  t.same(await summariesMadeByJob(ctx, day, clock.now()), [], 'the daily job has nothing more to make for the day');
});

async function summariesMadeByJob(ctx: TestContext, day: string, now: Date) {
  const { makeDaySummaries } = await import('../../src/tax/daily-summary.ts');
  return makeDaySummaries(ctx.database.db, day, { signer: ctx.signer, now, actor: { keyId: null, name: 'job' }, config: loadConfig({ DATA_DIR: tmpdir(), TAX_TRANSPORT: 'off' }) });
}

t.test('a change declares what changed since the registration the tax authority holds: same-day terminations, a refused first, a new certificate', async (t) => {
  const clock = new TestClock(dayOfThisYear('06-03'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const folder = await tempDir(t, 'tax-folder-');
  t.teardown(() => ctx.close());
  const today = clock.date;
  const yy = today.slice(2, 4);
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) => call(ctx, ctx.keys.admin, method, url, payload);
  const x = (
    await admin('POST', '/v1/series', {
      series: `${yy}TQX`,
      department: 'SXD',
      rangeFrom: 1,
      rangeTo: 300,
      delegation: { notifiedOn: addDays(today, -10), from: addDays(today, -7), to: addDays(today, 60) },
    })
  ).json();
  const y = (
    await admin('POST', '/v1/series', {
      series: `${yy}TQY`,
      department: 'STP',
      rangeFrom: 1,
      rangeTo: 300,
      delegation: { notifiedOn: addDays(today, -10), from: addDays(today, -7), to: addDays(today, 60) },
    })
  ).json();
  const register = async () => (await admin('POST', '/v1/registrations', { contact })).json();
  const xmlOf = async (id: string) => (await admin('GET', `/v1/registrations/${id}/xml`)).rawPayload.toString();

  // The first is refused: the next one is a first registration again, declaring everything.
  const refused = await register();
  t.equal(refused.kind, 1);
  await sendPending(ctx.database.db, folderTransport(folder), clock.now);
  const m = await transmissionOf(ctx, refused.id);
  const no = buildReply(
    { senderCode: 'TCT', receiverCode: 'V0100000001', answers: m.messageCode, taxCode: '0100000001', type: REPLY_RESULT },
    { accepted: false, reasons: [{ code: '9', text: 'Thiếu thông tin' }] },
  );
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: `/v1/transmissions/${m.id}/reply`, headers: { ...auth(ctx.keys.accountant), 'content-type': 'application/xml' }, payload: no })).json().status,
    'rejected',
  );
  clock.set(today, '10:00:00');
  const first = await register();
  t.match(first, { kind: 1, delegations: 2 }, 'a refused registration does not count');

  // A receipt on Y today: its delegation cannot end from today, only from tomorrow.
  const receipt = await ctx.app.inject({
    method: 'POST',
    url: '/v1/receipts',
    headers: { ...auth(ctx.keys.cashier), 'idempotency-key': 'y-1' },
    payload: { department: 'STP', series: `${yy}TQY`, payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' },
  });
  t.equal(receipt.statusCode, 201, receipt.body);
  const endY = await admin('POST', `/v1/series/${y.id}/terminate`, { date: today });
  t.equal(endY.statusCode, 400);
  t.match(endY.json(), { code: 'VALIDATION_FAILED', detail: `1 receipt(s) were issued on series ${y.id} today: the termination takes effect tomorrow at the earliest` });
  t.equal((await admin('GET', `/v1/series/${y.id}`)).json().terminatedOn, null, 'nothing changed');
  t.equal((await admin('POST', `/v1/series/${y.id}/terminate`, { date: addDays(today, 1) })).statusCode, 200);
  // X, without receipts today, ends from today, after this morning's registration: the next change declares it.
  t.equal((await admin('POST', `/v1/series/${x.id}/terminate`, { date: today })).statusCode, 200);
  clock.set(today, '15:00:00');
  const change = await register();
  t.match(change, { kind: 2, delegations: 2 });
  const text = await xmlOf(change.id);
  t.match(text, `<KHCTu>${yy}TQX</KHCTu><TSo>1</TSo><DSo>300</DSo><MST>0100000012</MST>`);
  t.match(text, `<TNgay>${addDays(today, -7)}</TNgay><DNgay>${addDays(today, -1)}</DNgay>`, 'X ends the day before its termination');
  t.match(text, `<TNgay>${addDays(today, -7)}</TNgay><DNgay>${today}</DNgay>`, 'Y ends today');

  // A new signing certificate: declared in use, the one before declared no longer used.
  const cert = new X509Certificate(ctx.signer.certificateChain[0]!);
  const other = await devFileSigner(await newTestPki());
  t.teardown(() => other.close());
  const rotated = await createRegistration(
    ctx.database.db,
    { contact, purpose: 'Thu phí', method: 'Tiền mặt' },
    {
      signer: other,
      now: clock.now(),
      actor: { keyId: null, name: 'test' },
      config: loadConfig({ DATA_DIR: folder, TAX_TRANSPORT: 'off' }),
    },
  );
  const rotatedXml = await xmlOf(rotated.id);
  const newSerial = new X509Certificate(other.certificateChain[0]!).serialNumber.toUpperCase();
  t.match(
    rotatedXml,
    new RegExp(
      `<CTS><STT>1</STT><TTChuc>[^<]+</TTChuc><Seri>${newSerial}</Seri><TNgay>[^<]+</TNgay><DNgay>[^<]+</DNgay><HThuc>1</HThuc></CTS><CTS><STT>2</STT><TTChuc>[^<]+</TTChuc><Seri>${cert.serialNumber.toUpperCase()}</Seri><TNgay>[^<]+</TNgay><DNgay>[^<]+</DNgay><HThuc>3</HThuc></CTS>`,
    ),
  );
  t.match(
    text,
    new RegExp(`<DSCTSSDung><CTS><STT>1</STT><TTChuc>[^<]+</TTChuc><Seri>${cert.serialNumber.toUpperCase()}</Seri><TNgay>[^<]+</TNgay><DNgay>[^<]+</DNgay><HThuc>1</HThuc></CTS></DSCTSSDung>`),
    'the same certificate: one entry, in use',
  );
});
