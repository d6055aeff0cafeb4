import path from 'node:path';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
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

/**
 * Installations refuse to start when an applied migration changed: an edit to
 * a released migration must fail here first. A change is a new file (and a new
 * line below).
 */
const released: Record<string, string> = {
  '001_foundation.sql': '4115e1c66365dc13481ca675e9e681fc22ee870d871360fbdff9bfdb3e25669b',
  '002_shares_ledger.sql': '1690550fa6794607a5d40b82cde13babf13e4a8d18b57a0c442650ad5ee01c86',
  '003_corrections.sql': '47cf831290d7753515b9b2b4118e08d8755aef424481b4828236b4800b462c3a',
  '004_audit.sql': '37e4e34f8a295516c629f99d50798e3e0d354a50936da2911dafd7a50f465830',
  '005_trust.sql': 'a4c7d4c476309e5a48cdf2d7625227b8618b590f63ea9e6c9dd73a08a44de06d',
  '006_people_and_approvals.sql': '27ce33a0260d21431d7adcbfe3127945907306868c97ffd1ff02e0c4d45c110d',
  '007_guards.sql': '4bb4298db2df6169c26052e09a09868ea4cc93d9f84a7c519213a166479b58ba',
  '008_daily_summaries.sql': '731fea888feb5e7f32d162848cc23cf0fd63f94e25cf34364f36a4271d1d991d',
  '009_tax_reporting.sql': '0defb85208b4a1ad832d39de28ccb6e8721c83d4c67ddfa31727fb6d9859e399',
  '010_tax_office.sql': 'ce6087c147f2cb2adf66f4fedfcc0c33bae5c402c764b1ccd67371bd015bec6a',
  '011_mail.sql': '737900c27a0df0c05ccec4c5ed539c573add542d917ea6c8f8f3e16e2c72ca39',
  '012_tax_reporting_fixes.sql': '0e52f68c83735c852653d43a3979cb59868d0509db74df73406294196b79017b',
  '013_notice_fields.sql': 'e38f6d897fe73e96951a4d0b177928e6c332428bedcf76bb9db0f406bcb6daa2',
  '014_delegation.sql': '5f069e86e69ab120dcb68547bd6b77b1432773d7d8609281ff692134926990d5',
  '015_registrations.sql': 'fafcc411dac2380b866ca596cc818ab8a0d142a274865c576d8cf2d7288e80eb',
  '016_series_holds.sql': 'ccf81117ac6a1780c37aeea705efd56798a967267e065bbc22f9793c7f4ea6ff',
  '017_sign_in.sql': '2a549ed6b75cc3c83f991ea81f3922b3bb722def04236a7a93c4eed2f301a974',
};

t.test('released migrations are never edited: their SHA-256 is the one they were released with', async (t) => {
  const dir = 'src/db/migrations/';
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const now = Object.fromEntries(
    await Promise.all(
      files.map(
        async (f) =>
          [
            f,
            createHash('sha256')
              .update(await readFile(dir + f))
              .digest('hex'),
          ] as const,
      ),
    ),
  );
  t.same(now, released);
});
