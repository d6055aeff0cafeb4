/**
 * Runs `round` now and then every `intervalMs`, never two at once (a round
 * still running when the next tick comes lets that tick pass). A round that
 * fails is logged and tried again at the next tick. `stop` waits for the
 * round in flight.
 */
export function startPeriodic(intervalMs: number, round: () => Promise<void>, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = round()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setImmediate(tick);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
