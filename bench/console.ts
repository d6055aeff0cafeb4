import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { clusterDir, stopEmbeddedServer } from '../src/db/embedded.ts';
import { load, median, startCompiledServer } from './server.ts';

/**
 * The staff console's first screen in Debian's Chromium, from a cold browser
 * (no cache) against the compiled server (`node dist/server.js`, its own
 * process, embedded database). Baseline: the citizen's lookup form, a page
 * of a few hundred bytes with no script. Subjects: the console's sign-in
 * form, and a signed-in cashier's counter screen with its fee list loaded.
 * Rounds interleave baseline and subjects.
 */
export interface ConsoleFigures {
  rounds: number;
  baseline: number[];
  signIn: number[];
  counter: number[];
  load: number[];
}

export async function benchConsole(rounds = 7): Promise<ConsoleFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-bench-console-'));
  const server = await startCompiledServer({ DATA_DIR: dir, DATABASE_URL: '' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const url = server.url;
    const { username, password } = server.login('cashier');
    const figures: ConsoleFigures = { rounds, baseline: [], signIn: [], counter: [], load: [] };
    // A signed-in browser's cookies, to open the counter screen directly.
    const signedIn = await browser.newContext();
    const page = await signedIn.newPage();
    await page.goto(`${url}/console`);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    const state = await signedIn.storageState();
    await signedIn.close();

    const time = async (open: string, ready: (p: import('playwright-core').Page) => Promise<unknown>, storage?: typeof state) => {
      const context = await browser.newContext(storage ? { storageState: storage } : {});
      const p = await context.newPage();
      const start = performance.now();
      await p.goto(open);
      await ready(p);
      const ms = performance.now() - start;
      await context.close();
      return ms;
    };
    for (let round = 0; round < rounds + 1; round++) {
      const baseline = await time(`${url}/public/receipts`, (p) => p.getByLabel(/Mã tra cứu/).waitFor());
      const signIn = await time(`${url}/console`, (p) => p.getByLabel('Tên đăng nhập').waitFor());
      const counter = await time(`${url}/console#/counter`, (p) => p.locator('.fee-list li').first().waitFor(), state);
      if (round === 0) continue; // the first round warms the server
      figures.baseline.push(baseline);
      figures.signIn.push(signIn);
      figures.counter.push(counter);
      figures.load.push(load());
    }
    return figures;
  } finally {
    await browser.close();
    await server.stop();
    await stopEmbeddedServer(clusterDir(dir)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

export function printConsole(f: ConsoleFigures): void {
  const row = (name: string, xs: number[]) => {
    const ratios = xs.map((x, i) => x / f.baseline[i]!);
    const range = `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
    return `${name.padEnd(22)} | ${median(xs).toFixed(0).padStart(9)} | ${range.padEnd(10)} | ${median(ratios).toFixed(1)} (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)})`;
  };
  console.log(`Staff console, cold browser, ${f.rounds} rounds (load average ${Math.min(...f.load).toFixed(2)}–${Math.max(...f.load).toFixed(2)})\n`);
  console.log('page                   | median ms | min–max ms | × baseline, median (min–max)');
  console.log('-----------------------|-----------|------------|-----------------------------');
  console.log(row('lookup form (baseline)', f.baseline));
  console.log(row('console sign-in form', f.signIn));
  console.log(row('counter, fees listed', f.counter));
}
