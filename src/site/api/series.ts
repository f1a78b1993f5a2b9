// A subject's stats rows as the API's zero-filled series: every month from its first monthly
// row through ValidThru's month, every year from its first row through ValidThru's year.
import { dateParts } from "../../domain/dates.js";
import type { IsoDate, PeriodCounts } from "../../domain/types.js";
import { monthIndex } from "../scores.js";

export interface MonthPoint {
  readonly month: string;
  readonly downloads: number;
  readonly distinctIPs: number;
}

export interface YearPoint {
  readonly year: number;
  readonly downloads: number;
  readonly distinctIPs: number;
}

/** `YYYY-MM` of a month index (`year * 12 + month - 1`). */
export function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${year}-${month < 10 ? "0" : ""}${month}`;
}

/**
 * Ascending, one point a month from the first monthly row to ValidThru's month (or the last
 * row's, should a row lie beyond it), months without a row as zeros. Empty without monthly rows.
 * `span`: rows whose months the series covers as well (a filtered series spans its legacy one's
 * months, so that the two line up point for point).
 */
export function monthlySeries(rows: readonly PeriodCounts[], validThru: IsoDate, span: readonly PeriodCounts[] = []): MonthPoint[] {
  const { year, month } = dateParts(validThru);
  let first = Infinity;
  let last = monthIndex(year, month);
  for (const list of [rows, span]) {
    for (const r of list) {
      if (r.month === null) continue;
      const m = monthIndex(r.year, r.month);
      if (m < first) first = m;
      if (m > last) last = m;
    }
  }
  if (first === Infinity) return [];
  const downloads = new Array<number>(last - first + 1).fill(0);
  const ips = new Array<number>(last - first + 1).fill(0);
  for (const r of rows) {
    if (r.month === null) continue;
    const i = monthIndex(r.year, r.month) - first;
    downloads[i] = r.downloads;
    ips[i] = r.ips;
  }
  return downloads.map((d, i) => ({ month: monthLabel(first + i), downloads: d, distinctIPs: ips[i]! }));
}

/**
 * Ascending, one point a year from the first year with a row to ValidThru's year (or the last
 * row's), from the yearly rows (distinct IPs over the year, not summed months); zeros for
 * years without a yearly row. Empty without rows. `span` as for monthlySeries.
 */
export function yearlySeries(rows: readonly PeriodCounts[], validThru: IsoDate, span: readonly PeriodCounts[] = []): YearPoint[] {
  if (rows.length === 0 && span.length === 0) return [];
  let first = Infinity;
  let last = dateParts(validThru).year;
  for (const list of [rows, span]) {
    for (const r of list) {
      if (r.year < first) first = r.year;
      if (r.year > last) last = r.year;
    }
  }
  const points = Array.from({ length: last - first + 1 }, (_, i) => ({ year: first + i, downloads: 0, distinctIPs: 0 }));
  for (const r of rows) {
    if (r.month !== null) continue;
    const p = points[r.year - first]!;
    p.downloads = r.downloads;
    p.distinctIPs = r.ips;
  }
  return points;
}

/** Sum of the yearly rows' downloads. */
export function totalDownloads(rows: readonly PeriodCounts[]): number {
  let sum = 0;
  for (const r of rows) if (r.month === null) sum += r.downloads;
  return sum;
}

/** The same text as JSON.stringify of the points, without an object per point on the way. */
export function seriesJson(points: ReadonlyArray<MonthPoint | YearPoint>): string {
  let s = "[";
  for (const p of points) {
    if (s.length > 1) s += ",";
    s += "month" in p ? `{"month":"${p.month}"` : `{"year":${p.year}`;
    s += `,"downloads":${p.downloads},"distinctIPs":${p.distinctIPs}}`;
  }
  return s + "]";
}
