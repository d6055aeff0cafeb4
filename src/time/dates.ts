import { z } from 'zod';

/**
 * A calendar date YYYY-MM-DD that exists: 2026-02-30 is refused (Date.parse
 * would quietly read it as 2 March), and so is a year outside 2000–2999 (no
 * receipt is dated there, and PostgreSQL has no year 0000). Every date a
 * route takes is one of these.
 */
export const isoDate = z
  .string()
  .regex(/^2\d{3}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD in the years 2000–2999')
  .refine((d) => {
    const at = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(d);
  }, 'is not a calendar date');

/** The day `n` working days (Monday–Friday; public holidays are not known here) after `date`. */
export function addWorkingDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

export { addDays, dmy } from './calendar.ts';
