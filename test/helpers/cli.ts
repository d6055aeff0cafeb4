import { execFile } from 'node:child_process';

/**
 * Runs `receipts …` (bin/receipts.js) as an operator would, with the test's
 * environment and `env` on top; a key set to undefined in `env` is removed
 * (DATABASE_URL, to use the embedded database). Its exit code and output.
 */
export function receipts(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  return new Promise((resolve) => {
    execFile('node', ['bin/receipts.js', ...args], { env: merged }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** The test's environment without DATABASE_URL: a server started with it runs on its embedded database. */
export function withoutDatabaseUrl(): Record<string, string> {
  const { DATABASE_URL: _url, ...rest } = process.env;
  return rest as Record<string, string>;
}
