import t from 'tap';
import { correct, decideCorrection, decideRefund, issue, requestCorrection, requestRefund, testApp, demoReceipt, auth, type TestContext } from '../helpers/app.ts';
import { dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';

/** Every table holding signed or money data, and the columns its guard lets change (nothing else may). */
const guarded: Record<string, string[]> = {
  receipts: ['status'],
  receipt_items: [],
  refunds: ['status', 'decided_by', 'decided_at', 'decision_reason', 'voucher_xml', 'voucher_sha256'],
  correction_requests: ['status', 'decided_by', 'decided_at', 'decision_reason', 'result_receipt_id', 'result_notice_id'],
  error_notices: [],
  ledger_entries: [],
  ledger_daily: ['receipts', 'collected', 'refunded', 'center_share', 'department_share'],
  receipts_daily: ['receipts'],
  share_rates: [],
  periods: [],
  series: ['next_number', 'terminated_on'],
  api_keys: ['revoked_at'],
  staff: ['disabled_at'],
  audit_events: [],
};

/** An expression that changes a column's value, whatever its type and even when it is NULL. */
function changed(column: string, type: string): string {
  switch (type) {
    case 'text':
      return `COALESCE(${column}, '') || 'x'`;
    case 'integer':
    case 'bigint':
    case 'smallint':
      return `COALESCE(${column}, 0) + 1`;
    case 'boolean':
      return `NOT COALESCE(${column}, false)`;
    case 'timestamp with time zone':
      return `COALESCE(${column}, now()) + interval '1 second'`;
    case 'date':
      return `COALESCE(${column}, current_date) + 1`;
    case 'uuid':
      return 'gen_random_uuid()';
    case 'jsonb':
      return `COALESCE(${column}, '{}'::jsonb) || '{"x": 1}'::jsonb`;
    case 'bytea':
      return `COALESCE(${column}, ''::bytea) || '\\x00'::bytea`;
    default:
      throw new Error(`no change expression for ${type}`);
  }
}

/** A row of each kind: receipts, items, refunds (decided and pending), corrections, a notice, a closed period… */
async function populate(ctx: TestContext, clock: TestClock) {
  const receipt = (await issue(ctx)).json();
  const refund = (await requestRefund(ctx, receipt.id, { amount: 1000, reason: 'Nộp thừa' })).json();
  await decideRefund(ctx, refund.id, 'approve');
  await requestRefund(ctx, receipt.id, { amount: 1000, reason: 'Nộp thừa' });
  const other = (await issue(ctx)).json();
  await correct(ctx, other.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
  const pending = (await requestCorrection(ctx, other.id, 'error-notices', { field: 'payerAddress', correctValue: '21 Lê Lợi', reason: 'Sai' })).json();
  await decideCorrection(ctx, pending.id, 'reject');
  clock.set(dayOfThisYear('07-02'));
  const closed = await ctx.app.inject({ method: 'POST', url: `/v1/periods/${dayOfThisYear('06-01').slice(0, 7)}/close`, headers: auth(ctx.keys.accountant) });
  t.equal(closed.json().status, 'closed', closed.body);
  const key = (await ctx.database.db.query<{ id: string }>(`SELECT id FROM api_keys WHERE name = 'test auditor'`)).rows[0]!;
  await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${key.id}/revoke`, headers: auth(ctx.keys.admin) });
  return { receipt };
}

for (const backend of backends) {
  t.test(`guards are allow-lists: every other column, and every removal, is refused (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('06-15'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    await populate(ctx, clock);
    const db = ctx.database.db;
    for (const [table, allowed] of Object.entries(guarded)) {
      const columns = (
        await db.query<{ column_name: string; data_type: string }>(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        )
      ).rows;
      t.ok(columns.length > 0, `${table} exists`);
      const { rows } = await db.query(`SELECT ctid::text AS ctid FROM ${table} LIMIT 1`);
      t.ok(rows[0], `${table} has a row to try`);
      const where = `ctid = '${rows[0]!.ctid}'::tid`;
      for (const c of columns.filter((c) => !allowed.includes(c.column_name))) {
        await t.rejects(db.query(`UPDATE ${table} SET ${c.column_name} = ${changed(c.column_name, c.data_type)} WHERE ${where}`), /refused/, `${table}.${c.column_name} cannot be edited`);
      }
      await t.rejects(db.query(`DELETE FROM ${table} WHERE ${where}`), /refused/, `${table}: a row cannot be deleted`);
      await t.rejects(db.query(`TRUNCATE ${table} CASCADE`), /refused/, `${table} cannot be truncated`);
    }
  });

  t.test(`the permitted transitions, and only those (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    const db = ctx.database.db;
    const receipt = (await issue(ctx)).json();
    await t.rejects(db.query(`UPDATE receipts SET status = 'cancelled' WHERE id = $1`, [receipt.id]), /refused/, 'no status but replaced');
    await db.query(`UPDATE receipts SET status = 'issued' WHERE id = $1`, [receipt.id]);
    t.pass('a no-op update is allowed');
    const replaced = (await correct(ctx, receipt.id, 'replacement', { ...demoReceipt, reason: 'Sai' })).json();
    t.ok(replaced.id, 'issued → replaced, through the service');
    await t.rejects(db.query(`UPDATE receipts SET status = 'issued' WHERE id = $1`, [receipt.id]), /issued to replaced only/, 'never back to issued');
    await t.rejects(db.query(`UPDATE series SET next_number = next_number - 1 WHERE department_code = 'STP'`), /only moves forward/);
    const refund = (await requestRefund(ctx, replaced.id, { amount: 1000, reason: 'x' })).json();
    await decideRefund(ctx, refund.id, 'reject');
    await t.rejects(db.query(`UPDATE refunds SET status = 'approved' WHERE id = $1`, [refund.id]), /decided once/, 'a rejected refund stays rejected');
    await t.rejects(db.query(`UPDATE refunds SET decision_reason = 'khác' WHERE id = $1`, [refund.id]), /decided once/, 'and its decision stays as made');
    const key = (await db.query<{ id: string }>('SELECT id FROM api_keys LIMIT 1')).rows[0]!.id;
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key]);
    await t.rejects(db.query(`UPDATE api_keys SET revoked_at = NULL WHERE id = $1`, [key]), /revoked once/, 'a revoked key is never restored');
  });
}
