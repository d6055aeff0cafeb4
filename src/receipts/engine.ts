import type { Db, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { claimAll, type IdempotencyClaim, type StoredResponse, storedAnswer } from '../http/idempotency.ts';
import { insertStoredResponses } from '../http/repository.ts';
import type { IssueReceiptInput, Receipt } from './schemas.ts';
import { type IssueContext, type IssueDeps, issueGroup, type PreparedReceipt, previewReceipt, seriesQueueOf } from './service.ts';

/** A request to issue one receipt, as a route hands it over. */
export interface IssueJob {
  input: IssueReceiptInput;
  ctx: IssueContext;
  /** Its Idempotency-Key claim; the stored response is written in the transaction that issues it. */
  idempotency?: IdempotencyClaim;
  /** Part of a batch: waits behind counter requests of its series, and is not refused for a long queue. */
  bulk?: boolean;
}

export interface EngineOptions {
  /** Most requests numbered, signed and stored in one transaction. */
  maxGroup: number;
  /** Most counter requests waiting for their series; beyond it, SIGNER_UNAVAILABLE (503, Retry-After). */
  maxWaiting: number;
  /** Most batch items waiting; a batch that would go beyond it is refused whole (SIGNER_UNAVAILABLE). */
  maxBulk: number;
}

/**
 * Errors that are the series', the period's or the center's, not one
 * request's: every request of the group would meet them alone too, so they
 * answer the whole group instead of a retry of each (which would sign each
 * document again for nothing).
 */
const GROUP_WIDE = new Set<string>([
  'SERIES_HELD',
  'SERIES_WRONG_YEAR',
  'SERIES_WRONG_DEPARTMENT',
  'UNKNOWN_SERIES',
  'NO_ACTIVE_SERIES',
  'DELEGATION_NOT_YET',
  'DELEGATION_OUT_OF_TERM',
  'DELEGATION_TERMINATED',
  'PERIOD_CLOSED',
  'SHARE_RATE_MISSING',
  'CENTER_NOT_CONFIGURED',
]);

interface Waiting {
  prepared: PreparedReceipt;
  idempotency?: IdempotencyClaim;
  bulk: boolean;
  resolve(result: StoredResponse<Receipt>): void;
  reject(err: unknown): void;
}

interface SeriesQueue {
  counter: Waiting[];
  bulk: Waiting[];
  running: boolean;
}

const CREATED = 201;

/**
 * The issuing engine: group commit per series.
 *
 * Everything that does not need a number (the department, the fees, the
 * total) is checked before a request queues, outside any lock. Requests
 * queue per series (department and series asked for); while one group of a
 * series is being issued, the next requests of that series wait, and the
 * next group takes up to `maxGroup` of them at once (counter requests before
 * batch items): one transaction, one lock of the series counter, consecutive
 * numbers, the signatures made concurrently, one insert per table, one take
 * of the audit chain's lock. Other series, and so other departments, never
 * wait on it.
 *
 * Gapless: the numbers of a group are used only if its transaction commits.
 * If anything in it fails (a signature, a closed period, a range too short
 * for the whole group) the transaction rolls back, no number is used, and
 * each request of the group is issued again on its own, so one bad request
 * fails alone and the others get the numbers in order.
 */
export class IssuingEngine {
  private readonly queues = new Map<string, SeriesQueue>();
  private waitingAtCounter = 0;
  private waitingInBatches = 0;
  /** Groups of batch items only, being issued: one at a time, so batches never crowd the signers out. */
  private bulkGroups = 0;

  constructor(
    private readonly db: Db,
    private readonly deps: IssueDeps,
    private readonly options: EngineOptions,
  ) {}

  /** Counter requests waiting for their series now (for the metrics). */
  get waiting(): number {
    return this.waitingAtCounter;
  }

  async issue(job: IssueJob): Promise<StoredResponse<Receipt>> {
    const prepared = await this.prepare(job);
    return 'replay' in prepared ? prepared.replay : this.enqueue(prepared, job);
  }

  /**
   * Issues the jobs of a batch (bulk), each with its own outcome. They are
   * checked one after the other and queue in their order, so within a series
   * their numbers ascend with their places in the batch.
   */
  async issueBatch(jobs: readonly IssueJob[]): Promise<Array<PromiseSettledResult<StoredResponse<Receipt>>>> {
    if (this.waitingInBatches + jobs.length > this.options.maxBulk) {
      throw new AppError('SIGNER_UNAVAILABLE', `${this.waitingInBatches} batch items are waiting already; nothing of this batch was issued`);
    }
    this.waitingInBatches += jobs.length;
    try {
      return await this.issueInOrder(jobs);
    } finally {
      this.waitingInBatches -= jobs.length;
    }
  }

  private async issueInOrder(jobs: readonly IssueJob[]): Promise<Array<PromiseSettledResult<StoredResponse<Receipt>>>> {
    const pending: Array<Promise<StoredResponse<Receipt>>> = [];
    for (const job of jobs) {
      const bulk = { ...job, bulk: true };
      const prepared = await this.prepare(bulk).catch((err: unknown) => ({ error: err }));
      if ('error' in prepared) pending.push(Promise.reject(prepared.error));
      else pending.push('replay' in prepared ? Promise.resolve(prepared.replay) : this.enqueue(prepared, bulk));
      // Settled later with the others: no unhandled rejection meanwhile.
      pending.at(-1)!.catch(() => undefined);
    }
    return Promise.allSettled(pending);
  }

  /** Everything checked before a request queues: its department, fees and total. */
  private async prepare(job: IssueJob): Promise<PreparedReceipt | { replay: StoredResponse<Receipt> }> {
    try {
      return { input: job.input, preview: await previewReceipt(this.db, job.input), ctx: job.ctx };
    } catch (err) {
      // A request already answered replays its answer, even if its fees have changed since.
      const answered = job.idempotency ? await storedAnswer<Receipt>(this.db, job.idempotency) : null;
      if (answered) return { replay: answered };
      throw err;
    }
  }

  private enqueue(prepared: PreparedReceipt, job: IssueJob): Promise<StoredResponse<Receipt>> {
    const bulk = job.bulk ?? false;
    if (!bulk && this.waitingAtCounter >= this.options.maxWaiting) {
      return Promise.reject(new AppError('SIGNER_UNAVAILABLE', `every signer is busy and ${this.waitingAtCounter} receipts are waiting; nothing was changed`));
    }
    const key = seriesQueueOf(prepared);
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) {
        queue = { counter: [], bulk: [], running: false };
        this.queues.set(key, queue);
      }
      const waiting: Waiting = { prepared, idempotency: job.idempotency, bulk, resolve, reject };
      if (bulk) queue.bulk.push(waiting);
      else {
        queue.counter.push(waiting);
        this.waitingAtCounter++;
      }
      this.next(key);
    });
  }

  /**
   * Starts the series' next group, unless one is being issued: its counter
   * requests, and batch items after them when no other group of batch items
   * only is being issued.
   */
  private next(key: string): void {
    const queue = this.queues.get(key);
    if (!queue || queue.running) return;
    const counter = queue.counter.splice(0, this.options.maxGroup);
    const bulkOnly = counter.length === 0;
    const group = bulkOnly && this.bulkGroups > 0 ? [] : [...counter, ...queue.bulk.splice(0, this.options.maxGroup - counter.length)];
    if (group.length === 0) {
      if (queue.bulk.length === 0) this.queues.delete(key);
      return;
    }
    this.waitingAtCounter -= counter.length;
    queue.running = true;
    if (bulkOnly) this.bulkGroups++;
    void this.issueAll(group).finally(() => {
      queue.running = false;
      if (bulkOnly) {
        this.bulkGroups--;
        // Another series' batch items may have been waiting for this group to end.
        for (const other of [...this.queues.keys()]) if (other !== key) this.next(other);
      }
      this.next(key);
    });
  }

  /** Issues a group; if it fails, each of its requests on its own. */
  private async issueAll(group: Waiting[]): Promise<void> {
    let outcomes: Array<{ ok: StoredResponse<Receipt> } | { error: unknown }>;
    try {
      outcomes = await this.db.transaction((tx) => this.issueInTransaction(tx, group));
    } catch (err) {
      if (group.length === 1 || (err instanceof AppError && GROUP_WIDE.has(err.code))) {
        for (const one of group) one.reject(err);
        return;
      }
      for (const one of group) await this.issueAll([one]);
      return;
    }
    // Answered only after the commit: a receipt is never reported that a rollback could undo.
    outcomes.forEach((outcome, i) => {
      if ('ok' in outcome) group[i]!.resolve(outcome.ok);
      else group[i]!.reject(outcome.error);
    });
  }

  private async issueInTransaction(tx: Tx, group: Waiting[]): Promise<Array<{ ok: StoredResponse<Receipt> } | { error: unknown }>> {
    const claims = await claimAll<Receipt>(
      tx,
      group.map((w) => w.idempotency),
    );
    const live = group.filter((_, i) => claims[i]!.run);
    const receipts = await issueGroup(
      tx,
      live.map((w) => w.prepared),
      this.deps,
    );
    const issued = new Map(live.map((w, i) => [w, receipts[i]!]));
    await insertStoredResponses(
      tx,
      live.flatMap((w) => (w.idempotency ? [{ scope: w.idempotency.scope, key: w.idempotency.key, requestHash: w.idempotency.hash, status: CREATED, body: issued.get(w) }] : [])),
    );
    return group.map((w, i) => {
      const claim = claims[i]!;
      if (claim.run) return { ok: { status: CREATED, body: issued.get(w)!, replayed: false } };
      return 'replay' in claim ? { ok: claim.replay } : { error: claim.error };
    });
  }
}
