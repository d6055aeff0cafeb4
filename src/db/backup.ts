import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase } from './connect.ts';
import type { Db } from './db.ts';
import { clusterDir, ensureEmbeddedServer, postmasterAlive, serverUser, serviceHolding, stopEmbeddedServer } from './embedded.ts';
import { migrate } from './migrate.ts';

const run = promisify(execFile);

/**
 * Backups of the embedded database while the service runs: PostgreSQL's own
 * online backup (pg_backup_start … copy the files … pg_backup_stop), so the
 * copy is consistent without stopping issuing. A restore puts the files back
 * with the backup label; the server's recovery replays the WAL copied with
 * them up to the end of the backup.
 */

/** Writes a backup of DATA_DIR's embedded database to `file` (.tar.gz); returns what it holds. */
export async function backupEmbedded(dataDir: string, file: string): Promise<{ bytes: number; walSegments: number; receipts: number }> {
  const pgdata = clusterDir(dataDir);
  const server = await ensureEmbeddedServer(dataDir);
  const client = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database: 'postgres', application_name: `receipts backup (pid ${process.pid})` });
  await client.connect();
  const staging = `${file}.partial-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    // The whole database (payers' ID numbers, key hashes): readable by its owner only.
    await mkdir(staging, { recursive: true, mode: 0o700 });
    const receipts = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts').catch(() => ({ rows: [{ n: 0 }] }))).rows[0]!.n;
    const start = (await client.query<{ lsn: string }>("SELECT pg_backup_start('receipts backup', true) AS lsn")).rows[0]!.lsn;
    // The data files, as they are while the server writes: the WAL copied after pg_backup_stop makes them consistent.
    const files = path.join(staging, 'files.tar');
    await run('tar', [
      '-cf',
      files,
      '--exclude=./pg_wal/*',
      '--exclude=./postmaster.pid',
      '--exclude=./postmaster.opts',
      '--exclude=./log/*',
      '--warning=no-file-changed',
      '--warning=no-file-removed',
      '-C',
      pgdata,
      '.',
    ]).catch((err: { code?: number }) => {
      // GNU tar exits 1 when a file changed while it was read: expected here, the WAL repairs it.
      if (err.code !== 1) throw err;
    });
    const stop = (await client.query<{ lsn: string; labelfile: string }>('SELECT lsn, labelfile FROM pg_backup_stop(false)')).rows[0]!;
    const needed = walSegmentsBetween(start, stop.lsn, await timeline(client));
    const present = new Set(await readdir(path.join(pgdata, 'pg_wal')));
    const missing = needed.filter((s) => !present.has(s));
    if (missing.length) throw new Error(`the WAL of the backup was recycled while it ran (${missing[0]} is gone): run the backup again`);
    await writeFile(path.join(staging, 'backup_label'), stop.labelfile);
    await mkdir(path.join(staging, 'pg_wal'));
    await run('tar', ['-rf', files, '-C', pgdata, ...needed.map((s) => `./pg_wal/${s}`)]);
    await run('tar', ['-rf', files, '-C', staging, './backup_label']);
    await run('gzip', ['-f', files]);
    await chmod(`${files}.gz`, 0o600);
    await rename(`${files}.gz`, file);
    const bytes = (await stat(file)).size;
    return { bytes, walSegments: needed.length, receipts };
  } finally {
    await client.end().catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    // Stopped only if no service has joined meanwhile (it would lose its database).
    if (server.startedHere && !(await serviceHolding(dataDir))) await stopEmbeddedServer(pgdata);
  }
}

async function timeline(client: pg.Client): Promise<number> {
  return (await client.query<{ t: number }>('SELECT timeline_id AS t FROM pg_control_checkpoint()')).rows[0]!.t;
}

/** WAL segment file names (16 MB segments) from the segment holding `from` to the one holding `to`. */
export function walSegmentsBetween(from: string, to: string, timelineId: number): string[] {
  const toNumber = (lsn: string) => {
    const [hi, lo] = lsn.split('/').map((h) => BigInt(`0x${h}`)) as [bigint, bigint];
    return (hi << 32n) + lo;
  };
  const segment = 16n * 1024n * 1024n;
  const perId = 0x1_0000_0000n / segment;
  const names: string[] = [];
  for (let s = toNumber(from) / segment; s <= toNumber(to) / segment; s++) {
    const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, '0');
    names.push(`${hex(BigInt(timelineId))}${hex(s / perId)}${hex(s % perId)}`);
  }
  return names;
}

/**
 * Restores a backup into DATA_DIR's embedded database. Refused while a server
 * runs there. The database already there is kept beside it (postgres.before-restore-…)
 * when `replace` is given, and the restore is refused otherwise.
 */
export async function restoreEmbedded(
  dataDir: string,
  file: string,
  opts: { replace: boolean; afterRecovery: (db: Db) => Promise<void> },
): Promise<{ receipts: number; keptAs: string | null; series: Array<{ symbol: string; next: number }> }> {
  const pgdata = clusterDir(dataDir);
  const service = await serviceHolding(dataDir);
  if (service) throw new Error(`a service runs on ${dataDir} (pid ${service}): stop the service first`);
  if (await postmasterAlive(pgdata)) throw new Error(`a database server runs on ${dataDir}: stop the service first`);
  await stat(file).catch(() => {
    throw new Error(`${file}: no such backup`);
  });
  const exists = await stat(pgdata).then(
    () => true,
    () => false,
  );
  if (exists && !opts.replace) throw new Error(`${pgdata} holds a database: give --replace to keep it aside and restore over it`);
  const side = `${pgdata}.restoring-${process.pid}`;
  await rm(side, { recursive: true, force: true });
  await mkdir(side, { mode: 0o700 });
  try {
    // Owned by whoever restores, whatever the archive says; then handed to the database's user.
    await run('tar', ['-xzf', file, '--no-same-owner', '-C', side]);
    await stat(path.join(side, 'backup_label')).catch(() => {
      throw new Error(`${file} is not a backup made by receipts backup (no backup_label)`);
    });
    await mkdir(path.join(side, 'pg_wal'), { recursive: true });
    const owner = serverUser(pgdata);
    if (owner) await run('chown', ['-R', `${owner.uid}:${owner.gid}`, side]);
    if (owner) await chown(side, owner.uid, owner.gid);
  } catch (err) {
    await rm(side, { recursive: true, force: true });
    throw err;
  }
  const keptAs = exists ? `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}` : null;
  if (keptAs) await rename(pgdata, keptAs);
  await rename(side, pgdata);
  // Started once: recovery replays the backup's WAL, migrations bring it to
  // this version, and the caller's step runs (holding every series: see the CLI).
  const database = await openDatabase({ dataDir, role: 'command' });
  try {
    await migrate(database.db);
    const receipts = (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts')).rows[0]!.n;
    await opts.afterRecovery(database.db);
    const series = (await database.db.query<{ symbol: string; next_number: number }>('SELECT symbol, next_number FROM series ORDER BY symbol')).rows;
    return { receipts, keptAs, series: series.map((s) => ({ symbol: s.symbol, next: s.next_number })) };
  } finally {
    await database.close();
  }
}
