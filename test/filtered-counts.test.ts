// Counts without crawlers and repeats, on fixture data: the small fixture's downloads, each
// counted (day, IP, package) kept once, are the "clean" data. Into them are planted crawlers
// (IPs with more than K packages on a day, one of them a fixture IP on a day it is otherwise
// absent) and CI repeaters (fixture IP-days whose downloads come back many times). The filtered
// counts of the planted data must equal the legacy counts of the clean data, to the row: stats,
// categorystats and the daily tables; after incremental ingests (new days, then restated days)
// and after summarize. The clean data also holds an IP with exactly K packages on one day: not
// a crawler.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { addDays } from "../src/domain/dates.js";
import type { DownloadRow, IsoDate } from "../src/domain/types.js";
import { NeedsSummarize } from "../src/errors.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { readPackagesCsv } from "../src/sources/packages-csv.js";
import { readRowsFile } from "../src/sources/rows-file.js";
import { seededRandom } from "../src/sources/synthetic-downloads.js";
import { getInfo } from "../src/store/info.js";
import { upsertPackages } from "../src/store/packages.js";
import { DEFAULT_CRAWLER_PACKAGES as K } from "../src/summaries/crawlers.js";
import { rebuildSummaries } from "../src/summaries/rebuild.js";
import { BACKENDS } from "./helpers/backends.js";
import { filteredOracle, filteredOutsideCounted, filteredSummaries, summaries } from "./helpers/oracle.js";
import { FIXTURES } from "./helpers/temp.js";

const DIR = join(FIXTURES, "small-s1");
const COUNTED = new Set([200, 301, 302, 307, 308]);
const row = (date: string, ip: string, status: number, category: string, pkg: string): DownloadRow => ({
  date: date as IsoDate,
  ip,
  status,
  category,
  package: pkg,
});

/** n distinct (package, category) pairs: the fixture's packages first, then names not in `packages`. */
function pairs(known: ReadonlyArray<{ name: string; category: string }>, n: number): Array<[string, string]> {
  const out: Array<[string, string]> = known.slice(0, n).map((p) => [p.name, p.category]);
  for (let i = 0; out.length < n; i++) out.push([`Unlisted${i}`, i % 2 ? "bioc" : "annotation"]);
  return out;
}

