import pg from 'pg';
import { Db } from './db.ts';
import { claimDataDir, clusterDir, serviceHolding, ensureEmbeddedServer, runningServer, stopEmbeddedServer } from './embedded.ts';

export interface Database {
  db: Db;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Who opens the database: the service (one per embedded data directory; it
 * stops the embedded server when it stops) or a command of the CLI (joins the
 * running server, or starts one for its own work and stops it after, unless a
 * service has taken it over meanwhile).
 */
export type Role = 'service' | 'command';

// Held for life by the service using an embedded data directory: a second one there is refused.
const SERVICE_LOCK = 482_611_010;

// Nothing waits forever: a server that does not answer fails a connection in 5 s, a statement
// in 60 s, a wait for a lock in 30 s, a transaction left idle (a request gone) in 60 s.
const timeouts = {
  connectionTimeoutMillis: 5_000,
  statement_timeout: 60_000,
  lock_timeout: 30_000,
  idle_in_transaction_session_timeout: 60_000,
};

/**
 * Opens PostgreSQL: the server at `databaseUrl`, or with none the embedded
 * server of `dataDir` (started if it is not running), reached through `pg`
 * like any other: one SQL code path and one engine for both.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; role?: Role }): Promise<Database> {
  const role = opts.role ?? 'service';
  const name = `receipts ${role} (pid ${process.pid})`;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20, application_name: name, ...timeouts });
    pool.on('error', () => undefined); // an idle client's error surfaces on its next use
    return { db: new Db(pool), embedded: false, close: () => pool.end() };
  }
  // One service per data directory: claimed before the database is touched.
  const release = role === 'service' ? await claimDataDir(opts.dataDir) : null;
  const server = await ensureEmbeddedServer(opts.dataDir).catch(async (err: unknown) => {
    await release?.();
    throw err;
  });
  const connection = { host: server.host, port: server.port, user: 'postgres', database: 'postgres', application_name: name };
  const pool = new pg.Pool({ ...connection, max: role === 'service' ? 20 : 4, ...timeouts });
  pool.on('error', () => undefined);
  const lock =
    role === 'service'
      ? await takeServiceLock(connection, opts.dataDir).catch(async (err: unknown) => {
          await pool.end();
          await release?.();
          throw err;
        })
      : null;
  // A server that died under the service (killed, crashed) is started again by it.
  const watchdog = role === 'service' ? setInterval(() => void restartIfGone(opts.dataDir), 5_000).unref() : null;
  return {
    db: new Db(pool),
    embedded: true,
    async close() {
      if (watchdog) clearInterval(watchdog);
      await pool.end();
      if (lock) {
        await lock.end().catch(() => undefined);
        await stopEmbeddedServer(server.pgdata);
        await release?.();
      } else if (server.startedHere && !(await serviceHolding(opts.dataDir)) && !(await serviceRunning(connection))) {
        await stopEmbeddedServer(server.pgdata);
      }
    },
  };
}

let restarting = false;
async function restartIfGone(dataDir: string): Promise<void> {
  if (restarting || (await runningServer(clusterDir(dataDir)))) return;
  restarting = true;
  // Fails while the dead server's last sessions still hold its memory; the next tick tries again.
  await ensureEmbeddedServer(dataDir).catch(() => undefined);
  restarting = false;
}

/** The service's claim on the data directory, held by one session for as long as it runs. */
async function takeServiceLock(connection: pg.ClientConfig, dataDir: string): Promise<pg.Client> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  const got = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SERVICE_LOCK])).rows[0]!.ok;
  if (got) return client;
  const holder = (
    await client.query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
      [SERVICE_LOCK],
    )
  ).rows[0]?.application_name;
  await client.end();
  throw new Error(`another process is using the embedded database in ${dataDir} (${holder ?? 'unknown'}): stop it first, or give this service its own DATA_DIR`);
}

/** Whether a service holds the data directory (then the server is its to stop). */
async function serviceRunning(connection: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const free = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SERVICE_LOCK])).rows[0]!.ok;
    return !free;
  } catch {
    return true; // unsure: leave it running
  } finally {
    await client.end().catch(() => undefined);
  }
}
