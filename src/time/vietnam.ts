/**
 * Vietnam time is UTC+7 all year (no daylight saving). Receipt dates, years
 * of series and report days are Vietnamese calendar dates.
 */
const OFFSET_MS = 7 * 3600 * 1000;

/** YYYY-MM-DD of the instant in Vietnam. */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function vietnamYear(at: Date): number {
  return Number(vietnamDate(at).slice(0, 4));
}

/** The instant as Vietnam local time, whole seconds, no offset: YYYY-MM-DDThh:mm:ss (the tax authority's date-time form). */
export function vietnamLocalTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19);
}

/** The instant cut to its whole second: what a SigningTime can say of it. */
export function wholeSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/** Reads YYYY-MM-DDThh:mm:ss as Vietnam local time; null for any other form. */
export function parseVietnamLocalTime(s: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(s)) return null;
  const at = new Date(`${s}+07:00`);
  return Number.isNaN(at.getTime()) || vietnamLocalTime(at) !== s ? null : at;
}

/** The instant a Vietnamese calendar day starts (00:00 in Vietnam). */
export function vietnamDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+07:00`));
}

/** The instant after a Vietnamese calendar day ends. */
export function vietnamDayEnd(date: string): Date {
  return new Date(vietnamDayStart(date).getTime() + 24 * 3600 * 1000);
}
