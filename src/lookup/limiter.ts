/**
 * Counts failed attempts per key (a client address, a lookup code) in a
 * fixed window, in a bounded map: past `max` in the window, the key is blocked
 * until the window ends.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly clock: () => Date,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly size = 10_000,
  ) {}

  blocked(key: string): boolean {
    const a = this.attempts.get(key);
    return !!a && a.resetAt > this.clock().getTime() && a.count >= this.max;
  }

  record(key: string): void {
    const now = this.clock().getTime();
    const a = this.attempts.get(key);
    if (!a || a.resetAt <= now) {
      if (this.attempts.size >= this.size) this.attempts.delete(this.attempts.keys().next().value!);
      this.attempts.set(key, { count: 1, resetAt: now + this.windowMs });
    } else {
      a.count++;
    }
  }
}
