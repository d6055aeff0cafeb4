import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { xmlsecVerify } from './helpers/xml-tools.ts';

/** Starts `npm start` as a new user would, on a fresh embedded database, and waits for its banner. */
async function start(dataDir: string, port: number) {
  const child = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, detached: true });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (/API docs/.test(out) && (/Demo center created/.test(out) ? /auditor\s+rk_/.test(out) : true)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
  });
  return {
    output: () => out,
    /** SIGTERM to npm and the server under it; resolves once the whole process group has exited. */
    stop: async () => {
      process.kill(-child.pid!, 'SIGTERM');
      for (let i = 0; i < 300; i++) {
        try {
          process.kill(-child.pid!, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the server did not stop within 30 s');
    },
  };
}

t.test('npm start on an empty embedded database: demo keys printed once, a receipt issued over HTTP', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'receipts-start-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const port = 3900 + (process.pid % 90);
  const server = await start(dataDir, port);
  const out = server.output();
  const cashier = /cashier\s+(rk_cashier_\S+)/.exec(out)?.[1];
  t.ok(cashier, 'a cashier key is printed');
  t.match(out, new RegExp(`listening on http://127.0.0.1:${port} \\(embedded database`));

  const res = await request(`http://127.0.0.1:${port}/v1/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': 'readme-1' },
    body: JSON.stringify({
      department: 'STP',
      payer: { name: 'Nguyễn Văn An' },
      items: [{ feeCode: 'STP-LLTP' }],
      paymentMethod: 'cash',
    }),
  });
  const receipt = (await res.body.json()) as { id: string; number: number; totalInWords: string };
  t.equal(res.statusCode, 201);
  t.equal(receipt.number, 1);
  t.equal(receipt.totalInWords, 'Hai trăm nghìn đồng');
  const xml = await request(`http://127.0.0.1:${port}/v1/receipts/${receipt.id}/xml`, { headers: { authorization: `Bearer ${cashier}` } });
  t.ok((await xmlsecVerify(Buffer.from(await xml.body.arrayBuffer()))).ok, 'xmlsec1 verifies the served XML');
  const ready = await request(`http://127.0.0.1:${port}/readyz`);
  t.same(await ready.body.json(), { status: 'ready', database: true, signer: true });
  const metrics = await (await request(`http://127.0.0.1:${port}/metrics`)).body.text();
  t.match(metrics, /receipts_issued_total\{department="STP"\} 1/);
  await server.stop();

  // Second start on the same data: no new keys, the receipt is still there.
  const again = await start(dataDir, port);
  t.notMatch(again.output(), /Demo center created/);
  const got = await request(`http://127.0.0.1:${port}/v1/receipts/${receipt.id}`, { headers: { authorization: `Bearer ${cashier}` } });
  t.equal(got.statusCode, 200);
  t.equal(((await got.body.json()) as { number: number }).number, 1);
  await again.stop();
});

t.test('a bad configuration stops the start with one line per bad value', async (t) => {
  const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], { env: { ...process.env, PORT: 'x', SIGNER: 'usb' } });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.equal(code, 2);
  t.match(err, /PORT="x": /);
  t.match(err, /SIGNER="usb": /);
});
