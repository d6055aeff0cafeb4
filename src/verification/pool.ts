import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError } from '../http/errors.ts';
import type { DocumentType } from './documents.ts';
import type { VerifyTask } from './verify-worker.ts';
import { refusedAt, withoutBom, type RecordMatcher, type VerificationResult } from './verifier.ts';

/** Documents waiting for a verification thread before new ones are refused (503). */
const MAX_QUEUE = 2_000;
/**
 * Longest one verification may take, waiting for a thread included (piscina
 * cannot time the run alone). The limits on bytes, elements, depth and
 * attributes keep every document we know of far below it (the largest
 * genuine summary verifies in seconds, a full queue drains in under a
 * minute); this stops what they did not foresee, and frees its thread.
 */
const VERIFY_TIMEOUT_MS = 120_000;

/**
 * Verification off the event loop: parsing, schema validation and signature
 * checks of a large document take hundreds of milliseconds of CPU, which on
 * the main thread would stall every request (health checks included). The
 * threads start on first use and stop when the pool closes.
 */
export class VerificationPool {
  private piscina: Piscina | null = null;

  private readonly threads: number;
  private readonly timeoutMs: number;
  private readonly production: boolean;

  constructor(
    opts: {
      threads?: number;
      /** A verification still running after this long is stopped (its thread is replaced) and the document refused. */
      timeoutMs?: number;
      /** NODE_ENV=production: development CAs in the trust directory are never trusted. */
      production?: boolean;
    } = {},
  ) {
    this.threads = opts.threads ?? Math.max(1, availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? VERIFY_TIMEOUT_MS;
    this.production = opts.production ?? false;
  }

  get size(): number {
    return this.threads;
  }

  private workers(): Piscina {
    this.piscina ??= new Piscina({
      // Compiled (dist/), the worker is plain JavaScript; from the sources, a small .mjs registers tsx in the thread first.
      filename: new URL(import.meta.url.endsWith('.ts') ? './verify-worker.mjs' : './verify-worker.js', import.meta.url).href,
      minThreads: this.threads,
      maxThreads: this.threads,
      maxQueue: MAX_QUEUE,
      idleTimeout: 60_000,
    });
    return this.piscina;
  }

  /**
   * Verifies one document in a thread against the trust store in `trustDir`,
   * then, when every check up to it ran, compares it with the center's record.
   */
  async verify(bytes: Buffer, opts: { trustDir: string; now: Date; expect?: DocumentType; recordMatch?: RecordMatcher; signedFields?: boolean }): Promise<VerificationResult> {
    bytes = withoutBom(bytes);
    const task: VerifyTask = {
      xml: bytes,
      trustDir: opts.trustDir,
      production: this.production,
      now: opts.now.toISOString(),
      expect: opts.expect,
      signedFields: opts.signedFields,
    };
    let result: VerificationResult;
    try {
      result = (await this.workers().run(task, { signal: AbortSignal.timeout(this.timeoutMs) })) as VerificationResult;
    } catch (err) {
      if (/queue is at limit/i.test(String(err))) throw new AppError('VERIFIER_BUSY', 'too many documents are waiting to be verified; try again shortly');
      if ((err as { name?: string } | null)?.name === 'AbortError') {
        return refusedAt('size', `verification was stopped after ${this.timeoutMs / 1000} s (waiting for a thread included); the document is refused`);
      }
      throw err;
    }
    const record = result.checks.find((c) => c.name === 'record-match');
    if (!opts.recordMatch || !record?.skipped || !result.document) return result;
    const match = await opts.recordMatch(result.document, bytes, result.signingTime ? new Date(result.signingTime) : null);
    record.passed = match.passed;
    record.reason = match.reason;
    delete record.skipped;
    return { ...result, valid: result.checks.every((c) => c.passed), record: match.record ?? null };
  }

  async close(): Promise<void> {
    const p = this.piscina;
    this.piscina = null;
    await p?.destroy();
  }
}
