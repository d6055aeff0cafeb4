import type { Queryable } from '../db/db.ts';
import { AppError } from '../http/errors.ts';
import { getDepartment } from './repository.ts';
import type { Department } from './schemas.ts';

/** A department named in a request body or query: unknown is UNKNOWN_DEPARTMENT (422), not a missing resource. */
export async function knownDepartment(db: Queryable, code: string): Promise<Department> {
  const department = await getDepartment(db, code);
  if (!department) throw new AppError('UNKNOWN_DEPARTMENT', `no department ${code}`);
  return department;
}
