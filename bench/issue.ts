import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { initSoftHsmToken } from '../scripts/softhsm.ts';
import { loadConfig } from '../src/config/config.ts';
import { clusterDir, stopEmbeddedServer } from '../src/db/embedded.ts';
import { openSigner } from '../src/signing/open.ts';
import { freshDatabase, type TestDatabase } from '../test/helpers/db.ts';
import { buildFaultShim } from '../test/helpers/fault-shim.ts';
import { type BenchServer, load, spread, startCompiledServer } from './server.ts';

/**
 * Issuing over HTTP against the compiled server in its own process, the load
 * from this process. Each round measures, one after the other on the same
 * machine state: the baselines — bare signatures on the same signer (one
 * session, as the service holds), and (on PostgreSQL) a bare transaction of
 * the issuing path's shape (lock a series row, update it, insert a row) at
 * 16 clients — then issuing at each client count. Rounds repeat, so every
 * figure is a median with its min–max, as a ratio to its own round's
 * baseline, with the load average beside it.
 */
export interface IssuingFigures {
  backend: 'postgres' | 'embedded';
  signer: 'pkcs11' | 'file';
  rounds: Array<{ signRate: number; txRate: number | null; load: number; issuing: Record<number, { rate: number; latencies: number[] }> }>;
}

const DEPARTMENTS = [
  { department: 'STP', items: [{ feeCode: 'STP-LLTP' }] },
  { department: 'SXD', items: [{ feeCode: 'SXD-TDTK' }, { feeCode: 'SXD-GPXD' }] },
  { department: 'SNNMT', items: [{ feeCode: 'SNNMT-TDHS' }] },
  { department: 'SCT', items: [{ feeCode: 'SCT-GPKD', quantity: 2 }] },
];

/** Runs `clients` loops of `work` for `seconds`; returns how many finished per second and each one's duration. */
async function during(seconds: number, clients: number, work: (n: number) => Promise<void>): Promise<{ rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await work(n++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { rate: latencies.length / ((performance.now() - start) / 1000), latencies };
}

/** The issuing path's database shape without the service: lock one of four series rows, advance it, insert a row; commit. */
async function transactionBaseline(url: string, clients: number, seconds: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_series (id int PRIMARY KEY, next bigint NOT NULL)');
    await pool.query('CREATE TABLE IF NOT EXISTS bench_rows (series int, number bigint, body text)');
    await pool.query('INSERT INTO bench_series SELECT g, 1 FROM generate_series(0, 3) g ON CONFLICT DO NOTHING');
    const body = 'x'.repeat(5000);
    const { rate } = await during(seconds, clients, async (n) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ next: string }>('SELECT next FROM bench_series WHERE id = $1 FOR UPDATE', [n % 4]);
        await client.query('UPDATE bench_series SET next = next + 1 WHERE id = $1', [n % 4]);
        await client.query('INSERT INTO bench_rows VALUES ($1, $2, $3)', [n % 4, rows[0]!.next, body]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    return rate;
  } finally {
    await pool.end();
  }
}

let issued = 0;

/** POST /v1/receipts as the demo cashier, rotating through four departments (four series). */
function issuer(server: BenchServer) {
  const key = server.key('cashier');
  return async (n: number) => {
    const body = { ...DEPARTMENTS[n % DEPARTMENTS.length]!, payer: { name: `Người nộp ${n}` }, paymentMethod: 'cash' };
    const res = await request(`${server.url}/v1/receipts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${++issued}` },
      body: JSON.stringify(body),
    });
    await res.body.text();
    if (res.statusCode !== 201) throw new Error(`issue failed with ${res.statusCode}`);
  };
}

