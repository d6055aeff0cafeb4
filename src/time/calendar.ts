/**
 * Calendar days (YYYY-MM-DD) and how they are written: pure arithmetic,
 * shared by the service and the staff console's bundle (no dependency).
 */

/** The calendar day `n` days after `date` (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Day/month/year, as Decree 254 Art. 24.5 wants the date shown. */
export const dmy = (isoDate: string) => isoDate.split('-').reverse().join('/');

/** First and last calendar day of a month YYYY-MM. */
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
