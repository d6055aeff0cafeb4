import { spawn } from 'node:child_process';
import t from 'tap';
import pg from 'pg';
import { request } from 'undici';
import { freshDatabase } from './helpers/db.ts';
import { tempDir } from './helpers/temp.ts';

t.test('SIGTERM while a request waits on a database that does not answer: the process stops within its grace, saying why', async (t) => {
  const database = await freshDatabase('postgres');
  const dataDir = await tempDir(t, 'receipts-stop-');
  const blocker = new pg.Client({ connectionString: database.url! });
  await blocker.connect();
  t.teardown(async () => {
    await blocker.query('ROLLBACK').catch(() => {});
    await blocker.end();
    await database.close();
  });
  const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: database.url!, DATA_DIR: dataDir, SEED_DEMO: 'true', TAX_TRANSPORT: 'off' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  while (!/cashier\s+rk_cashier_\S+/.test(out)) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  const cashier = /cashier\s+(rk_cashier_\S+)/.exec(out)![1]!;

  // The series table held by another session: the issue waits inside its transaction.
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE series IN ACCESS EXCLUSIVE MODE');
  const waiting = request(`${url}/v1/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': 'stuck-1' },
    body: JSON.stringify({ department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' }),
  }).catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 1000));
  const started = Date.now();
  child.kill('SIGTERM');
  const code = await exited;
  const took = Date.now() - started;
  t.equal(code, 1);
  t.ok(took >= 9_000 && took < 20_000, `stopped after ${took} ms`);
  t.match(err, 'Stopped after 10 s without finishing: requests or jobs were still waiting');
  await waiting;
  await blocker.query('ROLLBACK');
  const { rows } = await blocker.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts');
  t.equal(rows[0]!.n, 0, 'the request that never finished left no receipt');
});
