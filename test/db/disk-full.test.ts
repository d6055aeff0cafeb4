import { execFileSync } from 'node:child_process';
import { chmod, open, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { request } from 'undici';
import { clusterDir, runningServer } from '../../src/db/embedded.ts';
import { startServer, until } from '../helpers/server.ts';
import { tempDir } from '../helpers/temp.ts';
import { withoutDatabaseUrl } from '../helpers/cli.ts';
import { storageProblem } from '../../src/ops/storage.ts';

/** Writes zeros into `file` until the file system is full. */
async function fill(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (;;) await handle.write(chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await handle.close().catch(() => undefined);
  }
  // What a 1 MB chunk could not take, smaller writes can.
  const rest = await open(file, 'a');
  try {
    for (;;) await rest.write(Buffer.alloc(4096));
  } catch {
    // full
  } finally {
    await rest.close().catch(() => undefined);
  }
}

t.test(
  'the disk under the embedded database fills up: 503 and not ready, never a hang; issuing resumes without a restart when space returns',
  { skip: process.getuid?.() !== 0 ? 'needs root to mount a small tmpfs' : false },
  async (t) => {
    const base = await tempDir(t, 'receipts-full-');
    const dataDir = path.join(base, 'mnt');
    // The embedded server runs as the user postgres, who must pass through the folders above DATA_DIR.
    const denied = await startServer({ ...withoutDatabaseUrl(), DATA_DIR: path.join(base, 'inner') }).then(
      () => 'started',
      (e: Error) => e.message,
    );
    t.match(denied, `Cannot start: the embedded database runs as the user postgres, who cannot pass through ${base}: allow it (chmod o+x ${base}) or choose another DATA_DIR`);
    await chmod(base, 0o711);
    execFileSync('mkdir', [dataDir]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160M,mode=0755', 'tmpfs', dataDir]);
    t.teardown(async () => {
      const running = await runningServer(clusterDir(dataDir));
      if (running) process.kill(running.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      execFileSync('umount', ['-l', dataDir]);
    });
    const server = await startServer({ ...withoutDatabaseUrl(), DATA_DIR: dataDir, DISK_FREE_MIN_MB: '4' });
    t.teardown(() => server.child.kill('SIGKILL'));
    const cashier = server.key('cashier');
    let n = 0;
    const issue = async () => {
      const started = Date.now();
      const res = await request(`${server.url}/v1/receipts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': `full-${++n}` },
        body: JSON.stringify({ department: 'STP', payer: { name: 'Nguyễn Văn An', address: 'x'.repeat(400) }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' }),
      });
      const body = (await res.body.json()) as { number?: number; code?: string };
      return { status: res.statusCode, number: body.number, code: body.code, retryAfter: res.headers['retry-after'], ms: Date.now() - started };
    };
    const first = await issue();
    t.equal(first.status, 201);
    t.same(await (await request(`${server.url}/readyz`)).body.json(), { status: 'ready', database: true, signer: true, storage: true });

    const filler = path.join(dataDir, 'filler');
    await fill(filler);
    const notReady = await request(`${server.url}/readyz`);
    t.equal(notReady.statusCode, 503, 'not ready once the disk is full');
    t.match(((await notReady.body.json()) as { detail: string }).detail, /storage (0|1|2|3) MB free under DATA_DIR \(DISK_FREE_MIN_MB is 4\)/);

    const during = [];
    for (let i = 0; i < 60; i++) during.push(await issue());
    const failed = during.filter((r) => r.status !== 201);
    t.ok(failed.length > 0, `writes failed on a full disk (${failed.length} of ${during.length})`);
    t.same([...new Set(failed.map((r) => r.status))], [503], 'every failure is a 503');
    t.ok(
      failed.every((r) => r.code === 'STORAGE_UNAVAILABLE' || r.code === 'DATABASE_UNAVAILABLE'),
      `codes: ${[...new Set(failed.map((r) => r.code))].join(', ')}`,
    );
    t.ok(
      failed.every((r) => r.retryAfter !== undefined),
      'each says when to retry',
    );
    t.ok(
      during.every((r) => r.ms < 15_000),
      `none hangs (slowest ${Math.max(...during.map((r) => r.ms))} ms)`,
    );

    await rm(filler);
    await until('the service to be ready again', async () => (await request(`${server.url}/readyz`)).statusCode === 200, 90_000);
    const after = await issue();
    t.equal(after.status, 201, 'issuing works again without a restart');

    // Every acknowledged receipt is stored with its ledger entries and audit event; numbers have no gaps.
    const acknowledged = [first, ...during, after].filter((r) => r.status === 201).map((r) => r.number!);
    t.same(
      acknowledged,
      Array.from({ length: acknowledged.length }, (_, i) => i + 1),
      'numbers 1..n, in order, no gap',
    );
    const running = (await runningServer(clusterDir(dataDir)))!;
    const client = new pg.Client({ host: running.host, port: running.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    const counts = (
      await client.query<{ receipts: number; unposted: number; unaudited: number }>(`
    SELECT (SELECT count(*)::int FROM receipts) AS receipts,
           (SELECT count(*)::int FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.receipt_id = r.id)) AS unposted,
           (SELECT count(*)::int FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.subject_type = 'receipt' AND a.subject_id = r.id::text)) AS unaudited`)
    ).rows[0]!;
    await client.end();
    t.same(counts, { receipts: acknowledged.length, unposted: 0, unaudited: 0 }, 'as many receipts as 201s, each posted and audited');
    t.equal(await server.stop(), 0);
  },
);

t.test('overlapping /readyz probes do not trip each other: each writes a file of its own', async (t) => {
  const dir = await tempDir(t, 'receipts-probe-');
  const results = await Promise.all(Array.from({ length: 30 }, () => storageProblem(dir, 0)));
  t.same(results, Array(30).fill(null));
});
