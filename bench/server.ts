import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { demoAccess } from '../test/helpers/server.ts';

/**
 * The service as production runs it (`node dist/server.js`, compiled), in
 * its own process: the benchmark's load comes from another process, never
 * from the server's own event loop.
 */
export interface BenchServer {
  url: string;
  output: () => string;
  key: (role: string) => string;
  login: (role: string) => { username: string; password: string };
  stop: () => Promise<void>;
}

export async function startCompiledServer(env: Record<string, string>): Promise<BenchServer> {
  const root = path.resolve(import.meta.dirname, '..');
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=prof" to see where its time goes.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn('node', [...nodeArgs, 'dist/server.js'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', TAX_TRANSPORT: 'off', SEED_DEMO: 'true', ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < 1200 && !/API docs/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`the server did not start:\n${out}`);
  }
  return {
    url,
    output: () => out,
    ...demoAccess(() => out),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The one-minute load average now: printed beside every figure (the machines are shared). */
export const load = () => loadavg()[0]!;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** "median (min–max)" of a series, with `digits` decimals. */
export const spread = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
