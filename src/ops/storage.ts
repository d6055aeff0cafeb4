import { randomBytes } from 'node:crypto';
import { statfs, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether the service can write: the database (its last write that failed for
 * want of space or a writable disk) and DATA_DIR (free space, and a probe
 * write). A disk that fills up makes `/readyz` not ready before writes fail,
 * and while they fail; it is ready again once space returns.
 */

/** SQLSTATEs and errno codes that mean the disk is full or cannot be written. */
const STORAGE_STATES = new Set(['53100', '58030', '25006']);
const STORAGE_ERRNO = new Set(['ENOSPC', 'EROFS', 'EDQUOT', 'EIO']);

/** Whether an error, or one it was caused by, says storage is full or not writable. */
export function isStorageFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = (e as Error & { cause?: unknown }).cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (STORAGE_STATES.has(code) || STORAGE_ERRNO.has(code))) return true;
    if (/No space left on device|Read-only file system/.test(e.message)) return true;
  }
  return false;
}

/** How long a failed write keeps the service not ready, unless a later write succeeds. */
const REMEMBERED_MS = 30_000;
let lastFailure: { at: number; what: string } | null = null;

export function noteStorageFailure(err: unknown): void {
  lastFailure = { at: Date.now(), what: err instanceof Error ? err.message : String(err) };
}

/** Why the service cannot write now, or null. */
export async function storageProblem(dataDir: string, minFreeMb: number): Promise<string | null> {
  if (lastFailure && Date.now() - lastFailure.at < REMEMBERED_MS) {
    return `a write failed ${Math.round((Date.now() - lastFailure.at) / 1000)} s ago: ${lastFailure.what}`;
  }
  try {
    const fs = await statfs(dataDir);
    const freeMb = Math.floor((fs.bavail * fs.bsize) / 2 ** 20);
    if (freeMb < minFreeMb) return `${freeMb} MB free under DATA_DIR (DISK_FREE_MIN_MB is ${minFreeMb})`;
    // A name of its own: overlapping probes must not remove each other's file.
    const probe = path.join(dataDir, `.readyz-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, 'ok');
    await unlink(probe);
  } catch (err) {
    return `DATA_DIR cannot be written: ${(err as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  return null;
}
