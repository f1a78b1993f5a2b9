// The package name rule knows every file a category folder holds: checked against the plan of a
// real tree, so that a new file of the tree cannot silently become a name a package may take.
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/categories.js";
import { isCategoryFolderFile } from "../../src/domain/category-folder.js";
import { unsafeNameReason } from "../../src/domain/package-names.js";
import type { IsoDate, PackageName, PeriodCounts } from "../../src/domain/types.js";
import { planSite } from "../../src/site/tree.js";
import { periodRows, type SiteData } from "../../src/site/model.js";
import { plannedPaths } from "../../src/site/site-file.js";

const rows: PeriodCounts[] = [2019, 2025].flatMap((year) => [
  { year, month: 1, ips: 2, downloads: 3 },
  { year, month: null, ips: 2, downloads: 3 },
]);
const names = ["affy", "GO.db", "ALL", "rnaseqGene"] as PackageName[];

function siteData(extra: readonly string[] = []): SiteData {
  return {
    validThru: "2025-02-10" as IsoDate,
    packages: [
      ...CATEGORIES.map((c, i) => ({ name: names[i]!, category: c.db, firstVersion: "308", lastVersion: null })),
      ...extra.map((n) => ({ name: n as PackageName, category: "bioc" as const, firstVersion: "308", lastVersion: null })),
    ],
    dailyMonths: [],
    categories: CATEGORIES.map((category, i) => ({
      category,
      combined: rows,
      packages: new Map([[names[i]!, periodRows(rows)], ...(i === 0 ? extra.map((n) => [n as PackageName, periodRows(rows)] as const) : [])]),
      last30: new Map([[names[i]!, { ips: 1, downloads: 1 }]]),
      daily: new Map(),
      combinedDaily: new Int32Array(0),
    })),
  };
}

describe("package names and the category folders (issue 10)", () => {
  it("every file the tree plans directly in a category folder is a name no package may have", () => {
    const keys = new Set<string>(CATEGORIES.map((c) => c.key));
    const inFolders = plannedPaths(planSite(siteData()))
      .map((f) => f.split("/"))
      .filter((p) => p.length === 2 && keys.has(p[0]!))
      .map((p) => p[1]!);
    expect(inFolders.length).toBeGreaterThan(20);
    for (const name of inFolders) expect(isCategoryFolderFile(name), name).toBe(true);
    for (const name of names) expect(isCategoryFolderFile(name), name).toBe(false);
  });

  it("a package named index.html in the table is skipped, once, by the tree and the API alike", () => {
    const plan = planSite(siteData(["index.html", "a_b"]));
    expect(plan.skipped).toEqual([unsafeNameReason("a_b"), unsafeNameReason("index.html")]);
    expect(plannedPaths(plan).filter((p) => p.includes("index.html/") || p.includes("a_b"))).toEqual([]);
    expect(plannedPaths(plan).sort()).toEqual(plannedPaths(planSite(siteData())).sort());
  });
});
