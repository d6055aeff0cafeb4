import type { Config } from './config/config.ts';
import { seedDemoEnabled } from './config/config.ts';
import { openDatabase, type Database, type Role } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { createApiKey } from './auth/api-keys.ts';
import { roles } from './http/access.ts';
import { isEmpty, seedDemo } from './reference/demo.ts';

/** Opens the database and brings its schema up to date: shared by the server and the CLI. */
export async function openMigratedDatabase(config: Config, role: Role = 'service'): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, role });
  try {
    await migrate(database.db);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

/**
 * On an empty database with the demo seed enabled: the demo center and one
 * API key per role, returned so the caller prints them once.
 */
export async function firstStart(database: Database, config: Config, now = new Date()): Promise<Array<{ role: string; secret: string }> | null> {
  if (!seedDemoEnabled(config) || !(await isEmpty(database.db))) return null;
  await seedDemo(database.db, now);
  return database.db.transaction(async (tx) => {
    const keys = [];
    for (const role of roles.filter((r) => r !== 'monitor')) {
      const input = { name: `demo ${role}`, role, counter: role === 'cashier' ? 'Q01' : undefined };
      const { secret } = await createApiKey(tx, input, { keyId: null, name: 'first start' });
      keys.push({ role, secret });
    }
    return keys;
  });
}
