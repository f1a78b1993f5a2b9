// The names of what a category folder (`bioc/`, `data-annotation/`, …) holds beside its package
// folders. The tree plan names its files with these functions, and the package name rule refuses
// every name they can give: a package's folder would take the place of that file.
import { CATEGORIES, type Category } from "./categories.js";

/** A subject's page: the category's combined page, or a package's in its folder. */
export const SUBJECT_PAGE = "index.html";
/** Every package name, in the software category's folder only. */
export const PACKAGE_LIST = "bioc_packages.txt";

export const statsTab = (stem: string): string => `${stem}_stats.tab`;
export const yearStatsTab = (stem: string, year: number): string => `${stem}_${year}_stats.tab`;
export const packagesStatsTab = (prefix: string): string => `${prefix}_pkg_stats.tab`;
export const scoresTab = (prefix: string): string => `${prefix}_pkg_scores.tab`;

/** The stems of a category's combined .tab files: its key (beside its page), and its prefix when that differs. */
export function combinedStems(category: Category): string[] {
  return category.prefix === category.key ? [category.key] : [category.key, category.prefix];
}

/** Whether a category folder may hold a file of this name (any category, any year). */
export function isCategoryFolderFile(name: string): boolean {
  if (name === SUBJECT_PAGE || name === PACKAGE_LIST) return true;
  return CATEGORIES.some(
    (c) =>
      name === packagesStatsTab(c.prefix) ||
      name === scoresTab(c.prefix) ||
      combinedStems(c).some((stem) => {
        const year = name.slice(stem.length + 1, stem.length + 5);
        return name === statsTab(stem) || (/^\d{4}$/.test(year) && name === yearStatsTab(stem, Number(year)));
      }),
  );
}
