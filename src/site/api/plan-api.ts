// Every file of the static JSON API under api/v1/, planned like the rest of the tree: paths now,
// content when a worker renders it. See README "API" for the formats.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CategoryKey } from "../../domain/categories.js";
import type { SiteData } from "../model.js";
import type { Score } from "../scores.js";
import { planBadges } from "../badge-files.js";
import type { FileBody, PlannedFile, SiteFileSet } from "../site-file.js";
import { renderCategoryJson } from "./category-json.js";
import {
  countRecords,
  exportEntries,
  pagePath,
  pageRanges,
  PAGE_SIZE,
  renderCsvGz,
  renderExportIndex,
  renderNdjsonPage,
  exportOrder,
  type ExportTable,
  type PageRange,
} from "./exports.js";
import { dailyExportMonths, dailyExportSitePath, exportPackages, renderDailyMonth, type ExportPackage } from "./daily-export.js";
import { GZIP_LEVEL, GzipBuilder } from "./gzip.js";
import { NO_FILTERED } from "./filtered.js";
import { renderPackageJson, renderPackagesIndex } from "./package-json.js";
import { API_ROOT, apiContext } from "./summaries.js";

/** The JSON Schemas of every file type, copied from assets/api/v1/ to api/v1/schemas/. */
export const API_SCHEMAS = [
  "common.schema.json",
  "packages.schema.json",
  "package.schema.json",
  "category.schema.json",
  "export-index.schema.json",
  "export-record.schema.json",
  "export-daily-record.schema.json",
] as const;

const SCHEMA_DIR = fileURLToPath(new URL("../../../assets/api/v1/", import.meta.url));

export function planApi(data: SiteData, scores: ReadonlyMap<CategoryKey, readonly Score[]>): PlannedFile[] {
  const files: PlannedFile[] = [];
  const add = (path: string, render: () => FileBody) => files.push({ path: `${API_ROOT}/${path}`, render });
  const ctx = apiContext(data, scores);
  // Sorted once per worker, on first use; a value computed from the data alone, so that a file
  // needing it renders the same whichever file asked first.
  let table: ExportTable | undefined;
  const exported = (): ExportTable => {
    if (table) return table;
    const entries = exportEntries(ctx);
    return (table = { entries, order: exportOrder(entries) });
  };

  add("packages.json", () => renderPackagesIndex(ctx));
  for (const cd of data.categories) {
    const filtered = cd.filtered ? { rows: cd.filtered.combined, daily: cd.filtered.combinedDaily } : NO_FILTERED;
    add(`categories/${cd.category.key}.json`, () =>
      renderCategoryJson(ctx, cd.category, cd.combined, cd.combinedDaily, filtered, scores.get(cd.category.key) ?? []),
    );
  }
  const records = countRecords(ctx);
  const pages = pageRanges(records, PAGE_SIZE);
  files.push(ndjsonExport(exported, pages));
  add("export/stats.csv.gz", () => renderCsvGz(exported()));
  const dailyMonths = dailyExportMonths(data.dailyMonths, data.validThru);
  // The months the model has no days of are made apart (daily-export-apart.ts), not here.
  let ordered: ExportPackage[] | undefined;
  for (const m of dailyMonths) {
    if (m.loaded) files.push({ path: dailyExportSitePath(m.month), key: m.key, render: () => renderDailyMonth((ordered ??= exportPackages(ctx)), m.month) });
  }
  add("export/index.json", () => renderExportIndex(ctx, records, pages, dailyMonths));
  for (const p of ctx.packages) files.push({ path: p.summary.json, render: () => renderPackageJson(ctx, p) });
  for (const name of API_SCHEMAS) add(`schemas/${name}`, () => readFileSync(SCHEMA_DIR + name));
  files.push(...planBadges(ctx)); // beside api/v1/, in badges/: the package files list their paths
  return files;
}

/**
 * The pages and the full NDJSON file are the same text: one piece of work makes it once, page
 * by page, deflating each page as it goes (keeping ~3 MB of deflated pieces, not ~25 MB of
 * text), and the full file from those pieces after the last page.
 */
function ndjsonExport(exported: () => ExportTable, pages: readonly PageRange[]): SiteFileSet {
  const pagePaths = pages.map((_, i) => `${API_ROOT}/export/${pagePath(i + 1)}`);
  return {
    paths: [...pagePaths, `${API_ROOT}/export/stats.ndjson.gz`],
    *render() {
      const full = new GzipBuilder(GZIP_LEVEL);
      for (const [i, page] of pages.entries()) {
        const text = renderNdjsonPage(exported(), page);
        full.add(text);
        yield [pagePaths[i]!, text] as const;
      }
      yield [`${API_ROOT}/export/stats.ndjson.gz`, full.finish()] as const;
    },
  };
}
