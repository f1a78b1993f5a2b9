// The `filtered` member of a package's or a category's file: the same monthly, yearly and daily
// series counted without crawlers and repeats (summaries/crawlers.ts has the rules), with the K
// they were counted with and the rules in words; null when the build had no trustworthy
// filtered counts (SiteData.crawlerPackages).
import type { IsoDate, PeriodCounts } from "../../domain/types.js";
import { NO_DAILY_ROWS, NO_PERIOD_ROWS, periodCounts, type DailyRows, type PeriodRows } from "../model.js";
import { dailySeriesJson } from "./daily.js";
import { monthlySeries, seriesJson, yearlySeries } from "./series.js";

/** A subject's counts without crawlers and repeats: its filtered stats rows, its filtered days of the API's year. */
export interface FilteredSeries {
  readonly rows: PeriodRows;
  readonly daily: DailyRows;
}

export const NO_FILTERED: FilteredSeries = { rows: NO_PERIOD_ROWS, daily: NO_DAILY_ROWS };

/** The rules, as the file says them. */
export function filterRule(crawlerPackages: number): string {
  return (
    `An IP that downloads more than ${crawlerPackages} distinct packages on one day is taken for a crawler or mirror, and none of its downloads that day count; ` +
    "repeated downloads of one package by one IP on one day count once."
  );
}

/**
 * `{"crawlerPackages":K,"rule":"…","monthly":[…],"yearly":[…],"daily":[…]}` as JSON text, the
 * series spanning the legacy ones' months and years (`legacy`: the subject's stats rows), or
 * `null`.
 */
export function filteredJson(crawlerPackages: number | null, validThru: IsoDate, legacy: readonly PeriodCounts[], filtered: FilteredSeries): string {
  if (crawlerPackages === null) return "null";
  const rows = periodCounts(filtered.rows);
  return (
    `{"crawlerPackages":${crawlerPackages},"rule":${JSON.stringify(filterRule(crawlerPackages))}` +
    `,"monthly":${seriesJson(monthlySeries(rows, validThru, legacy))},"yearly":${seriesJson(yearlySeries(rows, validThru, legacy))}` +
    `,"daily":${dailySeriesJson(filtered.daily, validThru)}}`
  );
}
