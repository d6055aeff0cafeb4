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

/** The instant a Vietnamese calendar day starts (00:00 in Vietnam). */
export function vietnamDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+07:00`));
}

/** The instant after a Vietnamese calendar day ends. */
export function vietnamDayEnd(date: string): Date {
  return new Date(vietnamDayStart(date).getTime() + 24 * 3600 * 1000);
}
