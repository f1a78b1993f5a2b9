// The API's `filtered` series (counts without crawlers and repeats) of a site built from the small
// fixture with crawlers and CI repeaters planted into it (helpers/planted.ts): every package's
// and category's filtered monthly, yearly and daily numbers must equal the legacy counts of the
// same data without the planted rows, recounted here from those rows by the legacy rules (not by
// the code under test), to the point; the legacy numbers beside them those of all the rows.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import type { DownloadRow } from "../src/domain/types.js";
import { DEFAULT_CRAWLER_PACKAGES as K } from "../src/summaries/crawlers.js";
import { rebuildSummaries } from "../src/summaries/rebuild.js";
import { apiValidator } from "./helpers/api-schemas.js";
import { BACKENDS, type Backend, type CreatedStore } from "./helpers/backends.js";
import { COUNTED, fixtureData, withPlantedRows } from "./helpers/planted.js";
import { outLimits, tempDir } from "./helpers/temp.js";

const KEYS: Record<string, string> = { bioc: "bioc", annotation: "data-annotation", experiment: "data-experiment", workflows: "workflows" }; // typed again on purpose

interface Point {
  downloads: number;
  distinctIPs: number;
}
type Month = Point & { month: string };
type Year = Point & { year: number };
type Day = Point & { day: string };
interface Series {
  monthly: Month[];
  yearly: Year[];
  daily: Day[];
}
interface SubjectFile extends Series {
  schemaVersion: number;
  filtered: (Series & { crawlerPackages: number; rule: string }) | null;
}

/** Per subject (`CATEGORY\tPACKAGE`, or `CATEGORY` for a category's packages combined) and period (YYYY-MM, YYYY, YYYY-MM-DD): downloads and IPs. */
function recount(rows: readonly DownloadRow[], known: ReadonlySet<string>): Map<string, Map<string, { downloads: number; ips: Set<string> }>> {
  const out = new Map<string, Map<string, { downloads: number; ips: Set<string> }>>();
  for (const r of rows) {
    if (!COUNTED.has(r.status) || !known.has(`${r.category}\t${r.package}`)) continue;
    for (const subject of [`${r.category}\t${r.package}`, r.category]) {
      let periods = out.get(subject);
      if (!periods) out.set(subject, (periods = new Map()));
      for (const period of [r.date.slice(0, 7), r.date.slice(0, 4), r.date]) {
        const c = periods.get(period) ?? { downloads: 0, ips: new Set<string>() };
        c.downloads++;
        c.ips.add(r.ip);
        periods.set(period, c);
      }
    }
  }
  return out;
}

