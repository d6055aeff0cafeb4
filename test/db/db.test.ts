import t from 'tap';
import { backends, freshDatabase } from '../helpers/db.ts';

for (const backend of backends) {
  t.test(`a SQL error fails its query or transaction only (${backend})`, async (t) => {
    const database = await freshDatabase(backend);
    t.teardown(() => database.close());
    const { db } = database;
    await db.query('CREATE TABLE t (a int PRIMARY KEY)');
    await t.rejects(db.query('SELECT 1/0'), /division by zero/);
    t.same((await db.query('SELECT 2 AS b')).rows, [{ b: 2 }], 'the next query works');

    await t.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        await tx.query('INSERT INTO t VALUES (1)');
      }),
      /duplicate key/,
    );
    t.same((await db.query('SELECT count(*)::int AS n FROM t')).rows, [{ n: 0 }], 'the failed transaction left nothing');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (2)');
    });
    t.same((await db.query('SELECT a FROM t')).rows, [{ a: 2 }], 'the next transaction commits');

    // Errors in a row, interleaved with work, never leave a broken client behind.
    for (let i = 0; i < 5; i++) {
      await t.rejects(db.query('SELECT * FROM missing_table'), /does not exist/);
      t.equal((await db.query<{ n: number }>('SELECT $1::int AS n', [i])).rows[0]!.n, i);
    }
  });
}

t.test('a connection lost inside a transaction fails that transaction, not the process (postgres)', async (t) => {
  const database = await freshDatabase('postgres');
  t.teardown(() => database.close());
  const { db } = database;
  const lost = db.transaction(async (tx) => {
    const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // Another session ends this one, as a PostgreSQL restart or a dropped network would.
    await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await new Promise((r) => setTimeout(r, 300));
    await tx.query('SELECT 1');
  });
  await t.rejects(lost, /terminat|Connection/i, 'the transaction fails');
  t.same((await db.query('SELECT 1 AS one')).rows, [{ one: 1 }], 'the next query gets a working connection');
  t.equal(await db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT 2 AS n')).rows[0]!.n), 2, 'and the next transaction');
});
