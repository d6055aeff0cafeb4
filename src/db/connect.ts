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
  // A server that died under the service (killed, crashed) is started again by it.
  const watchdog = role === 'service' ? setInterval(() => void restartIfGone(opts.dataDir), 5_000).unref() : null;
  return {
    db: new Db(pool),
    embedded: true,
    async close() {
      if (watchdog) clearInterval(watchdog);
      await pool.end();
      // The service stops its database; a command stops only one it started, unless a service took it over meanwhile.
      if (release) {
        await stopEmbeddedServer(server.pgdata);
        await release();
      } else if (server.startedHere && !(await serviceHolding(opts.dataDir))) {
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
