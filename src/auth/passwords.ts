import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/**
 * Passwords of people at the console: argon2id (the library's defaults,
 * 19 MiB, 2 passes, OWASP's recommended minimum), in the PHC string form so
 * the parameters travel with each hash and can be raised later.
 */
export const hashPassword = (password: string): Promise<string> => hash(password);

/** Whether `password` matches; a malformed stored hash is a mismatch, never an exception. */
export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | null = null;
/**
 * Spends the time of one verification against a hash nobody's password
 * matches: an unknown username takes as long to refuse as a wrong password,
 * so timing does not tell which usernames exist.
 */
export async function spendVerification(password: string): Promise<void> {
  decoy ??= hashPassword(`decoy-${randomInt(2 ** 40)}`);
  await passwordMatches(await decoy, password);
}

export const MIN_PASSWORD = 10;
export const passwordSchema = z.string().min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`).max(200, 'must be at most 200 characters').describe(`At least ${MIN_PASSWORD} characters`);

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'must be 2–40 lower-case letters, digits, . _ or -, starting with a letter or digit');

/** Letters and digits that cannot be misread on a slip of paper (no 0/o, 1/l/i). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A password an admin hands over (a new login, a reset): 15 readable characters in three groups, ~74 bits. */
export function temporaryPassword(): string {
  const groups = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => READABLE[randomInt(READABLE.length)]).join(''));
  return groups.join('-');
}
