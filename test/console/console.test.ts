import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { vietnamDate } from '../../src/time/vietnam.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * The staff console in Debian's Chromium, on a fresh instance started as a
 * new user starts it (embedded database, demo seed): each role does its main
 * job through the screens alone, every screen passes an accessibility check,
 * and a screenshot of each is kept in artifacts/screens.
 */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = path.resolve(import.meta.dirname, '../../artifacts/screens');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let server: RunningServer;
let browser: Browser;
const violations: string[] = [];

t.before(async () => {
  const dir = await tempDir(t, 'receipts-console-');
  // Teardowns run last-registered first: the browser and the server stop
  // before the data directory is removed.
  t.teardown(async () => {
    await browser?.close();
    await server?.stop();
  });
  server = await startServer({ DATA_DIR: dir, DATABASE_URL: '' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(SHOTS, { recursive: true });
});

/** A person's browser (axe needs the page's CSP bypassed to run its script). */
async function person(width = 1280, height = 900): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

async function signIn(page: Page, role: string): Promise<void> {
  const { username, password } = server.login(role);
  await page.goto(`${server.url}/console`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

/** axe-core in the page: serious and critical violations are collected (and asserted at the end), and the screen is photographed. */
async function check(t: Test, page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) violations.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  t.same(
    serious.map((v) => v.id),
    [],
    `${name}: no serious accessibility violation`,
  );
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const amountOf = (text: string) => Number(text.replace(/[^\d]/g, ''));
const today = () => vietnamDate(new Date());

let issued: { series: string; number: number; id: string } | null = null;

t.test('admin adds a fee to the catalog', async (t) => {
  const { context, page, errors } = await person();
  t.teardown(() => context.close());
  await signIn(page, 'admin');
  await check(t, page, 'admin-staff');
  await page.getByRole('link', { name: 'Danh mục phí' }).click();
  await page.getByLabel('Đơn vị').first().selectOption('STP');
  await check(t, page, 'admin-fees');
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Thêm' }) });
  // Bad input: the API's detail beside the field, nothing added.
  await form.getByLabel('Mã').fill('STP-BANSAO');
  await form.getByLabel('Tên').fill('Phí cấp bản sao trích lục');
  await form.getByLabel('Số tiền').fill('0');
  await form.getByRole('button', { name: 'Thêm' }).click();
  const error = form.locator('.field.has-error .field-error');
  await error.waitFor();
  t.match(await error.innerText(), /0|greater|lớn/i, 'the amount field shows why');
  t.equal(await page.locator('table.data td', { hasText: 'STP-BANSAO' }).count(), 0, 'nothing was added');
  // Typed as a Vietnamese writes it: dots between thousands.
  await form.getByLabel('Số tiền').fill('15.000');
  await form.getByRole('button', { name: 'Thêm' }).click();
  await page.locator('table.data td', { hasText: 'STP-BANSAO' }).waitFor();
  t.equal(await page.locator('table.data tr', { hasText: 'STP-BANSAO' }).locator('td.amount').innerText(), '15.000 đ');
  for (const [link, name] of [
    ['Đơn vị', 'admin-departments'],
    ['Ký hiệu', 'admin-series'],
    ['Tỷ lệ phân chia', 'admin-share-rates'],
    ['Trung tâm', 'admin-center'],
  ] as const) {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await page.locator('section.card table, section.card form').first().waitFor();
    await check(t, page, name);
  }
  // A person leaves: the admin disables them, and their login stops.
  const created = await (
    await page.request.post(`${server.url}/v1/logins`, {
      headers: { 'x-csrf-token': await page.evaluate(async () => (await (await fetch('/v1/session')).json()).csrfToken) },
      data: { username: 'leaving', name: 'Người Sắp Nghỉ', role: 'auditor', password: 'leaving-pass-1' },
    })
  ).json();
  await page.getByRole('link', { name: 'Nhân viên' }).click();
  const row = page.locator('table.data tr', { hasText: 'leaving' });
  await row.getByRole('button', { name: 'Khóa nhân viên' }).click();
  await row.getByRole('button', { name: 'Khóa nhân viên' }).waitFor({ state: 'detached' });
  const staff = await (await page.request.get(`${server.url}/v1/staff/${created.staff.id}`)).json();
  t.type(staff.disabledAt, 'string', 'the person is disabled');
  t.same(errors, [], 'no script error');
});

t.test('cashier issues and prints a receipt with the new fee, then asks for a refund', async (t) => {
  const { context, page, errors } = await person();
  t.teardown(() => context.close());
  await signIn(page, 'cashier');
  await page.getByLabel('Đơn vị thu').selectOption('STP');
  await page.getByLabel('Tìm phí, lệ phí…').fill('trích lục');
  await page.getByRole('button', { name: /Phí cấp bản sao trích lục/ }).click();
  await page.getByLabel('Tìm phí, lệ phí…').fill('lý lịch');
  await page.getByRole('button', { name: /lý lịch tư pháp/ }).click();
  await page.getByLabel('Số lượng').first().fill('2');
  t.equal(await page.getByTestId('total').innerText(), '230.000 đ', '2 × 15.000 + 200.000');
  t.equal(await page.getByTestId('words').innerText(), 'Hai trăm ba mươi nghìn đồng');
  await check(t, page, 'cashier-counter');
  await page.getByLabel('Họ tên người nộp').fill('Trần Văn Bình');
  // A wrong citizen ID: the API says why, beside the field, and no receipt is issued.
  await page.getByLabel('Số CCCD').fill('12345');
  await page.getByRole('button', { name: 'Lập biên lai' }).click();
  const idError = page.locator('.field.has-error', { has: page.getByLabel('Số CCCD') }).locator('.field-error');
  await idError.waitFor();
  t.equal(await idError.innerText(), 'must be a 12-digit citizen ID (or an old 9-digit ID)');
  await page.getByLabel('Số CCCD').fill('079090001234');
  await page.getByRole('button', { name: 'Lập biên lai' }).click();
  await page.getByTestId('issued').waitFor();
  const text = await page.getByTestId('issued').innerText();
  const m = /(\d\dT[A-Z]{2}) – Số (\d{7})/.exec(text);
  t.ok(m, `the receipt's series and number are shown: ${text}`);
  t.equal(Number(m![2]), 1, 'the first of the series: the refused attempt used no number');
  t.match(text, /230\.000 đ/);
  // The A5 page loads in the print frame (the browser's print dialog opens on it).
  const frame = page.frameLocator('#print-frame');
  await frame.locator('[data-field="number"]').waitFor({ state: 'attached' });
  t.equal(await frame.locator('[data-field="number"]').innerText(), String(Number(m![2])));
  t.equal(await frame.locator('[data-field="total-in-words"]').innerText(), 'Hai trăm ba mươi nghìn đồng');
  issued = { series: m![1]!, number: Number(m![2]), id: '' };

  // Find it by the payer's name, and ask for a refund of the copies.
  await page.getByRole('link', { name: 'Biên lai' }).click();
  await page.getByLabel('Số, người nộp hoặc mã hồ sơ').fill('bình');
  await page.getByRole('button', { name: 'Tìm' }).click();
  const row = page.locator('table.data tbody tr', { hasText: 'Trần Văn Bình' });
  await row.waitFor();
  t.equal(await page.locator('table.data tbody tr').count(), 1, 'one receipt found');
  await check(t, page, 'cashier-receipts');
  await row.getByRole('button', { name: 'Xem thêm' }).click();
  const amount = page.getByLabel(/Số tiền/);
  await amount.fill('999999');
  await page.getByLabel('Lý do').fill('Thu thừa bản sao');
  await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
  await page.locator('.problem').waitFor();
  t.match(await page.locator('.problem').innerText(), /REFUND_EXCEEDS_REMAINING/, 'too much: the API’s problem, and no refund');
  await amount.fill('30,5');
  await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
  const amountError = page.locator('.field.has-error', { has: amount }).locator('.field-error');
  await amountError.waitFor();
  t.equal(await amountError.innerText(), 'phải là số nguyên, ví dụ 20000 hoặc 20.000', 'a decimal comma is refused, never guessed');
  await amount.fill('30.000');
  await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
  await page.getByTestId('requested').waitFor();
  t.match(await page.getByTestId('requested').innerText(), /^Hoàn tiền 30\.000 đ/);
  t.same(errors, [], 'no script error');
});

t.test('accountant approves the refund, sees the shares change, and reads the XLSX back', async (t) => {
  const { context, page, errors } = await person();
  t.teardown(() => context.close());
  await signIn(page, 'accountant');
  await page.getByTestId('shares').waitFor();
  const before = amountOf(await page.getByTestId('total-center').innerText());
  t.equal(before, 34_500, '15% of 230.000');
  await check(t, page, 'accountant-shares');
  await page.getByRole('link', { name: 'Chờ duyệt' }).click();
  const item = page.locator('li.approval', { hasText: 'Trần Văn Bình' });
  await item.waitFor();
  t.match(await item.innerText(), /30\.000 đ/);
  await check(t, page, 'accountant-approvals');
  await item.getByRole('button', { name: 'Duyệt' }).click();
  await item.getByRole('status').waitFor();
  await page.getByRole('link', { name: 'Phân chia phí' }).click();
  await page.getByTestId('shares').waitFor();
  t.equal(amountOf(await page.getByTestId('total-center').innerText()), 30_000, '15% of 200.000 after the refund of 30.000');
  // Drill down into the department's ledger entries.
  await page.getByRole('button', { name: 'Sở Tư pháp tỉnh Demo' }).first().click();
  await page.getByTestId('entries').waitFor();
  t.ok((await page.getByTestId('entries').locator('tbody tr').count()) >= 2, 'the receipt and its refund');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tải Excel (XLSX)' }).click();
  const file = await (await downloading).path();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.worksheets[0]!;
  t.equal(sheet.getCell('A3').value, 'Mã đơn vị');
  const totals = sheet.getRow(sheet.rowCount);
  t.equal(totals.getCell(2).value, 'Tổng cộng');
  t.same(
    [5, 6, 7, 8, 9].map((c) => totals.getCell(c).value),
    [230_000, 30_000, 200_000, 30_000, 170_000],
    'collected, refunded, net and the two shares, as numbers',
  );
  t.equal(totals.getCell(5).type, ExcelJS.ValueType.Number, 'a number cell, not text');
  t.equal(sheet.getCell('E4').numFmt, '#,##0');
  for (const [link, name] of [
    ['Khóa sổ', 'accountant-periods'],
    ['Gửi cơ quan thuế', 'accountant-transmissions'],
  ] as const) {
    await page.getByRole('link', { name: link }).click();
    await page.locator('section.card').first().waitFor();
    await check(t, page, name);
  }
  t.same(errors, [], 'no script error');
});

t.test('auditor drops a genuine and a tampered file and sees which check failed', async (t) => {
  const { context, page, errors } = await person();
  t.teardown(() => context.close());
  await signIn(page, 'auditor');
  const list = await page.request.get(`${server.url}/v1/receipts?q=${issued!.number}&from=${today()}&to=${today()}`);
  const receipt = (await list.json()).data.find((r: { series: string }) => r.series === issued!.series);
  const xml = await (await page.request.get(`${server.url}/v1/receipts/${receipt.id}/xml`)).text();
  const tampered = xml.replace('Trần Văn Bình', 'Trần Văn Bính');
  t.not(tampered, xml);
  const dropped = await page.evaluateHandle(
    ([a, b]) => {
      const data = new DataTransfer();
      data.items.add(new File([a!], 'genuine.xml', { type: 'application/xml' }));
      data.items.add(new File([b!], 'tampered.xml', { type: 'application/xml' }));
      return data;
    },
    [xml, tampered],
  );
  await page.locator('.drop').dispatchEvent('drop', { dataTransfer: dropped });
  await page.getByTestId('verdict').nth(1).locator('table').waitFor();
  const genuine = page.getByTestId('verdict').filter({ hasText: 'genuine.xml' });
  const bad = page.getByTestId('verdict').filter({ hasText: 'tampered.xml' });
  t.equal(await genuine.locator('.verdict').innerText(), 'Hợp lệ');
  t.equal(await bad.locator('.verdict').innerText(), 'Không hợp lệ');
  const failed = await bad.locator('tr.failed th').allInnerTexts();
  t.ok(failed.length > 0, `the failed checks are named: ${failed.join(', ')}`);
  t.equal(failed[0], 'digest', 'first: the digest of the signed content no longer matches');
  t.equal(await genuine.locator('tr.failed').count(), 0);
  await check(t, page, 'auditor-verify');
  await page.getByRole('link', { name: 'Kiểm tra kỳ' }).click();
  await page.getByRole('button', { name: 'Chạy' }).click();
  await page.getByTestId('reverify-summary').waitFor();
  t.match(await page.getByTestId('reverify-summary').innerText(), /Không hợp lệ: 0/);
  await check(t, page, 'auditor-reverify');
  await page.getByRole('link', { name: 'Nhật ký' }).click();
  await page.getByTestId('chain').waitFor();
  t.match(await page.getByTestId('chain').innerText(), /^Nguyên vẹn/);
  await check(t, page, 'auditor-audit');
  t.same(errors, [], 'no script error');
});

t.test('the citizen types a lookup code on a phone and sees the whole receipt, QR included', async (t) => {
  const { context, page } = await person(390, 844);
  t.teardown(() => context.close());
  const receipts = await (await fetch(`${server.url}/v1/receipts?q=${issued!.number}&from=${today()}&to=${today()}`, { headers: { authorization: `Bearer ${server.key('cashier')}` } })).json();
  const code = receipts.data[0].lookupCode as string;
  await page.goto(`${server.url}/public/receipts`);
  await page.getByLabel(/Mã tra cứu/).fill('abc');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  t.match(await page.getByRole('alert').innerText(), /12 ký tự/, 'a wrong code is explained');
  await page.getByLabel(/Mã tra cứu/).fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.locator('[data-field="lookup-code"]').waitFor();
  t.equal(await page.locator('[data-field="lookup-code"]').innerText(), code);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  t.ok(width <= 390, `no sideways scroll (${width} px wide)`);
  const qr = await page.locator('[data-field="qr"] svg').boundingBox();
  t.ok(qr && qr.x >= 0 && qr.x + qr.width <= 390 && qr.width >= 120, `the QR code is whole and large (${JSON.stringify(qr)})`);
  await check(t, page, 'citizen-390');
});

t.test('no serious accessibility violation on any screen', async (t) => {
  await writeFile(path.join(SHOTS, 'axe.txt'), violations.join('\n'));
  t.same(violations, []);
});
