import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { demoReceipt, issue, testApp } from '../helpers/app.ts';

// Debian's Chromium, as installed by .ci/run; the flags keep it off the network.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

t.test('the lookup page in a real browser: mandatory fields visible, one A5 page when printed', async (t) => {
  const ctx = await testApp('postgres');
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-browser-'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  const receipt = (await issue(ctx, { ...demoReceipt, department: 'SNNMT', items: [{ feeCode: 'SNNMT-TDHS' }, { feeCode: 'SNNMT-DKBD', quantity: 2 }] })).json();
  const address = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const page = await browser.newPage({ viewport: { width: 620, height: 900 } });
  const response = await page.goto(`${address}/public/receipts/${receipt.lookupCode}`);
  t.equal(response?.status(), 200);

  const expected: Record<string, string> = {
    name: 'BIÊN LAI THU PHÍ, LỆ PHÍ',
    template: 'EBL01',
    series: receipt.series,
    number: '1',
    date: receipt.issueDate.split('-').reverse().join('/'),
    collector: 'Sở Nông nghiệp và Môi trường tỉnh Demo',
    'collector-tax-code': '0100000013',
    issuer: 'Trung tâm Phục vụ hành chính công tỉnh Demo',
    payer: 'Nguyễn Văn An',
    total: '1.310.000',
    'total-in-words': 'Một triệu ba trăm mười nghìn đồng',
    'lookup-code': receipt.lookupCode,
  };
  for (const [field, text] of Object.entries(expected)) {
    const el = page.locator(`[data-field="${field}"]`);
    t.ok(await el.isVisible(), `${field} is visible`);
    t.equal((await el.innerText()).trim(), text, `${field} reads "${text}"`);
  }
  t.match(await page.locator('[data-field="items"]').innerText(), /Phí thẩm định hồ sơ cấp giấy chứng nhận quyền sử dụng đất[\s\S]*1\.250\.000[\s\S]*Lệ phí đăng ký biến động đất đai[\s\S]*60\.000/);
  t.match(await page.locator('[data-field="signature"]').innerText(), /^Chữ ký số hợp lệ — ký bởi Receipts Development Signer lúc \d\d:\d\d ngày /);
  const qr = page.locator('[data-field="qr"] svg');
  t.ok(await qr.isVisible(), 'the QR code is visible');
  const box = await qr.boundingBox();
  t.ok(box && box.width > 60 && box.height > 60, 'and large enough to scan');

  const shot = path.join(dir, 'lookup.png');
  await page.screenshot({ path: shot, fullPage: true });
  t.ok((await stat(shot)).size > 20_000, 'a screenshot of the rendered page');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true });
  t.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, 'prints on one page');
  t.match(pdf.toString('latin1'), /\/MediaBox \[0 0 (419\.\d+|420) (594\.\d+|595)\]/, 'an A5 page: 148 × 210 mm is 420 × 595 points');
  t.notOk(await page.locator('[data-field="xml-form"]').isVisible(), 'the download form is not printed');

  // The citizen downloads the signed XML by typing the last four digits of the ID number.
  await page.emulateMedia({ media: 'screen' });
  await page.fill('#id4', '2345');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-field="xml-form"] button')]);
  const saved = path.join(dir, 'receipt.xml');
  await download.saveAs(saved);
  t.match(await readFile(saved, 'utf8'), /^<\?xml version="1.0" encoding="UTF-8"\?><BLai>/, 'the signed XML is downloaded');
});
