import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { startReceiver } from '../../src/tax/receiver.ts';
import { freshDatabase } from '../helpers/db.ts';

/** The server as it runs in production, in its own process, sending to `endpoint` every second. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', TAX_TRANSPORT: 'https', TAX_INTERVAL_SECONDS: '1', SEED_DEMO: 'true', ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    child.on('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
  return { child, url: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!, output: () => out };
}

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

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
  server = await startServer(env);
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

  server = await startServer(env);
  const transmissions = async () => {
    const res = await request(`${server!.url}/v1/transmissions?documentType=registration`, { headers: { authorization: `Bearer ${auditor}` } });
    return ((await res.body.json()) as { data: Array<{ documentId: string; messageCode: string; status: string; attempts: Array<{ outcome: string }> }> }).data;
  };
  await until('every message to be accepted', async () => (await transmissions()).every((m) => m.status === 'accepted'));
  const list = (await transmissions()).reverse();
  t.same(list.map((m) => m.documentId), made, 'each registration has its one message');
  t.equal(receiver.received.size, 6, 'the receiver keeps six messages');
  t.same([...receiver.received.values()].map((m) => m.deliveries), [1, 1, 2, 1, 1, 1], 'the interrupted one was delivered again under the same code');
  t.same([...receiver.received.keys()], list.map((m) => m.messageCode), 'in the order they were queued');
  t.same(arrivals, list.map((m) => m.messageCode), 'each new message reached the receiver once, in order (a repeat is answered from what it kept)');
  t.same(list.map((m) => m.attempts.map((a) => a.outcome)), [['delivered'], ['delivered'], ['delivered'], ['delivered'], ['delivered'], ['delivered']], 'the killed attempt left no record; each has one recorded delivery');
  server.child.kill('SIGTERM');
  await new Promise((r) => server!.child.once('exit', r));
  server = null;
});
