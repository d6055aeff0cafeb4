import t from 'tap';
import { auth, demoReceipt, issue, newIdempotencyKey, testApp } from '../helpers/app.ts';
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
      'BIÊN LAI THU PHÍ, LỆ PHÍ', `data-field="template">EBL01<`, `data-field="series">${receipt.series}<`, 'data-field="number">1<',
      'Sở Tư pháp tỉnh Demo', '0100000011', 'Trung tâm Phục vụ hành chính công tỉnh Demo', 'Phí cung cấp thông tin lý lịch tư pháp',
      'Lệ phí cấp chứng chỉ hành nghề đấu giá', 'data-field="total">400.000<', 'Bốn trăm nghìn đồng',
      `data-field="date">${receipt.issueDate.split('-').reverse().join('/')}<`, 'Chữ ký số hợp lệ', receipt.lookupCode,
      `http://localhost:80/public/receipts/${receipt.lookupCode}`, '<svg',
    ]) t.match(html, text, `shows ${text}`);
    t.match(html, 'Nguyễn Văn &lt;b&gt;An&lt;/b&gt;', 'the payer name is escaped');
    t.notMatch(html, '<b>An</b>');
    t.match(html, '••••••••2345', 'the ID number is masked');
    t.notMatch(html, '001090012345');
    t.notMatch(html, other.lookupCode, 'nothing of other receipts');
    t.notMatch(html, 'Trần Thị Khác');
    t.notMatch(html, receipt.id, 'no internal identifiers');

    const xml = await ctx.app.inject({ url: `/public/receipts/${receipt.lookupCode.toLowerCase()}/xml` });
    t.equal(xml.statusCode, 200);
    const stored = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
    t.ok(xml.rawPayload.equals(stored), 'the download is the signed XML as stored');

    const printed = await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/print`, headers: auth(ctx.keys.cashier) });
    t.equal(printed.statusCode, 200);
    t.match(printed.body, 'BIÊN LAI THU PHÍ, LỆ PHÍ');
    t.equal((await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/print` })).statusCode, 401);

    // A notice and a replacement show on the page.
    await ctx.app.inject({ method: 'POST', url: `/v1/receipts/${receipt.id}/error-notices`, headers: auth(ctx.keys.cashier), payload: { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' } });
    const replacement = (await ctx.app.inject({
      method: 'POST', url: `/v1/receipts/${receipt.id}/replacement`, headers: { ...auth(ctx.keys.cashier), 'idempotency-key': newIdempotencyKey() },
      payload: { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }], reason: 'Thu nhầm lệ phí' },
    })).json();
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
