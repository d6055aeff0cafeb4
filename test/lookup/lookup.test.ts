import t from 'tap';
import { auth, correct, demoReceipt, issue, testApp } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';

for (const backend of backends) {
  t.test(`the citizen's lookup page (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx, { ...demoReceipt, payer: { ...demoReceipt.payer, name: 'Nguyễn Văn <b>An</b>' } })).json();
    const other = (await issue(ctx, { ...demoReceipt, payer: { name: 'Trần Thị Khác' } })).json();

    const res = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}` });
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
    t.match(res.headers['content-security-policy'], /default-src 'none'/);
    t.equal(res.headers['cache-control'], 'no-store');
    const html = res.body;
    // Every mandatory field of Decree 254 Art. 23.2.
    for (const text of [
      'BIÊN LAI THU PHÍ, LỆ PHÍ',
      `data-field="template">EBL01<`,
      `data-field="series">${receipt.series}<`,
      'data-field="number">1<',
      'Sở Tư pháp tỉnh Demo',
      '0100000011',
      'Trung tâm Phục vụ hành chính công tỉnh Demo',
      'Phí cung cấp thông tin lý lịch tư pháp',
      'Lệ phí cấp chứng chỉ hành nghề đấu giá',
      'data-field="total">400.000<',
      'Bốn trăm nghìn đồng',
      `data-field="date">${receipt.issueDate.split('-').reverse().join('/')}<`,
      'Chữ ký số hợp lệ',
      receipt.lookupCode,
      `http://localhost:80/public/receipts/${receipt.lookupCode}`,
      '<svg',
    ])
      t.match(html, text, `shows ${text}`);
    t.match(html, 'Nguyễn Văn &lt;b&gt;An&lt;/b&gt;', 'the payer name is escaped');
    t.notMatch(html, '<b>An</b>');
    t.match(html, 'data-field="payer-id">••••••••••••<', 'the ID number is masked whole');
    t.notMatch(html, '2345', 'not even its last digits, which the XML download asks for');
    t.match(html, /<form class="noprint" method="get" action="[^"]+\/xml" data-field="xml-form">/, 'a form asks for them');
    t.notMatch(html, other.lookupCode, 'nothing of other receipts');
    t.notMatch(html, 'Trần Thị Khác');
    t.notMatch(html, receipt.id, 'no internal identifiers');

    // The signed XML carries the full ID number: the lookup code alone does not get it.
    const noDigits = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}/xml` });
    t.equal(noDigits.statusCode, 403);
    t.equal(noDigits.json().code, 'PAYER_ID_REQUIRED');
    t.notMatch(noDigits.body, '001090012345');
    const wrong = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}/xml?id4=1234` });
    t.equal(wrong.statusCode, 403);
    t.equal(wrong.json().code, 'PAYER_ID_MISMATCH');
    const asPage = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}/xml?id4=1234`, headers: { accept: 'text/html' } });
    t.equal(asPage.statusCode, 403);
    t.match(asPage.body, 'Bốn số cuối không khớp', 'a browser gets a page in Vietnamese');
    const xml = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode.toLowerCase()}/xml?id4=2345` });
    t.equal(xml.statusCode, 200);
    const stored = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.ok(xml.rawPayload.equals(stored), 'with the last four digits, the download is the signed XML as stored');
    const noId = await ctx.app.inject({ url: `/public/receipts/${other.lookupCode}/xml` });
    t.equal(noId.statusCode, 200, 'a receipt with no identity number needs no digits');
    t.notMatch((await ctx.app.inject({ url: `/public/receipts/${other.lookupCode}` })).body, 'data-field="xml-form"');

    const printed = await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/print`, headers: auth(ctx.keys.cashier) });
    t.equal(printed.statusCode, 200);
    t.match(printed.body, 'BIÊN LAI THU PHÍ, LỆ PHÍ');
    t.match(printed.body, 'data-field="payer-id">001090012345<', 'the counter’s print page shows the number in full');
    t.equal((await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/print` })).statusCode, 401);

    // A notice and a replacement show on the page.
    await correct(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
    const replacement = (await correct(ctx, receipt.id, 'replacement', { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }], reason: 'Thu nhầm lệ phí' })).json();
    const after = (await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}` })).body;
    t.match(after, `Biên lai này đã bị thay thế bởi biên lai ký hiệu ${replacement.series} số ${replacement.number}`);
    t.match(after, `/public/receipts/${replacement.lookupCode}`);
    t.match(after, 'Tên người nộp đúng là: <strong>Nguyễn Văn Ân</strong>');
    const newPage = (await ctx.app.inject({ url: `/public/receipts/${replacement.lookupCode}` })).body;
    t.match(newPage, `Thay thế cho biên lai ký hiệu ${receipt.series} số 1`);
  });

  t.test(`unknown codes and enumeration are rate limited (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const receipt = (await issue(ctx)).json();
    const unknown = await ctx.app.inject({ url: '/public/receipts/ABCDEFGHJKLM' });
    t.equal(unknown.statusCode, 404);
    t.match(unknown.body, 'Không tìm thấy biên lai');
    t.equal((await ctx.app.inject({ url: '/public/receipts/not-a-code' })).statusCode, 404);
    t.equal((await ctx.app.inject({ url: '/public/receipts/ABCDEFGHJKLM/xml' })).json().code, 'RECEIPT_NOT_FOUND');
    for (let i = 0; i < 6; i++) await ctx.app.inject({ url: `/public/receipts/ZZZZZZZZZZ${'23456789'[i]}Z` });
    t.equal((await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}` })).statusCode, 200, 'nine misses: still served');
    await ctx.app.inject({ url: '/public/receipts/ZZZZZZZZZZZZ' });
    const blocked = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}` });
    t.equal(blocked.statusCode, 429, 'after ten unknown codes, even a good code is refused');
    t.equal(blocked.json().code, 'RATE_LIMITED');
    t.equal((await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}`, remoteAddress: '10.1.2.3' })).statusCode, 200, 'other addresses are not affected');

    let limited = 0;
    for (let i = 0; i < 65; i++) {
      const r = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}/xml`, remoteAddress: '10.9.9.9' });
      if (r.statusCode === 429) limited++;
    }
    t.ok(limited >= 3, `at most 60 lookups a minute from one address (${limited} refused)`);
  });
}

