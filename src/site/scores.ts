import { dateParts } from "../domain/dates.js";
import { compareCollation, sortByCollation } from "../domain/order.js";
import type { IsoDate, PackageName } from "../domain/types.js";
import type { PeriodRows } from "./model.js";

export interface Score {
  readonly name: PackageName;
  /** floor(sum of monthly distinct IPs over the window / 12) */
  readonly score: number;
  /** SQL rank() over the window sum, descending: ties share a rank, the next rank skips. */
  readonly rank: number;
}

/** Months are numbered `year * 12 + (month - 1)` so that window arithmetic crosses year ends. */
export interface ScoreWindow {
  readonly first: number;
  readonly last: number;
}

export const monthIndex = (year: number, month: number): number => year * 12 + (month - 1);

/** The 12 complete months before ValidThru's month. */
export function scoreWindow(validThru: IsoDate): ScoreWindow {
  const { year, month } = dateParts(validThru);
  const current = monthIndex(year, month);
  return { first: current - 12, last: current - 1 };
}

/**
 * Download scores of one category's packages, in collation order. Only packages with at least
 * one monthly row inside the window are scored (a score may be 0).
 */
export function computeScores(packages: ReadonlyMap<PackageName, PeriodRows>, validThru: IsoDate): Score[] {
  const { first, last } = scoreWindow(validThru);
  const sums: Array<{ name: PackageName; sum: number }> = [];
  for (const [name, rows] of packages) {
    let sum = 0;
    let seen = false;
    for (let o = 0; o < rows.length; o += 4) {
      if (rows[o + 1] === 0) continue; // a yearly row
      const m = monthIndex(rows[o]!, rows[o + 1]!);
      if (m >= first && m <= last) {
        sum += rows[o + 2]!;
        seen = true;
      }
    }
    if (seen) sums.push({ name, sum });
  }
  const descending = sums.map((s) => s.sum).sort((a, b) => b - a);
  const rankOf = new Map<number, number>();
  descending.forEach((sum, i) => {
    if (!rankOf.has(sum)) rankOf.set(sum, i + 1);
  });
  return sortByCollation(sums, (s) => s.name).map((s) => ({ name: s.name, score: Math.floor(s.sum / 12), rank: rankOf.get(s.sum)! }));
}

/** The first `n` packages by rank, ties in collation order. */
export function topByRank(scores: readonly Score[], n: number): Score[] {
  return [...scores].sort((a, b) => a.rank - b.rank || compareCollation(a.name, b.name)).slice(0, n);
}
