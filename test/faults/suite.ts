import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { ensureEmbeddedServer, stopEmbeddedServer } from '../../src/db/embedded.ts';
import { initSoftHsmToken } from '../../scripts/softhsm.ts';
import { buildFaultShim } from '../helpers/fault-shim.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The fault suite: real server processes issuing under concurrent load while
 * an operator's bad day happens to them (SIGKILL, the database stopped and
 * started, two servers on one database, the token pulled out, SIGTERM), with
 * clients that retry as a counter app should (the same Idempotency-Key until
 * a 201). Afterwards every count is checked: each 201 has its receipt, ledger
 * entries and audit event; no number twice; no gap; nothing stored that no
 * client was told about.
 *
 * The database is an embedded PostgreSQL of the suite's own (reached by the
 * servers through DATABASE_URL, as an external server), so it can be stopped
 * and started without touching anyone else's.
 */

export type Scenario = 'sigkill' | 'postgres-restart' | 'two-servers' | 'token-pulled' | 'sigterm';
export const scenarios: Scenario[] = ['sigkill', 'postgres-restart', 'two-servers', 'token-pulled', 'sigterm'];

export interface Outcome {
  scenario: Scenario;
  /** Receipts the clients set out to issue, and how many got their 201. */
  requested: number;
  acknowledged: number;
  /** Answers that were not 201, by status and code (`503 DATABASE_UNAVAILABLE`, `network`…), each retried. */
  retried: Record<string, number>;
  /** In the database afterwards. */
  stored: number;
  duplicates: number;
  gaps: number;
  /** Stored receipts no client was told about, 201s whose receipt is missing or different. */
  unacknowledged: number;
  lost: number;
  withoutLedger: number;
  withoutAudit: number;
  auditSeqGaps: number;
  /** 201s answered by each server process (the first, its restart or its twin). */
  byServer: number[];
  seconds: number;
}

const FEES = ['STP-LLTP', 'SXD-TDTK', 'SNNMT-TDHS', 'SCT-TDKD'] as const;
const DEPARTMENT = (fee: string) => fee.split('-')[0]!;