t.test('wrong ID digits: limited per receipt from any address, and counted against the guesser', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const url = (id4: string) => `/public/receipts/${receipt.lookupCode}/xml?id4=${id4}`;
  for (let i = 0; i < 5; i++) {
    const r = await ctx.app.inject({ url: url(String(1000 + i)), remoteAddress: `10.0.0.${i + 1}` });
    t.equal(r.json().code, 'PAYER_ID_MISMATCH');
  }
  const locked = await ctx.app.inject({ url: url('2345'), remoteAddress: '10.0.0.99' });
  t.equal(locked.statusCode, 429, 'five wrong tries from five addresses lock this receipt’s XML, even for the right digits');
  t.equal(locked.json().code, 'RATE_LIMITED');
  t.equal((await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}`, remoteAddress: '10.0.0.99' })).statusCode, 200, 'the page is still served');
});

t.test('behind a reverse proxy (TRUST_PROXY), the lock-out hits the guesser, not every citizen', async (t) => {
  const ctx = await testApp('postgres', { env: { TRUST_PROXY: '127.0.0.1' } });
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const via = (client: string, code: string) => ctx.app.inject({ url: `/public/receipts/${code}`, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
  for (let i = 0; i < 10; i++) t.equal((await via('203.0.113.7', `ZZZZZZZZZZ${'23456789AB'[i]}Z`)).statusCode, 404);
  t.equal((await via('203.0.113.7', receipt.lookupCode)).statusCode, 429, 'the guesser is locked out');
  t.equal((await via('198.51.100.2', receipt.lookupCode)).statusCode, 200, 'another citizen behind the same proxy is not');

  // Without TRUST_PROXY the header is not believed: a guesser cannot escape the lock-out by changing it.
  const direct = await testApp('postgres');
  t.teardown(() => direct.close());
  const code = (await issue(direct)).json().lookupCode;
  for (let i = 0; i < 10; i++) await direct.app.inject({ url: `/public/receipts/ZZZZZZZZZZ${'23456789AB'[i]}Z`, remoteAddress: '192.0.2.9', headers: { 'x-forwarded-for': `10.0.${i}.1` } });
  t.equal((await direct.app.inject({ url: `/public/receipts/${code}`, remoteAddress: '192.0.2.9', headers: { 'x-forwarded-for': '10.9.9.9' } })).statusCode, 429);
});

t.test('an IPv6 guesser is one /64, and made-up forwarded addresses are one source', async (t) => {
  const ctx = await testApp('postgres', { env: { TRUST_PROXY: '127.0.0.1' } });
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  // Ten misses from ten addresses of one /64 (one subscriber's block) lock the block out.
  for (let i = 0; i < 10; i++) {
    const r = await ctx.app.inject({ url: `/public/receipts/ZZZZZZZZZZ${'23456789AB'[i]}Z`, remoteAddress: `2001:db8:1:2::${(i + 1).toString(16)}` });
    t.equal(r.statusCode, 404);
  }
  t.equal((await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}`, remoteAddress: '2001:db8:1:2:ffff:ffff:ffff:ffff' })).statusCode, 429, 'the whole /64 is locked out');
  t.equal((await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode}`, remoteAddress: '2001:db8:1:3::1' })).statusCode, 200, 'the next /64 is not');

  // Through the trusted proxy, values that are no address at all count as one.
  const via = (client: string, code: string) => ctx.app.inject({ url: `/public/receipts/${code}`, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
  for (let i = 0; i < 10; i++) await via(`not-an-address-${i}`, `ZZZZZZZZZZ${'23456789AB'[i]}Z`);
  t.equal((await via('yet-another-name', receipt.lookupCode)).statusCode, 429, 'made-up sources share one count');
});

t.test('the sign-in failure summary names at most 100 sources', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  for (let i = 0; i < 120; i++) {
    const r = await ctx.app.inject({ url: '/v1/receipts', remoteAddress: `10.2.${i >> 8}.${i & 255}`, headers: { authorization: 'Bearer rk_nope' } });
    t.equal(r.statusCode, 401);
  }
  await ctx.app.authFailures.flush();
  const { rows } = await ctx.database.db.query<{ details: { count: number; sources: Record<string, number> } }>(
    "SELECT details FROM audit_events WHERE action = 'auth.failures' ORDER BY seq DESC LIMIT 1",
  );
  t.equal(rows[0]!.details.count, 120);
  t.equal(Object.keys(rows[0]!.details.sources).length, 101, '100 sources and the rest');
  t.equal(rows[0]!.details.sources['other sources'], 20);
});
