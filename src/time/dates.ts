import { z } from 'zod';

/**
 * A calendar date YYYY-MM-DD that exists: 2026-02-30 is refused (Date.parse
 * would quietly read it as 2 March). Every date a route takes is one of these.
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const at = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(d);
  }, 'is not a calendar date');