interface Cluster {
  dir: string;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A PostgreSQL of the suite's own, in a temp dir, with one fresh database. */
async function cluster(): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-faults-'));
  const server = await ensureEmbeddedServer(dir);
  const name = `faults_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    dir,
    url: `postgres://postgres@/${name}?host=${encodeURIComponent(server.host)}&port=${server.port}`,
    stop: () => stopEmbeddedServer(server.pgdata),
    start: async () => {
      await ensureEmbeddedServer(dir);
    },
    close: async () => {
      await stopEmbeddedServer(server.pgdata).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The fault shim in front of SoftHSM2 (see test/helpers/pkcs11-fault-shim.c), and a token. */
async function faultyToken(dir: string, dataDir: string): Promise<{ env: Record<string, string>; pull(): Promise<void>; plugIn(): Promise<void> }> {
  const shim = buildFaultShim(dir);
  const token = await initSoftHsmToken({ dir: path.join(dir, 'hsm'), tokenLabel: 'faults', keyLabel: 'center-key', pin: '135790', dataDir });
  const state = path.join(dir, 'token-state');
  return {
    env: {
      SIGNER: 'pkcs11',
      PKCS11_MODULE: shim,
      PKCS11_TOKEN_LABEL: token.tokenLabel,
      PKCS11_KEY_LABEL: token.keyLabel,
      PKCS11_PIN: token.pin,
      SOFTHSM2_CONF: token.conf,
      FAULT_SHIM_MODULE: token.module,
      FAULT_SHIM_STATE: state,
    },
    pull: () => writeFile(state, 'removed'),
    plugIn: () => writeFile(state, 'present'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one scenario: `receipts` issues by `clients` concurrent clients, the
 * fault striking once a third of them are acknowledged.
 */
export async function runScenario(scenario: Scenario, opts: { receipts: number; clients: number }): Promise<Outcome> {
  const started = Date.now();
  const db = await cluster();
  const dataDir = path.join(db.dir, 'service');
  const token = scenario === 'token-pulled' ? await faultyToken(db.dir, dataDir) : null;
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    ...(token?.env ?? {}),
  };
  const servers: Array<RunningServer | null> = [await startServer(env)];
  const cashier = servers[0]!.key('cashier');
  if (scenario === 'two-servers') servers.push(await startServer(env));
  let urls = servers.map((s) => s!.url);

  const retried: Record<string, number> = {};
  const count = (what: string) => (retried[what] = (retried[what] ?? 0) + 1);
  const acknowledged = new Map<string, { id: string; series: string; number: number }>();
  const byServer = new Map<string, number>(); // 201s per server address (a restarted process has a new port)
  let next = 0;
  const deadline = Date.now() + 240_000;

  /** One client: takes the next receipt to issue and retries its key until a 201. */
  const client = async (c: number) => {
    for (let i = next++; i < opts.receipts; i = next++) {
      const key = `fault-${scenario}-${i}`;
      const fee = FEES[i % FEES.length]!;
      for (let attempt = 0; ; attempt++) {
        if (Date.now() > deadline) throw new Error(`${scenario}: receipt ${i} still not issued after 4 minutes`);
        const url = urls[(c + attempt) % urls.length]!;
        try {
          const res = await request(`${url}/v1/receipts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ department: DEPARTMENT(fee), payer: { name: `Người nộp ${i}` }, items: [{ feeCode: fee }], paymentMethod: 'cash' }),
            headersTimeout: 30_000,
            bodyTimeout: 30_000,
          });
          const body = (await res.body.json()) as { id: string; series: string; number: number; code?: string };
          if (res.statusCode === 201) {
            acknowledged.set(key, { id: body.id, series: body.series, number: body.number });
            byServer.set(url, (byServer.get(url) ?? 0) + 1);
            break;
          }
          count(`${res.statusCode} ${body.code ?? ''}`.trim());
        } catch {
          count('network');
        }
        await sleep(Math.min(50 * 2 ** Math.min(attempt, 5), 1_000));
      }
    }
  };

  const fault = async () => {
    while (acknowledged.size < opts.receipts / 3) await sleep(10);
    switch (scenario) {
      case 'sigkill': {
        servers[0]!.child.kill('SIGKILL');
        await new Promise((r) => servers[0]!.child.once('exit', r));
        servers[0] = await startServer(env);
        urls = [servers[0].url];
        break;
      }
      case 'sigterm': {
        const code = await servers[0]!.stop();
        if (code !== 0) throw new Error(`sigterm: the server exited with ${code}`);
        servers[0] = await startServer(env);
        urls = [servers[0].url];
        break;
      }
      case 'postgres-restart': {
        await db.stop();
        await sleep(1_000);
        await db.start();
        break;
      }
      case 'two-servers':
        // The fault is the sharing itself: both take requests throughout.
        break;
      case 'token-pulled': {
        await token!.pull();
        await sleep(1_500);
        await token!.plugIn();
        break;
      }
    }
  };

  try {
    await Promise.all([...Array.from({ length: opts.clients }, (_, c) => client(c)), fault()]);
  } finally {
    for (const s of servers) if (s) await s.stop();
    if (process.env.FAULTS_DEBUG) for (const s of servers) console.error(s?.output());
  }

  // The counts, from the database.
  const check = new pg.Client({ connectionString: db.url });
  await check.connect();
  const stored = (await check.query<{ id: string; series: string; number: number }>('SELECT id, series, number FROM receipts')).rows;
  const perSeries = (
    await check.query<{ series: string; n: number; max: number; distinct: number }>(
      'SELECT series, count(*)::int AS n, max(number)::int AS max, count(DISTINCT number)::int AS distinct FROM receipts GROUP BY series',
    )
  ).rows;
  const withoutLedger = (await check.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.receipt_id = r.id)')).rows[0]!.n;
  const withoutAudit = (
    await check.query<{ n: number }>("SELECT count(*)::int AS n FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.subject_type = 'receipt' AND a.subject_id = r.id::text)")
  ).rows[0]!.n;
  const audit = (await check.query<{ n: number; max: number }>('SELECT count(*)::int AS n, coalesce(max(seq), 0)::int AS max FROM audit_events')).rows[0]!;
  await check.end();
  await db.close();

  const byId = new Map(stored.map((r) => [r.id, r]));
  const told = new Set([...acknowledged.values()].map((a) => a.id));
  return {
    scenario,
    requested: opts.receipts,
    acknowledged: acknowledged.size,
    retried,
    stored: stored.length,
    duplicates: perSeries.reduce((s, r) => s + (r.n - r.distinct), 0),
    gaps: perSeries.reduce((s, r) => s + (r.max - r.distinct), 0),
    unacknowledged: stored.filter((r) => !told.has(r.id)).length,
    lost: [...acknowledged.values()].filter((a) => {
      const r = byId.get(a.id);
      return !r || r.number !== a.number || r.series !== a.series;
    }).length,
    withoutLedger,
    withoutAudit,
    auditSeqGaps: audit.max - audit.n,
    byServer: [...byServer.values()],
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** One line per scenario, for the README and the script. */
export function describe(o: Outcome): string {
  const retries =
    Object.entries(o.retried)
      .sort()
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ') || 'none';
  return `${o.scenario.padEnd(16)} | ${String(o.acknowledged).padStart(5)}/${String(o.requested).padEnd(5)} | ${String(o.stored).padStart(6)} | ${o.lost} | ${o.unacknowledged} | ${o.duplicates} | ${o.gaps} | ${o.withoutLedger} | ${o.withoutAudit} | ${o.auditSeqGaps} | ${o.byServer.join('+').padEnd(9)} | ${o.seconds.toFixed(1).padStart(5)} | ${retries}`;
}

export const header = 'scenario         | 201s/asked  | stored | lost | not told | dup | gaps | no ledger | no audit | audit gaps | 201s by process | s | answers retried';
