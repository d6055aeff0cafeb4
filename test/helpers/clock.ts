import { vietnamDate, vietnamYear } from '../../src/time/vietnam.ts';

/** A clock a test moves by hand: Vietnam noon of a given day. */
export class TestClock {
  private at: Date;
  constructor(date: string) {
    this.at = new Date(`${date}T12:00:00+07:00`);
  }
  now = (): Date => new Date(this.at.getTime());
  set(date: string, time = '12:00:00'): void {
    this.at = new Date(`${date}T${time}+07:00`);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
  get date(): string {
    return vietnamDate(this.at);
  }
}

/** A day of the current year (series are valid only in their own year). */
export function dayOfThisYear(monthDay: string): string {
  return `${vietnamYear(new Date())}-${monthDay}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
