// The static JSON API built from the small-s1 fixture, checked against what the code under
// test does not produce: the legacy server's golden .tab files and category pages, the
// fixture's raw download rows (last 30 days counted here, from the spec's rules), and the JSON
// Schemas in assets/api/v1/.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { readRowsFile } from "../src/sources/rows-file.js";
import { apiValidator, SCHEMAS } from "./helpers/api-schemas.js";
import { smallS1Store, type CreatedStore } from "./helpers/backends.js";
import { extractTarGz, FIXTURES, outLimits, suiteDir } from "./helpers/temp.js";

const FIXTURE = join(FIXTURES, "small-s1");
const KEYS: Record<string, string> = { bioc: "bioc", annotation: "data-annotation", experiment: "data-experiment", workflows: "workflows" };
const PREFIX: Record<string, string> = { bioc: "bioc", "data-annotation": "annotation", "data-experiment": "experiment", workflows: "workflows" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const COUNTED = new Set(["200", "301", "302", "307", "308"]); // the spec's statuses, typed again on purpose

// The spec's collation order, written out here rather than imported.
const collator = new Intl.Collator("en-US", { ignorePunctuation: true });
const collate = (a: string, b: string) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

interface Point {
  downloads: number;
  distinctIPs: number;
}
interface Summary {
  name: string;
  category: string;
  firstVersion: string | null;
  lastVersion: string | null;
  inCurrentRelease: boolean;
  score: number | null;
  rank: number | null;
  totalDownloads: number;
  last30Days: Point;
  lastDay: number;
  lastWeek: number;
  lastMonth: number;
  page: string | null;
  json: string;
}
interface PackageFile extends Summary {
  monthly: Array<Point & { month: string }>;
  yearly: Array<Point & { year: number }>;
  daily: DayPoint[];
}
interface DayPoint extends Point {
  day: string;
}
interface DailyRecord {
  package: string;
  category: string;
  day: string;
  downloads: number;
}
interface ExportRecord extends Point {
  package: string;
  category: string;
  month: string;
}

/** A golden `*_stats.tab`: month `YYYY-MM` → counts, year → counts of its `all` line. */
function parseStatsTab(text: string): { monthly: Map<string, Point>; yearly: Map<number, Point> } {
  const monthly = new Map<string, Point>();
  const yearly = new Map<number, Point>();
  const [header, ...lines] = text.split("\n");
  expect(header).toBe("Year\tMonth\tNb_of_distinct_IPs\tNb_of_downloads");
  for (const line of lines) {
    const [year, mon, ips, downloads] = line.split("\t");
    const point = { distinctIPs: Number(ips), downloads: Number(downloads) };
    if (mon === "all") yearly.set(Number(year), point);
    else monthly.set(`${year}-${String(MONTHS.indexOf(mon!) + 1).padStart(2, "0")}`, point);
  }
  return { monthly, yearly };
}

function readCsv(text: string): string[][] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split(","));
}

function isoPlusDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

interface DayCount {
  downloads: number;
  ips: Set<string>;
}

/** The fixture's raw rows recounted per day, by the spec's rules: per `CATEGORY\tPACKAGE\tDAY` and, known packages only, per `CATEGORY\tDAY`. */
function recountDays(rowsFile: string, known: ReadonlySet<string>): { packages: Map<string, DayCount>; categories: Map<string, DayCount> } {
  const packages = new Map<string, DayCount>();
  const categories = new Map<string, DayCount>();
  const count = (map: Map<string, DayCount>, key: string, ip: string) => {
    const c = map.get(key) ?? { downloads: 0, ips: new Set<string>() };
    c.downloads++;
    c.ips.add(ip);
    map.set(key, c);
  };
  for (const line of gunzipSync(readFileSync(rowsFile)).toString("utf8").split("\n").slice(1)) {
    if (!line) continue;
    const [date, ip, status, category, pkg] = line.split("\t") as [string, string, string, string, string];
    if (!COUNTED.has(status) || !known.has(`${category}\t${pkg}`)) continue;
    count(packages, `${category}\t${pkg}\t${date}`, ip);
    count(categories, `${category}\t${date}`, ip);
  }
  return { packages, categories };
}

