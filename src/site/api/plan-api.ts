// Every file of the static JSON API under api/v1/, planned like the rest of the tree: paths now,
// content when a worker renders it. See README "API" for the formats.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CategoryKey } from "../../domain/categories.js";
import type { SiteData } from "../../summaries/load.js";
import type { Score } from "../scores.js";
import type { SiteFile } from "../tree.js";
import { renderCategoryJson } from "./category-json.js";
import { countRecords, exportEntries, pagePath, pageRanges, PAGE_SIZE, renderCsvGz, renderExportIndex, renderNdjsonGz, renderNdjsonPage, exportOrder, type ExportTable } from "./exports.js";
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
  // The pages and the full NDJSON file are the same text: one worker makes it once. The full
  // file comes first and leaves each page's text behind until that page is rendered.
  const pageTexts = new Map<number, string>();
  const pageText = (i: number) => renderNdjsonPage(exported(), pages[i]!);
  const ndjson = (path: string, render: () => string | Uint8Array) => files.push({ path: `${API_ROOT}/${path}`, render, together: "export-ndjson" });
  ndjson("export/stats.ndjson.gz", () =>
    renderNdjsonGz(
      (function* () {
        for (let i = 0; i < pages.length; i++) yield pageTexts.set(i, pageText(i)).get(i)!;
      })(),
    ),
  );
  add("export/stats.csv.gz", () => renderCsvGz(exported()));
  add("export/index.json", () => renderExportIndex(ctx, records, pages));
  pages.forEach((_, i) =>
    ndjson(`export/${pagePath(i + 1)}`, () => {
      const text = pageTexts.get(i) ?? pageText(i);
      pageTexts.delete(i);
      return text;
    }),
  );
  for (const p of ctx.packages) files.push({ path: p.summary.json, render: () => renderPackageJson(ctx, p) });
  for (const name of API_SCHEMAS) add(`schemas/${name}`, () => readFileSync(SCHEMA_DIR + name));
  return files;
}
