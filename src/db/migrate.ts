import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant: two processes starting at once must not both migrate.
const MIGRATION_LOCK = 482_611_002;

/**
 * Applies the SQL files of `migrations/` not applied yet, in name order, each
 * in its own transaction: a failing one is named and leaves nothing of itself,
 * the ones before it stay applied. Each applied file's SHA-256 is recorded: an
 * applied migration edited afterwards is refused (a change is a new
 * migration), and so is a database migrated by a newer version.
 */
export async function migrate(db: Db, dir = migrationsDir): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const client = await db.pool.connect();
  const lost = () => undefined;
  client.on('error', lost);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      await client.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS sha256 text');
      const done = new Map((await client.query<{ name: string; sha256: string | null }>('SELECT name, sha256 FROM schema_migrations')).rows.map((r) => [r.name, r.sha256]));
      const unknown = [...done.keys()].filter((name) => !files.includes(name));
      if (unknown.length) throw new Error(`the database has migration ${unknown[0]}, which this version does not know: it was made by a newer version`);
      const applied: string[] = [];
      for (const file of files) {
        const sql = await readFile(dir + file, 'utf8');
        const sum = createHash('sha256').update(sql).digest('hex');
        if (done.has(file)) {
          const recorded = done.get(file);
          // Applied before checksums were kept: its checksum is recorded now.
          if (recorded === null) await client.query('UPDATE schema_migrations SET sha256 = $2 WHERE name = $1', [file, sum]);
          else if (recorded !== sum) {
            throw new Error(`migration ${file} was edited after it was applied (sha256 ${recorded!.slice(0, 12)}… then, ${sum.slice(0, 12)}… now): restore it and put the change in a new migration`);
          }
          continue;
        }
        try {
          await client.query('BEGIN');
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)', [file, sum]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${file} failed, and nothing of it was applied: ${(err as Error).message}`, { cause: err });
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.off('error', lost);
    client.release();
  }
}
