import { createHash } from 'node:crypto';
import type { Queryable, Tx } from '../db/db.ts';
import { canonicalJson } from '../text/canonical-json.ts';
import { chainHead, EVENTS_PAGE, eventsFrom, insertAuditEvents, lastEventBefore, lockAuditChain } from './repository.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  keyId: string | null;
  name: string;
  /** The person behind the key, when there is one. */
  staffId?: string | null;
}

export interface AuditEventInput {
  actor: Actor;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorKey: string | null;
  /** The staff member behind the key (absent for the system, the CLI and events before staff existed). */
  actorStaff?: string | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** hash = SHA-256(previous hash, newline, the event's fields as canonical JSON). */
export function eventHash(e: Omit<AuditEvent, 'hash'>): string {
  const body = canonicalJson({
    // actorStaff is left out when absent, so events made before it existed keep their hash.
    seq: e.seq,
    at: e.at,
    actorKey: e.actorKey,
    actorStaff: e.actorStaff ?? undefined,
    actor: e.actor,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    details: e.details,
  });
  return createHash('sha256').update(`${e.prevHash}\n${body}`).digest('hex');
}

/**
 * Appends an event in the caller's transaction, so the event exists exactly
 * when the change it records does. The chain lock is taken here, at the end
 * of the transaction's work, and held only until its commit.
 */
export async function appendEvent(tx: Tx, input: AuditEventInput, at: Date): Promise<AuditEvent> {
  const [appended] = await appendEvents(tx, [{ input, at }]);
  return appended!;
}

/**
 * Appends several events, in order, under one take of the chain lock and in
 * one insert: how a group of receipts issued in one transaction is recorded.
 */
export async function appendEvents(tx: Tx, events: ReadonlyArray<{ input: AuditEventInput; at: Date }>): Promise<AuditEvent[]> {
  if (events.length === 0) return [];
  // Two statements on purpose: a statement's snapshot is taken before it waits
  // for the lock, so reading the head in the locking statement would miss the
  // event committed by the transaction it waited for.
  await lockAuditChain(tx);
  const head = await chainHead(tx);
  let seq = head ? Number(head.seq) : 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const appended = events.map(({ input, at }) => {
    const event: Omit<AuditEvent, 'hash'> = {
      seq: ++seq,
      at: at.toISOString(),
      actorKey: input.actor.keyId,
      actorStaff: input.actor.staffId ?? null,
      actor: input.actor.name,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
      prevHash,
    };
    const withHash = { ...event, hash: eventHash(event) };
    prevHash = withHash.hash;
    return withHash;
  });
  await insertAuditEvents(
    tx,
    appended.map((event, i) => ({ event, at: events[i]!.at })),
  );
  return appended;
}

export interface ChainVerification {
  valid: boolean;
  events: number;
  head: { seq: number; hash: string };
  firstBroken: { seq: number; reason: string } | null;
}

/** Recomputes the whole chain, page by page, and names the first event where it breaks. */
export async function verifyChain(db: Queryable): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const events = await eventsFrom(db, expectedSeq);
    for (const e of events) {
      const broken = (seq: number, reason: string): ChainVerification => ({
        valid: false,
        events: count,
        head: { seq: expectedSeq - 1, hash: prevHash },
        firstBroken: { seq, reason },
      });
      if (e.seq !== expectedSeq) return broken(expectedSeq, `event ${expectedSeq} is missing: the chain jumps to ${e.seq}`);
      if (e.prevHash !== prevHash) return broken(e.seq, `its previous hash does not match event ${e.seq - 1}`);
      if (eventHash(e) !== e.hash) return broken(e.seq, 'its content does not match its hash: the event was altered');
      prevHash = e.hash;
      expectedSeq++;
      count++;
    }
    if (events.length < EVENTS_PAGE) break;
  }
  return { valid: true, events: count, head: { seq: expectedSeq - 1, hash: prevHash }, firstBroken: null };
}

/** The last event before an instant: what a signed document pins. */
export async function headAt(db: Queryable, before: Date): Promise<{ seq: number; hash: string }> {
  const last = await lastEventBefore(db, before);
  return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
}
