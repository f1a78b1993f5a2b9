// Renderers are pure (issue 12): any planned file renders alone, in any order, on any worker,
// and gives the same bytes as the whole plan rendered in order. The data makes two pages of the
// monthly export, so that the pages and the full file made from them are exercised, and four
// months of the daily export.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES, type DbCategory } from "../../src/domain/categories.js";
import { dayNumber } from "../../src/domain/dates.js";
import type { IsoDate, PackageName, PeriodCounts } from "../../src/domain/types.js";
import type { SiteData } from "../../src/site/model.js";
import { renderPlanned, type SiteFile, type SitePlan } from "../../src/site/site-file.js";
import { makeMonthsApart } from "../../src/site/api/daily-export-apart.js";
import { packSiteData, periodRows } from "../../src/site/model.js";
import { planSite } from "../../src/site/tree.js";

const YEARS = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];

function rowsOf(seed: number): PeriodCounts[] {
  const rows: PeriodCounts[] = [];
  for (const year of YEARS) {
    let sum = 0;
    for (let month = 1; month <= 12 && (year < 2025 || month <= 2); month++) {
      const downloads = ((seed * 7919 + year * 31 + month * 17) % 97) + 1;
      sum += downloads;
      rows.push({ year, month, ips: Math.ceil(downloads / 3), downloads });
    }
    rows.push({ year, month: null, ips: Math.ceil(sum / 5), downloads: sum });
  }
  return rows;
}

/** DailyRows: every `step`-th day from 2024-11-25 through ValidThru. */
function daysOf(seed: number, step: number): Int32Array {
  const ints: number[] = [];
  for (let day = dayNumber("2024-11-25" as IsoDate); day <= dayNumber("2025-02-10" as IsoDate); day += step) ints.push(day, (seed % 7) + 1, (seed % 3) + 1);
  return Int32Array.from(ints);
}

const MONTHS = ["2024-11", "2024-12", "2025-01", "2025-02"];

/** `held`: the months whose days the model leaves out (the slot being written holds their files). */
function siteData(held: readonly string[] = []): SiteData {
  const names = Array.from({ length: 120 }, (_, i) => `pkg${String(i).padStart(3, "0")}` as PackageName);
  const categoryOf = (i: number) => CATEGORIES[i % CATEGORIES.length]!;
  return {
    validThru: "2025-02-10" as IsoDate,
    packages: names.map((name, i) => ({ name, category: categoryOf(i).db, firstVersion: "310", lastVersion: i % 5 === 0 ? "320" : null })),
    categories: CATEGORIES.map((category) => ({
      category,
      combined: rowsOf(category.key.length),
      packages: new Map(names.flatMap((name, i) => (categoryOf(i) === category ? [[name, periodRows(rowsOf(i))] as const] : []))),
      last30: new Map(names.flatMap((name, i) => (categoryOf(i) === category ? [[name, { downloads: i + 3, ips: i + 1 }] as const] : []))),
      daily: new Map(names.flatMap((name, i) => (categoryOf(i) === category ? [[name, daysOf(i, 1 + (i % 4))] as const] : []))),
      combinedDaily: daysOf(category.key.length, 1),
    })),
    // records: any count will do here (the index says it; the loader's is checked against the rows in test/daily-export-months.test.ts)
    dailyMonths: MONTHS.map((m, i) => ({ month: `${m}-01` as IsoDate, revision: String(100 + i), records: 10 + i, loaded: !held.includes(m) })),
  };
}

const hash = (body: string | Uint8Array) => createHash("md5").update(body).digest("hex");

/** path → MD5 of the planned entries at `order`, rendered in that order. */
function render(plan: SitePlan, order: readonly number[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of order) for (const [path, body] of renderPlanned(plan.files[i]!)) out.set(path, hash(body));
  return out;
}

function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

describe("the planned files", () => {
  const data = siteData();
  const inOrder = planSite(data);
  const n = inOrder.files.length;
  const expected = render(
    inOrder,
    Array.from({ length: n }, (_, i) => i),
  );

  it("include a set of several files (the export pages and the full file)", () => {
    expect([...expected.keys()].filter((p) => p.startsWith("api/v1/export/pages/")).length).toBe(2);
    expect(expected.has("api/v1/export/stats.ndjson.gz")).toBe(true);
    expect([...expected.keys()].filter((p) => p.startsWith("api/v1/export/daily/"))).toEqual(MONTHS.map((m) => `api/v1/export/daily/${m}.ndjson.gz`));
  });

  it("render the same bytes in a shuffled order", () => {
    for (const seed of [1, 2]) expect(render(planSite(data), shuffled(n, seed))).toEqual(expected);
  });

  it("render the same bytes each alone, from a plan of its own (as on another worker)", () => {
    const alone = new Map<string, string>();
    for (let i = 0; i < n; i++) for (const [path, md5] of render(planSite(data), [i])) alone.set(path, md5);
    expect(alone).toEqual(expected);
  });
});

