import t from 'tap';
import { auth, issue, testApp } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { vietnamYear } from '../../src/time/vietnam.ts';

const year = vietnamYear(new Date());
const yy = String(year).slice(2);

for (const backend of backends) {
  t.test(`admin manages departments, fees, series and the center (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const admin = (method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, payload?: object) => ctx.app.inject({ method, url, headers: auth(ctx.keys.admin), ...(payload ? { payload } : {}) });

    const dept = await admin('POST', '/v1/departments', { code: 'SYT', name: 'Sở Y tế tỉnh Demo', taxCode: '0100000015' });
    t.equal(dept.statusCode, 201);
    t.same(dept.json(), { code: 'SYT', name: 'Sở Y tế tỉnh Demo', taxCode: '0100000015', address: null });
    t.equal((await admin('POST', '/v1/departments', { code: 'SYT', name: 'again', taxCode: '0100000015' })).json().code, 'DEPARTMENT_EXISTS');
    const badTax = await admin('POST', '/v1/departments', { code: 'SVH', name: 'Sở Văn hóa', taxCode: '12345' });
    t.equal(badTax.statusCode, 400);
    t.equal(badTax.json().errors[0].field, 'body.taxCode');
    t.equal((await admin('PATCH', '/v1/departments/SYT', { address: '5 Hải Thượng Lãn Ông' })).json().address, '5 Hải Thượng Lãn Ông');
    t.equal((await admin('PATCH', '/v1/departments/NOPE', { name: 'x' })).json().code, 'DEPARTMENT_NOT_FOUND');

    const fee = await admin('POST', '/v1/fees', { code: 'SYT-CCHN', department: 'SYT', name: 'Phí thẩm định cấp chứng chỉ hành nghề dược', kind: 'fee', amount: 500_000 });
    t.equal(fee.statusCode, 201);
    t.equal(fee.json().active, true);
    t.equal((await admin('POST', '/v1/fees', { code: 'X-1', department: 'NOPE', name: 'x', kind: 'fee', amount: 1 })).json().code, 'UNKNOWN_DEPARTMENT');
    t.equal((await admin('POST', '/v1/fees', { code: 'SYT-CCHN', department: 'SYT', name: 'x', kind: 'fee', amount: 1 })).json().code, 'FEE_EXISTS');
    t.equal((await admin('POST', '/v1/fees', { code: 'SYT-2', department: 'SYT', name: 'x', kind: 'fee', amount: 0 })).statusCode, 400);
    const fees = (await ctx.app.inject({ url: '/v1/fees?department=SYT', headers: auth(ctx.keys.cashier) })).json();
    t.same(
      fees.data.map((f: { code: string }) => f.code),
      ['SYT-CCHN'],
    );

    // Series symbols follow Circular 91 Appendix II.
    for (const bad of [`${yy}TAF`, `${yy}CAB`, `${yy}TA`, `${yy}Tab`, 'ABTAB']) {
      const res = await admin('POST', '/v1/series', { series: bad, department: 'SYT', rangeFrom: 1, rangeTo: 10 });
      t.equal(res.statusCode, 400, `${bad} is not a series symbol`);
      t.equal(res.json().errors[0].field, 'body.series');
    }
    const past = await admin('POST', '/v1/series', { series: `${String(year - 1).slice(2)}TYT`, department: 'SYT', rangeFrom: 1, rangeTo: 10 });
    t.equal(past.json().code, 'SERIES_WRONG_YEAR');
    const reversed = await admin('POST', '/v1/series', { series: `${yy}TYT`, department: 'SYT', rangeFrom: 10, rangeTo: 1 });
    t.equal(reversed.json().code, 'INVALID_RANGE');
    const nineDigits = await admin('POST', '/v1/series', { series: `${yy}TYT`, department: 'SYT', rangeFrom: 1, rangeTo: 100_000_000 });
    t.equal(nineDigits.statusCode, 400, 'numbers have at most 8 digits');
    const series = await admin('POST', '/v1/series', { series: `${yy}TYT`, department: 'SYT', rangeFrom: 501, rangeTo: 1000 });
    t.equal(series.statusCode, 201);
    t.match(series.json(), { template: 'EBL01', series: `${yy}TYT`, year, department: 'SYT', rangeFrom: 501, rangeTo: 1000, nextNumber: 501 });
    t.equal((await admin('POST', '/v1/series', { series: `${yy}TYT`, department: 'SYT', rangeFrom: 1, rangeTo: 10 })).json().code, 'SERIES_EXISTS');

    const r = (await issue(ctx, { department: 'SYT', payer: { name: 'Trần Thị Bình' }, items: [{ feeCode: 'SYT-CCHN' }], paymentMethod: 'qr' })).json();
    t.equal(r.number, 501, 'the first number of a delegated range is its rangeFrom');
    t.equal((await ctx.app.inject({ url: `/v1/series/${series.json().id}`, headers: auth(ctx.keys.auditor) })).json().nextNumber, 502);

    // A fee's new amount applies to later receipts only.
    t.equal((await admin('PATCH', '/v1/fees/SYT-CCHN', { amount: 600_000 })).json().amount, 600_000);
    const later = (await issue(ctx, { department: 'SYT', payer: { name: 'Lê Văn Cường' }, items: [{ feeCode: 'SYT-CCHN' }], paymentMethod: 'card' })).json();
    t.equal(later.total, 600_000);
    t.equal((await ctx.app.inject({ url: `/v1/receipts/${r.id}`, headers: auth(ctx.keys.auditor) })).json().total, 500_000);
    await admin('PATCH', '/v1/fees/SYT-CCHN', { active: false });
    t.equal((await issue(ctx, { department: 'SYT', payer: { name: 'x' }, items: [{ feeCode: 'SYT-CCHN' }], paymentMethod: 'card' })).json().code, 'UNKNOWN_FEE');

    const center = await admin('PUT', '/v1/center', { name: 'Trung tâm Phục vụ hành chính công tỉnh Mới', taxCode: '0100000002', address: '2 Lê Lợi' });
    t.equal(center.statusCode, 200);
    t.equal((await ctx.app.inject({ url: '/v1/center', headers: auth(ctx.keys.cashier) })).json().taxCode, '0100000002');
    t.equal((await admin('PUT', '/v1/center', { name: 'x' })).statusCode, 400);
  });
}
