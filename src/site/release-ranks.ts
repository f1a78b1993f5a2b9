// The rank a rank badge shows: "rank R / N" among the N packages of the category that are in the
// current release. R is the category page's rank (scores.ts: SQL rank() over the score window's
// sum of monthly distinct IPs, descending; ties share a rank and the next rank skips) computed
// over those packages only, so packages removed from the release neither count in N nor push a
// live package down; the packages without a score share the last rank, one after the scored.
import { categoryOfDb, type CategoryKey } from "../domain/categories.js";
import { decodeRelease } from "../domain/release.js";
import type { PackageName } from "../domain/types.js";
import { NO_PERIOD_ROWS, type PeriodRows, type SiteData } from "./model.js";
import type { ReleaseRank } from "./badges.js";
import { computeScores } from "./scores.js";

/** Per category key, the rank of each of its packages in the current release. */
export function releaseRanks(data: SiteData): ReadonlyMap<CategoryKey, ReadonlyMap<PackageName, ReleaseRank>> {
  const out = new Map<CategoryKey, Map<PackageName, ReleaseRank>>();
  for (const cd of data.categories) {
    // "In the current release" as the API's inCurrentRelease says it
    const current = data.packages.filter((p) => categoryOfDb(p.category) === cd.category && decodeRelease(p.lastVersion) === null).map((p) => p.name);
    const rows = new Map<PackageName, PeriodRows>();
    for (const name of current) rows.set(name, cd.packages.get(name) ?? NO_PERIOD_ROWS);
    const scored = new Map(computeScores(rows, data.validThru).map((s) => [s.name, s.rank]));
    const of = current.length;
    out.set(cd.category.key, new Map(current.map((name) => [name, { rank: scored.get(name) ?? scored.size + 1, of }])));
  }
  return out;
}
