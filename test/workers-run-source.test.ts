// Issue 12: the render and log-reading pools run the code under test, not a compiled lib/ that
// may be stale. A renderer and the log reader are mocked here; what the pools make changes with
// them, which it would not if the pools ran lib/ (the CLI's tests run lib/, in real threads).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CATEGORIES } from "../src/domain/categories.js";
import type { IsoDate, PackageName } from "../src/domain/types.js";
import { emptyLogReport, logRows } from "../src/ingest/log-rows.js";
import { periodRows, packSiteData, type SiteData } from "../src/site/model.js";
import { startRenderPool } from "../src/site/render-site.js";
import { listLocalLogs } from "../src/sources/log-files.js";
import { tempDir } from "./helpers/temp.js";

vi.mock("../src/site/tabfiles.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/site/tabfiles.js")>();
  return { ...real, renderPackageList: (names: readonly PackageName[]) => `rendered by the mock\n${real.renderPackageList(names)}` };
});

vi.mock("../src/sources/cloudfront-log.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/sources/cloudfront-log.js")>();
  return {
    ...real,
    readLogFile: async (...args: Parameters<typeof real.readLogFile>) => {
      const r = await real.readLogFile(...args);
      return { ...r, badLines: r.badLines + 1, badSamples: [`${r.file}: read by the mock`, ...r.badSamples] };
    },
  };
});

describe("the worker pools run the source under test", () => {
  it("renders with the renderer the test mocked", async () => {
    const counts = [
      { year: 2025, month: 1, ips: 2, downloads: 3 },
      { year: 2025, month: null, ips: 2, downloads: 3 },
    ];
    const data: SiteData = {
      validThru: "2025-02-10" as IsoDate,
      packages: [{ name: "affy" as PackageName, category: "bioc", firstVersion: "108", lastVersion: null }],
      dailyMonths: [],
      categories: CATEGORIES.map((category) => ({
        category,
        combined: category.db === "bioc" ? counts : [],
        packages: new Map(category.db === "bioc" ? [["affy" as PackageName, periodRows(counts)]] : []),
        last30: new Map(category.db === "bioc" ? [["affy" as PackageName, { ips: 1, downloads: 1 }]] : []),
        daily: new Map(),
        combinedDaily: new Int32Array(0),
      })),
    };
    const root = tempDir();
    const pool = startRenderPool();
    try {
      await pool.render(packSiteData(data), [], { dir: root, holds: new Map(), keys: new Map() });
    } finally {
      await pool.close();
    }
    expect(readFileSync(join(root, "bioc/bioc_packages.txt"), "utf8")).toBe("rendered by the mock\naffy");
  });

  it("reads logs with the reader the test mocked", async () => {
    const [first, last] = ["2025-03-30" as IsoDate, "2025-03-30" as IsoDate];
    const files = await listLocalLogs(new URL("./data/cloudfront/flat/", import.meta.url).pathname, first, last);
    const report = emptyLogReport();
    for await (const _ of logRows(files, { first, last, maxBadLines: { count: files.length }, skipBadFiles: false }, report));
    expect(report.files).toBe(files.length);
    expect(report.badLines).toBe(files.length);
    expect(report.badSamples[0]).toMatch(/: read by the mock$/);
  });
});
