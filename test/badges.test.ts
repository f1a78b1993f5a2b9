// The download badges built from the small-s1 fixture, checked against what the code under test
// does not produce: the legacy server's golden scores and stats files (ranks and N recounted
// here from them and packages.csv), and each package's API file for what its badges must say.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DomUtils, ElementType, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import type { PackageName } from "../src/domain/types.js";
import { readPackagesCsv } from "../src/sources/packages-csv.js";
import { smallS1Store, type CreatedStore } from "./helpers/backends.js";
import { extractTarGz, FIXTURES, outLimits, suiteDir } from "./helpers/temp.js";

const FIXTURE = join(FIXTURES, "small-s1");
const KEYS: Record<string, string> = { bioc: "bioc", annotation: "data-annotation", experiment: "data-experiment", workflows: "workflows" };
const PREFIX: Record<string, string> = { bioc: "bioc", "data-annotation": "annotation", "data-experiment": "experiment", workflows: "workflows" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// A last_version that another tool wrote into the table (varchar(8)); the API shows it as it is.
const HOSTILE = `<svg>&"'`;

interface PackageFile {
  name: string;
  category: string;
  lastVersion: string | null;
  inCurrentRelease: boolean;
  totalDownloads: number;
  last30Days: { downloads: number };
  json: string;
  releaseRank: { rank: number; of: number } | null;
  badges: { rank: string; lastMonth: string; total: string };
}

/** cranlogs' pretty_count (routes/badges.js), typed again here, with 999,500+ as 1M. */
function cranlogsCount(n: number): string {
  if (n >= 999_500) return `${Math.round(n / 100_000) / 10}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}K`;
  return String(n);
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** What a shields badge says: its <title> (label: message) and its visible texts (not the shadows). */
function badgeText(svg: string): { title: string; texts: string[]; width: number } {
  const doc = parseDocument(svg, { xmlMode: true });
  const roots = doc.children.flatMap((n) => (n.type === ElementType.Tag ? [n] : [])); // narrowed to Element
  expect(roots.length).toBe(1);
  const root = roots[0]!;
  expect([DomUtils.getName(root), DomUtils.getAttributeValue(root, "xmlns")]).toEqual(["svg", "http://www.w3.org/2000/svg"]);
  const title = DomUtils.getElementsByTagName("title", root);
  expect(title.length).toBe(1);
  expect(DomUtils.getElementsByTagName("svg", doc).length).toBe(1);
  // badge-maker draws each text three times: two shadows in an aria-hidden group, then the text
  const visible = DomUtils.getElementsByTagName("text", root).filter(
    (t) => (t.parent as { attribs?: Record<string, string> } | null)?.attribs?.["aria-hidden"] !== "true",
  );
  return {
    title: DomUtils.textContent(title[0]!),
    texts: visible.map((t) => DomUtils.textContent(t)),
    width: Number(DomUtils.getAttributeValue(root, "width")),
  };
}

describe("the download badges of small-s1", () => {
  let work: string;
  let cleanup: () => void;
  let created: CreatedStore;
  let dist: string;
  let golden: string;
  let validThru: string;
  let csv: Array<{ name: string; key: string; current: boolean }>;
  let files: PackageFile[];
  let hostile: string;

  beforeAll(async () => {
    [work, cleanup] = suiteDir();
    golden = join(work, "expected");
    dist = join(work, "dist");
    mkdirSync(golden);
    extractTarGz(join(FIXTURE, "expected.tar.gz"), golden);
    created = await smallS1Store(); // FIXTURE's packages and downloads; PGlite: badges come from the same model on both databases
    const records = await readPackagesCsv(join(FIXTURE, "packages.csv"));
    // one removed package whose last_version only another tool could have written
    const removed = records.filter((r) => r.lastVersion !== null).sort((a, b) => (a.name < b.name ? -1 : 1))[0]!;
    hostile = removed.name;
    await created.store.db
      .updateTable("packages")
      .set({ last_version: HOSTILE })
      .where("package", "=", removed.name as PackageName)
      .execute();
    await buildSite(created.store, dist, outLimits(created.dataDir));
    validThru = readJson<{ validThru: string }>(join(FIXTURE, "info.json")).validThru;
    csv = records.map((r) => ({ name: r.name, key: KEYS[r.category]!, current: r.lastVersion === null }));
    const index = readJson<{ packages: Array<{ json: string }> }>(join(dist, "api/v1/packages.json"));
    files = index.packages.map((p) => readJson<PackageFile>(join(dist, p.json)));
  }, 120_000);

  afterAll(async () => {
    await created?.store.close();
    await created?.drop();
    cleanup?.();
  });

  it("ranks the packages of the current release as the golden scores and stats files do, N the category's packages in the release", () => {
    // The score window: the 12 months before ValidThru's month, as month numbers year * 12 + m.
    const current = Number(validThru.slice(0, 4)) * 12 + Number(validThru.slice(5, 7)) - 1;
    let ties = 0;
    let unscored = 0;
    for (const key of Object.values(KEYS)) {
      const [, ...scoreLines] = readFileSync(join(golden, key, `${PREFIX[key]}_pkg_scores.tab`), "utf8")
        .trimEnd()
        .split("\n");
      const scores = new Map(scoreLines.map((l) => l.split("\t")).map(([n, s]) => [n!, Number(s)]));
      // The window sums (what the category page ranks by) from the golden per-package stats
      const sums = new Map<string, number>();
      const [, ...statLines] = readFileSync(join(golden, key, `${PREFIX[key]}_pkg_stats.tab`), "utf8").split("\n");
      for (const line of statLines) {
        const [name, year, mon, ips] = line.split("\t");
        const m = Number(year) * 12 + MONTHS.indexOf(mon!);
        if (mon !== "all" && m >= current - 12 && m < current) sums.set(name!, (sums.get(name!) ?? 0) + Number(ips));
      }
      for (const [name, score] of scores) expect(Math.floor((sums.get(name) ?? 0) / 12), `${key}/${name}`).toBe(score);

      const inRelease = csv.filter((p) => p.key === key && p.current);
      const scored = inRelease.filter((p) => scores.has(p.name)).map((p) => sums.get(p.name) ?? 0);
      ties += scored.length - new Set(scored).size;
      for (const p of inRelease) {
        const sum = scores.has(p.name) ? (sums.get(p.name) ?? 0) : null;
        if (sum === null) unscored++;
        const rank = sum === null ? scored.length + 1 : 1 + scored.filter((s) => s > sum).length;
        const file = files.find((f) => f.category === key && f.name === p.name)!;
        expect(file.releaseRank, `${key}/${p.name}`).toEqual({ rank, of: inRelease.length });
      }
      for (const f of files.filter((f) => f.category === key && !f.inCurrentRelease)) expect(f.releaseRank, `${key}/${f.name}`).toBeNull();
    }
    // the fixture holds the cases that matter
    expect(ties).toBeGreaterThan(2);
    expect(unscored).toBeGreaterThan(2);
    expect(files.some((f) => !f.inCurrentRelease && f.name !== hostile)).toBe(true);
  });

  it("draws three badges per package, saying what its API file says", () => {
    expect(files.length).toBe(csv.length);
    for (const f of files) {
      const dir = `badges/${f.category}/${f.name}`;
      expect(f.badges).toEqual({ rank: `${dir}/rank.svg`, lastMonth: `${dir}/last-month.svg`, total: `${dir}/total.svg` });
      const expected = {
        rank: f.releaseRank ? `rank ${f.releaseRank.rank} / ${f.releaseRank.of}` : `removed after ${f.lastVersion}`,
        lastMonth: `${cranlogsCount(f.last30Days.downloads)}/month`,
        total: cranlogsCount(f.totalDownloads),
      };
      for (const kind of ["rank", "lastMonth", "total"] as const) {
        const svg = badgeText(readFileSync(join(dist, f.badges[kind]), "utf8"));
        expect(svg.title, f.badges[kind]).toBe(`downloads: ${expected[kind]}`);
        expect(svg.texts).toEqual(["downloads", expected[kind]]);
        expect(svg.width).toBeGreaterThan(60);
      }
    }
    const all = readdirSync(join(dist, "badges"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(all.length).toBe(3 * files.length);
    expect(files.some((f) => f.last30Days.downloads > 0 && f.totalDownloads > f.last30Days.downloads)).toBe(true);
  });

  it("escapes a last_version from the table in the rank badge of a removed package", () => {
    const f = files.find((x) => x.name === hostile)!;
    expect([f.lastVersion, f.releaseRank]).toEqual([HOSTILE, null]);
    const raw = readFileSync(join(dist, f.badges.rank), "utf8");
    expect(raw).toContain("removed after &lt;svg&gt;&amp;&quot;&apos;<");
    expect(badgeText(raw).texts).toEqual(["downloads", `removed after ${HOSTILE}`]);
  });
});
