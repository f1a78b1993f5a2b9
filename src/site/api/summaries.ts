// What every API file shares: one PackageSummary per package of the four categories, in
// collation order, with the category pages' scores and ranks.
import { CATEGORIES, categoryOfDb, type Category, type CategoryKey } from "../../domain/categories.js";
import { compareCollation } from "../../domain/order.js";
import type { IsoDate, PackageName } from "../../domain/types.js";
import { lastThirtyDays } from "../../domain/dates.js";
import { NO_DAILY_ROWS, NO_PERIOD_ROWS, periodCounts, type DailyRows, type PeriodRows, type SiteData } from "../model.js";
import { downloadsOfLastDays } from "./daily.js";
import { NO_FILTERED, type FilteredSeries } from "./filtered.js";
import { scoreWindow, type Score } from "../scores.js";
import { monthLabel, totalDownloads } from "./series.js";
import { decodeRelease } from "../../domain/release.js";
import type { ReleaseRank } from "../badges.js";
import { releaseRanks } from "../release-ranks.js";

/** Of packages.json and the export's index: 2 since the badges (`releaseRank`, `badges`) and the daily series (`daily`, `lastDay`, `lastWeek`, `lastMonth`, the daily export). */
export const SCHEMA_VERSION = 2;
/** Of packages/KEY/PKG.json and categories/KEY.json: 3 since the counts without crawlers and repeats (`filtered`). */
export const SUBJECT_SCHEMA_VERSION = 3;
export const API_ROOT = "api/v1";

export interface PackageSummary {
  readonly name: string;
  readonly category: CategoryKey;
  readonly firstVersion: string | null;
  readonly lastVersion: string | null;
  readonly inCurrentRelease: boolean;
  readonly score: number | null;
  readonly rank: number | null;
  readonly totalDownloads: number;
  readonly last30Days: { readonly downloads: number; readonly distinctIPs: number };
  /** Downloads over the 1, 7 and 30 days ending at ValidThru (cranlogs' names), from the daily rows. */
  readonly lastDay: number;
  readonly lastWeek: number;
  readonly lastMonth: number;
  readonly page: string | null;
  readonly json: string;
}

export interface ApiPackage {
  readonly summary: PackageSummary;
  readonly category: Category;
  /** Its stats rows, packed and unordered; empty when it has none. */
  readonly rows: PeriodRows;
  /** Its rank badge's rank; null when it is not in the current release. */
  readonly releaseRank: ReleaseRank | null;
  /** Its days with downloads; empty when it has none. */
  readonly daily: DailyRows;
  /** Its counts without crawlers and repeats; empty when it has none (or ApiContext has no crawlerPackages). */
  readonly filtered: FilteredSeries;
}

export interface ApiContext {
  readonly lastUpdatedOn: IsoDate;
  readonly validThru: IsoDate;
  readonly scoreWindow: { readonly from: string; readonly to: string };
  readonly last30Days: { readonly from: IsoDate; readonly to: IsoDate };
  /** Collation order of the name, then category key. */
  readonly packages: readonly ApiPackage[];
  /** K of the counts without crawlers and repeats; null: the files say `"filtered": null`. */
  readonly crawlerPackages: number | null;
}

const KEY_ORDER = new Map(CATEGORIES.map((c, i) => [c.key, i]));

/** The order of the API's packages (ApiContext.packages, the daily export): collation order of the name, then the categories' order. */
export function compareApiOrder(name: string, key: CategoryKey, otherName: string, otherKey: CategoryKey): number {
  return compareCollation(name, otherName) || KEY_ORDER.get(key)! - KEY_ORDER.get(otherKey)!;
}

export const packageJsonPath = (key: CategoryKey, name: string): string => `${API_ROOT}/packages/${key}/${name}.json`;

export function scoreWindowLabels(validThru: IsoDate): { from: string; to: string } {
  const w = scoreWindow(validThru);
  return { from: monthLabel(w.first), to: monthLabel(w.last) };
}

/**
 * Every row of `packages` whose category is one of the four (planSite has left out the names that
 * cannot be in the site), with its scores from `scores` (per category key, as the
 * category pages compute them).
 */
export function apiContext(data: SiteData, scores: ReadonlyMap<CategoryKey, readonly Score[]>): ApiContext {
  const byCategory = new Map(data.categories.map((cd) => [cd.category.key, cd]));
  const scoreOf = new Map<string, Score>();
  for (const [key, list] of scores) for (const s of list) scoreOf.set(`${key}/${s.name}`, s);
  const ranks = releaseRanks(data);
  const packages: ApiPackage[] = [];
  for (const p of data.packages) {
    const category = categoryOfDb(p.category);
    if (!category) continue;
    const cd = byCategory.get(category.key);
    const rows = cd?.packages.get(p.name) ?? NO_PERIOD_ROWS;
    const n = cd?.last30.get(p.name as PackageName);
    const daily = cd?.daily.get(p.name as PackageName) ?? NO_DAILY_ROWS;
    const filtered = cd?.filtered;
    const s = scoreOf.get(`${category.key}/${p.name}`);
    const lastVersion = decodeRelease(p.lastVersion);
    packages.push({
      category,
      rows,
      releaseRank: ranks.get(category.key)?.get(p.name) ?? null,
      daily,
      filtered: filtered
        ? { rows: filtered.packages.get(p.name as PackageName) ?? NO_FILTERED.rows, daily: filtered.daily.get(p.name as PackageName) ?? NO_DAILY_ROWS }
        : NO_FILTERED,
      summary: {
        name: p.name,
        category: category.key,
        firstVersion: decodeRelease(p.firstVersion),
        lastVersion,
        inCurrentRelease: lastVersion === null,
        score: s?.score ?? null,
        rank: s?.rank ?? null,
        totalDownloads: totalDownloads(periodCounts(rows)),
        last30Days: { downloads: n?.downloads ?? 0, distinctIPs: n?.ips ?? 0 },
        lastDay: downloadsOfLastDays(daily, data.validThru, 1),
        lastWeek: downloadsOfLastDays(daily, data.validThru, 7),
        lastMonth: downloadsOfLastDays(daily, data.validThru, 30),
        page: rows.length > 0 ? `${category.key}/${p.name}/` : null,
        json: packageJsonPath(category.key, p.name),
      },
    });
  }
  packages.sort((a, b) => compareApiOrder(a.summary.name, a.category.key, b.summary.name, b.category.key));
  return {
    lastUpdatedOn: data.validThru,
    validThru: data.validThru,
    scoreWindow: scoreWindowLabels(data.validThru),
    last30Days: lastThirtyDays(data.validThru),
    packages,
    crawlerPackages: data.crawlerPackages ?? null,
  };
}
