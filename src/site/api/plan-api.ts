// Every file of the static JSON API under api/v1/, planned like the rest of the tree: paths now,
// content when a worker renders it. See README "API" for the formats.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CategoryKey } from "../../domain/categories.js";
import type { SiteData } from "../../summaries/load.js";
import type { Score } from "../scores.js";
import { planBadges } from "../badge-files.js";
import type { SiteFile } from "../tree.js";
import { renderCategoryJson } from "./category-json.js";
import { countRecords, exportEntries, pagePath, pageRanges, PAGE_SIZE, renderCsvGz, renderExportIndex, renderNdjsonPage, exportOrder, GZIP_LEVEL, type ExportTable } from "./exports.js";
import { GzipBuilder } from "./gzip.js";
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
] as const;

const SCHEMA_DIR = fileURLToPath(new URL("../../../assets/api/v1/", import.meta.url));

export function planApi(data: SiteData, scores: ReadonlyMap<CategoryKey, readonly Score[]>): SiteFile[] {
  const files: SiteFile[] = [];
  const add = (path: string, render: () => string | Uint8Array) => files.push({ path: `${API_ROOT}/${path}`, render });
  const ctx = apiContext(data, scores);
  let table: ExportTable | undefined; // sorted once per worker, on first use
  const exported = (): ExportTable => {
    if (table) return table;
    const entries = exportEntries(ctx);
    return (table = { entries, order: exportOrder(entries) });
  };

  add("packages.json", () => renderPackagesIndex(ctx));
  for (const cd of data.categories) {
    add(`categories/${cd.category.key}.json`, () => renderCategoryJson(ctx, cd.category, cd.combined, scores.get(cd.category.key) ?? []));
  }
  const records = countRecords(ctx);
  const pages = pageRanges(records, PAGE_SIZE);
  // The pages and the full NDJSON file are the same text: one worker makes it once, page by
  // page, deflating each page as it goes (keeping ~3 MB of deflated pieces, not ~25 MB of
  // text), and the full file from those pieces after the last page.
  const ndjson = (path: string, render: () => string | Uint8Array) => files.push({ path: `${API_ROOT}/${path}`, render, together: "export-ndjson" });
  let full = new GzipBuilder(GZIP_LEVEL);
  let deflated = 0;
  pages.forEach((page, i) =>
    ndjson(`export/${pagePath(i + 1)}`, () => {
      const text = renderNdjsonPage(exported(), page);
      if (i === deflated++) full.add(text);
      return text;
    }),
  );
  ndjson("export/stats.ndjson.gz", () => {
    if (deflated !== pages.length) {
      full = new GzipBuilder(GZIP_LEVEL); // this worker did not render every page in order: start over
      for (const page of pages) full.add(renderNdjsonPage(exported(), page));
    }
    return full.finish();
  });
  add("export/stats.csv.gz", () => renderCsvGz(exported()));
  add("export/index.json", () => renderExportIndex(ctx, records, pages));
  for (const p of ctx.packages) files.push({ path: p.summary.json, render: () => renderPackageJson(ctx, p) });
  for (const name of API_SCHEMAS) add(`schemas/${name}`, () => readFileSync(SCHEMA_DIR + name));
  files.push(...planBadges(ctx)); // beside api/v1/, in badges/: the package files list their paths
  return files;
}
