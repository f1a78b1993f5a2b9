// A build serves a complete tree or none: two slots behind the site folder, each brought up to
// date by writing only the files whose content changed.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../src/domain/categories.js";
import type { IsoDate, PackageName } from "../src/domain/types.js";
import { periodRows, packSiteData, type SiteData } from "../src/site/model.js";
import { startRenderPool } from "../src/site/render-site.js";
import { ForeignOutDir, UnsafeOutDir } from "../src/site/out-dir.js";
import { replaceTree, type Slot } from "../src/site/tree-slots.js";
import { outLimits, tempDir } from "./helpers/temp.js";

const LIMITS = outLimits("/nonexistent/webstats-db");

const md5 = (s: string | Buffer) => createHash("md5").update(s).digest("hex");

/** A writer that writes every file it is given, whatever the slot holds, and reports their hashes. */
const write = (files: Record<string, string>) => async (slot: Slot) => {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(slot.dir, path, ".."), { recursive: true });
    writeFileSync(join(slot.dir, path), body);
  }
  return { hashes: new Map(Object.entries(files).map(([p, b]) => [p, md5(b)])), keys: new Map<string, string>() };
};

describe("the two slots behind the site folder", () => {
  it("serve a complete new tree by one rename, and remove what the new tree no longer has", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    await replaceTree(out, LIMITS, write({ "bioc/a/a_stats.tab": "one", "bioc/gone/index.html": "x", "index.html": "<p>1</p>" }));
    expect(readlinkSync(out)).toBe("dist.slots/a");
    await replaceTree(out, LIMITS, write({ "bioc/a/a_stats.tab": "two", "index.html": "<p>2</p>" }));
    expect(readlinkSync(out)).toBe("dist.slots/b");
    // Slot a held three files; the third build brings it up to date from its manifest.
    let held: ReadonlyMap<string, string> = new Map();
    const third = await replaceTree(out, LIMITS, async (slot) => {
      held = slot.holds;
      return write({ "bioc/a/a_stats.tab": "three", "index.html": "<p>1</p>" })(slot);
    });
    expect(held).toEqual(
      new Map([
        ["bioc/a/a_stats.tab", md5("one")],
        ["bioc/gone/index.html", md5("x")],
        ["index.html", md5("<p>1</p>")],
      ]),
    );
    expect(third.removed).toBe(1);
    expect(readlinkSync(out)).toBe("dist.slots/a");
    expect(readdirSync(join(out, "bioc")).sort()).toEqual(["a"]); // the emptied folder went too
    expect(readFileSync(join(out, "bioc/a/a_stats.tab"), "utf8")).toBe("three");
    expect(readFileSync(join(parent, "dist.slots/a.md5"), "utf8").split("\n").sort()).toEqual(
      ["", `${md5("<p>1</p>")}  index.html`, `${md5("three")}  bioc/a/a_stats.tab`].sort(),
    );
  });

  it("keep the served tree intact when writing fails part-way, and start that slot afresh next time", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    await replaceTree(out, LIMITS, write({ "index.html": "first" }));
    await replaceTree(out, LIMITS, write({ "index.html": "second" }));
    const failing = async (slot: Slot) => {
      await write({ "bioc/a/a_stats.tab": "half" })(slot);
      throw new Error("renderer crashed");
    };
    await expect(replaceTree(out, LIMITS, failing)).rejects.toThrow("renderer crashed");
    expect(readlinkSync(out)).toBe("dist.slots/b");
    expect(readdirSync(out)).toEqual(["index.html"]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe("second");
    let held: ReadonlyMap<string, string> | undefined;
    await replaceTree(out, LIMITS, async (slot) => {
      held = slot.holds;
      expect(readdirSync(slot.dir)).toEqual([]); // the half-written files are gone
      return write({ "index.html": "third" })(slot);
    });
    expect(held?.size).toBe(0);
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe("third");
  });

  it("take over a plain folder an older webstats wrote (its static/ has our assets)", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    mkdirSync(join(out, "static"), { recursive: true });
    writeFileSync(join(out, "old.html"), "old");
    for (const f of ["webstats.css", "barchart.js", "chart.umd.min.js"]) writeFileSync(join(out, "static", f), f);
    await replaceTree(out, LIMITS, write({ "index.html": "new" }));
    expect(readlinkSync(out)).toBe("dist.slots/a");
    expect(readdirSync(out)).toEqual(["index.html"]);
    expect(readdirSync(join(parent, "dist.slots/b")).sort()).toEqual(["old.html", "static"]);
    await replaceTree(out, LIMITS, write({ "index.html": "newer" }));
    expect(readdirSync(out)).toEqual(["index.html"]); // slot b had no manifest: started afresh
  });

  it("leave a folder webstats did not make as it was, and make nothing beside it (regression: issue 10)", async () => {
    const parent = tempDir();
    const out = join(parent, "www");
    mkdirSync(join(out, "static"), { recursive: true });
    writeFileSync(join(out, "other.html"), "theirs");
    writeFileSync(join(out, "static", "webstats.css"), "a stylesheet of the same name is not enough");
    let wrote = false;
    const writer = async (slot: Slot) => ((wrote = true), write({ "index.html": "ours" })(slot));
    await expect(replaceTree(out, LIMITS, writer)).rejects.toBeInstanceOf(ForeignOutDir);
    expect(wrote).toBe(false);
    expect(readdirSync(parent)).toEqual(["www"]);
    expect(readFileSync(join(out, "other.html"), "utf8")).toBe("theirs");
    await expect(replaceTree(parent, { ...LIMITS, cwd: join(parent, "www") }, writer)).rejects.toBeInstanceOf(UnsafeOutDir);
    expect(readdirSync(parent)).toEqual(["www"]);
  });

  it("refuse a second build while one is writing", async () => {
    const out = join(tempDir(), "dist");
    let inner: Promise<unknown> | undefined;
    await replaceTree(out, LIMITS, async (slot) => {
      inner = replaceTree(out, LIMITS, write({ "index.html": "second" }));
      await expect(inner).rejects.toMatchObject({ code: 2, message: expect.stringMatching(/another build is writing/) });
      return write({ "index.html": "first" })(slot);
    });
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe("first");
  });
});