describe("the JSON API of small-s1", () => {
  let work: string;
  let cleanup: () => void;
  let created: CreatedStore;
  let dist: string;
  let golden: string;
  let validThru: string;
  let packagesCsv: string[][];
  let index: {
    schemaVersion: number;
    lastUpdatedOn: string;
    scoreWindow: { from: string; to: string };
    last30Days: { from: string; to: string };
    packages: Summary[];
  };
  const api = (p: string) => join(dist, "api/v1", p);

  beforeAll(async () => {
    [work, cleanup] = suiteDir();
    golden = join(work, "expected");
    dist = join(work, "dist");
    (await import("node:fs")).mkdirSync(golden);
    extractTarGz(join(FIXTURE, "expected.tar.gz"), golden);
    created = await smallS1Store(); // FIXTURE's packages and downloads; PGlite: the API reads the same tables on both databases
    await buildSite(created.store, dist, outLimits(created.dataDir));
    validThru = readJson<{ validThru: string }>(join(FIXTURE, "info.json")).validThru;
    packagesCsv = readCsv(readFileSync(join(FIXTURE, "packages.csv"), "utf8").replaceAll('""', "")).slice(1);
    index = readJson(api("packages.json"));
  }, 120_000);

  afterAll(async () => {
    await created?.store.close();
    await created?.drop();
    cleanup?.();
  });

  it("validates every file against its JSON Schema", () => {
    const ajv = apiValidator();
    // the schemas the tree serves are the ones in assets/
    const served = readdirSync(api("schemas")).sort();
    expect(served).toEqual(readdirSync(SCHEMAS).sort());
    for (const name of served) expect(readFileSync(api(`schemas/${name}`), "utf8")).toBe(readFileSync(join(SCHEMAS, name), "utf8"));
    const check = (schema: string, data: unknown, what: string) => {
      const ok = ajv.validate(schema, data);
      expect(ok ? [] : ajv.errors, `${what} against ${schema}`).toEqual([]);
    };
    const all = filesUnder(join(dist, "api/v1")).map((f) => f.slice(join(dist, "api/v1/").length));
    let checked = 0;
    let dailyFiles = 0;
    for (const path of all) {
      if (path.startsWith("schemas/")) continue;
      checked++;
      if (path === "packages.json") check("packages.schema.json", readJson(api(path)), path);
      else if (path.startsWith("packages/")) check("package.schema.json", readJson(api(path)), path);
      else if (path.startsWith("categories/")) check("category.schema.json", readJson(api(path)), path);
      else if (path === "export/index.json") check("export-index.schema.json", readJson(api(path)), path);
      else if (path.startsWith("export/pages/")) {
        for (const line of readFileSync(api(path), "utf8").trimEnd().split("\n")) check("export-record.schema.json", JSON.parse(line), path);
      } else if (path.startsWith("export/daily/")) {
        dailyFiles++;
        for (const line of gunzipSync(readFileSync(api(path)))
          .toString("utf8")
          .trimEnd()
          .split("\n"))
          check("export-daily-record.schema.json", JSON.parse(line), path);
      } else if (path === "export/stats.ndjson.gz") {
        for (const line of gunzipSync(readFileSync(api(path)))
          .toString("utf8")
          .trimEnd()
          .split("\n"))
          check("export-record.schema.json", JSON.parse(line), path);
      } else if (path !== "export/stats.csv.gz") throw new Error(`a file no schema covers: ${path}`);
    }
    expect(dailyFiles).toBeGreaterThan(12);
    expect(checked).toBe(1 + packagesCsv.length + 4 + 1 + 1 + 2 + dailyFiles);
    // and the schemas are strict enough to refuse a wrong file
    const pkg = readJson<PackageFile>(api(index.packages[0]!.json.slice("api/v1/".length)));
    expect(ajv.validate("package.schema.json", { ...pkg, extra: 1 })).toBe(false);
    expect(ajv.validate("package.schema.json", { ...pkg, category: "annotation" })).toBe(false);
    expect(ajv.validate("package.schema.json", { ...pkg, monthly: [{ month: "2024-13", downloads: 1, distinctIPs: 1 }] })).toBe(false);
  });

  it("lists every package of the packages table once, in collation order, with decoded releases", () => {
    expect(index.lastUpdatedOn).toBe(validThru);
    expect(index.last30Days).toEqual({ from: isoPlusDays(validThru, -29), to: validThru });
    const expected = packagesCsv
      .map(([name, category, first, last]) => ({ name: name!, category: KEYS[category!]!, first: first!, last: last || null }))
      .sort((a, b) => collate(a.name, b.name));
    expect(index.packages.map((p) => [p.name, p.category])).toEqual(expected.map((p) => [p.name, p.category]));
    const release = (s: string) => `${s[0]}.${Number(s.slice(1))}`;
    for (const [i, p] of index.packages.entries()) {
      const e = expected[i]!;
      expect(p.firstVersion).toBe(release(e.first));
      expect(p.lastVersion).toBe(e.last === null ? null : release(e.last));
      expect(p.inCurrentRelease).toBe(e.last === null);
      expect(p.json).toBe(`api/v1/packages/${p.category}/${p.name}.json`);
    }
    expect(index.packages.some((p) => !p.inCurrentRelease)).toBe(true);
  });

  it("gives every package the monthly and yearly numbers of its golden .tab file", () => {
    let withRows = 0;
    for (const s of index.packages) {
      const file = readJson<PackageFile & { schemaVersion: number; lastUpdatedOn: string; releaseRank: unknown; badges: unknown; filtered: unknown }>(
        join(dist, s.json),
      );
      const { monthly, yearly, daily: _daily, filtered: _filtered, schemaVersion, lastUpdatedOn, releaseRank: _rank, badges: _badges, ...summary } = file; // the badges: test/badges.test.ts; filtered: test/filtered-counts.test.ts
      expect(summary, s.name).toEqual(s);
      expect([schemaVersion, lastUpdatedOn]).toEqual([3, validThru]);
      const tab = join(golden, s.category, s.name, `${s.name}_stats.tab`);
      if (!existsSync(tab)) {
        expect([s.page, monthly, yearly, s.totalDownloads], s.name).toEqual([null, [], [], 0]);
        continue;
      }
      withRows++;
      expect(s.page).toBe(`${s.category}/${s.name}/`);
      expect(existsSync(join(golden, s.page!, "index.html"))).toBe(true);
      const g = parseStatsTab(readFileSync(tab, "utf8"));
      // monthly: from the first month with downloads through ValidThru's month, zeros where the .tab has none
      const withDownloads = [...g.monthly]
        .filter(([, p]) => p.downloads > 0)
        .map(([m]) => m)
        .sort();
      expect(monthly[0]!.month, s.name).toBe(withDownloads[0]);
      expect(monthly.at(-1)!.month).toBe(validThru.slice(0, 7));
      for (const [i, point] of monthly.entries()) {
        if (i > 0) expect(point.month > monthly[i - 1]!.month).toBe(true);
        const { month, ...counts } = point;
        expect(counts, `${s.name} ${month}`).toEqual(g.monthly.get(month) ?? { downloads: 0, distinctIPs: 0 });
      }
      expect(monthly.filter((p) => p.downloads > 0).map((p) => p.month)).toEqual(withDownloads);
      // yearly: the .tab's `all` lines, zeros for years without one, through ValidThru's year
      const years = [...g.yearly.keys()].sort();
      expect(yearly.map((p) => p.year)).toEqual(Array.from({ length: Number(validThru.slice(0, 4)) - years[0]! + 1 }, (_, i) => years[0]! + i));
      for (const { year, ...counts } of yearly) expect(counts, `${s.name} ${year}`).toEqual(g.yearly.get(year) ?? { downloads: 0, distinctIPs: 0 });
      expect(s.totalDownloads).toBe([...g.yearly.values()].reduce((a, p) => a + p.downloads, 0));
    }
    expect(withRows).toBeGreaterThan(30);
  });

  it("scores packages as the golden scores files do, and ranks them consistently", () => {
    for (const key of Object.values(KEYS)) {
      const [, ...lines] = readFileSync(join(golden, key, `${PREFIX[key]}_pkg_scores.tab`), "utf8")
        .trimEnd()
        .split("\n");
      const scores = new Map(lines.map((l) => l.split("\t")).map(([n, s]) => [n!, Number(s)]));
      const mine = index.packages.filter((p) => p.category === key);
      for (const p of mine) {
        expect(p.score, `${key}/${p.name}`).toBe(scores.get(p.name) ?? null);
        expect(p.rank === null).toBe(p.score === null);
      }
      expect(mine.filter((p) => p.score !== null).length).toBe(scores.size);
      const scored = mine.filter((p) => p.rank !== null).sort((a, b) => a.rank! - b.rank!);
      if (scored.length > 0) expect(scored[0]!.rank).toBe(1);
      for (let i = 1; i < scored.length; i++) expect(scored[i]!.score!).toBeLessThanOrEqual(scored[i - 1]!.score!);
    }
  });

  it("gives each category its golden combined numbers and the top list of its golden page", () => {
    for (const key of Object.values(KEYS)) {
      const c = readJson<{
        category: string;
        packageCount: number;
        scoreWindow: unknown;
        top: Array<{ rank: number; name: string; score: number }>;
        monthly: PackageFile["monthly"];
        yearly: PackageFile["yearly"];
      }>(api(`categories/${key}.json`));
      expect(c.category).toBe(key);
      expect(c.packageCount).toBe(index.packages.filter((p) => p.category === key).length);
      expect(c.scoreWindow).toEqual(index.scoreWindow);
      const g = parseStatsTab(readFileSync(join(golden, key, `${key}_stats.tab`), "utf8"));
      for (const { month, ...counts } of c.monthly) expect(counts, `${key} ${month}`).toEqual(g.monthly.get(month) ?? { downloads: 0, distinctIPs: 0 });
      expect(c.monthly.filter((p) => p.downloads > 0).length).toBe([...g.monthly.values()].filter((p) => p.downloads > 0).length);
      for (const { year, ...counts } of c.yearly) expect(counts, `${key} ${year}`).toEqual(g.yearly.get(year) ?? { downloads: 0, distinctIPs: 0 });
      expect(c.yearly.filter((p) => g.yearly.has(p.year)).length).toBe(g.yearly.size);
      // the golden category page's top list: rank cell, then `NAME&nbsp;(SCORE)` linking to KEY/NAME/
      const html = readFileSync(join(golden, key === "bioc" ? "index.html" : `${key}.html`), "utf8");
      const top = [...html.matchAll(/text-align: right">(\d+)<\/td>\s*<td>\s*<a href="[^"/]+\/([^"/]+)\/">\s*([^&<]+)&nbsp;\((\d+)\)/g)].map((m) => {
        expect(m[2]).toBe(m[3]!.trim());
        return { rank: Number(m[1]), name: m[2]!, score: Number(m[4]) };
      });
      top.sort((a, b) => a.rank - b.rank || collate(a.name, b.name));
      // The page shows 3 * floor(n / 3) of the first n = min(topN, scored) by rank (three
      // columns); the API lists all n.
      const topN = { bioc: 75, "data-annotation": 30, "data-experiment": 15, workflows: 0 }[key]!;
      const scored = index.packages.filter((p) => p.category === key && p.rank !== null).length;
      expect(c.top.length).toBe(Math.min(topN, scored));
      expect(top.length).toBe(3 * Math.floor(c.top.length / 3));
      expect(c.top.slice(0, top.length), key).toEqual(top);
      for (const t of c.top) expect(index.packages.find((p) => p.name === t.name && p.category === key)).toMatchObject({ rank: t.rank, score: t.score });
      for (let i = 1; i < c.top.length; i++) expect(c.top[i]!.rank).toBeGreaterThanOrEqual(c.top[i - 1]!.rank);
      if (key !== "workflows") expect(top.length).toBeGreaterThan(0);
    }
  });

  it("counts the last 30 days as the raw download rows do", () => {
    const known = new Set(packagesCsv.map(([name, category]) => `${category}\t${name}`));
    const from = isoPlusDays(validThru, -29);
    const counts = new Map<string, { downloads: number; ips: Set<string> }>();
    const rows = gunzipSync(readFileSync(join(FIXTURE, "downloads.tsv.gz")))
      .toString("utf8")
      .split("\n")
      .slice(1);
    for (const line of rows) {
      if (!line) continue;
      const [date, ip, status, category, pkg] = line.split("\t") as [string, string, string, string, string];
      if (date < from || date > validThru || !COUNTED.has(status) || !known.has(`${category}\t${pkg}`)) continue;
      const c = counts.get(pkg) ?? { downloads: 0, ips: new Set<string>() };
      c.downloads++;
      c.ips.add(ip);
      counts.set(pkg, c);
    }
    expect(counts.size).toBeGreaterThan(10);
    for (const p of index.packages) {
      const c = counts.get(p.name);
      expect(p.last30Days, p.name).toEqual({ downloads: c?.downloads ?? 0, distinctIPs: c?.ips.size ?? 0 });
    }
  });

  it("exports the per-package records in full (NDJSON, CSV) and in pages that add up", () => {
    const fromPackages: ExportRecord[] = [];
    for (const s of index.packages) {
      const file = readJson<PackageFile>(join(dist, s.json));
      for (const p of file.monthly)
        if (p.downloads > 0) fromPackages.push({ package: s.name, category: s.category, month: p.month, downloads: p.downloads, distinctIPs: p.distinctIPs });
    }
    // Month first, then package (collation), then category: a new day only appends.
    const sorted = [...fromPackages].sort((a, b) => a.month.localeCompare(b.month) || collate(a.package, b.package) || a.category.localeCompare(b.category));
    expect(new Set(sorted.map((r) => r.month)).size).toBeGreaterThan(12);

    const ndjson = gunzipSync(readFileSync(api("export/stats.ndjson.gz"))).toString("utf8");
    expect(ndjson.endsWith("\n")).toBe(true);
    expect(
      ndjson
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as ExportRecord),
    ).toEqual(sorted);

    const csv = gunzipSync(readFileSync(api("export/stats.csv.gz"))).toString("utf8");
    const [header, ...rows] = readCsv(csv);
    expect(header).toEqual(["package", "category", "month", "downloads", "distinctIPs"]);
    expect(rows).toEqual(sorted.map((r) => [r.package, r.category, r.month, String(r.downloads), String(r.distinctIPs)]));

    const exportIndex = readJson<{
      lastUpdatedOn: string;
      records: number;
      pageSize: number;
      pages: Array<{ path: string; records: number }>;
      full: { ndjson: string; csv: string };
    }>(api("export/index.json"));
    expect(exportIndex.lastUpdatedOn).toBe(validThru);
    expect(exportIndex.records).toBe(sorted.length);
    expect(exportIndex.pageSize).toBe(10_000);
    expect(exportIndex.pages.reduce((a, p) => a + p.records, 0)).toBe(sorted.length);
    expect(exportIndex.full).toEqual({ ndjson: "stats.ndjson.gz", csv: "stats.csv.gz" });
    let joined = "";
    for (const [i, page] of exportIndex.pages.entries()) {
      expect(page.path).toBe(`pages/stats-${String(i + 1).padStart(5, "0")}.ndjson`);
      const text = readFileSync(api(`export/${page.path}`), "utf8");
      expect(text.split("\n").length - 1).toBe(page.records);
      if (i < exportIndex.pages.length - 1) expect(page.records).toBe(exportIndex.pageSize);
      joined += text;
    }
    expect(joined).toBe(ndjson);
    expect(readdirSync(api("export/pages")).length).toBe(exportIndex.pages.length);
  });

  it("gives every package and category its 365 days ending at ValidThru as the raw download rows count them", () => {
    const known = new Set(packagesCsv.map(([name, category]) => `${category}\t${name}`));
    const { packages, categories } = recountDays(join(FIXTURE, "downloads.tsv.gz"), known);
    const days = Array.from({ length: 365 }, (_, i) => isoPlusDays(validThru, i - 364));
    const point = (c: DayCount | undefined) => ({ downloads: c?.downloads ?? 0, distinctIPs: c?.ips.size ?? 0 });
    const sumOver = (db: string, name: string, n: number) => days.slice(-n).reduce((a, d) => a + (packages.get(`${db}\t${name}\t${d}`)?.downloads ?? 0), 0);
    let withDays = 0;
    for (const s of index.packages) {
      const db = PREFIX[s.category]!;
      const file = readJson<PackageFile>(join(dist, s.json));
      expect(file.daily.map((p) => p.day)).toEqual(days);
      expect(file.daily, s.name).toEqual(days.map((day) => ({ day, ...point(packages.get(`${db}\t${s.name}\t${day}`)) })));
      expect([s.lastDay, s.lastWeek, s.lastMonth], s.name).toEqual([sumOver(db, s.name, 1), sumOver(db, s.name, 7), sumOver(db, s.name, 30)]);
      expect(s.lastMonth).toBe(s.last30Days.downloads);
      if (s.lastMonth > 0) withDays++;
    }
    expect(withDays).toBeGreaterThan(10);
    expect(index.packages.some((p) => p.lastDay > 0 && p.lastWeek > p.lastDay)).toBe(true);
    for (const key of Object.values(KEYS)) {
      const db = PREFIX[key]!;
      const c = readJson<{ daily: DayPoint[] }>(api(`categories/${key}.json`));
      expect(c.daily, key).toEqual(days.map((day) => ({ day, ...point(categories.get(`${db}\t${day}`)) })));
    }
    // A category's distinct IPs of a day are not its packages' summed: the fixture has days where they differ.
    const summed = new Map<string, number>();
    for (const [k, v] of packages) {
      const [db, , day] = k.split("\t");
      summed.set(`${db}\t${day}`, (summed.get(`${db}\t${day}`) ?? 0) + v.ips.size);
    }
    expect([...categories].some(([k, v]) => v.ips.size < summed.get(k)!)).toBe(true);
  });

  it("exports every package-day with downloads, a file a month since the first, listed in export/index.json", () => {
    const known = new Set(packagesCsv.map(([name, category]) => `${category}\t${name}`));
    const { packages } = recountDays(join(FIXTURE, "downloads.tsv.gz"), known);
    const all: DailyRecord[] = [...packages].map(([k, v]) => {
      const [db, pkg, day] = k.split("\t") as [string, string, string];
      return { package: pkg, category: KEYS[db]!, day, downloads: v.downloads };
    });
    all.sort((a, b) => a.day.localeCompare(b.day) || collate(a.package, b.package) || a.category.localeCompare(b.category));
    const months: string[] = [];
    for (let m = all[0]!.day.slice(0, 7); m <= validThru.slice(0, 7);) {
      months.push(m);
      const [y, mo] = m.split("-").map(Number) as [number, number];
      m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
    }
    const exportIndex = readJson<{ daily: Array<{ path: string; month: string; records: number }> }>(api("export/index.json"));
    expect(exportIndex.daily.map((f) => f.month)).toEqual(months);
    expect(readdirSync(api("export/daily")).sort()).toEqual(months.map((m) => `${m}.ndjson.gz`));
    for (const f of exportIndex.daily) {
      expect(f.path).toBe(`daily/${f.month}.ndjson.gz`);
      const text = gunzipSync(readFileSync(api(`export/${f.path}`))).toString("utf8");
      const want = all.filter((r) => r.day.startsWith(f.month));
      expect(text.split("\n").length - 1).toBe(want.length);
      expect(f.records).toBe(want.length);
      expect(
        text
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => JSON.parse(l) as DailyRecord),
        f.month,
      ).toEqual(want);
    }
  });

  it("keeps the bytes of a past month's daily file when a new day comes in", async () => {
    const before = new Map(readdirSync(api("export/daily")).map((f) => [f, readFileSync(api(`export/daily/${f}`))]));
    const next = isoPlusDays(validThru, 1); // 2025-06-18: the same month as ValidThru
    const rows = join(work, "next-day.tsv");
    (await import("node:fs")).writeFileSync(
      rows,
      `date\tc-ip\tsc-status\tcategory\tpackage\n${next}\t10.9.9.9\t200\tbioc\t${index.packages.find((p) => p.category === "bioc")!.name}\n`,
    );
    await ingestRows(created.store, inBatches(readRowsFile(rows)));
    const dist2 = join(work, "dist2");
    await buildSite(created.store, dist2, outLimits(created.dataDir));
    const after = new Map(readdirSync(join(dist2, "api/v1/export/daily")).map((f) => [f, readFileSync(join(dist2, "api/v1/export/daily", f))]));
    expect([...after.keys()]).toEqual([...before.keys()]);
    const current = `${next.slice(0, 7)}.ndjson.gz`;
    for (const [f, bytes] of before) {
      if (f === current) expect(Buffer.compare(after.get(f)!, bytes), f).not.toBe(0);
      else expect(Buffer.compare(after.get(f)!, bytes), f).toBe(0);
    }
  });
});
