import t from 'tap';
import { auth, correct, decideRefund, demoReceipt, issue, requestRefund, testApp, type TestContext } from '../helpers/app.ts';
import { addDays, dayOfThisYear, TestClock } from '../helpers/clock.ts';
import { backends } from '../helpers/db.ts';

async function events(ctx: TestContext, query = '') {
  const all: Array<Record<string, unknown> & { seq: number; action: string; actor: string; subjectId: string; hash: string }> = [];
  let cursor: string | null = null;
  do {
    const page: { data: typeof all; nextCursor: string | null } = (
      await ctx.app.inject({
        url: `/v1/audit/events?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth(ctx.keys.auditor),
      })
    ).json();
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const verify = async (ctx: TestContext) => (await ctx.app.inject({ url: '/v1/audit/verify', headers: auth(ctx.keys.auditor) })).json();

for (const backend of backends) {
  t.test(`every change appends a chained event (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('09-10'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    const admin = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object) => ctx.app.inject({ method, url, headers: auth(ctx.keys.admin), payload });
    const start = (await events(ctx)).length;

    await admin('PUT', '/v1/center', { name: 'Trung tâm Phục vụ hành chính công tỉnh Demo', taxCode: '0100000001', address: '02 Trần Phú', taxOffice: { code: '101', name: 'Thuế tỉnh Demo' } });
    await admin('POST', '/v1/departments', { code: 'SYT', name: 'Sở Y tế', taxCode: '0100000015' });
    await admin('PATCH', '/v1/departments/SYT', { address: '5 Hải Thượng Lãn Ông' });
    await admin('POST', '/v1/fees', { code: 'SYT-A', department: 'SYT', name: 'Phí thẩm định', kind: 'fee', amount: 100_000 });
    await admin('PATCH', '/v1/fees/SYT-A', { amount: 120_000 });
    await admin('POST', '/v1/series', { series: `${dayOfThisYear('01-01').slice(2, 4)}TYT`, department: 'SYT', rangeFrom: 1, rangeTo: 100 });
    await admin('POST', '/v1/share-rates', { department: 'SYT', kind: 'fee', rateBp: 1000, effectiveFrom: addDays(clock.date, 1) });
    const key = (await admin('POST', '/v1/api-keys', { name: 'Phan Văn Chín', role: 'cashier', counter: 'Q09' })).json();
    await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${key.id}/revoke`, headers: auth(ctx.keys.admin) });
    const receipt = (await issue(ctx)).json();
    const refund = (await requestRefund(ctx, receipt.id, { amount: 1000, reason: 'Nộp thừa' })).json();
    await decideRefund(ctx, refund.id, 'approve');
    const other = (await requestRefund(ctx, receipt.id, { amount: 1000, reason: 'Nộp thừa' })).json();
    await decideRefund(ctx, other.id, 'reject');
    await correct(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
    const second = (await issue(ctx)).json();
    await correct(ctx, second.id, 'replacement', { ...demoReceipt, items: [{ feeCode: 'STP-LLTP' }], reason: 'Thu nhầm' });
    clock.set(addDays(dayOfThisYear('10-01'), 0));
    await ctx.app.inject({ method: 'POST', url: `/v1/periods/${dayOfThisYear('09-01').slice(0, 7)}/close`, headers: auth(ctx.keys.accountant) });

    const log = (await events(ctx)).slice(start);
    t.same(
      log.map((e) => e.action),
      [
        'center.updated',
        'department.created',
        'department.updated',
        'fee.created',
        'fee.updated',
        'series.created',
        'share_rate.set',
        'staff.created',
        'api_key.created',
        'api_key.revoked',
        'receipt.issued',
        'refund.requested',
        'refund.approved',
        'refund.requested',
        'refund.rejected',
        'error_notice.requested',
        'error_notice.issued',
        'error_notice.approved',
        'receipt.issued',
        'replacement.requested',
        'receipt.issued',
        'receipt.replaced',
        'replacement.approved',
        'period.closed',
      ],
    );
    t.same([...new Set(log.map((e) => e.actor))].sort(), ['test accountant', 'test admin', 'test cashier']);
    const issued = log.find((e) => e.action === 'receipt.issued')!;
    t.equal(issued.subjectId, receipt.id);
    t.match(issued.details, { series: receipt.series, number: 1, total: 400_000, department: 'STP', counter: 'Q01', xmlSha256: receipt.xmlSha256 });
    for (let i = 1; i < log.length; i++) t.equal(log[i]!.prevHash, log[i - 1]!.hash, `event ${log[i]!.seq} links to ${log[i - 1]!.seq}`);
    const seqs = (await events(ctx)).map((e) => e.seq);
    t.same(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => i + 1),
      'sequence numbers have no gaps',
    );

    const filtered = await events(ctx, '&action=refund.requested');
    t.equal(filtered.length, 2);
    const bySubject = await events(ctx, `&subjectType=receipt&subjectId=${receipt.id}`);
    t.same(
      bySubject.map((e) => e.action),
      ['receipt.issued'],
    );
    t.equal((await ctx.app.inject({ url: '/v1/audit/events', headers: auth(ctx.keys.accountant) })).statusCode, 403);

    const ok = await verify(ctx);
    t.same(ok, { valid: true, events: seqs.length, head: { seq: seqs.length, hash: (await events(ctx)).at(-1)!.hash }, firstBroken: null });

    // Failed requests change nothing, so they add no event; a refused bad input neither.
    const before = (await events(ctx)).length;
    await issue(ctx, { ...demoReceipt, department: 'NOPE' });
    t.equal((await events(ctx)).length, before, 'a refused request appends nothing');
  });

  t.test(`a deleted or edited event is found by /v1/audit/verify (${backend})`, async (t) => {
    const ctx = await testApp(backend);
    t.teardown(() => ctx.close());
    for (let i = 0; i < 4; i++) t.equal((await issue(ctx)).statusCode, 201);
    const all = await events(ctx);
    t.ok(all.length >= 8);
    t.equal((await verify(ctx)).valid, true);
    await t.rejects(ctx.database.db.query('DELETE FROM audit_events WHERE seq = 3'), /audit_events is append-only/);

    await ctx.database.db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await ctx.database.db.query(`UPDATE audit_events SET details = jsonb_set(details, '{total}', '4000000') WHERE seq = 6`);
    t.same((await verify(ctx)).firstBroken, { seq: 6, reason: 'its content does not match its hash: the event was altered' });
    await ctx.database.db.query(`UPDATE audit_events SET details = $1 WHERE seq = 6`, [JSON.stringify(all[5]!.details)]);
    t.equal((await verify(ctx)).valid, true, 'restored');

    await ctx.database.db.query('DELETE FROM audit_events WHERE seq = 4');
    const broken = await verify(ctx);
    t.equal(broken.valid, false);
    t.same(broken.firstBroken, { seq: 4, reason: 'event 4 is missing: the chain jumps to 5' });
    t.equal(broken.head.seq, 3, 'the last intact event');

    // Re-numbering to hide the gap breaks the hash links instead.
    await ctx.database.db.query('UPDATE audit_events SET seq = seq + 1000 WHERE seq > 4');
    await ctx.database.db.query('UPDATE audit_events SET seq = seq - 1001 WHERE seq > 1000');
    t.same((await verify(ctx)).firstBroken, { seq: 4, reason: 'its previous hash does not match event 3' });
    await ctx.database.db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  });

  t.test(`failed sign-ins are summarised; the daily summary pins the chain (${backend})`, async (t) => {
    const clock = new TestClock(dayOfThisYear('04-10'));
    const ctx = await testApp(backend, { clock: clock.now });
    t.teardown(() => ctx.close());
    for (let i = 0; i < 3; i++) {
      t.equal((await ctx.app.inject({ url: '/v1/receipts', headers: { authorization: `Bearer rk_cashier_guess${i}` } })).statusCode, 401);
    }
    t.equal((await ctx.app.inject({ url: '/v1/receipts' })).statusCode, 401, 'no key at all is not a sign-in attempt');
    await ctx.app.authFailures.flush();
    const summary = (await events(ctx, '&action=auth.failures'))[0]!;
    t.match(summary, { actor: 'system', subjectType: 'api', details: { count: 3, sources: { '127.0.0.1': 3 } } });
    await ctx.app.authFailures.flush();
    t.equal((await events(ctx, '&action=auth.failures')).length, 1, 'nothing more to summarise');

    const receipt = (await issue(ctx)).json();
    const head = (await events(ctx)).at(-1)!;
    clock.set(dayOfThisYear('04-11'), '08:00:00');
    const xml = (await ctx.app.inject({ url: `/v1/reports/daily-summary?date=${receipt.issueDate}&department=${receipt.department.code}`, headers: auth(ctx.keys.accountant) })).body;
    t.match(xml, `<CSKien><STT>${head.seq}</STT><HBam>${head.hash}</HBam></CSKien>`, 'the last event of the day, before the summary’s own');
  });
}

t.test('the hash covers every field: actor, action, subject, time and details', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  await issue(ctx);
  const target = (await events(ctx)).find((e) => e.action === 'receipt.issued')!;
  const edits: Array<[string, string]> = [
    ['actor', `actor = 'test admin'`],
    ['actor_key', 'actor_key = NULL'],
    ['action', `action = 'receipt.viewed'`],
    ['subject_type', `subject_type = 'refund'`],
    ['subject_id', `subject_id = 'x'`],
    ['at', `at = at + interval '1 second'`],
    ['details', `details = details - 'counter'`],
  ];
  await ctx.database.db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  t.teardown(() => ctx.database.db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only'));
  for (const [column, edit] of edits) {
    const before = (await ctx.database.db.query('SELECT * FROM audit_events WHERE seq = $1', [target.seq])).rows[0]!;
    await ctx.database.db.query(`UPDATE audit_events SET ${edit} WHERE seq = $1`, [target.seq]);
    t.same((await verify(ctx)).firstBroken, { seq: target.seq, reason: 'its content does not match its hash: the event was altered' }, `an edit of ${column} is found`);
    await ctx.database.db.query('UPDATE audit_events SET actor = $2, actor_key = $3, action = $4, subject_type = $5, subject_id = $6, at = $7, details = $8 WHERE seq = $1', [
      target.seq,
      before.actor,
      before.actor_key,
      before.action,
      before.subject_type,
      before.subject_id,
      before.at,
      JSON.stringify(before.details),
    ]);
    t.equal((await verify(ctx)).valid, true, `${column} restored`);
  }
});

t.test('concurrent changes append a gapless, unforked chain in commit order', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const start = (await events(ctx)).length;
  // Receipts of four departments (four series, no shared row lock) and key creations, all at once.
  const departments = [
    ['STP', 'STP-LLTP'],
    ['SXD', 'SXD-GPXD'],
    ['SNNMT', 'SNNMT-DKBD'],
    ['SCT', 'SCT-GPKD'],
  ] as const;
  const work = [
    ...Array.from({ length: 24 }, (_, i) => issue(ctx, { ...demoReceipt, department: departments[i % 4]![0], items: [{ feeCode: departments[i % 4]![1] }] })),
    ...['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Linh'].map((given) =>
      ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth(ctx.keys.admin), payload: { name: `Nguyễn ${given}`, role: 'cashier' } }),
    ),
  ];
  const results = await Promise.all(work);
  t.same(results.map((r) => r.statusCode).sort(), [...Array(32).fill(201)]);
  const log = await events(ctx);
  t.equal(log.length - start, 40, 'one event per change (each new key’s holder is a new staff member)');
  t.same(
    log.map((e) => e.seq),
    Array.from({ length: log.length }, (_, i) => i + 1),
    'no gaps, no duplicates',
  );
  t.equal(new Set(log.map((e) => e.prevHash)).size, log.length, 'no two events share a predecessor: the chain did not fork');
  t.equal((await verify(ctx)).valid, true);
  // Commit order: an event's time never precedes its predecessor's by more than clock resolution.
  for (let i = 1; i < log.length; i++) t.ok(Date.parse(String(log[i]!.at)) >= Date.parse(String(log[i - 1]!.at)) - 1000, `event ${log[i]!.seq} follows ${log[i - 1]!.seq}`);
});
