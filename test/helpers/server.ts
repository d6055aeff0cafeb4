import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunningServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** The demo key of `role` the first start printed. */
  key: (role: string) => string;
  /** The demo console login of `role` the first start printed. */
  login: (role: string) => { username: string; password: string };
  /** SIGTERM; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * The server as it runs in production, in its own process (`node src/server.ts`
 * on a port the OS chooses), once its banner names the address.
 */
export async function startServer(env: Record<string, string>, opts: { cwd?: string } = {}): Promise<RunningServer> {
  // From another working directory (where its .env is read), tsx and the sources are named by absolute path.
  const tsx = import.meta.resolve('tsx');
  const entry = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
  const child = spawn('node', ['--import', tsx, entry], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', TAX_TRANSPORT: 'off', SEED_DEMO: 'true', ...env },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (/API docs/.test(out)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    void exited.then(() => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited:\n${out}`));
    });
  });
  return {
    child,
    url: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!,
    output: () => out,
    ...demoAccess(() => out),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A server that does not stop within 20 s is killed, so a test never
      // hangs on its teardown (its embedded database is stopped by removeDataDir).
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      return exited.finally(() => clearTimeout(kill));
    },
  };
}

/** The demo API keys and console logins a first start printed in its banner. */
export function demoAccess(output: () => string): Pick<RunningServer, 'key' | 'login'> {
  return {
    key: (role) => new RegExp(`${role}\\s+(rk_${role}_\\S+)`).exec(output())![1]!,
    login: (role) => {
      const m = new RegExp(`${role}\\s+username (\\S+)\\s+password (\\S+)`).exec(output())!;
      return { username: m[1]!, password: m[2]! };
    },
  };
}

/** Waits until `check` holds, or fails naming `what`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
