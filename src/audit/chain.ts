import { createHash } from 'node:crypto';
import type { Queryable, Tx } from '../db/db.ts';
import { canonicalJson } from '../text/canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);
// Any constant: the one lock that orders the chain.
const CHAIN_LOCK = 482_611_004;

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
  // Two statements on purpose: a statement's snapshot is taken before it waits
  // for the lock, so reading the head in the locking statement would miss the
  // event committed by the transaction it waited for.
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const head = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const prev = head.rows[0];
  const event: Omit<AuditEvent, 'hash'> = {
    seq: (prev ? Number(prev.seq) : 0) + 1,
    at: at.toISOString(),
    actorKey: input.actor.keyId,
    actorStaff: input.actor.staffId ?? null,
    actor: input.actor.name,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
    prevHash: prev?.hash ?? GENESIS_HASH,
  };
  const hash = eventHash(event);
  await tx.query(
    `INSERT INTO audit_events (seq, at, actor_key, actor_staff, actor, action, subject_type, subject_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [event.seq, at, event.actorKey, event.actorStaff ?? null, event.actor, event.action, event.subjectType, event.subjectId, JSON.stringify(event.details), event.prevHash, hash],
  );
  return { ...event, hash };
}

interface EventRow {
  seq: number;
  at: Date;
  actor_key: string | null;
  actor_staff: string | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const eventView = (r: EventRow): AuditEvent => ({
  seq: Number(r.seq),
  at: r.at.toISOString(),
  actorKey: r.actor_key,
  actorStaff: r.actor_staff,
  actor: r.actor,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export async function listEvents(db: Queryable, f: { action?: string; subjectType?: string; subjectId?: string; from?: Date; to?: Date; afterSeq?: number; limit: number }): Promise<AuditEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT * FROM audit_events
      WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR subject_type = $2) AND ($3::text IS NULL OR subject_id = $3)
        AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5) AND ($6::bigint IS NULL OR seq > $6)
      ORDER BY seq LIMIT $7`,
    [f.action ?? null, f.subjectType ?? null, f.subjectId ?? null, f.from ?? null, f.to ?? null, f.afterSeq ?? null, f.limit],
  );
  return rows.map(eventView);
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
    const { rows } = await db.query<EventRow>('SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT 1000', [expectedSeq]);
    for (const row of rows) {
      const e = eventView(row);
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
    if (rows.length < 1000) break;
  }
  return { valid: true, events: count, head: { seq: expectedSeq - 1, hash: prevHash }, firstBroken: null };
}

/** The last event before an instant: what a signed document pins. */
export async function headAt(db: Queryable, before: Date): Promise<{ seq: number; hash: string }> {
  const { rows } = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_events WHERE at < $1 ORDER BY seq DESC LIMIT 1', [before]);
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : { seq: 0, hash: GENESIS_HASH };
}
