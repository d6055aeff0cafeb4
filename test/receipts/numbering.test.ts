import t from 'tap';
import { vietnamYear } from '../../src/time/vietnam.ts';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { auth, demoReceipt, devFileSigner, issue, testApp } from '../helpers/app.ts';
import { backends } from '../helpers/db.ts';
import { testSigner } from '../helpers/signers.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';

async function numbers(ctx: { database: { db: { query: (q: string, v: unknown[]) => Promise<{ rows: Array<{ number: number }> }> } } }, series: string): Promise<number[]> {
  const { rows } = await ctx.database.db.query('SELECT number FROM receipts WHERE series = $1 ORDER BY number', [series]);
  return rows.map((r) => r.number);
}

for (const backend of backends) {
  t.test(`50 concurrent issues on one series get exactly 1..50 (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const results = await Promise.all(Array.from({ length: 50 }, () => issue(ctx)));
    t.same(
      results.map((r) => r.statusCode),
      Array(50).fill(201),
    );
    const series = results[0]!.json().series;
    t.same(
      results.map((r) => r.json().number).sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    t.same(
      await numbers(ctx, series),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const { rows } = await ctx.database.db.query<{ next_number: number }>('SELECT next_number FROM series WHERE symbol = $1', [series]);
    t.equal(rows[0]!.next_number, 51);
    // Numbers ascend with signing time (Decree 254 Art. 25.5: ascending order).
    const byTime = await ctx.database.db.query<{ number: number }>('SELECT number FROM receipts ORDER BY issued_at, number');
    t.same(
      byTime.rows.map((r) => r.number),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  t.test(`a signing failure mid-run leaves no gap (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    // Every third signature fails: a group with a failed signature uses no number, and its requests are tried one by one.
    const { signer } = testSigner(await devFileSigner(), { failing: (call) => call % 3 === 0 });
    await ctx.app.close();
    ctx.app = await buildApp({ config: loadConfig({}), db: ctx.database.db, signer });
    const results = await Promise.all(Array.from({ length: 30 }, () => issue(ctx)));
    const ok = results.filter((r) => r.statusCode === 201);
    const failed = results.filter((r) => r.statusCode !== 201);
    t.ok(failed.length >= 1 && ok.length >= 1, `some failed (${failed.length}), some issued (${ok.length})`);
    for (const f of failed) {
      t.equal(f.statusCode, 503);
      t.equal(f.json().code, 'SIGNER_UNAVAILABLE');
      t.equal(f.headers['retry-after'], '3');
    }
    const series = ok[0]!.json().series;
    t.same(
      await numbers(ctx, series),
      Array.from({ length: ok.length }, (_, i) => i + 1),
      'committed numbers are 1..n, no gap',
    );
    t.same(
      ok.map((r) => r.json().number).sort((a: number, b: number) => a - b),
      Array.from({ length: ok.length }, (_, i) => i + 1),
      'each answer names its own number',
    );
    let after = await issue(ctx);
    if (after.statusCode !== 201) after = await issue(ctx);
    t.equal(after.json().number, ok.length + 1);
    const keys = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys');
    t.equal(keys.rows[0]!.n, ok.length + 1, 'failed requests stored no response, so they can be retried with the same key');
    t.ok((await xmlsecVerify((await ctx.database.db.query<{ xml: Buffer }>('SELECT xml FROM receipts WHERE number = $1', [ok.length + 1])).rows[0]!.xml)).ok);
  });

  t.test(`two series issue independently (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const sct = { ...demoReceipt, department: 'SCT', items: [{ feeCode: 'SCT-TDKD' }] };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(ctx, i % 2 ? sct : demoReceipt)));
    t.same(
      results.map((r) => r.statusCode),
      Array(20).fill(201),
    );
    const stp = results.filter((r) => r.json().department.code === 'STP')[0]!.json().series;
    const sctSeries = results.filter((r) => r.json().department.code === 'SCT')[0]!.json().series;
    t.not(stp, sctSeries);
    t.same(
      await numbers(ctx, stp),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    t.same(
      await numbers(ctx, sctSeries),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
  });

  t.test(`a range is used up exactly, then the next series of the year takes over (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    // A department whose delegated range is numbers 7 to 9 of its series.
    const yy = String(vietnamYear(new Date())).slice(2);
    const admin = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: auth(ctx.keys.admin), payload });
    t.equal((await admin('/v1/departments', { code: 'SYT', name: 'Sở Y tế', taxCode: '0100000015' })).statusCode, 201);
    t.equal((await admin('/v1/fees', { code: 'SYT-A', department: 'SYT', name: 'Phí thẩm định', kind: 'fee', amount: 100_000 })).statusCode, 201);
    t.equal((await admin('/v1/series', { series: `${yy}TYT`, department: 'SYT', rangeFrom: 7, rangeTo: 9 })).statusCode, 201);
    const syt = { ...demoReceipt, department: 'SYT', items: [{ feeCode: 'SYT-A' }] };
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await issue(ctx, syt)).json().number);
    t.same(got, [7, 8, 9], 'numbers start at rangeFrom and end at rangeTo');
    const exhausted = await issue(ctx, syt);
    t.equal(exhausted.statusCode, 409);
    t.equal(exhausted.json().code, 'SERIES_EXHAUSTED');
    t.equal((await admin('/v1/series', { series: `${yy}TYQ`, department: 'SYT', rangeFrom: 1, rangeTo: 10 })).statusCode, 201);
    const next = (await issue(ctx, syt)).json();
    t.equal(next.series, `${yy}TYQ`);
    t.equal(next.number, 1);
  });
}
