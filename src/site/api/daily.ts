// The daily series: a package's or a category's 365 days ending at ValidThru (every day, zeros
// included), and downloads over the last n days, from the model's DailyRows.
import { dateOfDayNumber, dayNumber, lastYearDays } from "../../domain/dates.js";
import type { IsoDate } from "../../domain/types.js";
import type { DailyRows } from "../model.js";

/** The first index of `rows` whose day is `day` or later (rows ascending by day). */
export function firstRowFrom(rows: DailyRows, day: number): number {
  let lo = 0;
  let hi = rows.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid * 3]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Downloads over the `days` days ending at ValidThru. */
export function downloadsOfLastDays(rows: DailyRows, validThru: IsoDate, days: number): number {
  const last = dayNumber(validThru);
  let sum = 0;
  for (let i = firstRowFrom(rows, last - days + 1) * 3; i < rows.length && rows[i]! <= last; i += 3) sum += rows[i + 1]!;
  return sum;
}

const labels = new Map<number, string>();
function label(day: number): string {
  let s = labels.get(day);
  if (s === undefined) labels.set(day, (s = dateOfDayNumber(day)));
  return s;
}

/**
 * `[{"day":"2025-06-17","downloads":N,"distinctIPs":N},…]` for every day of lastYearDays,
 * ascending, as JSON text (6,000 packages × 365 days: no object per day on the way).
 */
export function dailySeriesJson(rows: DailyRows, validThru: IsoDate): string {
  const { from } = lastYearDays(validThru);
  const first = dayNumber(from);
  const last = dayNumber(validThru);
  let i = firstRowFrom(rows, first) * 3;
  let s = "[";
  for (let day = first; day <= last; day++) {
    let downloads = 0;
    let ips = 0;
    if (i < rows.length && rows[i] === day) {
      downloads = rows[i + 1]!;
      ips = rows[i + 2]!;
      i += 3;
    }
    s += `${day === first ? "" : ","}{"day":"${label(day)}","downloads":${downloads},"distinctIPs":${ips}}`;
  }
  return s + "]";
}
