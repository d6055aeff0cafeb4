import { createHash } from 'node:crypto';
import t from 'tap';
import { auth, demoReceipt, issue, newIdempotencyKey, testApp } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';
import { vietnamDate, vietnamYear } from '../../src/time/vietnam.ts';

for (const backend of backends) {
  t.test(`issuing a receipt (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());

    const res = await issue(ctx);
    t.equal(res.statusCode, 201, res.body);
    const r = res.json();
    t.match(r, {
      template: 'EBL01',
      series: `${String(vietnamYear(new Date())).slice(2)}TTP`,
      number: 1,
      department: { code: 'STP', name: 'Sở Tư pháp tỉnh Demo', taxCode: '0100000011' },
      payer: { name: 'Nguyễn Văn An', idNumber: '001090012345' },
      paymentMethod: 'cash',
      dossierCode: '000.00.12.H01-261125-0001',
      total: 400_000,
      totalInWords: 'Bốn trăm nghìn đồng',
      status: 'issued',
      counter: 'Q01',
    });
    t.same(r.items, [
      { line: 1, feeCode: 'STP-LLTP', name: 'Phí cung cấp thông tin lý lịch tư pháp', kind: 'fee', quantity: 1, unitPrice: 200_000, amount: 200_000 },
      { line: 2, feeCode: 'STP-CCHN', name: 'Lệ phí cấp chứng chỉ hành nghề đấu giá', kind: 'charge', quantity: 2, unitPrice: 100_000, amount: 200_000 },
    ]);
    t.match(r.lookupCode, /^[A-HJ-NP-Z2-9]{12}$/);
    t.equal(r.issueDate, vietnamDate(new Date(r.issuedAt)));

    const xmlRes = await ctx.app.inject({ url: `/v1/receipts/${r.id}/xml`, headers: auth(ctx.keys.auditor) });
    t.equal(xmlRes.statusCode, 200);
    t.match(xmlRes.headers['content-type'], /^application\/xml/);
    const xml = xmlRes.rawPayload;
    t.equal(createHash('sha256').update(xml).digest('hex'), r.xmlSha256, 'XML is served byte for byte as stored');
    const text = xml.toString('utf8');
    t.match(text, '<TBLai>Biên lai thu phí, lệ phí</TBLai>');
    t.match(text, '<KHMSBLai>EBL01</KHMSBLai>');
    t.match(text, `<SBLai>1</SBLai>`);
    t.match(text, `<NLap>${r.issueDate}</NLap>`);
    t.match(text, '<TgTienBChu>Bốn trăm nghìn đồng</TgTienBChu>');
    t.match(text, '<BNUNhiem><Ten>Trung tâm Phục vụ hành chính công tỉnh Demo</Ten><MST>0100000001</MST>');
    // The tax authority's signature details: Vietnam local time to the second, the signer's subject name, DSCKS/NNT.
    const vnTime = new Date(Date.parse(r.issuedAt) + 7 * 3600_000).toISOString().slice(0, 19);
    t.match(text, `<SigningTime xmlns="urn:receipts:signature-properties">${vnTime}</SigningTime>`);
    t.match(text, /<KeyInfo><X509Data><X509SubjectName>CN=Receipts Development Signer,O=DEVELOPMENT ONLY - NOT FOR PRODUCTION,C=VN<\/X509SubjectName><X509Certificate>/);
    t.match(text, /<DSCKS><NNT><Signature Id="SIG-BL-[^"]+" xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">/);
    t.match(text, /<\/Signature><\/NNT><\/DSCKS><\/BLai>$/);

    const schema = await xmllintValidate(xml, 'schemas/receipt.xsd');
    t.ok(schema.ok, `valid against receipt.xsd: ${schema.output}`);
    const verified = await xmlsecVerify(xml);
    t.ok(verified.ok, `xmlsec1 verifies: ${verified.output}`);

    // One changed byte in the signed data must break the signature for xmlsec1 too.
    const tampered = text.replace('<TgTien>400000</TgTien>', '<TgTien>400001</TgTien>');
    t.not(tampered, text);
    t.notOk((await xmlsecVerify(tampered)).ok, 'xmlsec1 rejects an edited amount');

    const got = await ctx.app.inject({ url: `/v1/receipts/${r.id}`, headers: auth(ctx.keys.accountant) });
    t.equal(got.statusCode, 200);
    t.same(got.json(), r, 'GET returns what POST returned');

    const missing = await ctx.app.inject({ url: '/v1/receipts/00000000-0000-4000-8000-000000000000', headers: auth(ctx.keys.accountant) });
    t.equal(missing.statusCode, 404);
    t.equal(missing.json().code, 'RECEIPT_NOT_FOUND');
    t.match(missing.headers['content-type'], /^application\/problem\+json/);
  });

  t.test(`explicit items, other payment methods and the amount in words (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const res = await issue(ctx, {
      department: 'SXD',
      payer: { name: 'Công ty TNHH Xây dựng Hòa Bình', taxCode: '0312345678' },
      items: [{ name: 'Phí thẩm định dự toán xây dựng', kind: 'fee', amount: 1_000_024 }, { feeCode: 'SXD-GPXD' }],
      paymentMethod: 'transfer',
    });
    t.equal(res.statusCode, 201, res.body);
    const r = res.json();
    t.equal(r.total, 1_150_024);
    t.equal(r.totalInWords, 'Một triệu một trăm năm mươi nghìn không trăm hai mươi tư đồng');
    t.equal(r.items[0].feeCode, null);
    t.equal(r.items[0].kind, 'fee');
    t.equal(r.dossierCode, null);
    t.match(r.series, /^\d\dTXD$/);
    const xml = (await ctx.app.inject({ url: `/v1/receipts/${r.id}/xml`, headers: auth(ctx.keys.cashier) })).body;
    t.match(xml, '<HTTToan>Chuyển khoản</HTTToan>');
    t.match(xml, '<NNop><Ten>Công ty TNHH Xây dựng Hòa Bình</Ten><MST>0312345678</MST></NNop>');
    t.notMatch(xml, '<MHSo>');
    t.ok((await xmllintValidate(xml, 'schemas/receipt.xsd')).ok);
  });

  t.test(`idempotency (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const key = newIdempotencyKey();
    const first = await issue(ctx, demoReceipt, key);
    t.equal(first.statusCode, 201);
    t.equal(first.headers['idempotent-replayed'], 'false');

    // Same key, same body (keys in another order): the original response.
    const reordered = Object.fromEntries(Object.entries(demoReceipt).reverse());
    const again = await issue(ctx, reordered, key);
    t.equal(again.statusCode, 201);
    t.equal(again.headers['idempotent-replayed'], 'true');
    t.same(again.json(), first.json());

    // The stored response survives a restart of the service.
    await ctx.restart();
    const afterRestart = await issue(ctx, demoReceipt, key);
    t.equal(afterRestart.statusCode, 201);
    t.same(afterRestart.json(), first.json());

    const different = await issue(ctx, { ...demoReceipt, paymentMethod: 'card' }, key);
    t.equal(different.statusCode, 422);
    t.equal(different.json().code, 'IDEMPOTENCY_KEY_REUSED');

    const count = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts');
    t.equal(count.rows[0]!.n, 1, 'one receipt for one key');

    const next = await issue(ctx);
    t.equal(next.json().number, 2, 'the replays used no number');

    // Keys are scoped per API key: another cashier's identical key and body is another request.
    const other = (await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { name: 'Trần Thị Hai', role: 'cashier', counter: 'Q02' } })).json();
    const theirs = await ctx.app.inject({ method: 'POST', url: '/v1/receipts', headers: { ...auth(other.secret), 'idempotency-key': key }, payload: demoReceipt });
    t.equal(theirs.statusCode, 201);
    t.equal(theirs.headers['idempotent-replayed'], 'false', 'not a replay of the first cashier’s response');
    t.equal(theirs.json().number, 3);
    t.equal(theirs.json().counter, 'Q02');
    t.not(theirs.json().id, first.json().id);
  });

  t.test(`listing with filters and cursor pagination (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    for (let i = 0; i < 5; i++) t.equal((await issue(ctx)).statusCode, 201);
    for (let i = 0; i < 2; i++) t.equal((await issue(ctx, { ...demoReceipt, department: 'SCT', items: [{ feeCode: 'SCT-GPKD' }] })).statusCode, 201);

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/v1/receipts?department=STP&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await ctx.app.inject({ url: q, headers: auth(ctx.keys.accountant) })).json();
      seen.push(...page.data.map((r: { number: number }) => r.number));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    t.same(seen, [5, 4, 3, 2, 1], 'newest first, each once');
    t.equal(pages, 3);

    const sct = (await ctx.app.inject({ url: '/v1/receipts?department=SCT', headers: auth(ctx.keys.auditor) })).json();
    t.same(
      sct.data.map((r: { department: { code: string }; number: number }) => [r.department.code, r.number]),
      [
        ['SCT', 2],
        ['SCT', 1],
      ],
    );
    t.equal(sct.nextCursor, null);

    const today = vietnamDate(new Date());
    const byDay = (await ctx.app.inject({ url: `/v1/receipts?from=${today}&to=${today}&limit=100`, headers: auth(ctx.keys.auditor) })).json();
    t.equal(byDay.data.length, 7);
    const none = (await ctx.app.inject({ url: '/v1/receipts?from=2020-01-01&to=2020-12-31', headers: auth(ctx.keys.auditor) })).json();
    t.equal(none.data.length, 0);
    const bad = await ctx.app.inject({ url: '/v1/receipts?from=2026-02-01&to=2026-01-01', headers: auth(ctx.keys.auditor) });
    t.equal(bad.statusCode, 400);
    t.equal(bad.json().code, 'VALIDATION_FAILED');
    const badLimit = await ctx.app.inject({ url: '/v1/receipts?limit=101', headers: auth(ctx.keys.auditor) });
    t.equal(badLimit.statusCode, 400);
    t.equal(badLimit.json().errors[0].field, 'querystring.limit');
  });
}
