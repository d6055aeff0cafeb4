/**
 * Serialises async work. A PKCS#11 session must never run two operations at
 * once (PKCS#11 v2.40 §5.6: a session has one active operation), so every use
 * of the signer's session goes through one of these.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
