import t from 'tap';
import { auth, demoReceipt, issue, testApp } from '../helpers/app.ts';

t.test('the counter finds receipts by number, payer or dossier code, within days', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const first = (await issue(ctx, { ...demoReceipt, payer: { name: 'Nguyễn Thị Hoa' }, dossierCode: 'H01-0001' })).json();
  const second = (await issue(ctx, { ...demoReceipt, payer: { name: 'Lê Văn Hùng' }, dossierCode: 'H01-0002' })).json();
  const today = first.issueDate as string;
  const search = (q: string, extra = `&from=${today}&to=${today}`) => ctx.app.inject({ url: `/v1/receipts?q=${encodeURIComponent(q)}${extra}`, headers: auth(ctx.keys.accountant) });
  const numbers = async (q: string) => (await search(q)).json().data.map((r: { number: number }) => r.number);
  t.same(await numbers('hoa'), [first.number], 'part of the name, case ignored');
  t.same(await numbers('LÊ VĂN'), [second.number]);
  t.same(await numbers('H01-000'), [second.number, first.number], 'part of the dossier code, newest first');
  t.same(await numbers(String(second.number)), [second.number], 'the number');
  t.same(await numbers('%'), [], 'no wildcard');
  t.same(await numbers('nobody'), []);
  const noDays = await search('hoa', '');
  t.equal(noDays.statusCode, 400, 'a search is bounded by its days');
  t.same(noDays.json().errors, [{ field: 'querystring.from', message: 'is required with q' }]);
  const tooLong = await search('hoa', '&from=2025-01-01&to=2026-12-31');
  t.equal(tooLong.statusCode, 400);
  t.equal(tooLong.json().errors[0].field, 'querystring.to');
  t.equal((await search('a\u0000b')).statusCode, 400, 'characters the service never stores');
});
