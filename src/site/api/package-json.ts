// api/v1/packages.json (every package, no series) and api/v1/packages/KEY/PKG.json (one
// package with its rank in the release, its badges and its zero-filled monthly, yearly and daily series).
import { badgePaths } from "../badge-files.js";
import type { MonthPoint, YearPoint } from "./series.js";
import { monthlySeries, yearlySeries } from "./series.js";
import type { ApiContext, ApiPackage } from "./summaries.js";
import { SCHEMA_VERSION } from "./summaries.js";
import { dailySeriesJson } from "./daily.js";

export function renderPackagesIndex(ctx: ApiContext): string {
  return JSON.stringify({
    schemaVersion: SCHEMA_VERSION,
    lastUpdatedOn: ctx.lastUpdatedOn,
    scoreWindow: ctx.scoreWindow,
    last30Days: ctx.last30Days,
    packages: ctx.packages.map((p) => p.summary),
  });
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

export function renderPackageJson(ctx: ApiContext, p: ApiPackage): string {
  const head = JSON.stringify({
    schemaVersion: SCHEMA_VERSION,
    lastUpdatedOn: ctx.lastUpdatedOn,
    ...p.summary,
    releaseRank: p.releaseRank,
    badges: badgePaths(p.category.key, p.summary.name),
  });
  return `${head.slice(0, -1)},"monthly":${seriesJson(monthlySeries(p.rows, ctx.validThru))},"yearly":${seriesJson(yearlySeries(p.rows, ctx.validThru))},"daily":${dailySeriesJson(p.daily, ctx.validThru)}}`;
}
