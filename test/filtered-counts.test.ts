// Counts without crawlers and repeats, on fixture data: the small fixture's downloads, each
// counted (day, IP, package) kept once, are the "clean" data. Into them are planted crawlers
// (IPs with more than K packages on a day, one of them a fixture IP on a day it is otherwise
// absent) and CI repeaters (fixture IP-days whose downloads come back many times). The filtered
// counts of the planted data must equal the legacy counts of the clean data, to the row: stats,
// categorystats and the daily tables; after incremental ingests (new days, then restated days)
// and after summarize. The clean data also holds an IP with exactly K packages on one day: not
// a crawler.
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { addDays } from "../src/domain/dates.js";
import type { DownloadRow, IsoDate } from "../src/domain/types.js";
import { NeedsSummarize } from "../src/errors.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { getInfo } from "../src/store/info.js";
import { upsertPackages } from "../src/store/packages.js";
import { DEFAULT_CRAWLER_PACKAGES as K } from "../src/summaries/crawlers.js";
import { rebuildSummaries } from "../src/summaries/rebuild.js";
import { BACKENDS } from "./helpers/backends.js";
import { filteredOracle, filteredOutsideCounted, filteredSummaries, summaries } from "./helpers/oracle.js";
import { fixtureData, row } from "./helpers/planted.js";

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
        await sql`insert into webstats_year_unfiltered select * from webstats_year_pairs on conflict do nothing`.execute(store.db);
        await sql`delete from webstats_filtered_stats`.execute(store.db);
        // 007's columns are there (its tables since made anew by 011 and 013): what it does to such a database is its last statement.
        const m007 = readFileSync(new URL("../sql/007_filtered_counts.sql", import.meta.url), "utf8");
        await sql.raw(m007.slice(m007.indexOf("update webstats_info"))).execute(store.db);
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