export async function benchIssuing(opts: { backend: 'postgres' | 'embedded'; signer: 'pkcs11' | 'file'; clients: number[]; rounds: number; seconds: number }): Promise<IssuingFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-bench-'));
  // As root, the embedded server runs as `postgres`, which must pass through the folder.
  await chmod(dir, 0o711);
  const env: Record<string, string> = { DATA_DIR: dir };
  if (opts.signer === 'pkcs11') {
    const token = await initSoftHsmToken({ dir, tokenLabel: 'bench', dataDir: dir });
    Object.assign(env, {
      SIGNER: 'pkcs11',
      PKCS11_MODULE: token.module,
      PKCS11_TOKEN_LABEL: token.tokenLabel,
      PKCS11_KEY_LABEL: token.keyLabel,
      PKCS11_PIN: token.pin,
      SOFTHSM2_CONF: token.conf,
    });
  }
  let database: TestDatabase | null = null;
  if (opts.backend === 'postgres') {
    database = await freshDatabase('postgres');
    env.DATABASE_URL = database.url!;
  } else env.DATABASE_URL = '';
  const server = await startCompiledServer(env);
  const signer = await openSigner(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  try {
    const issue = issuer(server);
    // A SignedInfo is ~900 bytes; the signer hashes and signs it.
    const signedInfo = Buffer.alloc(900, 'x');
    for (let i = 0; i < 20; i++) await issue(i); // warm-up
    const figures: IssuingFigures = { backend: opts.backend, signer: opts.signer, rounds: [] };
    for (let round = 0; round < opts.rounds; round++) {
      const signRate = (await during(opts.seconds, 1, () => signer.sign(signedInfo).then(() => undefined))).rate;
      const txRate = database ? await transactionBaseline(database.url!, 16, opts.seconds) : null;
      const issuing: Record<number, { rate: number; latencies: number[] }> = {};
      for (const clients of opts.clients) issuing[clients] = await during(opts.seconds, clients, issue);
      figures.rounds.push({ signRate, txRate, load: load(), issuing });
    }
    return figures;
  } finally {
    await signer.close();
    await server.stop();
    if (opts.backend === 'embedded') await stopEmbeddedServer(clusterDir(dir)).catch(() => undefined);
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function printIssuing(f: IssuingFigures): void {
  const rounds = f.rounds;
  console.log(
    `\n${f.backend} + ${f.signer === 'pkcs11' ? 'SoftHSM2' : 'file key'}, ${rounds.length} rounds; bare sign/s ${spread(rounds.map((r) => r.signRate))}` +
      (rounds[0]!.txRate !== null ? `, bare transaction/s (16 clients) ${spread(rounds.map((r) => r.txRate!))}` : '') +
      `; load ${Math.min(...rounds.map((r) => r.load)).toFixed(2)}–${Math.max(...rounds.map((r) => r.load)).toFixed(2)}`,
  );
  console.log('clients | receipts/s median (min–max) | × bare sign       | × bare transaction | p50 ms | p99 ms');
  console.log('--------|-----------------------------|-------------------|--------------------|--------|-------');
  for (const clients of Object.keys(rounds[0]!.issuing).map(Number)) {
    const rates = rounds.map((r) => r.issuing[clients]!.rate);
    const toSign = rounds.map((r) => r.issuing[clients]!.rate / r.signRate);
    const toTx =
      rounds[0]!.txRate !== null
        ? spread(
            rounds.map((r) => r.issuing[clients]!.rate / r.txRate!),
            2,
          )
        : '—';
    const latencies = rounds.flatMap((r) => r.issuing[clients]!.latencies);
    console.log(
      `${String(clients).padStart(7)} | ${spread(rates).padStart(27)} | ${spread(toSign, 2).padStart(17)} | ${toTx.padStart(18)} | ${percentile(latencies, 50).toFixed(1).padStart(6)} | ${percentile(latencies, 99).toFixed(1).padStart(6)}`,
    );
  }
}

/**
 * A slow token, as a USB token is (a few signatures a second): the PKCS#11
 * fault shim in front of SoftHSM2 adds `delayMs` to each signature, one at a
 * time per token (test/helpers/pkcs11-fault-shim.c). Each round measures the
 * bare rate of one such token (one session, signatures one after the other),
 * then issuing at `clients` with one token and with two. The targets are
 * ratios to the one token's bare rate.
 */
export interface SlowTokenFigures {
  delayMs: number;
  clients: number;
  rounds: Array<{ tokenRate: number; load: number; issuing: Record<number, number> }>;
}

export async function benchSlowToken(opts: { delayMs: number; clients: number; rounds: number; seconds: number }): Promise<SlowTokenFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-bench-slow-'));
  await chmod(dir, 0o711);
  const tokens = [await initSoftHsmToken({ dir, tokenLabel: 'slow-a', dataDir: dir }), await initSoftHsmToken({ dir, tokenLabel: 'slow-b', dataDir: dir })] as const;
  const shim = buildFaultShim(dir);
  const shimEnv = { FAULT_SHIM_MODULE: tokens[0].module, FAULT_SHIM_SIGN_DELAY_MS: String(opts.delayMs), SOFTHSM2_CONF: tokens[0].conf };
  Object.assign(process.env, shimEnv);
  const env = (labels: string, databaseUrl = '') => ({
    ...shimEnv,
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    SIGNER: 'pkcs11',
    PKCS11_MODULE: shim,
    PKCS11_TOKEN_LABEL: labels,
    PKCS11_KEY_LABEL: tokens[0].keyLabel,
    PKCS11_PIN: tokens[0].pin,
  });
  const figures: SlowTokenFigures = { delayMs: opts.delayMs, clients: opts.clients, rounds: [] };
  try {
    const signedInfo = Buffer.alloc(900, 'x');
    for (let round = 0; round < opts.rounds; round++) {
      const signer = await openSigner(loadConfig({ ...env('slow-a'), LOG_LEVEL: 'silent' }));
      const tokenRate = await during(opts.seconds / 2, 1, () => signer.sign(signedInfo).then(() => undefined)).finally(() => signer.close());
      const issuing: Record<number, number> = {};
      for (const count of [1, 2]) {
        // A database of its own: the first start prints the demo keys.
        const database = await freshDatabase('postgres');
        const server = await startCompiledServer(env(count === 1 ? 'slow-a' : 'slow-a,slow-b', database.url!));
        try {
          const issue = issuer(server);
          await Promise.all(Array.from({ length: opts.clients }, (_, i) => issue(i))); // warm-up: every client's first request
          issuing[count] = (await during(opts.seconds, opts.clients, issue)).rate;
        } finally {
          await server.stop();
          await database.close();
        }
      }
      figures.rounds.push({ tokenRate: tokenRate.rate, load: load(), issuing });
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printSlowToken(f: SlowTokenFigures): void {
  const rounds = f.rounds;
  console.log(
    `\nA slow token (${f.delayMs} ms a signature, one at a time per token), PostgreSQL, ${f.clients} clients, ${rounds.length} rounds; ` +
      `one token's bare rate ${spread(
        rounds.map((r) => r.tokenRate),
        2,
      )}/s; load ${Math.min(...rounds.map((r) => r.load)).toFixed(2)}–${Math.max(...rounds.map((r) => r.load)).toFixed(2)}`,
  );
  console.log('tokens | receipts/s median (min–max) | × one token’s rate | target');
  console.log('-------|-----------------------------|--------------------|-------');
  for (const [count, target] of [
    [1, '≥ 0.95'],
    [2, '≥ 1.8'],
  ] as const) {
    const rates = rounds.map((r) => r.issuing[count]!);
    console.log(
      `${String(count).padStart(6)} | ${spread(rates, 2).padStart(27)} | ${spread(
        rounds.map((r) => r.issuing[count]! / r.tokenRate),
        2,
      ).padStart(18)} | ${target}`,
    );
  }
}
