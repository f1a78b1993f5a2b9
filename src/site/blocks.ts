import type { PeriodCounts, Year } from "../domain/types.js";

/**
 * The year/month block of one subject (a package or a whole category): every month of every
 * year from the first to the last year present, zero-filled, newest year first, Jan..Dec then
 * the yearly total. A year inside the span with no rows at all gets 12 zero months and no
 * total; that is what the live server does, and scripts in the wild parse exactly that.
 */
export function fillYearBlock(rows: readonly PeriodCounts[]): PeriodCounts[] {
  if (rows.length === 0) return [];
  const byKey = new Map<number, PeriodCounts>();
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const r of rows) {
    byKey.set(r.year * 13 + (r.month ?? 0), r);
    if (r.year < y0) y0 = r.year;
    if (r.year > y1) y1 = r.year;
  }
  const out: PeriodCounts[] = [];
  for (let year = y1; year >= y0; year--) {
    for (let month = 1; month <= 12; month++) {
      out.push(byKey.get(year * 13 + month) ?? { year, month, ips: 0, downloads: 0 });
    }
    const total = byKey.get(year * 13);
    if (total) out.push(total);
  }
  return out;
}

/** The years that have at least one row, newest first. */
export function yearsWithRows(rows: readonly PeriodCounts[]): Year[] {
  return [...new Set(rows.map((r) => r.year))].sort((a, b) => b - a);
}

export function rowsOfYear(rows: readonly PeriodCounts[], year: Year): PeriodCounts[] {
  return rows.filter((r) => r.year === year);
}
