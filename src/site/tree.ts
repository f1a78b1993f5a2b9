// The plan of the whole /packages/stats/ tree: every path and how to render it. Nothing is
// rendered until a writer asks, so the plan of ~40,000 files stays small.
import type { Category, CategoryKey } from "../domain/categories.js";
import { combinedStems, PACKAGE_LIST, packagesStatsTab, scoresTab, statsTab, SUBJECT_PAGE, yearStatsTab } from "../domain/category-folder.js";
import { sortByCollation } from "../domain/order.js";
import type { PackageName, PeriodCounts } from "../domain/types.js";
import { planApi } from "./api/plan-api.js";
import { EXPLORE_PAGE, explorePageView } from "./explore.js";
import { renderCategoryPage, renderExplorePage, renderStatsPage } from "./render.js";
import { computeScores, type Score } from "./scores.js";
import { renderPackageList, renderPackagesStatsTab, renderScoresTab, renderStatsTab, renderYearStatsTab } from "./tabfiles.js";
import { periodCounts, periodRows, periodCountsOfYear, yearsOfRows, type CategoryData, type PeriodRows, type SiteData } from "./model.js";
import type { PlannedFile, SitePlan } from "./site-file.js";
import { withoutUnusableNames } from "./usable-names.js";
import { categoryPageView, statsPageView } from "./views.js";

/** What a plan holds besides the legacy tree; the benchmark leaves the API out to show what it costs. */
export interface PlanOptions {
  readonly api: boolean;
}

export function planSite(all: SiteData, options: PlanOptions = { api: true }): SitePlan {
  const { data, skipped } = withoutUnusableNames(all);
  const files: PlannedFile[] = [];
  const add = (path: string, render: () => string) => files.push({ path, render });
  const lastVersion = new Map(data.packages.map((p) => [p.name as string, p.lastVersion]));

  add(EXPLORE_PAGE, () => renderExplorePage(explorePageView(data.validThru)));
  add(`bioc/${PACKAGE_LIST}`, () => renderPackageList(sortByCollation(data.packages, (p) => p.name).map((p) => p.name)));

  const scoresOf = new Map<CategoryKey, Score[]>(data.categories.map((cd) => [cd.category.key, computeScores(cd.packages, data.validThru)]));
  for (const cd of data.categories) {
    const { category } = cd;
    const scores = scoresOf.get(category.key)!;
    const page = () => renderCategoryPage(categoryPageView(category, scores, data.validThru));
    add(category.indexPage, page);
    if (category.key === "bioc") add("bioc.html", page);

    const combined = periodRows(cd.combined);
    addSubjectFiles(add, category, category.key, combined, (rows) => renderStatsPage(statsPageView(category, { kind: "combined" }, rows, data.validThru)));
    for (const stem of combinedStems(category)) if (stem !== category.key) addSubjectTabs(add, category, stem, combined);

    const packages = sortedPackages(cd);
    if (packages.length > 0) add(`${category.key}/${packagesStatsTab(category.prefix)}`, () => renderPackagesStatsTab(eachUnpacked(packages)));
    add(`${category.key}/${scoresTab(category.prefix)}`, () => renderScoresTab(scores));

    for (const [name, packed] of packages) {
      addSubjectFiles(add, category, `${name}/${name}`, packed, (rows) =>
        renderStatsPage(statsPageView(category, { kind: "package", name, lastVersion: lastVersion.get(name) ?? null }, rows, data.validThru)),
      );
    }
  }
  if (options.api) files.push(...planApi(data, scoresOf));
  return { files, skipped };
}

type Add = (path: string, render: () => string) => void;

/** `STEM_stats.tab` and one `STEM_YEAR_stats.tab` per year with rows, beside the subject's page. */
function addSubjectTabs(add: Add, category: Category, stem: string, rows: PeriodRows): void {
  if (rows.length === 0) return;
  add(`${category.key}/${statsTab(stem)}`, () => renderStatsTab(periodCounts(rows)));
  for (const year of yearsOfRows(rows)) add(`${category.key}/${yearStatsTab(stem, year)}`, () => renderYearStatsTab(periodCountsOfYear(rows, year), year));
}

function addSubjectFiles(add: Add, category: Category, stem: string, rows: PeriodRows, page: (rows: readonly PeriodCounts[]) => string): void {
  if (rows.length === 0) return; // the live server answers 404 for a subject without rows
  const dir = stem.includes("/") ? stem.slice(0, stem.lastIndexOf("/") + 1) : "";
  add(`${category.key}/${dir}${SUBJECT_PAGE}`, () => page(periodCounts(rows)));
  addSubjectTabs(add, category, stem, rows);
}

function sortedPackages(cd: CategoryData): Array<[PackageName, PeriodRows]> {
  return sortByCollation([...cd.packages], ([name]) => name);
}

/** Each package's rows as PeriodCounts, one package at a time. */
function* eachUnpacked(packages: ReadonlyArray<readonly [PackageName, PeriodRows]>): Iterable<readonly [PackageName, readonly PeriodCounts[]]> {
  for (const [name, rows] of packages) yield [name, periodCounts(rows)];
}
