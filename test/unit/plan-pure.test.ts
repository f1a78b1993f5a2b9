// Renderers are pure (issue 12): any planned file renders alone, in any order, on any worker,
// and gives the same bytes as the whole plan rendered in order. The data makes two pages of the
// monthly export, so that the pages and the full file made from them are exercised, and four
// months of the daily export.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/categories.js";
import { dayNumber } from "../../src/domain/dates.js";
import type { IsoDate, PackageName, PeriodCounts } from "../../src/domain/types.js";
import type { SiteData } from "../../src/site/model.js";
import { renderPlanned, type SiteFile, type SitePlan } from "../../src/site/site-file.js";
import { runRenderJob, type RenderMessage } from "../../src/site/render-worker.js";
import { packSiteData } from "../../src/site/model.js";
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
      packages: new Map(names.flatMap((name, i) => (categoryOf(i) === category ? [[name, rowsOf(i)] as const] : []))),
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

describe("a daily export month whose days the model left out", () => {
  const plan = planSite(siteData(["2024-12"]));
  const file = (path: string) => plan.files.find((f) => "path" in f && f.path === path) as SiteFile;
  const held = "api/v1/export/daily/2024-12.ndjson.gz";

  it("is planned with its month's revision as its key, as every month is", () => {
    expect(file(held).key).toBe("daily-export-1:101");
    expect(file("api/v1/export/daily/2025-01.ndjson.gz").key).toBe("daily-export-1:102");
    expect(file("api/v1/export/index.json").key).toBeUndefined();
  });

  it("refuses to render (its days are not there) and says to build again", () => {
    expect(() => file(held).render()).toThrow(/2024-12\.ndjson\.gz: its days were not read.*build again/);
  });

  it("is not rendered by a worker whose slot holds it made from the same key, and keeps the slot's hash", () => {
    const root = mkdtempSync(join(tmpdir(), "webstats-keys-"));
    try {
      const messages: RenderMessage[] = [];
      const job = (keys: Map<string, string>) => ({
        packed: packSiteData(siteData(["2024-12"])),
        root,
        holds: new Map([[held, "0123456789abcdef0123456789abcdef"]]),
        keys,
        shard: 0,
        shards: 1,
        plan: { api: true },
      });
      mkdirSync(join(root, "api/v1/export/daily"), { recursive: true });
      writeFileSync(join(root, held), "made by an earlier build");
      runRenderJob(job(new Map([[held, "daily-export-1:101"]])), (m) => messages.push(m));
      const done = messages.find((m) => m.kind === "done");
      expect(done && new Map(done.hashes).get(held)).toBe("0123456789abcdef0123456789abcdef");
      expect(done && new Map(done.keys).get(held)).toBe("daily-export-1:101");
      expect(readFileSync(join(root, held), "utf8")).toBe("made by an earlier build");
      // The slot's file was made from another revision: the worker must render it, and cannot.
      messages.length = 0;
      runRenderJob(job(new Map([[held, "daily-export-1:99"]])), (m) => messages.push(m));
      expect(messages.at(-1)).toMatchObject({ kind: "failed", message: expect.stringMatching(/its days were not read/) });
      // The same key, but the file is gone behind the manifest's back: made again, not assumed.
      rmSync(join(root, held));
      messages.length = 0;
      runRenderJob(job(new Map([[held, "daily-export-1:101"]])), (m) => messages.push(m));
      expect(messages.at(-1)).toMatchObject({ kind: "failed", message: expect.stringMatching(/its days were not read/) });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
