import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Db } from './db.ts';

export interface Database {
  db: Db;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens PostgreSQL: the server at `databaseUrl`, or with none an embedded
 * PGlite under `dataDir`, served to `pg` over a private Unix socket, so both
 * run exactly the same SQL through the same driver.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (opts.databaseUrl) {
    // Nothing waits forever: a server that does not answer fails a connection in 5 s, a statement
    // in 60 s, a wait for a lock in 30 s, a transaction left idle (a request gone) in 60 s.
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl, max: 20, connectionTimeoutMillis: 5_000,
      statement_timeout: 60_000, lock_timeout: 30_000, idle_in_transaction_session_timeout: 60_000,
    });
    pool.on('error', () => undefined); // an idle client's error surfaces on its next use
    return { db: new Db(pool), embedded: false, close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const pgdata = path.resolve(opts.dataDir, 'pgdata');
  await mkdir(pgdata, { recursive: true });
  const lite = await PGlite.create(pgdata);
  // Unix socket paths are limited to ~100 bytes, so it lives in a short temp dir.
  const socketDir = await mkdtemp(path.join(tmpdir(), 'receipts-pg-'));
  // pglite-socket drops a connection after any SQL error (electric-sql/pglite
  // #958). The pool below destroys such a client and opens another; a few
  // socket slots let the new one connect while the old one detaches. The pool
  // never holds more than one client, so transactions still never interleave.
  const server = new PGLiteSocketServer({ db: lite, path: path.join(socketDir, '.s.PGSQL.5432'), maxConnections: 4 });
  await server.start();
  // PGlite is a single-connection database: one pooled client, and requests
  // queue for it. Transactions therefore never interleave.
  const pool = new pg.Pool({ host: socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', () => undefined);
  return {
    db: new Db(pool),
    embedded: true,
    async close() {
      await pool.end();
      await server.stop();
      await lite.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
