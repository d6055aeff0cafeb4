import type { Queryable } from '../db/db.ts';
import { dayReceiptTotals } from './repository.ts';

/**
 * What a summary lists against the day's receipts of its department: a first
 * summary lists every one exactly once, a supplement only receipts of that
 * day; each at its total. Null when they agree.
 */
export async function summaryCompleteness(
  db: Queryable,
  q: { date: string; department?: string; supplement?: number },
  listed: Array<{ template: string; series: string; number: number; total: number }>,
): Promise<string | null> {
  const key = (r: { template: string; series: string; number: number }) => `${r.template} ${r.series} ${r.number}`;
  const rows = await dayReceiptTotals(db, q.date, q.department);
  const day = new Map(rows.map((r) => [key(r), r.total]));
  const seen = new Set<string>();
  for (const r of listed) {
    const k = key(r);
    if (seen.has(k)) return `lists receipt ${k} twice`;
    seen.add(k);
    if (!day.has(k)) return `lists receipt ${k}, which is not a receipt of ${q.date}${q.department ? ` of ${q.department}` : ''}`;
    if (day.get(k) !== r.total) return `lists receipt ${k} at ${r.total} VND; the record says ${day.get(k)}`;
  }
  if ((q.supplement ?? 0) > 0) return null;
  const missing = [...day.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0) return `leaves out ${missing.length} receipt(s) of ${q.date}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`;
  return null;
}
