import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { migrate } from '../../src/db/migrate.ts';
import { freshDatabase } from '../helpers/db.ts';
import { tempDir } from '../helpers/temp.ts';

t.test('migrations: each in its own transaction, a failing one named and rolled back, an edited one refused', async (t) => {
  const database = await freshDatabase('postgres'); // already migrated with the project's migrations
  t.teardown(() => database.close());
  const { db } = database;
  const sums = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE sha256 ~ $1', ['^[0-9a-f]{64}$']);
  t.ok(sums.rows[0]!.n >= 15, `every applied migration has its checksum (${sums.rows[0]!.n})`);
  t.same(await migrate(db), [], 'nothing to apply twice');

  // A separate set of migrations in a fresh schema-less dir, on the same database.
  const dir = `${await tempDir(t, 'receipts-migrations-')}/`;
  await db.query('DELETE FROM schema_migrations');
  await writeFile(path.join(dir, '001_one.sql'), 'CREATE TABLE mig_one (id int);');
  await writeFile(path.join(dir, '002_two.sql'), 'CREATE TABLE mig_two (id int); SELECT no_such_function();');
  await t.rejects(migrate(db, dir), /^migration 002_two\.sql failed, and nothing of it was applied: function no_such_function\(\) does not exist$/);
  t.same((await db.query('SELECT name FROM schema_migrations ORDER BY name')).rows, [{ name: '001_one.sql' }], 'the one before it stays applied');
  t.equal((await db.query<{ t: string | null }>("SELECT to_regclass('mig_two') AS t")).rows[0]!.t, null, 'nothing of the failed one remains');

  await writeFile(path.join(dir, '002_two.sql'), 'CREATE TABLE mig_two (id int);');
  t.same(await migrate(db, dir), ['002_two.sql'], 'fixed, it applies');

  await writeFile(path.join(dir, '001_one.sql'), 'CREATE TABLE mig_one (id int, note text);');
  await t.rejects(migrate(db, dir), /migration 001_one\.sql was edited after it was applied \(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\): restore it and put the change in a new migration/);

  await writeFile(path.join(dir, '001_one.sql'), 'CREATE TABLE mig_one (id int);');
  await db.query("INSERT INTO schema_migrations (name, sha256) VALUES ('003_future.sql', 'x')");
  await t.rejects(migrate(db, dir), /the database has migration 003_future\.sql, which this version does not know: it was made by a newer version/);
  await db.query("DELETE FROM schema_migrations WHERE name = '003_future.sql'");

  // A database migrated before checksums were kept: they are recorded, not refused.
  await db.query('UPDATE schema_migrations SET sha256 = NULL');
  t.same(await migrate(db, dir), []);
  t.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE sha256 IS NOT NULL')).rows[0]!.n, 2);
});