describe("a daily export month whose days the model holds not", () => {
  const month = "2024-12-01" as IsoDate;
  const path = "api/v1/export/daily/2024-12.ndjson.gz";
  // Its packages in no order: the export's is the API's (collation, then category).
  const leftOut = siteData(["2024-12"]);
  const packed = packSiteData({ ...leftOut, packages: [...leftOut.packages].reverse() });
  /** The month's days as the loader reads them apart: from the whole model's, that month only. */
  const readMonth = (read: IsoDate[]) => async (m: IsoDate) => {
    read.push(m);
    const [from, to] = [dayNumber(m), dayNumber("2025-01-01" as IsoDate)];
    const out = new Map<DbCategory, Map<string, Int32Array>>();
    for (const c of siteData().categories) {
      const byName = new Map<string, Int32Array>();
      for (const [name, rows] of c.daily) {
        const days: number[][] = [];
        for (let i = 0; i < rows.length; i += 3) if (rows[i]! >= from && rows[i]! < to) days.push([rows[i]!, rows[i + 1]!, rows[i + 2]!]);
        if (days.length > 0) byName.set(name, Int32Array.from(days.flat()));
      }
      out.set(c.category.db, byName);
    }
    return out;
  };
  const slotWith = (root: string, keys: Map<string, string>) => ({ dir: root, holds: new Map([[path, "0123456789abcdef0123456789abcdef"]]), keys });

  it("is left out of the render's plan, and listed in the export index", () => {
    const plan = planSite(siteData(["2024-12"]));
    const paths = plan.files.flatMap((f) => ("paths" in f ? f.paths : [f.path]));
    expect(paths).not.toContain(path);
    expect(paths).toContain("api/v1/export/daily/2025-01.ndjson.gz");
    const index = plan.files.find((f) => "path" in f && f.path === "api/v1/export/index.json") as SiteFile;
    expect((JSON.parse(index.render() as string) as { daily: Array<{ month: string }> }).daily.map((d) => d.month)).toEqual(MONTHS);
  });

  it("is made apart from its month's days alone, with the bytes the model's days give", async () => {
    const root = mkdtempSync(join(tmpdir(), "webstats-apart-"));
    try {
      const inModel = planSite(siteData()).files.find((f) => "path" in f && f.path === path) as SiteFile;
      const expected = inModel.render() as Uint8Array;
      const read: IsoDate[] = [];
      const made = await makeMonthsApart(packed, slotWith(root, new Map([[path, "daily-export-1:99"]])), readMonth(read));
      expect(read).toEqual([month]);
      expect(made.written).toBe(1);
      expect(Buffer.compare(readFileSync(join(root, path)), Buffer.from(expected))).toBe(0);
      expect(made.hashes.get(path)).toBe(hash(expected));
      expect(made.keys.get(path)).toBe("daily-export-1:101");
      expect([...made.hashes.keys()]).toEqual([path]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("is not read when the slot holds it made from the same key, and keeps the slot's hash", async () => {
    const root = mkdtempSync(join(tmpdir(), "webstats-apart-"));
    try {
      mkdirSync(join(root, "api/v1/export/daily"), { recursive: true });
      writeFileSync(join(root, path), "made by an earlier build");
      const read: IsoDate[] = [];
      const made = await makeMonthsApart(packed, slotWith(root, new Map([[path, "daily-export-1:101"]])), readMonth(read));
      expect(read).toEqual([]);
      expect(made.written).toBe(0);
      expect(made.hashes.get(path)).toBe("0123456789abcdef0123456789abcdef");
      expect(readFileSync(join(root, path), "utf8")).toBe("made by an earlier build");
      // The same key, but the file is gone behind the manifest's back: made again, not assumed.
      rmSync(join(root, path));
      const again = await makeMonthsApart(packed, slotWith(root, new Map([[path, "daily-export-1:101"]])), readMonth(read));
      expect(read).toEqual([month]);
      expect(again.written).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
