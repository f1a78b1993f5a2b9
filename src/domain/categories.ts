// The four repositories of the site, as the spec's category table lists them (order matters:
// it is the order of the cross links on category pages).

/** The URL directory of a category (`bioc`, `data-annotation`, …). */
export type CategoryKey = "bioc" | "data-annotation" | "data-experiment" | "workflows";
/** The `category` column value in the database (`bioc`, `annotation`, …). */
export type DbCategory = "bioc" | "annotation" | "experiment" | "workflows";

export interface Category {
  readonly key: CategoryKey;
  readonly db: DbCategory;
  /** Word used in page text: "software", "annotation", … */
  readonly label: string;
  /** Prefix of the category-wide .tab files (`annotation_pkg_stats.tab`). */
  readonly prefix: string;
  /** The category page at the site root. */
  readonly indexPage: string;
  /** Length of the top list; 0 = no top list. */
  readonly topN: number;
}

export const CATEGORIES: readonly Category[] = [
  { key: "bioc", db: "bioc", label: "software", prefix: "bioc", indexPage: "index.html", topN: 75 },
  { key: "data-annotation", db: "annotation", label: "annotation", prefix: "annotation", indexPage: "data-annotation.html", topN: 30 },
  { key: "data-experiment", db: "experiment", label: "experiment", prefix: "experiment", indexPage: "data-experiment.html", topN: 15 },
  { key: "workflows", db: "workflows", label: "workflow", prefix: "workflows", indexPage: "workflows.html", topN: 0 },
];

const byDb = new Map(CATEGORIES.map((c) => [c.db as string, c]));

export function categoryOfDb(db: string): Category | undefined {
  return byDb.get(db);
}

export function isDbCategory(s: string): s is DbCategory {
  return byDb.has(s);
}
