// api/v1/packages.json (every package, no series) and api/v1/packages/KEY/PKG.json (one
// package with its rank in the release, its badges, its zero-filled monthly, yearly and daily
// series, and the same without crawlers and repeats).
import { badgePaths } from "../badge-files.js";
import { periodCounts } from "../model.js";
import { monthlySeries, seriesJson, yearlySeries } from "./series.js";
import type { ApiContext, ApiPackage } from "./summaries.js";
import { SCHEMA_VERSION, SUBJECT_SCHEMA_VERSION } from "./summaries.js";
import { dailySeriesJson } from "./daily.js";
import { filteredJson } from "./filtered.js";

export function renderPackagesIndex(ctx: ApiContext): string {
  return JSON.stringify({
    schemaVersion: SCHEMA_VERSION,
    lastUpdatedOn: ctx.lastUpdatedOn,
    scoreWindow: ctx.scoreWindow,
    last30Days: ctx.last30Days,
    packages: ctx.packages.map((p) => p.summary),
  });
}

export function renderPackageJson(ctx: ApiContext, p: ApiPackage): string {
  const head = JSON.stringify({
    schemaVersion: SUBJECT_SCHEMA_VERSION,
    lastUpdatedOn: ctx.lastUpdatedOn,
    ...p.summary,
    releaseRank: p.releaseRank,
    badges: badgePaths(p.category.key, p.summary.name),
  });
  const rows = periodCounts(p.rows);
  return `${head.slice(0, -1)},"monthly":${seriesJson(monthlySeries(rows, ctx.validThru))},"yearly":${seriesJson(yearlySeries(rows, ctx.validThru))},"daily":${dailySeriesJson(p.daily, ctx.validThru)},"filtered":${filteredJson(ctx.crawlerPackages, ctx.validThru, rows, p.filtered)}}`;
}
