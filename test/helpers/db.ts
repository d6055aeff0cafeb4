import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';

export type Backend = 'postgres' | 'embedded';
/** Every database test runs on both: a PostgreSQL server, and the embedded one `npm start` uses. */
export const backends: Backend[] = ['postgres', 'embedded'];

/**
 * The machine's PostgreSQL server, which the tests create their databases on: the one address they do not choose
 * (the machine starts it; TEST_POSTGRES_URL names another). Every server the tests start listens on a port the OS gives.
 */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  backend: Backend;
  url?: string;
  dataDir?: string;
}

/** A fresh, migrated database: a new database on the PostgreSQL server, or an embedded server in a temp dir. */
export async function freshDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'postgres') {
    const name = `receipts_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    await migrate(database.db);
    return {
      ...database,
      backend,
      url: url.toString(),
      async close() {
        await database.close();
        const a = new pg.Client({ connectionString: ADMIN_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'receipts-embedded-'));
  const database = await openDatabase({ dataDir });
  await migrate(database.db);
  return {
    ...database,
    backend,
    dataDir,
    async close() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
