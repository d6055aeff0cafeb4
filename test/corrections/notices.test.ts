import t from 'tap';
import { auth, correct, decideCorrection, issue, ledgerTotals, requestCorrection, testApp, type TestContext } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';

/** An error notice asked for by the cashier and approved by the accountant. */
const notice = (ctx: TestContext, id: string, body: unknown) => correct(ctx, id, 'error-notices', body);

for (const backend of backends) {
  t.test(`error notices 04/SS-CTĐT: signed, listed on the receipt, money untouched (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx)).json();
    const ledgerBefore = await ledgerTotals(ctx);

    const res = await notice(ctx, receipt.id, { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Viết sai dấu tên người nộp' });
    t.equal(res.statusCode, 200, res.body);
    const n = res.json();
    t.match(n, { receiptId: receipt.id, field: 'payerName', wrongValue: 'Nguyễn Văn An', correctValue: 'Nguyễn Văn Ân', issuedBy: 'test cashier' });

    const xml = await ctx.app.inject({ url: `/v1/error-notices/${n.id}/xml`, headers: auth(ctx.keys.auditor) });
    t.equal(xml.statusCode, 200);
    const schema = await xmllintValidate(xml.rawPayload, 'schemas/error-notice.xsd');
    t.ok(schema.ok, `valid against error-notice.xsd: ${schema.output}`);
    const verified = await xmlsecVerify(xml.rawPayload, { idElement: 'DLTBao' });
    t.ok(verified.ok, `xmlsec1 verifies the notice: ${verified.output}`);
    // Form 04/SS-CTĐT as the tax authority's notice is shaped, addressed to the center's tax office.
    t.match(
      xml.body,
      `<TBao><DLTBao Id="SS-${n.id}"><PBan>1.0</PBan><MSo>04/SS-CTĐT</MSo><Ten>Thông báo chứng từ điện tử đã lập sai</Ten><Loai>1</Loai><MCQT>101</MCQT><TCQT>Thuế tỉnh Demo</TCQT><TNNT>Sở Tư pháp tỉnh Demo</TNNT><MST>0100000011</MST><DDanh>Tỉnh Demo</DDanh><NTBao>${receipt.issueDate}</NTBao>`,
    );
    t.match(
      xml.body,
      `<DSCTu><CTu><STT>1</STT><KHMSCTu>EBL01</KHMSCTu><KHCTu>${receipt.series}</KHCTu><SCTu>1</SCTu><NLap>${receipt.issueDate}</NLap><LCTDT>Biên lai thu phí, lệ phí</LCTDT><TCTBao>1</TCTBao><LDo>Viết sai dấu tên người nộp</LDo></CTu></DSCTu>`,
    );
    t.match(
      xml.body,
      '<TTin><TTruong>MTTin</TTruong><KDLieu>string</KDLieu><DLieu>payerName</DLieu></TTin><TTin><TTruong>TTin</TTruong><KDLieu>string</KDLieu><DLieu>Tên người nộp</DLieu></TTin><TTin><TTruong>GTSai</TTruong><KDLieu>string</KDLieu><DLieu>Nguyễn Văn An</DLieu></TTin><TTin><TTruong>GTDung</TTruong><KDLieu>string</KDLieu><DLieu>Nguyễn Văn Ân</DLieu></TTin>',
    );
    t.match(xml.body, /<\/DLTBao><DSCKS><NNT><Signature /);

    const address = await notice(ctx, receipt.id, { field: 'payerAddress', correctValue: '21 Lê Lợi, Phường Trung tâm', reason: 'Sai số nhà' });
    t.equal(address.json().wrongValue, '12 Lê Lợi, Phường Trung tâm');
    const second = await notice(ctx, receipt.id, { field: 'payerName', correctValue: 'Nguyễn Văn Ấn', reason: 'Sửa lại lần hai' });
    t.equal(second.json().wrongValue, 'Nguyễn Văn Ân', 'the wrong value is what the receipt shows after the earlier notice');

    t.same(await ledgerTotals(ctx), ledgerBefore, 'the money is untouched');
    const after = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}`, headers: auth(ctx.keys.auditor) })).json();
    t.equal(after.status, 'issued');
    t.equal(after.total, 400_000);
    t.same(
      after.history.map((h: { event: string }) => h.event),
      ['issued', 'error_notice_requested', 'error_notice', 'error_notice_requested', 'error_notice', 'error_notice_requested', 'error_notice'],
    );
    const listed = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/error-notices`, headers: auth(ctx.keys.accountant) })).json();
    t.same(
      listed.data.map((x: { field: string }) => x.field),
      ['payerName', 'payerAddress', 'payerName'],
    );
    t.equal((await ctx.app.inject({ url: `/v1/error-notices/${n.id}`, headers: auth(ctx.keys.accountant) })).json().correctValue, 'Nguyễn Văn Ân');

    const count = async () => (await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM error_notices')).rows[0]!.n;
    const before = await count();
    const bad: Array<[string, unknown, number, string, string?]> = [
      ['the amount in figures', { field: 'total', correctValue: '500000', reason: 'x' }, 422, 'NOTICE_FIELD_NOT_ALLOWED'],
      ['the items', { field: 'items', correctValue: 'x', reason: 'x' }, 422, 'NOTICE_FIELD_NOT_ALLOWED'],
      ['a value the receipt already shows', { field: 'payerName', correctValue: 'Nguyễn Văn Ấn', reason: 'x' }, 422, 'NOTICE_NO_CHANGE'],
      // The receipt is for 400000 VND: the words may be rephrased, never made to state another sum.
      ['words for another amount', { field: 'totalInWords', correctValue: 'Bốn triệu đồng', reason: 'x' }, 422, 'NOTICE_WORDS_MISMATCH'],
      ['words for another amount, with "chẵn"', { field: 'totalInWords', correctValue: 'Bốn trăm mười nghìn đồng chẵn', reason: 'x' }, 422, 'NOTICE_WORDS_MISMATCH'],
      ['words that are no amount', { field: 'totalInWords', correctValue: 'Xem phụ lục', reason: 'x' }, 422, 'NOTICE_WORDS_MISMATCH'],
      ['an empty value', { field: 'payerName', correctValue: ' ', reason: 'x' }, 400, 'VALIDATION_FAILED'],
      ['no reason', { field: 'payerName', correctValue: 'A' }, 400, 'VALIDATION_FAILED'],
      ['an unknown receipt', { field: 'payerName', correctValue: 'A', reason: 'x' }, 404, 'RECEIPT_NOT_FOUND', '00000000-0000-4000-8000-000000000000'],
    ];
    for (const [name, body, status, code, id] of bad) {
      const r = await notice(ctx, id ?? receipt.id, body);
      t.equal(r.statusCode, status, `${name} (${r.body.slice(0, 160)})`);
      t.equal(r.json().code, code, name);
    }
    t.equal(await count(), before, 'no notice was added');
    t.equal((await ctx.app.inject({ url: '/v1/error-notices/00000000-0000-4000-8000-000000000000', headers: auth(ctx.keys.auditor) })).json().code, 'ERROR_NOTICE_NOT_FOUND');

    const words = await notice(ctx, receipt.id, { field: 'totalInWords', correctValue: 'Bốn trăm nghìn đồng chẵn', reason: 'Thêm chữ chẵn' });
    t.equal(words.statusCode, 200);
    t.equal(words.json().wrongValue, 'Bốn trăm nghìn đồng');
    const regional = await notice(ctx, receipt.id, { field: 'totalInWords', correctValue: 'Bốn trăm ngàn đồng.', reason: 'Cách đọc địa phương' });
    t.equal(regional.statusCode, 200, 'the regional "ngàn" reads as "nghìn"');
    t.equal(regional.json().wrongValue, 'Bốn trăm nghìn đồng chẵn');
  });
}

t.test('a notice is addressed to the center’s tax office: without one set, approval is refused and changes nothing', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const center = (await ctx.app.inject({ url: '/v1/center', headers: auth(ctx.keys.admin) })).json();
  t.same(center.taxOffice, { code: '101', name: 'Thuế tỉnh Demo' });
  const { taxOffice: _unused, ...withoutOffice } = center;
  t.equal((await ctx.app.inject({ method: 'PUT', url: '/v1/center', headers: auth(ctx.keys.admin), payload: withoutOffice })).statusCode, 200);
  const badOffice = await ctx.app.inject({ method: 'PUT', url: '/v1/center', headers: auth(ctx.keys.admin), payload: { ...center, taxOffice: { code: 'thuế', name: 'X' } } });
  t.equal(badOffice.statusCode, 400);
  t.equal(badOffice.json().errors[0].field, 'body.taxOffice.code');

  const asked = await requestCorrection(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
  t.equal(asked.statusCode, 201);
  const refused = await decideCorrection(ctx, asked.json().id, 'approve');
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().code, 'TAX_OFFICE_NOT_SET');
  const counts = async () =>
    (await ctx.database.db.query<{ notices: number; messages: number }>(`SELECT (SELECT count(*) FROM error_notices)::int AS notices, (SELECT count(*) FROM transmissions)::int AS messages`)).rows[0];
  t.same(await counts(), { notices: 0, messages: 0 }, 'no notice, nothing in the outbox');
  t.equal((await ctx.app.inject({ url: `/v1/corrections/${asked.json().id}`, headers: auth(ctx.keys.auditor) })).json().status, 'pending', 'still waiting');

  t.equal((await ctx.app.inject({ method: 'PUT', url: '/v1/center', headers: auth(ctx.keys.admin), payload: center })).statusCode, 200);
  const approved = await decideCorrection(ctx, asked.json().id, 'approve');
  t.equal(approved.statusCode, 200);
  t.same(await counts(), { notices: 1, messages: 1 });
});

t.test('a notice may correct any content but the tax code and the amount: identity number, dossier code, payment method', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const count = async () => (await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM error_notices')).rows[0]!.n;
  const bad: Array<[unknown, number, string, string?]> = [
    [{ field: 'payerIdNumber', correctValue: '00109001234', reason: 'x' }, 400, 'VALIDATION_FAILED', 'must be a 12-digit citizen ID (or an old 9-digit ID)'],
    [{ field: 'paymentMethod', correctValue: 'Tiền ảo', reason: 'x' }, 400, 'VALIDATION_FAILED', 'must be one of Tiền mặt, Chuyển khoản, Thẻ, Mã QR'],
    [{ field: 'paymentMethod', correctValue: 'Tiền mặt', reason: 'x' }, 422, 'NOTICE_NO_CHANGE'],
    [{ field: 'dossierCode', correctValue: 'X'.repeat(51), reason: 'x' }, 400, 'VALIDATION_FAILED', 'must be at most 50 characters'],
    [{ field: 'payerTaxCode', correctValue: '0100000099', reason: 'x' }, 422, 'NOTICE_FIELD_NOT_ALLOWED'],
    [{ field: 'total', correctValue: '500000', reason: 'x' }, 422, 'NOTICE_FIELD_NOT_ALLOWED'],
  ];
  for (const [body, status, code, message] of bad) {
    const r = await notice(ctx, receipt.id, body);
    t.equal(r.statusCode, status, JSON.stringify(body));
    t.equal(r.json().code, code);
    if (message) t.equal(r.json().errors[0].message, message);
  }
  t.equal(await count(), 0, 'no notice was made');

  const id = await notice(ctx, receipt.id, { field: 'payerIdNumber', correctValue: '001090054321', reason: 'Nhập sai số CCCD' });
  t.equal(id.statusCode, 200);
  t.match(id.json(), { field: 'payerIdNumber', wrongValue: '001090012345', correctValue: '001090054321' });
  const pay = await notice(ctx, receipt.id, { field: 'paymentMethod', correctValue: 'Chuyển khoản', reason: 'Người nộp đã chuyển khoản' });
  t.match(pay.json(), { wrongValue: 'Tiền mặt', correctValue: 'Chuyển khoản' });
  const dossier = await notice(ctx, receipt.id, { field: 'dossierCode', correctValue: '000.00.12.H01-261125-0002', reason: 'Nhầm mã hồ sơ' });
  t.match(dossier.json(), { wrongValue: '000.00.12.H01-261125-0001', correctValue: '000.00.12.H01-261125-0002' });
  const xml = (await ctx.app.inject({ url: `/v1/error-notices/${id.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  t.ok((await xmllintValidate(xml, 'schemas/error-notice.xsd')).ok);
  t.match(
    xml.toString(),
    '<TTin><TTruong>GTSai</TTruong><KDLieu>string</KDLieu><DLieu>001090012345</DLieu></TTin><TTin><TTruong>GTDung</TTruong><KDLieu>string</KDLieu><DLieu>001090054321</DLieu></TTin>',
  );
  const verdict = (await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: xml })).json();
  t.equal(verdict.valid, true);

  // The citizen's page lists the corrections, the identity number masked as the receipt's own is.
  const page = (await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}` })).body;
  t.match(page, 'Hình thức thanh toán đúng là: <strong>Chuyển khoản</strong>');
  t.match(page, 'Số định danh cá nhân người nộp đúng là: <strong>••••••••••••</strong>');
  t.notMatch(page, '001090054321');
  const counter = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/print`, headers: auth(ctx.keys.cashier) })).body;
  t.match(counter, 'Số định danh cá nhân người nộp đúng là: <strong>001090054321</strong>', 'the counter sees it in full');
  const audit = (await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.auditor), payload: { from: receipt.issueDate, to: receipt.issueDate } })).json();
  t.same(audit.findings, [], 'the period audit reads every notice back from its signed XML');
});
