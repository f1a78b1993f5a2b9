// View models: everything a page shows, computed by pure functions, so that the templates only
// lay it out. Hrefs are relative, so the tree works under any prefix.
import { CATEGORIES, type Category } from "../domain/categories.js";
import { formatDataAsOf, monthAbbr } from "../domain/dates.js";
import { groupByLetter } from "../domain/order.js";
import { formatRelease } from "../domain/release.js";
import type { IsoDate, PackageName, PeriodCounts, Year } from "../domain/types.js";
import { rowsOfYear, yearsWithRows } from "./blocks.js";
import type { Score } from "./scores.js";
import { topByRank } from "./scores.js";
import { urlSegment } from "./escape.js";

export interface Link {
  readonly href: string;
  readonly text: string;
}

export interface ScoredLink {
  readonly name: string;
  readonly score: number;
  readonly rank: number;
  readonly href: string;
}

export interface CategoryPageView {
  readonly title: string;
  readonly root: string;
  readonly label: string;
  readonly otherCategories: readonly Link[];
  readonly dataAsOf: string;
  readonly topN: number;
  readonly topRows: readonly (readonly ScoredLink[])[];
  readonly pkgStats: Link;
  readonly pkgScores: Link;
  readonly combined: Link;
  readonly letters: ReadonlyArray<{ readonly letter: string; readonly columns: readonly (readonly ScoredLink[])[] }>;
}

/**
 * Rows of the top list, three per row: row i holds top[i], top[i+R], top[i+2R] with R =
 * floor(top.length / 3), so that the columns read top to bottom. With fewer scored packages
 * than N, the live server lays out only what fills whole rows; so do we.
 */
export function layoutTopRows<T>(top: readonly T[]): T[][] {
  const r = Math.floor(top.length / 3);
  return Array.from({ length: r }, (_, i) => [top[i]!, top[i + r]!, top[i + 2 * r]!]);
}

/** Three columns of ceil(n/3) entries each (the last ones may be short or empty). */
export function splitColumns<T>(items: readonly T[]): T[][] {
  const third = Math.ceil(items.length / 3);
  return [0, 1, 2].map((i) => items.slice(i * third, (i + 1) * third));
}

export function categoryPageView(category: Category, scores: readonly Score[], validThru: IsoDate): CategoryPageView {
  const scored = (s: Score): ScoredLink => ({ name: s.name, score: s.score, rank: s.rank, href: `${category.key}/${urlSegment(s.name)}/` });
  return {
    title: `Download stats for Bioconductor ${category.label} packages`,
    root: "",
    label: category.label,
    otherCategories: CATEGORIES.filter((c) => c !== category).map((c) => ({ href: c.indexPage, text: `Bioconductor ${c.label} packages` })),
    dataAsOf: formatDataAsOf(validThru),
    topN: category.topN,
    topRows: layoutTopRows(topByRank(scores, category.topN).map(scored)),
    pkgStats: tabLink(`${category.key}/`, `${category.prefix}_pkg_stats.tab`),
    pkgScores: tabLink(`${category.key}/`, `${category.prefix}_pkg_scores.tab`),
    combined: { href: `${category.key}/index.html`, text: `See Download stats for Bioconductor ${category.label} repository (all packages combined)` },
    letters: groupByLetter(scores, (s) => s.name).map(([letter, group]) => ({ letter, columns: splitColumns(group.map(scored)) })),
  };
}

function tabLink(dir: string, file: string): Link {
  return { href: dir + urlSegment(file), text: file };
}

/** What a package page says about the package's home: a live package, or one removed after a release. */
export type HomeView =
  | { readonly kind: "current"; readonly name: string; readonly releaseHref: string; readonly develHref: string }
  | { readonly kind: "gone"; readonly name: string; readonly lastSeen: string };

export interface StatsPageView {
  readonly title: string;
  readonly root: string;
  readonly back: Link;
  readonly dataAsOf: string;
  readonly home: HomeView | null;
  readonly newest: Year;
  readonly oldest: Year;
  readonly years: ReadonlyArray<{
    readonly year: Year;
    readonly rows: ReadonlyArray<{ readonly label: string; readonly ips: number; readonly downloads: number }>;
    readonly tab: Link;
  }>;
  readonly allYears: Link;
  /** `year -> [{downloads, month, unique_ips, year}, …]`, the shape the live pages' data_table has. */
  readonly chartData: Record<string, ReadonlyArray<{ downloads: number; month: string; unique_ips: number; year: Year }>>;
}

export type StatsSubject = { readonly kind: "package"; readonly name: PackageName; readonly lastVersion: string | null } | { readonly kind: "combined" };

/** A package page (`KEY/PKG/index.html`) or a category's combined page (`KEY/index.html`). */
export function statsPageView(category: Category, subject: StatsSubject, rows: readonly PeriodCounts[], validThru: IsoDate): StatsPageView {
  const years = yearsWithRows(rows);
  if (years.length === 0) throw new Error(`no rows for the ${subject.kind === "package" ? subject.name : category.key} page`);
  const root = subject.kind === "package" ? "../../" : "../";
  const fileStem = subject.kind === "package" ? subject.name : category.key;
  const perYear = years.map((year) => {
    const months = new Map<number, PeriodCounts>();
    for (const r of rowsOfYear(rows, year)) months.set(r.month ?? 0, r);
    const shown = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => months.get(m) ?? { year, month: m, ips: 0, downloads: 0 });
    const total = months.get(0);
    if (total) shown.push(total);
    return { year, shown };
  });
  const chartData: StatsPageView["chartData"] = {};
  for (const { year, shown } of perYear) {
    chartData[String(year)] = shown.map((r) => ({ downloads: r.downloads, month: r.month === null ? "all" : monthAbbr(r.month), unique_ips: r.ips, year }));
  }
  return {
    title:
      subject.kind === "package"
        ? `Download stats for ${category.label} package ${subject.name}`
        : `Download stats for Bioconductor ${category.label} repository (all packages combined)`,
    root,
    back: { href: root + category.indexPage, text: `Back to the "Download stats for Bioconductor ${category.label} packages"` },
    dataAsOf: formatDataAsOf(validThru),
    home: subject.kind === "combined" ? null : homeView(category, subject.name, subject.lastVersion),
    newest: years[0]!,
    oldest: years[years.length - 1]!,
    years: perYear.map(({ year, shown }) => ({
      year,
      rows: shown.map((r) => ({ label: `${r.month === null ? "all" : monthAbbr(r.month)}/${year}`, ips: r.ips, downloads: r.downloads })),
      tab: tabLink("", `${fileStem}_${year}_stats.tab`),
    })),
    allYears: tabLink("", `${fileStem}_stats.tab`),
    chartData,
  };
}

function homeView(category: Category, name: PackageName, lastVersion: string | null): HomeView {
  if (lastVersion !== null) return { kind: "gone", name, lastSeen: formatRelease(lastVersion) };
  // Links to the package's landing pages on the main site: absolute, outside this tree.
  const path = `${category.key.replace("-", "/")}/html/${urlSegment(name)}.html`;
  return { kind: "current", name, releaseHref: `/packages/release/${path}`, develHref: `/packages/devel/${path}` };
}
