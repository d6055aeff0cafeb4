/**
 * Writes that failed for want of space or a writable disk: how the error
 * handler recognises them (503 STORAGE_UNAVAILABLE) and remembers the last one
 * for /readyz.
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

/** How long a failed write keeps /readyz not ready. */
const REMEMBERED_MS = 30_000;
let lastFailure: { at: number; what: string } | null = null;

export function noteStorageFailure(err: unknown): void {
  lastFailure = { at: Date.now(), what: err instanceof Error ? err.message : String(err) };
}

/** The last failed write, while it is recent: why /readyz says not ready. */
export function recentStorageFailure(): string | null {
  if (!lastFailure || Date.now() - lastFailure.at >= REMEMBERED_MS) return null;
  return `a write failed ${Math.round((Date.now() - lastFailure.at) / 1000)} s ago: ${lastFailure.what}`;
}
