// Download badges (badges/KEY/PKG/*.svg): a badge's model in, its SVG out. Drawn by badge-maker,
// the shields.io renderer, so that width, font and look are the shields users know; its label
// and number format are cranlogs' (cranlogs.app routes/badges.js), whose badges R users embed.
import { makeBadge } from "badge-maker";

/** A package's rank among its category's packages in the current release (see release-ranks.ts). */
export interface ReleaseRank {
  readonly rank: number;
  readonly of: number;
}

export type Badge =
  | { readonly kind: "rank"; readonly releaseRank: ReleaseRank }
  /** The rank badge of a package that is no longer in the release: it has no rank to show. */
  | { readonly kind: "not-in-release"; readonly lastVersion: string }
  | { readonly kind: "last-month"; readonly downloads: number }
  | { readonly kind: "total"; readonly downloads: number };

export const BADGE_LABEL = "downloads";

/**
 * cranlogs' pretty_count: 1.2M from a million on, 12K from 10,000 on, the plain number below.
 * One change: 999,500 – 999,999 read 1M here, where cranlogs writes 1000K.
 */
export function formatCount(n: number): string {
  if (n >= 999_500) return `${Math.round(n / 100_000) / 10}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}K`;
  return String(n);
}

/** The right-hand text of the badge; the left-hand one is always BADGE_LABEL. */
export function badgeMessage(badge: Badge): string {
  switch (badge.kind) {
    case "rank":
      return `rank ${badge.releaseRank.rank} / ${badge.releaseRank.of}`;
    case "not-in-release":
      return `removed after ${badge.lastVersion}`;
    case "last-month":
      return `${formatCount(badge.downloads)}/month`;
    case "total":
      return formatCount(badge.downloads);
  }
}

// Many badges say the same ("0/month", "rank 25 / 25"): each text is drawn once per worker.
const drawn = new Map<string, string>();

/** The SVG of one badge; badge-maker escapes every text it places. */
export function renderBadge(badge: Badge): string {
  const message = badgeMessage(badge);
  const color = badge.kind === "not-in-release" ? "lightgrey" : "blue";
  const key = `${color} ${message}`;
  let svg = drawn.get(key);
  if (svg === undefined) drawn.set(key, (svg = makeBadge({ label: BADGE_LABEL, message, color })));
  return svg;
}
