import type { Queryable, Tx } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { appendEvent, type Actor } from '../audit/chain.ts';
import { nameSkeleton } from './names.ts';
import * as repo from './repository.ts';
import type { StaffMember } from './schemas.ts';

/** The staff members whose names could be `name` typed again. */
export async function lookAlikes(db: Tx, name: string): Promise<StaffMember[]> {
  const skeleton = nameSkeleton(name);
  return (await repo.allStaff(db)).filter((s) => nameSkeleton(s.name) === skeleton);
}

const list = (people: StaffMember[]) => people.map((p) => `"${p.name}" (${p.id})`).join(', ');

/**
 * Adds a person. Separation of duties compares people, so a second record of
 * one person would let them approve their own request: a name that looks
 * like an existing member's (case, accents, spacing, invisible or look-alike
 * characters aside) is refused unless the admin names those members as other
 * people in `distinctFrom`.
 */
export async function createStaff(db: Tx, input: { name: string; distinctFrom?: string[] }, actor: Actor, now: Date): Promise<StaffMember> {
  await repo.lockStaff(db);
  const similar = await lookAlikes(db, input.name);
  const unconfirmed = similar.filter((s) => !input.distinctFrom?.includes(s.id));
  if (unconfirmed.length > 0) {
    throw new AppError('STAFF_NAME_SIMILAR', `${list(unconfirmed)} has a name that looks the same; if this is another person, say so (distinctFrom, or --distinct-from)`, [
      { field: 'body.name', message: `looks like ${list(unconfirmed)}` },
    ]);
  }
  const member = await repo.insertStaff(db, input.name);
  await appendEvent(
    db,
    {
      actor,
      action: 'staff.created',
      subjectType: 'staff',
      subjectId: member.id,
      details: { name: member.name, distinctFrom: input.distinctFrom ?? [] },
    },
    now,
  );
  return member;
}

export async function requireStaff(db: Queryable, id: string): Promise<StaffMember> {
  const member = await repo.getStaff(db, id);
  if (!member) throw new AppError('STAFF_NOT_FOUND', `no staff member ${id}`);
  return member;
}

/**
 * The person a new key belongs to: the one named by id, or else the one
 * whose name looks like `name` (a second key of one person), or else a new
 * person. Two or more look-alike people need the id: the service never guesses.
 */
export async function staffForKey(db: Tx, by: { staffId?: string; name: string }, actor: Actor, now: Date): Promise<StaffMember> {
  if (by.staffId) {
    const member = await requireStaff(db, by.staffId);
    if (member.disabledAt) throw new AppError('STAFF_DISABLED', `staff member "${member.name}" is disabled`);
    return member;
  }
  await repo.lockStaff(db);
  const similar = (await lookAlikes(db, by.name)).filter((s) => !s.disabledAt);
  if (similar.length === 1) return similar[0]!;
  if (similar.length > 1) {
    throw new AppError('STAFF_AMBIGUOUS', `${list(similar)} all have a name like "${by.name}"; give the staff member's id`, [
      { field: 'body.staffId', message: 'required: several staff members have a name like this' },
    ]);
  }
  return createStaff(db, { name: by.name }, actor, now);
}

/**
 * Disables a person, or enables them again. Every key of a disabled person,
 * console logins included, stops at its next request (each request checks),
 * and their console sessions end for good (enabling them again does not
 * revive a session a thief might hold); their past actions stay theirs in
 * the audit trail.
 */
export async function setDisabled(db: Tx, id: string, disabled: boolean, actor: Actor, now: Date): Promise<StaffMember> {
  const before = await requireStaff(db, id);
  if ((before.disabledAt !== null) === disabled) return before;
  const member = (await repo.setStaffDisabled(db, id, disabled ? now : null))!;
  const sessionsEnded = disabled ? await repo.endSessionsOfStaff(db, id, now) : 0;
  await appendEvent(db, { actor, action: disabled ? 'staff.disabled' : 'staff.enabled', subjectType: 'staff', subjectId: id, details: { name: member.name, sessionsEnded } }, now);
  return member;
}
