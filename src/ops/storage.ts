import { randomBytes } from 'node:crypto';
import { statfs, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { recentStorageFailure } from '../db/failures.ts';

/**
 * Whether the service can write: the database (its last write that failed for
 * want of space or a writable disk) and DATA_DIR (free space, and a probe
 * write). A disk that fills up makes `/readyz` not ready before writes fail,
 * and while they fail; it is ready again once space returns.
 */

/** Why the service cannot write now, or null. */
export async function storageProblem(dataDir: string, minFreeMb: number): Promise<string | null> {
  const recent = recentStorageFailure();
  if (recent) return recent;
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
