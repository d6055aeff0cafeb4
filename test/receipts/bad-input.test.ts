import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { DOMParser } from '@xmldom/xmldom';
import { auth, decideRefund, demoReceipt, issue, newIdempotencyKey, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { vietnamYear } from '../../src/time/vietnam.ts';

/** Receipt count and every series counter: what a rejected request must leave unchanged. */
async function state(ctx: TestContext) {
  const receipts = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts');
  const series = await ctx.database.db.query<{ symbol: string; next_number: number }>('SELECT symbol, next_number FROM series ORDER BY id');
  const keys = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys');
  return { receipts: receipts.rows[0]!.n, series: series.rows, idempotencyKeys: keys.rows[0]!.n };
}

const yy = String(vietnamYear(new Date())).slice(2);

for (const backend of backends) {
  t.test(`bad input gets a clear problem and changes nothing (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    // A series of last year and one of another department, both otherwise usable.
    await ctx.database.db.query(
      `INSERT INTO series (template, symbol, year, department_code, range_from, range_to, next_number)
       VALUES ('EBL01', $1, $2, 'STP', 1, 100, 1), ('EBL01', $3, $4, 'SXD', 1, 2, 3)`,
      [`${String(vietnamYear(new Date()) - 1).slice(2)}TTE`, vietnamYear(new Date()) - 1, `${yy}TXE`, vietnamYear(new Date())],
    );
    t.equal((await issue(ctx)).statusCode, 201, 'a good receipt first, so counters are not at their start');
    const before = await state(ctx);

    const cases: Array<{ name: string; status: number; code: string; field?: string; send: () => Promise<LightMyRequestResponse> }> = [
      {
        name: 'malformed JSON',
        status: 400,
        code: 'MALFORMED_JSON',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: '/v1/receipts',
            headers: { ...auth(ctx.keys.cashier), 'idempotency-key': newIdempotencyKey(), 'content-type': 'application/json' },
            payload: '{"department": "STP",',
          }),
      },
      { name: 'unknown field', status: 400, code: 'VALIDATION_FAILED', field: 'body', send: () => issue(ctx, { ...demoReceipt, discount: 10 }) },
      { name: 'missing payer name', status: 400, code: 'VALIDATION_FAILED', field: 'body.payer.name', send: () => issue(ctx, { ...demoReceipt, payer: { address: 'x' } }) },
      { name: 'blank payer name', status: 400, code: 'VALIDATION_FAILED', field: 'body.payer.name', send: () => issue(ctx, { ...demoReceipt, payer: { name: '   ' } }) },
      { name: 'empty items', status: 400, code: 'VALIDATION_FAILED', field: 'body.items', send: () => issue(ctx, { ...demoReceipt, items: [] }) },
      { name: 'non-integer amount', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: 1000.5 }] }) },
      { name: 'zero amount', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: 0 }] }) },
      { name: 'negative amount', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: -5000 }] }) },
      { name: 'amount as a string', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'fee', amount: '5000' }] }) },
      { name: 'unknown kind', status: 400, code: 'VALIDATION_FAILED', field: 'body.items.0', send: () => issue(ctx, { ...demoReceipt, items: [{ name: 'Phí', kind: 'tax', amount: 5000 }] }) },
      { name: 'unknown payment method', status: 400, code: 'VALIDATION_FAILED', field: 'body.paymentMethod', send: () => issue(ctx, { ...demoReceipt, paymentMethod: 'cheque' }) },
      { name: 'malformed series symbol', status: 400, code: 'VALIDATION_FAILED', field: 'body.series', send: () => issue(ctx, { ...demoReceipt, series: `${yy}TFF` }) },
      { name: 'unknown department', status: 422, code: 'UNKNOWN_DEPARTMENT', send: () => issue(ctx, { ...demoReceipt, department: 'NOPE' }) },
      { name: 'unknown fee', status: 422, code: 'UNKNOWN_FEE', field: 'body.items.0.feeCode', send: () => issue(ctx, { ...demoReceipt, items: [{ feeCode: 'NO-SUCH-FEE' }] }) },
      {
        name: 'fee of another department',
        status: 422,
        code: 'UNKNOWN_FEE',
        field: 'body.items.1.feeCode',
        send: () => issue(ctx, { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }, { feeCode: 'SXD-GPXD' }] }),
      },
      { name: 'unknown series', status: 422, code: 'UNKNOWN_SERIES', send: () => issue(ctx, { ...demoReceipt, series: `${yy}TYY` }) },
      { name: 'series of another department', status: 422, code: 'SERIES_WRONG_DEPARTMENT', send: () => issue(ctx, { ...demoReceipt, series: `${yy}TXD` }) },
      { name: 'series of another year', status: 422, code: 'SERIES_WRONG_YEAR', send: () => issue(ctx, { ...demoReceipt, series: `${String(vietnamYear(new Date()) - 1).slice(2)}TTE` }) },
      { name: 'exhausted range', status: 409, code: 'SERIES_EXHAUSTED', send: () => issue(ctx, { ...demoReceipt, department: 'SXD', items: [{ feeCode: 'SXD-GPXD' }], series: `${yy}TXE` }) },
      {
        name: 'total above the limit',
        status: 422,
        code: 'TOTAL_TOO_LARGE',
        send: () =>
          issue(ctx, {
            ...demoReceipt,
            items: [
              { name: 'A', kind: 'fee', amount: 1_000_000_000_000 },
              { name: 'B', kind: 'fee', amount: 1 },
            ],
          }),
      },
      { name: 'missing Idempotency-Key', status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED', send: () => issue(ctx, demoReceipt, null) },
      { name: 'Idempotency-Key with control characters', status: 400, code: 'VALIDATION_FAILED', send: () => issue(ctx, demoReceipt, 'bad key with spaces') },
      {
        name: 'oversized body',
        status: 413,
        code: 'BODY_TOO_LARGE',
        send: () => issue(ctx, { ...demoReceipt, payer: { name: 'x'.repeat(70 * 1024) } }),
      },
      // Characters XML 1.0 cannot carry, or that parsers change, or that make a printed name read otherwise.
      ...[
        '\u0000',
        '\u0001',
        '\u000b',
        '\u001f',
        '\ufffe',
        '\uffff',
        '\ud800',
        '\udfff',
        '\u202e',
        '\u2066',
        '\u200b',
        '\u2028',
        '\r',
        '\n',
        '\t',
        // Characters that render as nothing, as blank or as a placeholder.
        '\u3164',
        '\u115f',
        '\u00ad',
        '\ufe0f',
        '\u2800',
        '\ufffc',
        '\ufffd',
      ].flatMap((c) => {
        const hex = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        return [
          { name: `${hex} in the payer's name`, status: 400, code: 'VALIDATION_FAILED', field: 'body.payer.name', send: () => issue(ctx, { ...demoReceipt, payer: { name: `Nguyễn${c}Văn An` } }) },
          {
            name: `${hex} in an item name`,
            status: 400,
            code: 'VALIDATION_FAILED',
            field: 'body.items.0',
            send: () => issue(ctx, { ...demoReceipt, items: [{ name: `Phí${c}`, kind: 'fee', amount: 5000 }] }),
          },
          { name: `${hex} in the dossier code`, status: 400, code: 'VALIDATION_FAILED', field: 'body.dossierCode', send: () => issue(ctx, { ...demoReceipt, dossierCode: `H01${c}` }) },
          {
            name: `${hex} in the address`,
            status: 400,
            code: 'VALIDATION_FAILED',
            field: 'body.payer.address',
            send: () => issue(ctx, { ...demoReceipt, payer: { name: 'An', address: `${c}12 Lê Lợi` } }),
          },
        ];
      }),
      {
        name: 'not JSON',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        send: () =>
          ctx.app.inject({
            method: 'POST',
            url: '/v1/receipts',
            headers: { ...auth(ctx.keys.cashier), 'idempotency-key': newIdempotencyKey(), 'content-type': 'text/plain' },
            payload: 'department=STP',
          }),
      },
    ];

    for (const c of cases) {
      const res = await c.send();
      t.equal(res.statusCode, c.status, `${c.name}: status (${res.body.slice(0, 200)})`);
      const problem = res.json();
      t.equal(problem.code, c.code, `${c.name}: code`);
      t.equal(problem.status, c.status, `${c.name}: status in the problem`);
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${c.name}: problem+json`);
      t.ok(problem.title && problem.detail && problem.type, `${c.name}: type, title and detail`);
      if (c.field)
        t.ok(
          problem.errors?.some((e: { field: string }) => e.field.startsWith(c.field!)),
          `${c.name}: names ${c.field}`,
        );
      if (c.name.startsWith('U+')) t.match(problem.detail, `contains ${c.name.slice(0, 6)}, which a signed document cannot carry`, `${c.name}: names the character`);
      t.same(await state(ctx), before, `${c.name}: nothing changed, no number consumed`);
    }

    const next = await issue(ctx);
    t.equal(next.json().number, 2, 'the next good receipt takes the next number');
  });

  t.test(`no series, no center (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    // A department with a fee but no series yet.
    const admin = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: auth(ctx.keys.admin), payload });
    t.equal((await admin('/v1/departments', { code: 'SYT', name: 'Sở Y tế', taxCode: '0100000015' })).statusCode, 201);
    t.equal((await admin('/v1/fees', { code: 'SYT-A', department: 'SYT', name: 'Phí thẩm định', kind: 'fee', amount: 100_000 })).statusCode, 201);
    const noSeries = await issue(ctx, { ...demoReceipt, department: 'SYT', items: [{ feeCode: 'SYT-A' }] });
    t.equal(noSeries.statusCode, 422);
    t.equal(noSeries.json().code, 'NO_ACTIVE_SERIES');
    await ctx.database.db.query('DELETE FROM center');
    const noCenter = await issue(ctx);
    t.equal(noCenter.statusCode, 409);
    t.equal(noCenter.json().code, 'CENTER_NOT_CONFIGURED');
  });
}

