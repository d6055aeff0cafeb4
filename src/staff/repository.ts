import { randomUUID } from 'node:crypto';
import type { Queryable, Tx } from '../db/db.ts';
import type { StaffMember } from './schemas.ts';

interface StaffRow {
  id: string;
  name: string;
  created_at: Date;
  disabled_at: Date | null;
}

export const staffView = (r: StaffRow): StaffMember => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  disabledAt: r.disabled_at?.toISOString() ?? null,
});

export async function insertStaff(db: Queryable, name: string): Promise<StaffMember> {
  const { rows } = await db.query<StaffRow>('INSERT INTO staff (id, name) VALUES ($1, $2) RETURNING *', [randomUUID(), name]);
  return staffView(rows[0]!);
}

export async function getStaff(db: Queryable, id: string): Promise<StaffMember | null> {
  const { rows } = await db.query<StaffRow>('SELECT * FROM staff WHERE id = $1::uuid', [id]);
  return rows[0] ? staffView(rows[0]) : null;
}

/** Every staff member: a center has tens of people, so names are compared in the service, not in SQL. */
export async function allStaff(db: Queryable): Promise<StaffMember[]> {
  const { rows } = await db.query<StaffRow>('SELECT * FROM staff ORDER BY created_at, id');
  return rows.map(staffView);
}

/**
 * Serialises creating people: two admins adding "Nguyễn Văn An" at the same
 * moment must not make two people of one.
 */
export async function lockStaff(db: Tx): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('staff'))");
}

/** Disables a person (now) or enables them again (null); null when there is no such person. */
export async function setStaffDisabled(db: Tx, id: string, disabledAt: Date | null): Promise<StaffMember | null> {
  const { rows } = await db.query<StaffRow>('UPDATE staff SET disabled_at = $2 WHERE id = $1::uuid RETURNING *', [id, disabledAt]);
  return rows[0] ? staffView(rows[0]) : null;
}

/** Ends every console session of a person's logins (they are disabled): enabling them again does not bring the sessions back. */
export async function endSessionsOfStaff(db: Tx, staffId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query('UPDATE staff_sessions SET ended_at = $2 WHERE ended_at IS NULL AND login_id IN (SELECT id FROM staff_logins WHERE staff_id = $1::uuid)', [staffId, now]);
  return rowCount ?? 0;
}