async function fixtureData() {
  const packages = await readPackagesCsv(join(DIR, "packages.csv"));
  const raw: DownloadRow[] = [];
  for await (const r of readRowsFile(join(DIR, "downloads.tsv.gz"))) raw.push(r);
  // Clean: each counted (day, IP, package, category) once; rows that do not count stay as they are.
  const seen = new Set<string>();
  const clean = raw.filter((r) => {
    if (!COUNTED.has(r.status)) return true;
    const key = `${r.date}|${r.ip}|${r.category}|${r.package}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const known = packages.map((p) => ({ name: p.name as string, category: p.category as string }));
  // At the limit, not over it: K pairs on one day (a large install), once each.
  clean.push(...pairs(known, K).map(([p, c]) => row("2024-05-20", "198.51.100.7", 200, c, p)));

  const rand = seededRandom(13);
  const planted: DownloadRow[] = [];
  // Crawlers: K+1 pairs on a day, some fetched twice or refused, on days across years.
  for (const day of ["2021-03-02", "2023-06-30", "2023-07-01", "2025-06-16"]) {
    for (const [p, c] of pairs(known, K + 1)) {
      planted.push(row(day, "66.249.66.1", 200, c, p));
      if (rand() < 0.1) planted.push(row(day, "66.249.66.1", rand() < 0.5 ? 302 : 404, c, p));
    }
  }
  // A fixture IP that crawls one day where it has no rows, and downloads normally on others.
  const ipDays = new Set(clean.map((r) => `${r.date}|${r.ip}`));
  const regular = clean[clean.length >> 1]!.ip;
  const crawlDay = ["2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03"].find((d) => !ipDays.has(`${d}|${regular}`))!;
  planted.push(...pairs(known, K + 40).map(([p, c]) => row(crawlDay, regular, 200, c, p)));
  // CI repeaters: every counted download of some fixture IP-days, again 1..9 times, with any counted status.
  const counted = clean.filter((r) => COUNTED.has(r.status) && r.ip !== "198.51.100.7");
  for (let i = 0; i < 16; i++) {
    const { date, ip } = counted[Math.floor(rand() * counted.length)]!;
    for (const r of counted.filter((x) => x.date === date && x.ip === ip)) {
      for (let j = 1 + Math.floor(rand() * 9); j > 0; j--) planted.push({ ...r, status: [200, 301, 302, 307, 308][j % 5]! });
    }
  }
  return { packages, clean, planted, crawlDay, regular };
}

const byDays = (rows: readonly DownloadRow[], first: string, last: string) => rows.filter((r) => r.date >= first && r.date <= last);

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`counts without crawlers and repeats on ${backend.name}`, () => {
    it("equal, to the row, the counts of the same fixture data without planted crawlers and CI repeaters", async () => {
      const { packages, clean, planted, crawlDay, regular } = await fixtureData();
      const [withThem, without] = [await backend.create(), await backend.create()];
      try {
        for (const s of [withThem, without]) await upsertPackages(s.store.db, packages);
        await ingestRows(without.store, inBatches(clean));
        const want = await summaries(without.store);
        // The clean data has no repeats and no crawlers: its filtered counts are its counts.
        expect(await filteredSummaries(without.store)).toEqual(want);

        // New days up to a split; then, beyond it, the clean days first and the planted ones restated over them.
        const all = [...clean, ...planted];
        const [first, split, last] = ["2021-01-01", "2023-06-30", "2025-06-17"] as [IsoDate, IsoDate, IsoDate];
        await ingestRows(withThem.store, inBatches(byDays(all, first, split)), { days: [first, split] });
        await ingestRows(withThem.store, inBatches(byDays(clean, addDays(split, 1), last)), { days: [addDays(split, 1), last] });
        const restated = [...new Set(byDays(planted, addDays(split, 1), last).map((r) => r.date))].sort();
        for (const day of restated) await ingestRows(withThem.store, inBatches(byDays(all, day, day)), { days: [day, day] });
        expect(restated).toContain(crawlDay);

        const got = await summaries(withThem.store);
        expect(got.stats).not.toEqual(want.stats); // the planted rows do change the legacy counts
        expect(await filteredSummaries(withThem.store)).toEqual(want);
        expect(await filteredOutsideCounted(withThem.store)).toEqual([]);
        // The fixture IP counts on its other days.
        expect(clean.some((r) => r.ip === regular && r.date !== crawlDay)).toBe(true);

        await rebuildSummaries(withThem.store, null);
        expect(await filteredSummaries(withThem.store)).toEqual(want);
        // A K below the large install's makes it a crawler: the counts are no longer those of the clean data.
        await rebuildSummaries(withThem.store, null, undefined, K - 1);
        expect((await filteredSummaries(withThem.store)).daily.length).toBeLessThan(want.daily.length);
      } finally {
        for (const s of [withThem, without]) {
          await s.store.close();
          await s.drop();
        }
      }
    }, 240_000);

    it("asks a database that had downloads before sql/007 for one summarize, which fills the filtered counts", async () => {
      const created = await backend.create();
      try {
        const { store } = created;
        await upsertPackages(store.db, [{ name: "affy" as never, category: "bioc", firstVersion: "310", lastVersion: null }]);
        const day = (ip: string, pkgs: number) => Array.from({ length: pkgs }, (_, i) => row("2025-03-04", ip, 200, "bioc", i ? `Unlisted${i}` : "affy"));
        await ingestRows(store, inBatches([...day("10.0.0.1", 1), ...day("10.0.0.1", 1), ...day("66.249.66.1", K + 1)]));
        // As the migration finds such a database: the new columns at their defaults, nothing counted.
        await sql`update webstats_month_ips set filtered_days = 0`.execute(store.db);
        await sql`delete from webstats_filtered_stats`.execute(store.db);
        await sql.raw(readFileSync(new URL("../sql/007_filtered_counts.sql", import.meta.url), "utf8")).execute(store.db);
        expect(await getInfo(store.db, "SummaryTables")).toBe("missing");
        await expect(ingestRows(store, inBatches(day("10.0.0.2", 1).map((r) => ({ ...r, date: "2025-03-05" as IsoDate }))))).rejects.toThrow(NeedsSummarize);
        await rebuildSummaries(store, null);
        expect(await getInfo(store.db, "SummaryTables")).toBe("complete");
        const want = await filteredOracle(store, K);
        expect(want.stats).toEqual([
          { category: "bioc", package: "affy", date: "2025-03-01", is_monthly: true, ip_count: 1, download_count: 1 },
          { category: "bioc", package: "affy", date: "2025-12-31", is_monthly: false, ip_count: 1, download_count: 1 },
        ]);
        expect(await filteredSummaries(store)).toEqual(want);
      } finally {
        await created.store.close();
        await created.drop();
      }
    });
  });
}
