import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { request } from 'undici';
import { openDatabase } from '../../src/db/connect.ts';
import { clusterDir, runningServer } from '../../src/db/embedded.ts';
import { receipts, withoutDatabaseUrl } from '../helpers/cli.ts';
import { startServer, until } from '../helpers/server.ts';
import { tempDir } from '../helpers/temp.ts';

/** The CLI on the embedded database of DATA_DIR (no DATABASE_URL). */
const cli = (args: string[], env: Record<string, string>) => receipts(args, { ...env, DATABASE_URL: undefined });

const issue = (url: string, key: string, idem: string) =>
  request(`${url}/v1/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idem },
    body: JSON.stringify({ department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' }),
  });

/** A session on the embedded server of `dataDir`, through its socket, as any client reaches it. */
async function connect(dataDir: string): Promise<pg.Client> {
  const running = (await runningServer(clusterDir(dataDir)))!;
  const client = new pg.Client({ host: running.host, port: running.port, user: 'postgres', database: 'postgres' });
  await client.connect();
  return client;
}

t.test('the embedded default is a real PostgreSQL server, one per data directory, shared with the CLI', async (t) => {
  const dataDir = await tempDir(t, 'receipts-emb-');
  const env = { ...withoutDatabaseUrl(), DATA_DIR: dataDir, PKCS11_PIN: 'not-for-the-database' };
  const server = await startServer(env);
  t.teardown(() => server.child.kill('SIGKILL'));
  t.match(server.output(), `(embedded database in ${dataDir}`);
  const postmasterEnv = await readFile(`/proc/${(await runningServer(clusterDir(dataDir)))!.pid}/environ`, 'utf8');
  t.notMatch(postmasterEnv, 'not-for-the-database', 'the service’s secrets are not in the database’s environment');
  const pgdata = clusterDir(dataDir);
  const running = await runningServer(pgdata);
  t.ok(running, 'a postmaster runs on DATA_DIR/postgres');
  t.equal(running!.host, pgdata, 'listening on a socket in its own data directory');
  t.not(running!.port, 5432, 'named by a port number the OS gave this data directory, not the one every PostgreSQL uses');
  t.match(await readFile(path.join(pgdata, 'receipts.conf'), 'utf8'), `\nport = ${running!.port}\n`, 'kept with its settings');

  const probe = await connect(dataDir);
  const settings = await probe.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'listen_addresses', 'shared_buffers', 'server_version_num') ORDER BY name`,
  );
  await probe.end();
  t.same(
    Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
    {
      fsync: 'on',
      listen_addresses: '',
      server_version_num: '180004',
      shared_buffers: '4096',
      synchronous_commit: 'on',
    },
    'durable writes, no TCP port, 32 MB of shared buffers (4096 pages)',
  );
  const probe2 = await connect(dataDir);
  const hba = await probe2.query<{ type: string; auth_method: string }>('SELECT type, auth_method FROM pg_hba_file_rules ORDER BY rule_number');
  await probe2.end();
  t.same(
    hba.rows,
    [
      { type: 'local', auth_method: 'trust' },
      { type: 'host', auth_method: 'reject' },
    ],
    'the socket only; TCP refused even if it were opened',
  );

  // A second service on the same directory refuses with one line and changes nothing.
  const second = await startServer(env).then(
    (s) => {
      s.child.kill('SIGKILL');
      return 'started';
    },
    (err: Error) => err.message,
  );
  t.match(second, /Cannot start: another process is using the embedded database in .* \(receipts service \(pid \d+\)\): stop it first, or give this service its own DATA_DIR/);
  t.equal(second.match(/Cannot start/g)?.length, 1);
  t.equal((await issue(server.url, server.key('cashier'), 'emb-1')).statusCode, 201, 'the first keeps serving');

  // The CLI beside the running service uses the same database: its key works over HTTP, and the API's keys are listed by it.
  const created = await cli(['keys', 'create', '--role', 'accountant', '--name', 'Trần Thị Bình'], { DATA_DIR: dataDir });
  t.equal(created.code, 0, created.stderr);
  const secret = created.stdout.trim().split('\n').at(-1)!;
  const me = await request(`${server.url}/v1/receipts?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
  t.equal(me.statusCode, 200, 'the key made by the CLI is known to the running service');
  const listed = await cli(['keys', 'list'], { DATA_DIR: dataDir });
  t.match(listed.stdout, /cashier\s+rk_cashier_\S+\s+active\s+Q01/, 'the CLI sees the keys the first start made');
  t.match(listed.stdout, /Trần Thị Bình/);
  t.ok(await runningServer(pgdata), 'the CLI leaves the service’s database running');

  // SIGTERM stops the service and then its database.
  t.equal(await server.stop(), 0);
  t.equal(await runningServer(pgdata), null, 'no postmaster left behind');

  // With no service, the CLI starts the database for its work and stops it after.
  const alone = await cli(['keys', 'list'], { DATA_DIR: dataDir });
  t.equal(alone.code, 0, alone.stderr);
  t.match(alone.stdout, /Trần Thị Bình/);
  t.equal(await runningServer(pgdata), null, 'the CLI stopped the database it started');
});

t.test('a service killed with SIGKILL leaves its database running; the next start takes it over; a killed database is started again', async (t) => {
  const dataDir = await tempDir(t, 'receipts-emb-');
  const env = { ...withoutDatabaseUrl(), DATA_DIR: dataDir };
  const first = await startServer(env);
  const cashier = first.key('cashier');
  t.equal((await issue(first.url, cashier, 'k-1')).statusCode, 201);
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  const orphan = await runningServer(clusterDir(dataDir));
  t.ok(orphan, 'the postmaster outlives the killed service');

  const second = await startServer(env);
  t.teardown(() => second.child.kill('SIGKILL'));
  t.equal((await runningServer(clusterDir(dataDir)))!.pid, orphan!.pid, 'the same postmaster, taken over');
  const again = await issue(second.url, cashier, 'k-2');
  t.equal(again.statusCode, 201);
  t.equal(((await again.body.json()) as { number: number }).number, 2, 'numbering goes on from the acknowledged receipt');

  // The database process killed under the running service: 503 meanwhile, then it is started again by the service.
  process.kill(orphan!.pid, 'SIGKILL');
  await until(
    'the database to be started again',
    async () => {
      const now = await runningServer(clusterDir(dataDir));
      return now !== null && now.pid !== orphan!.pid;
    },
    40_000,
  );
  await until('the service to be ready', async () => (await request(`${second.url}/readyz`)).statusCode === 200, 20_000);
  t.equal((await runningServer(clusterDir(dataDir)))!.port, orphan!.port, 'started again under the same port number, where the service looks');
  // The claim on the data directory outlives the database's restart: a second service is still refused.
  const intruder = await startServer(env).then(
    (s) => {
      s.child.kill('SIGKILL');
      return 'started';
    },
    (err: Error) => err.message,
  );
  t.match(intruder, /Cannot start: another process is using the embedded database in .* \(receipts service \(pid \d+\)\)/, 'one service per data directory, after the database restarted too');
  const healed = await issue(second.url, cashier, 'k-3');
  t.equal(healed.statusCode, 201, 'issuing works again without a restart');
  t.equal(((await healed.body.json()) as { number: number }).number, 3);
  t.equal(await second.stop(), 0);
  t.equal(await runningServer(clusterDir(dataDir)), null);
});

t.test('receipts backup while the service issues; receipts restore brings that moment back, and numbering goes on from it', async (t) => {
  const dataDir = await tempDir(t, 'receipts-emb-');
  const backups = await tempDir(t, 'receipts-backups-');
  const env = { ...withoutDatabaseUrl(), DATA_DIR: dataDir };
  const server = await startServer(env);
  t.teardown(() => server.child.kill('SIGKILL'));
  const cashier = server.key('cashier');
  for (let i = 1; i <= 3; i++) t.equal((await issue(server.url, cashier, `b-${i}`)).statusCode, 201);

  // Issuing goes on while the backup is taken.
  let stop = false;
  let during = 0;
  const load = (async () => {
    while (!stop && during < 40) if ((await issue(server.url, cashier, `during-${during}`)).statusCode === 201) during++;
  })();
  const file = path.join(backups, 'center.tar.gz');
  const backedUp = await cli(['backup', file], { DATA_DIR: dataDir });
  stop = true;
  await load;
  t.equal(backedUp.code, 0, backedUp.stderr);
  const before = Number(/Backed up (\d+) receipts, and those committed while the backup ran, to /.exec(backedUp.stdout)?.[1]);
  t.ok(before >= 3 && before <= 3 + during, `${before} receipts were committed when the backup began`);
  t.match(backedUp.stdout, /\(\d+\.\d MB, \d+ WAL segments?\)/);
  t.equal((await stat(file)).mode & 0o777, 0o600, 'the backup is the whole database: readable by its owner only');
  const again = await cli(['backup', file], { DATA_DIR: dataDir });
  t.equal(again.code, 1);
  t.match(again.stderr, 'exists: choose a new file name', 'a backup is never overwritten');
  const handedOut: Array<{ number: number; series: string }> = [];
  for (let i = 1; i <= 2; i++) {
    const res = await issue(server.url, cashier, `after-${i}`);
    t.equal(res.statusCode, 201);
    handedOut.push((await res.body.json()) as { number: number; series: string });
  }
  const series = handedOut[0]!.series;
  const lastHandedOut = handedOut.at(-1)!.number;

  const whileRunning = await cli(['restore', '--replace', file], { DATA_DIR: dataDir });
  t.equal(whileRunning.code, 1);
  t.match(whileRunning.stderr, /a service runs on .* \(pid \d+\): stop the service first/);
  t.equal(await server.stop(), 0);
  const noReplace = await cli(['restore', file], { DATA_DIR: dataDir });
  t.equal(noReplace.code, 1);
  t.match(noReplace.stderr, 'holds a database: give --replace');
  const notABackup = path.join(backups, 'junk.tar.gz');
  await new Promise((r) => execFile('tar', ['-czf', notABackup, '-C', backups, '.'], r));
  const junk = await cli(['restore', '--replace', notABackup], { DATA_DIR: dataDir });
  t.equal(junk.code, 1);
  t.match(junk.stderr, 'is not a backup made by receipts backup (no backup_label)');

  const restored = await cli(['restore', '--replace', file], { DATA_DIR: dataDir });
  t.equal(restored.code, 0, restored.stderr);
  t.match(restored.stdout, /Restored \d+ receipts into .*; the database that was there is kept in .*postgres\.before-restore-/);
  const saved = Number(/Restored (\d+) receipts/.exec(restored.stdout)![1]);
  t.ok(saved >= before && saved <= 3 + during, `the restore holds ${saved}: those of the backup's start, and some committed while it ran, none after (3 + ${during} were issued by then)`);
  t.match(restored.stdout, `Every series (4) is held: receipts handed out after the backup are not in it`);
  t.match(restored.stdout, `npx receipts series resume --series ${series} --next <number>    (the backup goes on from ${saved + 1})`);
  const back = await startServer(env);
  t.teardown(() => back.child.kill('SIGKILL'));
  // The numbers handed out after the backup are not issued again: the series waits until an operator says where it goes on.
  const held = await issue(back.url, cashier, 'after-restore');
  t.equal(held.statusCode, 409, 'the keys of the backup work, and the series is held');
  t.match(await held.body.json(), { code: 'SERIES_HELD', detail: new RegExp(`receipts series resume --series ${series} --next`) });
  const backwards = await cli(['series', 'resume', '--series', series, '--next', String(saved)], { DATA_DIR: dataDir });
  t.equal(backwards.code, 1);
  t.match(backwards.stderr, `--next must be at least ${saved + 1}, the number the restored database goes on from`);
  const resumed = await cli(['series', 'resume', '--series', series, '--next', String(lastHandedOut + 1)], { DATA_DIR: dataDir });
  t.equal(resumed.code, 0, resumed.stderr);
  const skipped = lastHandedOut - saved;
  t.match(resumed.stdout, `Series ${series} issues again from ${lastHandedOut + 1} (${skipped} number${skipped === 1 ? '' : 's'} from ${saved + 1} skipped: handed out before the restore)`);
  const twice = await cli(['series', 'resume', '--series', series, '--next', String(lastHandedOut + 5)], { DATA_DIR: dataDir });
  t.match(twice.stderr, `series ${series} is not held`, 'a series is resumed once');
  const next = await issue(back.url, cashier, 'after-restore');
  t.equal(next.statusCode, 201);
  t.equal(((await next.body.json()) as { number: number }).number, lastHandedOut + 1, 'no number handed out before the restore is issued twice');
  const numbers = (await (await request(`${back.url}/v1/receipts?limit=100`, { headers: { authorization: `Bearer ${cashier}` } })).body.json()) as { data: Array<{ number: number }> };
  t.same(
    numbers.data.map((r) => r.number).sort((a, b) => a - b),
    [...Array.from({ length: saved }, (_, i) => i + 1), lastHandedOut + 1],
    'the backup’s receipts, then the number after the last one handed out',
  );
  const audit = (await (await request(`${back.url}/v1/audit/events?action=series.resumed`, { headers: { authorization: `Bearer ${server.key('auditor')}` } })).body.json()) as {
    data: Array<{ actor: string; details: Record<string, unknown> }>;
  };
  t.match(audit.data, [{ actor: /^cli \(/, details: { symbol: series, from: saved + 1, next: lastHandedOut + 1, skipped } }], 'the resume is in the audit trail, with the numbers it skipped');
  t.equal(await back.stop(), 0);
  const verified = await cli(['verify', '--from', '2020-01-01', '--to', '2099-12-31'], { DATA_DIR: dataDir });
  t.equal(verified.code, 0, verified.stdout + verified.stderr);
  t.match(verified.stdout, `${saved + 1} receipts`);
});

t.test('a DATA_DIR a shell would read is refused before anything runs', async (t) => {
  const base = await tempDir(t, 'receipts-emb-');
  for (const name of ['x$(id)', 'a"b', 'back`tick`', 'comma,dir']) {
    await t.rejects(openDatabase({ dataDir: path.join(base, name) }), /has characters the embedded database cannot use in its path/, name);
  }
});