/** The file's points with the recount's numbers in place of theirs (zeros where it has none). */
function expected(series: Series, counts: Map<string, { downloads: number; ips: Set<string> }> | undefined): Series {
  const at = (period: string): Point => {
    const c = counts?.get(period);
    return { downloads: c?.downloads ?? 0, distinctIPs: c?.ips.size ?? 0 };
  };
  return {
    monthly: series.monthly.map((p) => ({ month: p.month, ...at(p.month) })),
    yearly: series.yearly.map((p) => ({ year: p.year, ...at(String(p.year)) })),
    daily: series.daily.map((p) => ({ day: p.day, ...at(p.day) })),
  };
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** Every package and category file of a built tree: [subject key as recount() has it, file]. */
function subjectFiles(dist: string): Array<[string, string, SubjectFile]> {
  const api = join(dist, "api/v1");
  const files: Array<[string, string, SubjectFile]> = [];
  for (const [db, key] of Object.entries(KEYS)) {
    files.push([db, `categories/${key}.json`, readJson(join(api, `categories/${key}.json`))]);
    for (const f of readdirSync(join(api, "packages", key)))
      files.push([`${db}\t${f.slice(0, -5)}`, `packages/${key}/${f}`, readJson(join(api, "packages", key, f))]);
  }
  return files;
}

/** A store of `backend` holding the planted fixture data, for `run`; dropped afterwards. */
async function withPlanted(backend: Backend, run: (created: CreatedStore, data: Awaited<ReturnType<typeof fixtureData>>) => Promise<void>): Promise<void> {
  const data = await fixtureData();
  const created = await backend.createFilled("planted", withPlantedRows);
  try {
    await run(created, data);
  } finally {
    await created.store.close();
    await created.drop();
  }
}

/** A package's or a category's file against its schema: no errors. */
function expectValid(ajv: ReturnType<typeof apiValidator>, path: string, file: SubjectFile): void {
  expect(ajv.validate(path.startsWith("packages/") ? "package.schema.json" : "category.schema.json", file) ? [] : ajv.errors, path).toEqual([]);
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the API's counts without crawlers and repeats on ${backend.name}`, () => {
    it("equal, to the point, a recount of the fixture data without the planted crawlers and CI repeaters", async () => {
      await withPlanted(backend, async (created, { packages, clean, planted }) => {
        const { store } = created;
        const dist = join(tempDir(), "dist");
        await buildSite(store, dist, outLimits(created.dataDir));

        const known = new Set(packages.map((p) => `${p.category}\t${p.name}`));
        const cleanCounts = recount(clean, known);
        const allCounts = recount([...clean, ...planted], known);
        const ajv = apiValidator();
        const files = subjectFiles(dist);
        expect(files.length).toBe(4 + packages.length);
        let differ = 0;
        let dailyDiffer = 0;
        for (const [subject, path, file] of files) {
          expectValid(ajv, path, file);
          expect(file.schemaVersion).toBe(3);
          const { filtered } = file;
          expect(filtered, path).not.toBeNull();
          expect([filtered!.crawlerPackages, filtered!.rule.includes(`more than ${K} distinct packages`)]).toEqual([K, true]);
          // The legacy series count every row, planted or not…
          expect({ monthly: file.monthly, yearly: file.yearly, daily: file.daily }, `${path} legacy`).toEqual(expected(file, allCounts.get(subject)));
          // …and the filtered ones span the same points, with the numbers of the clean rows.
          const points = { monthly: filtered!.monthly, yearly: filtered!.yearly, daily: filtered!.daily };
          expect(points, `${path} filtered`).toEqual(expected(file, cleanCounts.get(subject)));
          if (JSON.stringify(points.monthly) !== JSON.stringify(file.monthly)) differ++;
          if (JSON.stringify(points.daily) !== JSON.stringify(file.daily)) dailyDiffer++;
        }
        // Every recounted month of the clean data is somewhere in a file (none is missing from the series).
        for (const [subject, periods] of cleanCounts) {
          const file = files.find(([s]) => s === subject)![2];
          for (const [period, c] of periods) {
            if (period.length === 7) expect(file.filtered!.monthly.find((p) => p.month === period)?.downloads, `${subject} ${period}`).toBe(c.downloads);
          }
        }
        // The planted rows are in the legacy numbers: the test sees the difference, in months and in days.
        expect(differ).toBeGreaterThan(10);
        expect(dailyDiffer).toBeGreaterThan(0);
      });
    }, 240_000);

    it("says filtered: null while the summary tables are not complete, and gives the K they were counted with", async () => {
      await withPlanted(backend, async (created) => {
        const { store } = created;
        const dir = tempDir();
        await buildSite(store, join(dir, "before"), outLimits(created.dataDir));
        // As sql/007 leaves a database that had downloads before it, until summarize.
        await sql`update webstats_info set value = 'missing' where key = 'SummaryTables'`.execute(store.db);
        const warnings: string[] = [];
        await buildSite(store, join(dir, "missing"), outLimits(created.dataDir), undefined, undefined, (line) => warnings.push(line));
        expect(warnings).toEqual([expect.stringMatching(/counts without crawlers and repeats are not complete .*webstats summarize/)]);
        const ajv = apiValidator();
        const before = new Map(subjectFiles(join(dir, "before")).map(([, path, file]) => [path, file]));
        for (const [, path, file] of subjectFiles(join(dir, "missing"))) {
          expectValid(ajv, path, file);
          expect(file.filtered, path).toBeNull();
          expect({ ...file, filtered: null }, path).toEqual({ ...before.get(path)!, filtered: null });
        }

        // summarize with another K: complete again, counted with that K.
        await rebuildSummaries(store, null, undefined, K - 1);
        await buildSite(store, join(dir, "other-k"), outLimits(created.dataDir));
        const files = subjectFiles(join(dir, "other-k"));
        expect(new Set(files.map(([, , f]) => f.filtered?.crawlerPackages))).toEqual(new Set([K - 1]));
        expect(files[0]![2].filtered!.rule).toContain(`more than ${K - 1} distinct packages`);
      });
    }, 240_000);
  });
}
