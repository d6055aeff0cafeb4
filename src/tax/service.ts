import { readFile } from 'node:fs/promises';
import type { Actor } from '../audit/chain.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/db.ts';
import { startPeriodic } from '../ops/periodic.ts';
import type { Signer } from '../signing/signer.ts';
import { daysDue, makeDaySummaries, type StoredSummary } from './daily-summary.ts';
import { sendPending, type SendOutcome } from './sender.ts';
import { folderTransport, httpsTransport, type Transport } from './transports.ts';

/** The transport the configuration names; null when transmission is off. */
export async function transportOf(config: Config): Promise<Transport | null> {
  if (config.TAX_TRANSPORT === 'off') return null;
  if (config.TAX_TRANSPORT === 'folder') return folderTransport(config.TAX_FOLDER);
  const read = (f: string | undefined) => (f ? readFile(f) : Promise.resolve(undefined));
  return httpsTransport({
    endpoint: config.TAX_ENDPOINT!,
    clientCert: await read(config.TAX_CLIENT_CERT_FILE),
    clientKey: await read(config.TAX_CLIENT_KEY_FILE),
    ca: await read(config.TAX_CA_FILE),
  });
}

/** The actor of what the service does by itself. */
export const scheduler: Actor = { keyId: null, name: 'daily job' };

/** One round of the daily job: every summary and supplement due, then the outbox. */
export async function taxRound(
  db: Db,
  deps: { config: Config; signer: Signer; transport: Transport | null; now: () => Date },
): Promise<{ made: StoredSummary[]; failed: Array<{ day: string; reason: string }>; sent: SendOutcome | null }> {
  const made: StoredSummary[] = [];
  const failed: Array<{ day: string; reason: string }> = [];
  for (const day of await daysDue(db, deps.now())) {
    // A day that cannot be made now (its signer is away, its message too large) holds back neither the
    // later days nor the outbox: it is tried again at the next round, and said in the log.
    try {
      made.push(...(await makeDaySummaries(db, day, { signer: deps.signer, actor: scheduler, config: deps.config, now: deps.now() })));
    } catch (err) {
      failed.push({ day, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const sent = deps.transport ? await sendPending(db, deps.transport, deps.now) : null;
  return { made, failed, sent };
}

/**
 * Runs the daily job every TAX_INTERVAL_SECONDS: summaries are made as soon
 * as a day has ended, and what is pending goes out, in order, retried with
 * back-off. A round that fails is logged and tried again at the next tick.
 */
export function startTaxJob(db: Db, deps: { config: Config; signer: Signer; transport: Transport | null; now: () => Date; log: (msg: string, err?: unknown) => void }): { stop(): Promise<void> } {
  return startPeriodic(
    deps.config.TAX_INTERVAL_SECONDS * 1000,
    async () => {
      const { made, failed, sent } = await taxRound(db, deps);
      for (const f of failed) deps.log(`the summaries of ${f.day} could not be made: ${f.reason}`, new Error(f.reason));
      if (made.length > 0) deps.log(`made ${made.length} summaries: ${made.map((m) => m.dataId).join(', ')}`);
      if (sent && (sent.sent > 0 || sent.failed > 0)) deps.log(`outbox: ${sent.sent} sent, ${sent.failed} failed${sent.error ? `: ${sent.error}` : ''}`);
    },
    (err) => deps.log('the daily job failed; it runs again at the next tick', err),
  );
}
