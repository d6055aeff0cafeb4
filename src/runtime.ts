import type { Config } from './config/config.ts';
import { seedDemoEnabled } from './config/config.ts';
import { openDatabase, type Database, type Role } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { createApiKey } from './auth/api-keys.ts';
import { createLogin } from './auth/logins.ts';
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

export interface DemoAccess {
  role: string;
  /** An API key for programs. */
  secret: string;
  /** A console login for a person: username and password. */
  username: string;
  password: string;
}

/**
 * On an empty database with the demo seed enabled: the demo center, and for
 * each role one API key and one console login (username = the role), returned
 * so the caller prints them once. Nothing of it is fixed in the code: every
 * installation gets its own secrets.
 */
export async function firstStart(database: Database, config: Config, now = new Date()): Promise<DemoAccess[] | null> {
  if (!seedDemoEnabled(config) || !(await isEmpty(database.db))) return null;
  await seedDemo(database.db, now);
  return database.db.transaction(async (tx) => {
    const access: DemoAccess[] = [];
    const actor = { keyId: null, name: 'first start' };
    for (const role of roles.filter((r) => r !== 'monitor')) {
      const input = { name: `demo ${role}`, role, counter: role === 'cashier' ? 'Q01' : undefined };
      const { secret } = await createApiKey(tx, input, actor, now);
      // The demo's people sign in with the printed password as it is: nobody else has seen it.
      const { login, password } = await createLogin(tx, { ...input, role: role as 'admin' | 'cashier' | 'accountant' | 'auditor', username: role }, actor, now, { mustChange: false });
      access.push({ role, secret, username: login.username, password });
    }
    return access;
  });
}
