// The three badges of every package of the four categories, under badges/KEY/PKG/, from the
// same numbers as the package's API file (which lists their paths): its rank in the current
// release, its downloads of the last 30 days through ValidThru, and its downloads ever.
import type { CategoryKey } from "../domain/categories.js";
import type { ApiContext, ApiPackage } from "./api/summaries.js";
import { renderBadge, type Badge } from "./badges.js";
import type { SiteFile } from "./site-file.js";

export interface BadgePaths {
  readonly rank: string;
  readonly lastMonth: string;
  readonly total: string;
}

/** Relative to the site root, as the API's `page` and `json` are. */
export function badgePaths(key: CategoryKey, name: string): BadgePaths {
  const dir = `badges/${key}/${name}`;
  return { rank: `${dir}/rank.svg`, lastMonth: `${dir}/last-month.svg`, total: `${dir}/total.svg` };
}

export function packageBadges(p: ApiPackage): ReadonlyArray<readonly [path: string, badge: Badge]> {
  const paths = badgePaths(p.category.key, p.summary.name);
  const rank: Badge = p.releaseRank ? { kind: "rank", releaseRank: p.releaseRank } : { kind: "not-in-release", lastVersion: p.summary.lastVersion ?? "" };
  return [
    [paths.rank, rank],
    [paths.lastMonth, { kind: "last-month", downloads: p.summary.last30Days.downloads }],
    [paths.total, { kind: "total", downloads: p.summary.totalDownloads }],
  ];
}

export function planBadges(ctx: ApiContext): SiteFile[] {
  return ctx.packages.flatMap((p) => packageBadges(p).map(([path, badge]) => ({ path, render: () => renderBadge(badge) })));
}
