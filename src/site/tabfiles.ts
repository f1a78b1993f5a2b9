// The .tab and .txt files. R packages and scripts in the wild parse these, so every byte
// matters: no trailing newline, `\n` line ends, tabs.
import { monthAbbr } from "../domain/dates.js";
import type { PackageName, PeriodCounts, Year } from "../domain/types.js";
import { fillYearBlock, rowsOfYear } from "./blocks.js";
import type { Score } from "./scores.js";

const HEADER = "Year\tMonth\tNb_of_distinct_IPs\tNb_of_downloads";

/** The block's lines, each preceded by `prefix` and followed by `\n` (the caller trims the last one). */
function blockText(rows: readonly PeriodCounts[], prefix: string): string {
  const lines = fillYearBlock(rows).map((r) => `${prefix}${r.year}\t${r.month === null ? "all" : monthAbbr(r.month)}\t${r.ips}\t${r.downloads}\n`);
  return lines.join("");
}

/** `PKG_stats.tab`, `KEY_stats.tab`: every year of one subject. */
export function renderStatsTab(rows: readonly PeriodCounts[]): string {
  return (HEADER + "\n" + blockText(rows, "")).slice(0, -1);
}

/** `PKG_YEAR_stats.tab`, `KEY_YEAR_stats.tab`: one year of one subject. */
export function renderYearStatsTab(rows: readonly PeriodCounts[], year: Year): string {
  return renderStatsTab(rowsOfYear(rows, year));
}

/** `PREFIX_pkg_stats.tab`: every package of a category, given in collation order. */
export function renderPackagesStatsTab(packages: Iterable<readonly [PackageName, readonly PeriodCounts[]]>): string {
  const parts = [`Package\t${HEADER}\n`];
  for (const [name, rows] of packages) parts.push(blockText(rows, `${name}\t`));
  return parts.join("").slice(0, -1);
}

/** `PREFIX_pkg_scores.tab`, scores given in collation order. With none, the header keeps its newline (as live). */
export function renderScoresTab(scores: readonly Score[]): string {
  return "Package\tDownload_score\n" + scores.map((s) => `${s.name}\t${s.score}`).join("\n");
}

/** `bioc_packages.txt`: every known package name, given in collation order. */
export function renderPackageList(names: readonly PackageName[]): string {
  return names.join("\n");
}
