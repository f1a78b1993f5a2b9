// explore.html: one page at the site root to search every package, sort them, and compare the
// daily, weekly or monthly downloads of a few in one chart. The page is a shell: the ES modules
// of static/explore/ (assets/explore/, main.js first) fill it from
// api/v1/packages.json and api/v1/packages/KEY/NAME.json. Every link is relative, so the tree
// works under any prefix on any static host. render.ts renders it.
import { CATEGORIES } from "../domain/categories.js";
import type { IsoDate } from "../domain/types.js";

export const EXPLORE_PAGE = "explore.html";

export interface ExploreCategory {
  /** The URL folder and the `category` of the API (`bioc`, `data-annotation`, …). */
  readonly key: string;
  /** The category's name in the database (`bioc`, `annotation`, …), accepted as well. */
  readonly db: string;
  /** "Software", "Annotation", … */
  readonly label: string;
  /** The category page, relative to the site root. */
  readonly href: string;
}

export interface ExplorePageView {
  readonly title: string;
  readonly dataAsOf: IsoDate;
  readonly categories: readonly ExploreCategory[];
}

export function explorePageView(validThru: IsoDate): ExplorePageView {
  return {
    title: "Explore Bioconductor package downloads",
    dataAsOf: validThru,
    categories: CATEGORIES.map((c) => ({ key: c.key, db: c.db, label: c.label.charAt(0).toUpperCase() + c.label.slice(1), href: c.indexPage })),
  };
}
