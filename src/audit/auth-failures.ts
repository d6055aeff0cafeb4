import type { Db } from '../db/db.ts';
import { appendEvent } from './chain.ts';

/** Distinct sources one summary names; a run from more addresses is counted under OTHER_SOURCES. */
export const MAX_SOURCES = 100;
export const OTHER_SOURCES = 'other sources';

/**
 * Failed sign-in attempts, summarised: one audit event per minute with how
 * many requests failed and from where, rather than one event per failure
 * (a credential-stuffing run would otherwise flood the trail).
 */
export class AuthFailureSummary {
  private counts = new Map<string, number>();
  private since: Date | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly intervalMs = 60_000,
  ) {}

  record(source: string): void {
    this.since ??= this.clock();
    // A bounded summary: past MAX_SOURCES distinct sources in one interval, the rest are counted together.
    const key = this.counts.has(source) || this.counts.size < MAX_SOURCES ? source : OTHER_SOURCES;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes the pending summary, if any, as one audit event. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.counts.size === 0 || !this.since) return;
    const sources = Object.fromEntries(this.counts);
    const count = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const from = this.since;
    this.counts = new Map();
    this.since = null;
    const to = this.clock();
    await this.db.transaction((tx) =>
      appendEvent(
        tx,
        {
          actor: { keyId: null, name: 'system' },
          action: 'auth.failures',
          subjectType: 'api',
          subjectId: 'sign-in',
          details: { count, sources, from: from.toISOString(), to: to.toISOString() },
        },
        to,
      ),
    );
  }
}
