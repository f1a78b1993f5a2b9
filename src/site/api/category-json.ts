// api/v1/categories/KEY.json: a category's combined series (categorystats, webstats_category_daily),
// the same without crawlers and repeats, and its top list.
import type { Category } from "../../domain/categories.js";
import type { PeriodCounts } from "../../domain/types.js";
import { topByRank, type Score } from "../scores.js";
import { monthlySeries, yearlySeries } from "./series.js";
import type { DailyRows } from "../model.js";
import { dailySeriesJson } from "./daily.js";
import { filteredJson, type FilteredSeries } from "./filtered.js";
import { SUBJECT_SCHEMA_VERSION, type ApiContext } from "./summaries.js";

export function renderCategoryJson(
  ctx: ApiContext,
  category: Category,
  combined: readonly PeriodCounts[],
  combinedDaily: DailyRows,
  filtered: FilteredSeries,
  scores: readonly Score[],
): string {
  let packageCount = 0;
  for (const p of ctx.packages) if (p.category.key === category.key) packageCount++;
  const json = JSON.stringify({
    schemaVersion: SUBJECT_SCHEMA_VERSION,
    lastUpdatedOn: ctx.lastUpdatedOn,
    category: category.key,
    label: category.label,
    packageCount,
    scoreWindow: ctx.scoreWindow,
    top: topByRank(scores, category.topN).map((s) => ({ rank: s.rank, name: s.name, score: s.score })),
    monthly: monthlySeries(combined, ctx.validThru),
    yearly: yearlySeries(combined, ctx.validThru),
  });
  return `${json.slice(0, -1)},"daily":${dailySeriesJson(combinedDaily, ctx.validThru)},"filtered":${filteredJson(ctx.crawlerPackages, ctx.validThru, combined, filtered)}}`;
}