t.test('what is stored equals what is signed: NFC, characters beyond the BMP, line breaks in reasons', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const nfd = 'Nguye\u0302\u0303n Va\u0306n A\u0302n'; // "Nguyễn Văn Ân" decomposed, as some keyboards send it
  const res = await issue(ctx, { ...demoReceipt, payer: { name: `  ${nfd}  `, address: 'Số 12 \u{20000} đường Lê Lợi' }, items: [{ name: 'Lệ phí \u00a0 hộ tịch', kind: 'charge', amount: 8000 }] });
  t.equal(res.statusCode, 201, res.body);
  const receipt = res.json();
  t.equal(receipt.payer.name, 'Nguyễn Văn Ân', 'trimmed and normalised to NFC');
  t.equal(receipt.payer.name, receipt.payer.name.normalize('NFC'));
  const xml = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.cashier) })).body;
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const text = (name: string) => doc.getElementsByTagName(name)[0]!.textContent;
  const stored = (await ctx.database.db.query<{ payer: { name: string; address: string } }>('SELECT payer FROM receipts WHERE id = $1', [receipt.id])).rows[0]!;
  const item = (await ctx.database.db.query<{ name: string }>('SELECT name FROM receipt_items WHERE receipt_id = $1', [receipt.id])).rows[0]!;
  const nnop = doc.getElementsByTagName('NNop')[0]!;
  t.equal(nnop.getElementsByTagName('Ten')[0]!.textContent, stored.payer.name, 'payer name: signed = stored');
  t.equal(nnop.getElementsByTagName('DChi')[0]!.textContent, stored.payer.address, 'address with a character beyond the BMP: signed = stored');
  t.equal(doc.getElementsByTagName('Khoan')[0]!.getElementsByTagName('Ten')[0]!.textContent, item.name, 'item name with a no-break space: signed = stored');
  t.equal(text('TgTienBChu'), receipt.totalInWords);

  const refund = await requestRefund(ctx, receipt.id, { amount: 1000, reason: 'Dòng một\r\nDòng hai\rDòng ba' });
  t.equal(refund.statusCode, 201, refund.body);
  t.equal(refund.json().reason, 'Dòng một\nDòng hai\nDòng ba', 'CRLF and CR in a reason become LF, as an XML parser would read them');
  await decideRefund(ctx, refund.json().id, 'approve');
  const voucher = (await ctx.app.inject({ url: `/v1/refunds/${refund.json().id}/xml`, headers: auth(ctx.keys.cashier) })).body;
  const v = new DOMParser().parseFromString(voucher, 'text/xml');
  const reasonEl = v.getElementsByTagName('NDCTu')[0]!.getElementsByTagName('LDo')[0]!;
  t.equal(reasonEl.textContent, 'Dòng một\nDòng hai\nDòng ba', 'the signed voucher reads back the stored reason');
});