describe("the render workers", () => {
  const data: SiteData = {
    validThru: "2025-02-10" as IsoDate,
    packages: [{ name: "affy" as PackageName, category: "bioc", firstVersion: "108", lastVersion: null }],
    dailyMonths: [],
    categories: CATEGORIES.map((category) => ({
      category,
      combined:
        category.db === "bioc"
          ? [
              { year: 2025, month: 1, ips: 2, downloads: 3 },
              { year: 2025, month: null, ips: 2, downloads: 3 },
            ]
          : [],
      packages: new Map(
        category.db === "bioc"
          ? [
              [
                "affy" as PackageName,
                periodRows([
                  { year: 2025, month: 1, ips: 2, downloads: 3 },
                  { year: 2025, month: null, ips: 2, downloads: 3 },
                ]),
              ],
            ]
          : [],
      ),
      last30: new Map(category.db === "bioc" ? [["affy" as PackageName, { ips: 1, downloads: 1 }]] : []),
      daily: new Map(),
      combinedDaily: new Int32Array(0),
    })),
  };

  it("write every planned file once, across all workers", async () => {
    const root = tempDir();
    const pool = startRenderPool();
    try {
      const result = await pool.render(packSiteData(data), [], { dir: root, holds: new Map(), keys: new Map() });
      // explore.html, 5 category pages, bioc_packages.txt, bioc: combined page + 2 tabs, pkg_stats, 4 score files, affy: page + 2 tabs;
      // api/v1/: packages.json, 4 categories, affy.json, export index + 1 page + 2 full files, 7 schemas (no daily rows: no daily export);
      // badges/bioc/affy/: rank, last-month, total
      expect(result.files).toBe(18 + 17 + 3);
      expect(readFileSync(join(root, "badges/bioc/affy/rank.svg"), "utf8")).toContain("<title>downloads: rank 1 / 1</title>");
      expect(readFileSync(join(root, "bioc/affy/affy_2025_stats.tab"), "utf8")).toBe(
        "Year\tMonth\tNb_of_distinct_IPs\tNb_of_downloads\n2025\tJan\t2\t3\n" +
          [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
            .map((m) => `2025\t${["Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 2]}\t0\t0\n`)
            .join("") +
          "2025\tall\t2\t3",
      );
    } finally {
      await pool.close();
    }
  });

  it("render this thread's share once the work it waits for is done, and fail with that work's error", async () => {
    const pool = startRenderPool();
    try {
      let done = false;
      const after = new Promise<void>((resolve) => setTimeout(() => resolve(void (done = true)), 50));
      const result = await pool.render(packSiteData(data), [], { dir: tempDir(), holds: new Map(), keys: new Map() }, () => expect(done).toBe(true), after);
      expect(result.files).toBe(18 + 17 + 3);
      const failed = Promise.reject(new Error("reading a month failed"));
      await expect(pool.render(packSiteData(data), [], { dir: tempDir(), holds: new Map(), keys: new Map() }, undefined, failed)).rejects.toThrow(
        "reading a month failed",
      );
    } finally {
      await pool.close();
    }
  });

  it("write only the files whose content differs from what the slot holds", async () => {
    const root = tempDir();
    const renderOnce = async (holds: ReadonlyMap<string, string>) => {
      const pool = startRenderPool(); // a pool renders one tree
      try {
        return await pool.render(packSiteData(data), [], { dir: root, holds, keys: new Map() });
      } finally {
        await pool.close();
      }
    };
    const first = await renderOnce(new Map());
    // 38: every planned file (see above)
    expect(first.written).toBe(38);
    for (const [path, hash] of first.hashes) expect(md5(readFileSync(join(root, path))), path).toBe(hash);
    // The manifest claims the slot holds today's files: nothing is written, not even a file
    // changed behind the manifest's back.
    writeFileSync(join(root, "bioc/affy/affy_stats.tab"), "edited by hand");
    const mtime = statSync(join(root, "index.html")).mtimeMs;
    const again = await renderOnce(first.hashes);
    expect([again.files, again.written]).toEqual([38, 0]);
    expect(readFileSync(join(root, "bioc/affy/affy_stats.tab"), "utf8")).toBe("edited by hand");
    expect(statSync(join(root, "index.html")).mtimeMs).toBe(mtime);
    // Rewritten in place: a longer file is cut to size, a file gone behind the manifest's back
    // is made again, a file the manifest does not know is written.
    const long = "x".repeat(100_000);
    writeFileSync(join(root, "bioc/affy/affy_stats.tab"), long);
    rmSync(join(root, "bioc/affy/affy_2025_stats.tab"));
    const holds = new Map(first.hashes);
    holds.set("bioc/affy/affy_stats.tab", md5(long));
    holds.set("bioc/affy/affy_2025_stats.tab", md5("gone"));
    holds.delete("workflows.html");
    const third = await renderOnce(holds);
    expect(third.written).toBe(3);
    for (const [path, hash] of third.hashes) expect(md5(readFileSync(join(root, path))), path).toBe(hash);
    expect(readFileSync(join(root, "bioc/affy/affy_stats.tab"), "utf8")).toMatch(/^Year\tMonth[^x]*$/);
  });

  it("report a failure to write instead of hanging", async () => {
    const root = tempDir();
    writeFileSync(join(root, "bioc"), "a file where a folder must go");
    const pool = startRenderPool();
    try {
      await expect(pool.render(packSiteData(data), [], { dir: root, holds: new Map(), keys: new Map() })).rejects.toThrow(
        /rendering the site failed: .*(ENOTDIR|EEXIST)/,
      );
    } finally {
      await pool.close();
    }
  });
});
