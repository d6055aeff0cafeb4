import pg from 'pg';

// int8 (BIGINT) columns hold VND amounts and counts. Every amount the service
// accepts is validated to stay below Number.MAX_SAFE_INTEGER, so reading them
// as numbers is exact; one that is not (written around the service) is an
// error, never a rounded number. int8 reads one sent as text inside JSON.
export function int8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} is outside the safe integer range`);
  return n;
}
pg.types.setTypeParser(pg.types.builtins.INT8, int8);

/** Anything that runs a query: the pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

declare const inTransaction: unique symbol;

/**
 * A client inside `Db.transaction`: the only handle that functions taking a
 * lock (SELECT … FOR UPDATE, an advisory transaction lock) accept. Through the
 * pool, a lock would end with its own statement and protect nothing; the type
 * makes that a compile error.
 */
export type Tx = pg.PoolClient & { readonly [inTransaction]: true };

/** The one handle to PostgreSQL that repositories and services receive. */
export class Db {
  constructor(readonly pool: pg.Pool) {}

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
    return this.pool.query<R>(text, values);
  }

  /** Resolves once PostgreSQL answers a trivial query: the readiness probe. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection lost while it is checked out (PostgreSQL restarted, the
    // network dropped) emits 'error' on the client; unheard, it would end the
    // process. The query in flight fails with it, and so does the transaction.
    const lost = () => undefined;
    client.on('error', lost);
    let result: T;
    try {
      await client.query('BEGIN');
      result = await work(client as Tx);
      await client.query('COMMIT');
    } catch (err) {
      // A client whose rollback failed is broken (its connection is gone):
      // destroy it rather than return it to the pool.
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.off('error', lost);
      client.release(broken ? (err instanceof Error ? err : new Error(String(err))) : undefined);
      throw err;
    }
    client.off('error', lost);
    client.release();
    return result;
  }
}
