import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { clusterDir, stopEmbeddedServer } from '../src/db/embedded.ts';
import { load, spread, startCompiledServer } from './server.ts';

/**
 * The embedded default's footprint: the compiled server and its PostgreSQL
 * together, memory counted as PSS (shared pages divided among the processes
 * that share them, so PostgreSQL's shared buffers count once), after start
 * and after issuing `receipts`; and the cold start on an existing data
 * directory (spawn to listening, the database started by the service).
 */
export interface FootprintFigures {
  receipts: number;
  coldStartMs: number[];
  afterStartMb: number;
  afterReceiptsMb: number;
  load: number;
}

async function pssKb(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
}

/** PSS of the service's node process and every PostgreSQL process of its data directory, in MB. */
async function footprintMb(dataDir: string): Promise<number> {
  const table = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' }).trim().split('\n').slice(1);
  const rows = table.map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!).map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const postmaster = rows.find((r) => r.args.includes(`-D ${clusterDir(dataDir)}`));
  const server = rows.find((r) => r.args === 'node dist/server.js' && r.pid !== process.pid);
  const pids = [server?.pid, postmaster?.pid, ...rows.filter((r) => postmaster && r.ppid === postmaster.pid).map((r) => r.pid)].filter((p): p is number => !!p);
  let kb = 0;
  for (const pid of pids) kb += await pssKb(pid);
  return kb / 1024;
}

export async function benchFootprint(opts: { receipts: number; starts: number }): Promise<FootprintFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-bench-footprint-'));
  await chmod(dir, 0o711);
  const env = { DATA_DIR: dir, DATABASE_URL: '' };
  try {
    // The first start makes the database, the keys and the demo center.
    const first = await startCompiledServer(env);
    const key = first.key('cashier');
    await first.stop();
    const coldStartMs: number[] = [];
    for (let i = 0; i < opts.starts; i++) {
      await stopEmbeddedServer(clusterDir(dir)).catch(() => undefined);
      const t0 = performance.now();
      const server = await startCompiledServer(env);
      coldStartMs.push(performance.now() - t0);
      await server.stop();
    }
    await stopEmbeddedServer(clusterDir(dir)).catch(() => undefined);
    const server = await startCompiledServer(env);
    try {
      await new Promise((r) => setTimeout(r, 2000));
      const afterStartMb = await footprintMb(dir);
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < opts.receipts) {
            const n = next++;
            const res = await request(`${server.url}/v1/receipts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `footprint-${n}` },
              body: JSON.stringify({
                department: ['STP', 'SXD', 'SNNMT', 'SCT'][n % 4],
                items: [{ name: 'Phí', kind: 'fee', amount: 10_000 }],
                payer: { name: `Người nộp ${n}` },
                paymentMethod: 'cash',
              }),
            });
            await res.body.text();
            if (res.statusCode !== 201) throw new Error(`issue failed: ${res.statusCode}`);
          }
        }),
      );
      const afterReceiptsMb = await footprintMb(dir);
      return { receipts: opts.receipts, coldStartMs, afterStartMb, afterReceiptsMb, load: load() };
    } finally {
      await server.stop();
    }
  } finally {
    await stopEmbeddedServer(clusterDir(dir)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

export function printFootprint(f: FootprintFigures): void {
  console.log(`Embedded default (server + its PostgreSQL, PSS), load ${f.load.toFixed(2)}\n`);
  console.log(`cold start on an existing data directory, ${f.coldStartMs.length} starts: ${spread(f.coldStartMs)} ms (target ≤ 1500)`);
  console.log(`memory after start: ${f.afterStartMb.toFixed(0)} MB; after ${f.receipts} receipts: ${f.afterReceiptsMb.toFixed(0)} MB (target ≤ 250)`);
}
