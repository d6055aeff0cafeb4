import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterDir, stopEmbeddedServer } from '../../src/db/embedded.ts';

/** A new directory under the OS's temp directory, removed when the test ends. */
export async function tempDir(t: { teardown(fn: () => unknown): void }, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.teardown(() => removeDataDir(dir));
  return dir;
}

/**
 * Removes a data directory, stopping first the embedded PostgreSQL a killed
 * server left running in it (a SIGKILLed service cannot stop its database).
 */
export async function removeDataDir(dir: string): Promise<void> {
  await stopEmbeddedServer(clusterDir(dir)).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
