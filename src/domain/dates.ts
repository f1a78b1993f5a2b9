import type { IsoDate, MonthNumber, Year } from "./types.js";

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const DAY_ABBR = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** Returns the date if `s` is a real calendar date `YYYY-MM-DD`, else null. */
export function parseIsoDate(s: string): IsoDate | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return s as IsoDate;
}

export function toIsoDate(t: Date): IsoDate {
  return t.toISOString().slice(0, 10) as IsoDate;
}

export function isoDate(year: Year, month: MonthNumber, day: number): IsoDate {
  return toIsoDate(new Date(Date.UTC(year, month - 1, day)));
}

export function dateParts(d: IsoDate): { year: Year; month: MonthNumber; day: number } {
  return { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) };
}

/** The first day of d's month. */
export function monthStart(d: IsoDate): IsoDate {
  const { year, month } = dateParts(d);
  return isoDate(year, month, 1);
}

/** The first day of the month after d's (December's: January of the next year). */
export function nextMonthStart(d: IsoDate): IsoDate {
  const { year, month } = dateParts(d);
  return isoDate(year, month + 1, 1);
}

export function addDays(d: IsoDate, days: number): IsoDate {
  const { year, month, day } = dateParts(d);
  return isoDate(year, month, day + days);
}

export function monthAbbr(month: MonthNumber): string {
  const s = MONTH_ABBR[month - 1];
  if (!s) throw new RangeError(`month out of range: ${month}`);
  return s;
}

/** `Tue. 17 Jun 2025`: the live site's "Data as of" format (strftime `%a. %d %b %Y`). */
export function formatDataAsOf(d: IsoDate): string {
  const { year, month, day } = dateParts(d);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${DAY_ABBR[weekday]}. ${String(day).padStart(2, "0")} ${monthAbbr(month)} ${year}`;
}

/** The days the "last 30 days" figures cover: ValidThru-29 .. ValidThru, both included. */
export function lastThirtyDays(validThru: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: addDays(validThru, -29), to: validThru };
}

/** The days of a package's and a category's `daily` series: ValidThru-364 .. ValidThru, both included. */
export function lastYearDays(validThru: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: addDays(validThru, -364), to: validThru };
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01: a date as one integer (the site model's daily rows). */
export function dayNumber(d: IsoDate): number {
  const { year, month, day } = dateParts(d);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dateOfDayNumber(n: number): IsoDate {
  return toIsoDate(new Date(n * DAY_MS));
}
