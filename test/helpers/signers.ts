import { setTimeout as sleep } from 'node:timers/promises';
import type { Signer } from '../../src/signing/signer.ts';

/**
 * A signer in front of `inner` whose signatures take `delayMs` longer and
 * fail while `failing(call)` says so (a token pulled out, a slow token);
 * `state.calls` counts the signatures asked of it.
 */
export function testSigner(inner: Signer, opts: { delayMs?: number; failing?: (call: number) => boolean } = {}) {
  const state = { calls: 0 };
  const signer: Signer = {
    kind: inner.kind,
    signatureMethod: inner.signatureMethod,
    certificateChain: inner.certificateChain,
    healthy: async () => !(opts.failing?.(state.calls + 1) ?? false),
    close: async () => undefined,
    async sign(data) {
      const call = ++state.calls;
      if (opts.delayMs) await sleep(opts.delayMs);
      if (opts.failing?.(call)) throw new Error(`CKR_DEVICE_REMOVED on call ${call}`);
      return inner.sign(data);
    },
  };
  return { signer, state };
}
