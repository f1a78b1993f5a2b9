// A build that fails part-way leaves the previous tree in place and no half-written folder.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../src/domain/categories.js";
import type { IsoDate, PackageName } from "../src/domain/types.js";
import { packSiteData } from "../src/site/pack.js";
import { startRenderPool } from "../src/site/render-site.js";
import { writeTreeAtomically } from "../src/site/write-tree.js";
import type { SiteData } from "../src/summaries/load.js";
import { tempDir } from "./helpers/temp.js";

const write = (files: Record<string, string>) => async (root: string) => {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  return Object.keys(files).length;
};

describe("swapping in a new tree", () => {
  it("replaces the old tree as a whole", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    mkdirSync(join(out, "gone"), { recursive: true });
    writeFileSync(join(out, "gone", "old.tab"), "old");
    const swapped = await writeTreeAtomically(out, write({ "bioc/a/a_stats.tab": "new", "index.html": "<p>x</p>" }));
    expect(swapped.result).toBe(2);
    expect(readdirSync(out).sort()).toEqual(["bioc", "index.html"]);
    expect(readFileSync(join(out, "bioc/a/a_stats.tab"), "utf8")).toBe("new");
    await swapped.removePrevious();
    expect(readdirSync(parent)).toEqual(["dist"]);
  });

  it("keeps the previous tree intact when writing fails part-way", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    mkdirSync(out);
    writeFileSync(join(out, "index.html"), "previous");
    const failing = async (root: string) => {
      await write({ "bioc/a/a_stats.tab": "half" })(root);
      throw new Error("renderer crashed");
    };
    await expect(writeTreeAtomically(out, failing)).rejects.toThrow("renderer crashed");
    expect(readdirSync(parent)).toEqual(["dist"]);
    expect(readdirSync(out)).toEqual(["index.html"]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe("previous");
  });

  it("clears folders a crashed build left behind", async () => {
    const parent = tempDir();
    mkdirSync(join(parent, "dist.partial-12345", "bioc"), { recursive: true });
    mkdirSync(join(parent, "dist.old-12345"), { recursive: true });
    const swapped = await writeTreeAtomically(join(parent, "dist"), write({ "index.html": "x" }));
    await swapped.removePrevious();
    expect(readdirSync(parent)).toEqual(["dist"]);
  });
});

describe("the render workers", () => {
  const data: SiteData = {
    validThru: "2025-02-10" as IsoDate,
    packages: [{ name: "affy" as PackageName, category: "bioc", firstVersion: "108", lastVersion: null }],
    categories: CATEGORIES.map((category) => ({
      category,
      combined: category.db === "bioc" ? [{ year: 2025, month: 1, ips: 2, downloads: 3 }, { year: 2025, month: null, ips: 2, downloads: 3 }] : [],
      packages: new Map(category.db === "bioc" ? [["affy" as PackageName, [{ year: 2025, month: 1, ips: 2, downloads: 3 }, { year: 2025, month: null, ips: 2, downloads: 3 }]]] : []),
    })),
  };

  it("write every planned file once, across all workers", async () => {
    const root = tempDir();
    const pool = startRenderPool();
    try {
      const result = await pool.render(packSiteData(data), [], root);
      // 5 category pages, bioc_packages.txt, bioc: combined page + 2 tabs, pkg_stats, 4 score files, affy: page + 2 tabs
      expect(result.files).toBe(17);
      expect(readFileSync(join(root, "bioc/affy/affy_2025_stats.tab"), "utf8")).toBe(
        "Year\tMonth\tNb_of_distinct_IPs\tNb_of_downloads\n2025\tJan\t2\t3\n" + [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => `2025\t${["Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 2]}\t0\t0\n`).join("") + "2025\tall\t2\t3",
      );
    } finally {
      await pool.close();
    }
  });

  it("report a failure to write instead of hanging", async () => {
    const root = tempDir();
    writeFileSync(join(root, "bioc"), "a file where a folder must go");
    const pool = startRenderPool();
    try {
      await expect(pool.render(packSiteData(data), [], root)).rejects.toThrow(/rendering the site failed: .*(ENOTDIR|EEXIST)/);
    } finally {
      await pool.close();
    }
  });
});
