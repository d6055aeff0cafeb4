import { mkdtemp, rm } from 'node:fs/promises';
import { removeDataDir } from '../helpers/temp.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { startReceiver } from '../../src/tax/receiver.ts';
import { vietnamDate } from '../../src/time/vietnam.ts';
import { addDays } from '../helpers/clock.ts';
import { freshDatabase } from '../helpers/db.ts';
import { startServer, until } from '../helpers/server.ts';
import { xmllintValidate, xmlsecVerify } from '../helpers/xml-tools.ts';

/** The server as it runs in production, sending to its endpoint every second. */
const sending = { LOG_LEVEL: 'info', TAX_TRANSPORT: 'https', TAX_INTERVAL_SECONDS: '1' };

t.test('the sender killed (SIGKILL) between delivering a message and recording it: after a restart each message arrives once, in order', async (t) => {
  const database = await freshDatabase('postgres');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'receipts-kill-'));
  // The third message is kept by the receiver, and its reply held until the server is dead.
  const arrivals: string[] = [];
  let hold: (() => Promise<void>) | null = async () => {
    if (arrivals.length === 3) await new Promise<void>(() => {});
  };
  const receiver = await startReceiver({
    beforeReply: async (code) => {
      arrivals.push(code);
      await hold?.();
    },
  });
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  t.teardown(async () => {
    server?.child.kill('SIGKILL');
    await receiver.close().catch(() => {});
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const env = { DATABASE_URL: database.url!, DATA_DIR: dataDir, TAX_ENDPOINT: receiver.url };
  server = await startServer({ ...sending, ...env });
  const admin = /admin\s+(rk_admin_\S+)/.exec(server.output())![1]!;
  const auditor = /auditor\s+(rk_auditor_\S+)/.exec(server.output())![1]!;
  const register = async (base: string) => {
    const res = await request(`${base}/v1/registrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contact: { name: 'Lê Thị Hoa', address: '1 Trần Phú', email: 'a@b.vn', phone: '0236 3822 111' } }),
    });
    t.equal(res.statusCode, 201);
    return ((await res.body.json()) as { id: string }).id;
  };
  const made: string[] = [];
  for (let i = 0; i < 3; i++) {
    made.push(await register(server.url));
    await until(`message ${i + 1} to arrive`, () => arrivals.length === i + 1);
  }
  // The sender now waits for the third reply, its row locked; more are queued behind it.
  for (let i = 0; i < 3; i++) made.push(await register(server.url));
  await new Promise((r) => setTimeout(r, 1500));
  t.equal(arrivals.length, 3, 'nothing overtakes the message in flight');
  server.child.kill('SIGKILL');
  await new Promise((r) => server!.child.once('exit', r));
  hold = null;

  server = await startServer({ ...sending, ...env });
  const transmissions = async () => {
    const res = await request(`${server!.url}/v1/transmissions?documentType=registration`, { headers: { authorization: `Bearer ${auditor}` } });
    return ((await res.body.json()) as { data: Array<{ documentId: string; messageCode: string; status: string; attempts: Array<{ outcome: string }> }> }).data;
  };
  await until('every message to be accepted', async () => (await transmissions()).every((m) => m.status === 'accepted'));
  const list = (await transmissions()).reverse();
  t.same(
    list.map((m) => m.documentId),
    made,
    'each registration has its one message',
  );
  t.equal(receiver.received.size, 6, 'the receiver keeps six messages');
  t.same(
    [...receiver.received.values()].map((m) => m.deliveries),
    [1, 1, 2, 1, 1, 1],
    'the interrupted one was delivered again under the same code',
  );
  t.same(
    [...receiver.received.keys()],
    list.map((m) => m.messageCode),
    'in the order they were queued',
  );
  t.same(
    arrivals,
    list.map((m) => m.messageCode),
    'each new message reached the receiver once, in order (a repeat is answered from what it kept)',
  );
  t.same(
    list.map((m) => m.attempts.map((a) => a.outcome)),
    [['delivered'], ['delivered'], ['delivered'], ['delivered'], ['delivered'], ['delivered']],
    'the killed attempt left no record; each has one recorded delivery',
  );
  server.child.kill('SIGTERM');
  await new Promise((r) => server!.child.once('exit', r));
  server = null;
});

t.test('a day at a real server, reported without anyone asking: summaries per department, a late correction as a supplement', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'receipts-day-'));
  const receiver = await startReceiver();
  // The server's clock starts a minute before the end of yesterday (Vietnam time) and runs on.
  const day = addDays(vietnamDate(new Date()), -1);
  const server = await startServer({ ...sending, DATA_DIR: dataDir, TAX_ENDPOINT: receiver.url, DEMO_CLOCK_START: `${day}T23:59:00+07:00` });
  t.teardown(async () => {
    server.child.kill('SIGKILL');
    await receiver.close();
    await removeDataDir(dataDir);
  });
  t.match(server.output(), `Clock started at ${day}T23:59:00+07:00 (DEMO_CLOCK_START): development only`);
  const key = (role: string) => new RegExp(`${role}\\s+(rk_${role}_\\S+)`).exec(server.output())![1]!;
  const api = async (role: string, method: 'GET' | 'POST', url: string, body?: object, idem?: string) => {
    const res = await request(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${key(role)}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(idem ? { 'idempotency-key': idem } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    // biome-ignore lint/suspicious/noExplicitAny: the test reads many shapes of JSON
    return { status: res.statusCode, raw, json: () => JSON.parse(raw.toString()) as Record<string, any> };
  };
  const issue = async (department: string, feeCode: string, n: number) => {
    const r = await api('cashier', 'POST', '/v1/receipts', { department, payer: { name: 'Nguyễn Văn An', idNumber: '001090012345' }, items: [{ feeCode }], paymentMethod: 'cash' }, `day-${n}`);
    t.equal(r.status, 201, r.raw.toString());
    return r.json();
  };
  const correct = async (receiptId: string, kind: 'replacement' | 'error-notices', body: object, n: number) => {
    const asked = await api('cashier', 'POST', `/v1/receipts/${receiptId}/${kind}`, body, `corr-${n}`);
    t.equal(asked.status, 201, asked.raw.toString());
    const approved = await api('accountant', 'POST', `/v1/corrections/${asked.json().id}/approve`);
    t.equal(approved.status, 200, approved.raw.toString());
    return approved.json();
  };

  // Yesterday: a fee and a charge, a replacement, a refund, an error notice.
  const fee = await issue('STP', 'STP-LLTP', 1);
  const charge = await issue('SXD', 'SXD-GPXD', 2);
  const wrong = await issue('STP', 'STP-LLTP', 3);
  t.equal(fee.issueDate, day, 'dated by the server’s clock');
  await correct(wrong.id, 'replacement', { department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-CCHN' }], paymentMethod: 'cash', reason: 'Thu nhầm khoản' }, 1);
  const refund = await api('cashier', 'POST', `/v1/receipts/${charge.id}/refunds`, { amount: 50_000, reason: 'Nộp thừa' }, 'refund-1');
  t.equal(refund.status, 201, refund.raw.toString());
  t.equal((await api('accountant', 'POST', `/v1/refunds/${refund.json().id}/approve`)).status, 200);
  await correct(fee.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' }, 2);

  // After midnight the job makes each department's summary and sends it.
  const transmissions = async () =>
    (await api('auditor', 'GET', '/v1/transmissions?documentType=daily-summary')).json().data as Array<{ documentId: string; status: string; taxCode: string; messageCode: string }>;
  await until(
    'the summaries to be accepted',
    async () => {
      const list = await transmissions();
      return list.length === 2 && list.every((m) => m.status === 'accepted');
    },
    120_000,
  );
  const summaries = (await api('accountant', 'GET', `/v1/daily-summaries?date=${day}`)).json().data as Array<{ id: string; dataId: string; receipts: number; supplement: number }>;
  t.same(
    summaries.map((s) => [s.dataId, s.receipts, s.supplement]).sort(),
    [
      [`TH-${day}-STP`, 3, 0],
      [`TH-${day}-SXD`, 1, 0],
    ],
    'one per department: STP has the fee, the replaced receipt and its replacement',
  );
  const trust = path.join(dataDir, 'trust', 'development-ca.pem');
  for (const s of summaries) {
    const xml = (await api('auditor', 'GET', `/v1/daily-summaries/${s.id}/xml`)).raw;
    t.ok((await xmllintValidate(xml, 'schemas/daily-summary.xsd')).ok, `${s.dataId} is valid against daily-summary.xsd`);
    t.ok((await xmlsecVerify(xml, { idElement: 'DLBTHop', trustedPem: trust })).ok, `xmlsec1 verifies ${s.dataId}`);
    const verdict = await request(`${server.url}/v1/verify`, { method: 'POST', headers: { authorization: `Bearer ${key('auditor')}`, 'content-type': 'application/xml' }, body: xml });
    t.equal(((await verdict.body.json()) as { valid: boolean }).valid, true, `our verifier: ${s.dataId} valid`);
  }
  const stp = (await api('auditor', 'GET', `/v1/daily-summaries/${summaries.find((s) => s.dataId.endsWith('STP'))!.id}/xml`)).raw.toString();
  t.match(stp, /<TThai>6<\/TThai><GTrinh>Đã lập 1 thông báo sai sót/, 'the fee with its error notice');
  t.match(stp, /<TThai>5<\/TThai>/, 'the replaced receipt');
  t.match(stp, /<TThai>3<\/TThai>/, 'the replacement');
  t.equal(receiver.received.size >= 2, true);
  for (const m of await transmissions()) t.match(receiver.received.get(m.messageCode), { accepted: true, deliveries: 1 }, 'each arrived once and was accepted');

  // Today, a late correction of yesterday's charge: a supplement, sent too.
  await correct(charge.id, 'error-notices', { field: 'payerAddress', correctValue: '5 Lý Thường Kiệt', reason: 'Thiếu địa chỉ' }, 3);
  await until(
    'the supplement to be accepted',
    async () => {
      const list = await transmissions();
      return list.length === 3 && list.every((m) => m.status === 'accepted');
    },
    30_000,
  );
  const after = (await api('accountant', 'GET', `/v1/daily-summaries?date=${day}&department=SXD`)).json().data as Array<{ dataId: string; supplement: number; receipts: number }>;
  t.same(
    after.map((s) => [s.dataId, s.supplement, s.receipts]),
    [
      [`TH-${day}-SXD-BS1`, 1, 1],
      [`TH-${day}-SXD`, 0, 1],
    ],
  );
});
