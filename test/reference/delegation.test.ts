import t from 'tap';
import { auth, demoReceipt, issue, testApp } from '../helpers/app.ts';
import { addDays, dayOfThisYear, TestClock } from '../helpers/clock.ts';

t.test('a delegated series issues only from 3 days after notification, within its term, and not after termination', async (t) => {
  const clock = new TestClock(dayOfThisYear('06-10'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(() => ctx.close());
  const today = clock.date;
  const yy = today.slice(2, 4);
  const admin = (method: 'POST' | 'GET', url: string, payload?: object) => ctx.app.inject({ method, url, headers: auth(ctx.keys.admin), ...(payload ? { payload } : {}) });

  const badTerm = await admin('POST', '/v1/series', {
    series: `${yy}TQP`,
    department: 'STP',
    rangeFrom: 1,
    rangeTo: 100,
    delegation: { notifiedOn: today, from: addDays(today, 10), to: addDays(today, 3) },
  });
  t.equal(badTerm.statusCode, 400);
  t.equal(badTerm.json().errors[0].field, 'body.delegation.to');
  const created = await admin('POST', '/v1/series', {
    series: `${yy}TQP`,
    department: 'STP',
    rangeFrom: 1,
    rangeTo: 100,
    delegation: { notifiedOn: today, from: addDays(today, 2), to: addDays(today, 30) },
  });
  t.equal(created.statusCode, 201, created.body);
  t.same(created.json().delegation, { notifiedOn: today, from: addDays(today, 2), to: addDays(today, 30) });
  t.equal(created.json().terminatedOn, null);
  const id = created.json().id;
  const onSeries = () => issue(ctx, { ...demoReceipt, series: `${yy}TQP` });
  const next = async () => (await admin('GET', `/v1/series/${id}`)).json().nextNumber;

  const early = await onSeries();
  t.equal(early.statusCode, 409);
  t.match(early.json(), { code: 'DELEGATION_NOT_YET', detail: `series ${yy}TQP was notified on ${today}: the center may issue on it from ${addDays(today, 3)}` });
  clock.set(addDays(today, 2));
  t.equal((await onSeries()).json().code, 'DELEGATION_NOT_YET', 'two days after: not yet');
  t.equal(await next(), 1, 'no number used');
  clock.set(addDays(today, 3));
  const first = await onSeries();
  t.equal(first.statusCode, 201, 'from the third day after notification');
  t.equal(first.json().number, 1);

  clock.set(addDays(today, 31));
  const late = await onSeries();
  t.equal(late.statusCode, 409);
  t.equal(late.json().code, 'DELEGATION_OUT_OF_TERM');
  t.equal(await next(), 2, 'no number used');

  clock.set(addDays(today, 10));
  t.equal((await admin('POST', `/v1/series/${id}/terminate`, { date: addDays(today, 9) })).statusCode, 400, 'not in the past');
  const ended = await admin('POST', `/v1/series/${id}/terminate`, { date: addDays(today, 12) });
  t.equal(ended.statusCode, 200);
  t.equal(ended.json().terminatedOn, addDays(today, 12));
  t.equal((await onSeries()).statusCode, 201, 'until the termination takes effect');
  clock.set(addDays(today, 12));
  t.equal((await onSeries()).json().code, 'DELEGATION_TERMINATED');
  t.equal(await next(), 3, 'no number used');
  const again = await admin('POST', `/v1/series/${id}/terminate`, { date: addDays(today, 20) });
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'DELEGATION_TERMINATED');
  await t.rejects(ctx.database.db.query('UPDATE series SET terminated_on = NULL WHERE id = $1', [id]), /terminated once/, 'the database keeps a termination');
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/series/${id}/terminate`, headers: auth(ctx.keys.cashier), payload: { date: addDays(today, 20) } })).statusCode, 403);
  // The department's other series, without a delegation recorded, is not affected.
  t.equal((await issue(ctx)).statusCode, 201);
});
