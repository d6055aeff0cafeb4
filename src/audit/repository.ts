import type { Queryable, Tx } from '../db/db.ts';
import type { AuditEvent } from './chain.ts';

// Any constant: the one lock that orders the chain.
const CHAIN_LOCK = 482_611_004;

/** Takes the chain lock until the transaction ends: appends happen one at a time, each after the last. */
export async function lockAuditChain(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
}

/** The last event of the chain, if any. */
export async function chainHead(db: Queryable): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  return head.rows[0];
}

/** Stores events in one statement; each `at` is the instant its ISO text was made from. */
export async function insertAuditEvents(db: Queryable, events: ReadonlyArray<{ event: AuditEvent; at: Date }>): Promise<void> {
  const column = <T>(pick: (e: AuditEvent, at: Date) => T) => events.map(({ event, at }) => pick(event, at));
  await db.query(
    `INSERT INTO audit_events (seq, at, actor_key, actor_staff, actor, action, subject_type, subject_id, details, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[])`,
    [
      column((e) => e.seq),
      column((_, at) => at),
      column((e) => e.actorKey),
      column((e) => e.actorStaff ?? null),
      column((e) => e.actor),
      column((e) => e.action),
      column((e) => e.subjectType),
      column((e) => e.subjectId),
      column((e) => JSON.stringify(e.details)),
      column((e) => e.prevHash),
      column((e) => e.hash),
    ],
  );
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

const eventView = (r: EventRow): AuditEvent => ({
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

/** Events per page of `eventsFrom`: a page shorter than this is the chain's last. */
export const EVENTS_PAGE = 1000;

/** One page of the chain, from event `fromSeq` on, in order: how verification reads it. */
export async function eventsFrom(db: Queryable, fromSeq: number): Promise<AuditEvent[]> {
  const { rows } = await db.query<EventRow>(`SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT ${EVENTS_PAGE}`, [fromSeq]);
  return rows.map(eventView);
}

/** The last event before an instant, if any. */
export async function lastEventBefore(db: Queryable, before: Date): Promise<{ seq: number; hash: string } | undefined> {
  const { rows } = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_events WHERE at < $1 ORDER BY seq DESC LIMIT 1', [before]);
  return rows[0];
}
