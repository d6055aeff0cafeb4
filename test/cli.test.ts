import t from 'tap';
import { freshDatabase } from './helpers/db.ts';
import { receipts } from './helpers/cli.ts';

t.test('the receipts CLI against PostgreSQL', async (t) => {
  const database = await freshDatabase('postgres');
  t.teardown(() => database.close());
  const env = { DATABASE_URL: database.url! };

  const migrated = await receipts(['migrate'], env);
  t.equal(migrated.code, 0, migrated.stderr);
  t.match(migrated.stdout, 'Database schema is up to date');

  const seeded = await receipts(['seed-demo'], env);
  t.equal(seeded.code, 0, seeded.stderr);
  const departments = await database.db.query<{ code: string }>('SELECT code FROM departments ORDER BY code');
  t.same(
    departments.rows.map((r) => r.code),
    ['SCT', 'SNNMT', 'STP', 'SXD'],
  );
  const keysAfterSeed = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys');
  t.equal(keysAfterSeed.rows[0]!.n, 0, 'seed-demo creates no keys');
  t.equal((await receipts(['seed-demo'], env)).code, 0, 'seeding twice changes nothing');

  const created = await receipts(['keys', 'create', '--role', 'cashier', '--name', 'Đỗ Văn Ba', '--counter', 'Q03'], env);
  t.equal(created.code, 0, created.stderr);
  const lines = created.stdout.trim().split('\n');
  t.match(lines[lines.length - 1], /^rk_cashier_[A-Za-z0-9_-]{43}$/, 'the key alone on the last line');
  const id = /key ([0-9a-f-]{36})/.exec(created.stdout)![1]!;

  const listed = await receipts(['keys', 'list'], env);
  t.match(listed.stdout, new RegExp(`${id}\\s+cashier\\s+rk_cashier_\\S+\\s+active\\s+Q03\\s+counter\\s+Đỗ Văn Ba\\s+\\(Đỗ Văn Ba\\)`));
  t.notMatch(listed.stdout, lines[lines.length - 1]!, 'the list never shows the secret');

  // Staff: one person per name, look-alikes included; a second key of one person joins them.
  const people = await receipts(['staff', 'create', '--name', 'Lê Thị Thu'], env);
  t.equal(people.code, 0, people.stderr);
  const personId = /staff member ([0-9a-f-]{36})/.exec(people.stdout)![1]!;
  const twice = await receipts(['staff', 'create', '--name', 'LE THI THU'], env);
  t.equal(twice.code, 1);
  t.match(twice.stderr, /"Lê Thị Thu" \([0-9a-f-]{36}\) has a name that looks the same/);
  const joined = await receipts(['keys', 'create', '--role', 'accountant', '--name', 'le thi thu'], env);
  t.match(joined.stdout, `for Lê Thị Thu (${personId})`, 'the key joins the person');
  const distinct = await receipts(['staff', 'create', '--name', 'Lê Thị Thư', '--distinct-from', personId], env);
  t.equal(distinct.code, 0, distinct.stderr);
  t.match((await receipts(['staff', 'list'], env)).stdout, /Lê Thị Thu[\s\S]*Lê Thị Thư/);
  const head = await receipts(['keys', 'create', '--role', 'cashier', '--name', 'Trưởng quầy', '--scope', 'center'], env);
  t.match(head.stdout, ', center scope');

  const revoked = await receipts(['keys', 'revoke', id], env);
  t.equal(revoked.code, 0);
  t.match((await receipts(['keys', 'list'], env)).stdout, /revoked \d{4}-/);

  const badRole = await receipts(['keys', 'create', '--role', 'root', '--name', 'x'], env);
  t.equal(badRole.code, 1);
  t.match(badRole.stderr, /^role: /m);
  const notAnId = await receipts(['keys', 'revoke', 'abc'], env);
  t.equal(notAnId.code, 1);
  t.match(notAnId.stderr, /^id: must be a key id/m);
  const unknown = await receipts(['keys', 'revoke', '00000000-0000-4000-8000-000000000000'], env);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /no API key/);
  const badConfig = await receipts(['migrate'], { DATABASE_URL: 'mysql://nope' });
  t.equal(badConfig.code, 1);
  t.match(badConfig.stderr, /DATABASE_URL="mysql:\/\/nope": must be a postgres:\/\/ URL/);
});
