// The daily export month by month: a build renders only the months whose days (or known
// packages) changed since the slot it writes was made, and gives the same bytes as a build from
// nothing. The model holds the days of the daily series' year only; the export's other months are
// read apart, and only those that changed. On small-s1 (2021-01..2025-06), with past days
// restated (one inside the year, one before), a new day, and a package removed.
import { readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { readPackagesCsv } from "../src/sources/packages-csv.js";
import { readRowsFile } from "../src/sources/rows-file.js";
import { setInfo } from "../src/store/info.js";
import { upsertPackages } from "../src/store/packages.js";
import { loadPackedSiteData } from "../src/summaries/load.js";
import { rebuildSummaries } from "../src/summaries/rebuild.js";
import type { IsoDate } from "../src/domain/types.js";
import { BACKENDS, smallS1Store, type CreatedStore } from "./helpers/backends.js";
import { FIXTURES, outLimits, suiteDir } from "./helpers/temp.js";

const FIXTURE = join(FIXTURES, "small-s1");
const HEADER = "date\tc-ip\tsc-status\tcategory\tpackage";
const RESTATED = "2025-03-14"; // a past day of the fixture, in a month the new day is not
const RESTATED_OLD = "2023-03-14"; // a day before the daily series' year (2024-06-18..2025-06-17)
// The daily series' 13 months, 2024-06..2025-06 (first days).
const SERIES_MONTHS = Array.from({ length: 13 }, (_, i) => new Date(Date.UTC(2024, 5 + i, 1)).toISOString().slice(0, 10));
const NEXT = "2025-06-18"; // the day after the fixture's ValidThru

function fixtureRows(): string[][] {
  const text = gunzipSync(readFileSync(join(FIXTURE, "downloads.tsv.gz"))).toString("utf8");
  return text
    .split("\n")
    .slice(1)
    .filter((l) => l !== "")
    .map((l) => l.split("\t"));
}

/** Site path → bytes, of the daily export and its index. */
function dailyFiles(dist: string): Map<string, Buffer> {
  const dir = join(dist, "api/v1/export/daily");
  const files = new Map(readdirSync(dir).map((f) => [`daily/${f}`, readFileSync(join(dir, f))]));
  files.set("index.json", readFileSync(join(dist, "api/v1/export/index.json")));
  return files;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the daily export, month by month (${backend.name})`, () => {
    let work: string;
    let cleanup: () => void;
    let created: CreatedStore;
    const ingest = async (name: string, lines: readonly string[]) => {
      const file = join(work, name);
      writeFileSync(file, [HEADER, ...lines, ""].join("\n"));
      await ingestRows(created.store, inBatches(readRowsFile(file)));
    };

    beforeAll(async () => {
      [work, cleanup] = suiteDir();
      created = await backend.create();
      await upsertPackages(created.store.db, await readPackagesCsv(join(FIXTURE, "packages.csv")));
      await ingestRows(created.store, inBatches(readRowsFile(join(FIXTURE, "downloads.tsv.gz"))));
    }, 120_000);

    afterAll(async () => {
      await created?.store.close();
      await created?.drop();
      cleanup?.();
    });

    it("reads and renders only the months that changed, and gives the bytes of a build from nothing", async () => {
      const rows = fixtureRows();
      const known = rows.find((r) => r[0] === RESTATED && r[2] === "200" && r[3] === "bioc")!;
      const dist = join(work, "dist");
      const fromNothing = await buildSite(created.store, dist, outLimits(created.dataDir)); // slot a
      const first = dailyFiles(dist);
      const monthsBefore = [...first.keys()]
        .filter((f) => f.startsWith("daily/"))
        .map((f) => `${f.slice(6, 13)}-01`)
        .filter((m) => m < SERIES_MONTHS[0]!);
      expect(monthsBefore.length).toBe(41); // 2021-01..2024-05
      expect(fromNothing.monthsApart).toEqual(monthsBefore);
      await buildSite(created.store, dist, outLimits(created.dataDir)); // slot b
      expect(readdirSync(join(work, "dist.slots")).sort()).toEqual(["a", "a.keys", "a.md5", "b", "b.keys", "b.md5"]);

      // Late deliveries restate a day of March and one of March 2023 (one more IP fetching a known package each), and a new day comes in.
      const old = rows.find((r) => r[0] === RESTATED_OLD && r[2] === "200" && r[3] === "bioc")!;
      await ingest("restated.tsv", [...rows.filter((r) => r[0] === RESTATED).map((r) => r.join("\t")), `${RESTATED}\t10.77.0.1\t200\tbioc\t${known[4]}`]);
      await ingest("restated-old.tsv", [
        ...rows.filter((r) => r[0] === RESTATED_OLD).map((r) => r.join("\t")),
        `${RESTATED_OLD}\t10.77.0.1\t200\tbioc\t${old[4]}`,
      ]);
      await ingest("next.tsv", [`${NEXT}\t10.77.0.2\t200\tbioc\t${known[4]}`]);

      // The model holds the days of the daily series' months, and none before them.
      const packed = (await loadPackedSiteData(created.store))!;
      expect(packed.dailyMonths.filter((m) => m.loaded).map((m) => m.month)).toEqual(SERIES_MONTHS);
      expect(packed.dailyMonths.length).toBe(41 + 13);
      const firstDay = Date.UTC(2024, 5, 1) / 86_400_000;
      let earliest = Infinity;
      for (const days of [packed.days, packed.narrowDays]) for (let i = 0; i < days.length; i += 3) earliest = Math.min(earliest, days[i]!);
      expect(packed.narrowDays.length).toBeGreaterThan(0);
      expect(earliest).toBeGreaterThanOrEqual(firstDay);

      const mtimes = new Map([...first.keys()].map((f) => [f, statSync(join(work, "dist.slots/a/api/v1/export", f)).mtimeMs]));
      // Slot a was made before all three: of the months before the series' year, only March 2023 is read.
      const built = await buildSite(created.store, dist, outLimits(created.dataDir)); // slot a again
      expect(built.monthsApart).toEqual(["2023-03-01"]);
      expect(readdirSync(join(work, "dist.slots/a/api/v1/export/daily")).length).toBe(first.size - 1);
      const fresh = join(work, "fresh");
      await buildSite(created.store, fresh, outLimits(created.dataDir));
      const incremental = dailyFiles(dist);
      expect([...incremental.keys()]).toEqual([...dailyFiles(fresh).keys()]);
      for (const [f, bytes] of dailyFiles(fresh)) expect(Buffer.compare(incremental.get(f)!, bytes), f).toBe(0);

      // What changed was written; the rest kept its bytes and its file (not even rewritten).
      for (const [f, bytes] of first) {
        const changed = ["daily/2023-03.ndjson.gz", "daily/2025-03.ndjson.gz", "daily/2025-06.ndjson.gz", "index.json"].includes(f);
        expect(Buffer.compare(incremental.get(f)!, bytes) !== 0, f).toBe(changed);
        if (!changed) expect(statSync(join(work, "dist.slots/a/api/v1/export", f)).mtimeMs, f).toBe(mtimes.get(f));
      }
      const march = gunzipSync(incremental.get("daily/2025-03.ndjson.gz")!).toString("utf8");
      const before = gunzipSync(first.get("daily/2025-03.ndjson.gz")!).toString("utf8");
      expect(march.split("\n").length).toBe(
        before.split("\n").length + (before.includes(`"package":"${known[4]}","category":"bioc","day":"${RESTATED}"`) ? 0 : 1),
      );
      expect(built.files).toBeGreaterThan(built.written);
    });

    it("renders again the months a removed package had days in", async () => {
      const dist = join(work, "dist");
      const gone = fixtureRows().find((r) => r[0]!.startsWith("2025-02") && r[2] === "200" && r[3] === "bioc")!;
      const monthsOf = new Set(
        fixtureRows()
          .filter((r) => r[4] === gone[4] && r[3] === "bioc")
          .map((r) => `${r[0]!.slice(0, 7)}-01`),
      );
      await buildSite(created.store, dist, outLimits(created.dataDir)); // both slots now hold the current data
      await sql`delete from packages where package = ${gone[4]!} and category = 'bioc'`.execute(created.store.db);
      await ingest("next-again.tsv", [`${NEXT}\t10.77.0.2\t200\tbioc\t${fixtureRows()[0]![4]}`]); // a writer follows the packages table
      const built = await buildSite(created.store, dist, outLimits(created.dataDir));
      const before = [...monthsOf].filter((m) => m < SERIES_MONTHS[0]!).sort();
      expect(before.length).toBeGreaterThan(0);
      expect(built.monthsApart).toEqual(before);
      const fresh = join(work, "fresh-2");
      await buildSite(created.store, fresh, outLimits(created.dataDir));
      for (const [f, bytes] of dailyFiles(fresh)) expect(Buffer.compare(dailyFiles(dist).get(f)!, bytes), f).toBe(0);
      const february = gunzipSync(dailyFiles(dist).get("daily/2025-02.ndjson.gz")!).toString("utf8");
      expect(february).not.toContain(`"package":${JSON.stringify(gone[4])},"category":"bioc"`);
    });
  });
}

describe("a build while a summarize is under way", () => {
  it("refuses, and the served tree stays as it was (regression: a whole summarize's empty daily tables were rendered)", async () => {
    const [work, cleanup] = suiteDir();
    const created = await smallS1Store(); // FIXTURE's packages and downloads, on PGlite
    try {
      const dist = join(work, "dist");
      await buildSite(created.store, dist, outLimits(created.dataDir));
      const served = readlinkSync(dist);
      const before = dailyFiles(dist);
      await setInfo(created.store.db, "SummaryTables", "rebuilding");
      await expect(buildSite(created.store, dist, outLimits(created.dataDir))).rejects.toThrow(
        /^build: a summarize is under way or was interrupted, .*nothing was built, the served tree is as it was/,
      );
      expect(readlinkSync(dist)).toBe(served);
      expect(dailyFiles(dist)).toEqual(before);
      await setInfo(created.store.db, "SummaryTables", "complete");
      await buildSite(created.store, dist, outLimits(created.dataDir));
      expect(readlinkSync(dist)).not.toBe(served);
    } finally {
      await created.store.close();
      await created.drop();
      cleanup();
    }
  });
});

describe("a build when webstats_daily holds days after ValidThru's month", () => {
  it("builds, the later month in the daily export (regression: its filtered days were reserved, never read: 'fewer rows than reserved')", async () => {
    const [work, cleanup] = suiteDir();
    const created = await smallS1Store(); // FIXTURE's packages and downloads, on PGlite
    try {
      const pkg = fixtureRows().find((r) => r[2] === "200" && r[3] === "bioc")![4]!;
      // Rows loaded by other means (the legacy ETL) after ValidThru 2025-06-17, taken in by summarize --since.
      await sql`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package)
        values ('2025-08-02', '10.88.0.1', 200, 'bioc', ${pkg})`.execute(created.store.db);
      await rebuildSummaries(created.store, "2025-08-01" as IsoDate);
      const dist = join(work, "dist");
      await buildSite(created.store, dist, outLimits(created.dataDir));
      const august = gunzipSync(readFileSync(join(dist, "api/v1/export/daily/2025-08.ndjson.gz"))).toString("utf8");
      expect(august).toBe(`{"package":${JSON.stringify(pkg)},"category":"bioc","day":"2025-08-02","downloads":1}\n`);
    } finally {
      await created.store.close();
      await created.drop();
      cleanup();
    }
  });
});

describe("a build without the API (the benchmark's baseline)", () => {
  it("writes none of the API's files, the daily export's months read apart included (regression: the baseline wrote them)", async () => {
    const [work, cleanup] = suiteDir();
    const created = await smallS1Store(); // FIXTURE's packages and downloads, on PGlite
    try {
      const dist = join(work, "dist");
      const built = await buildSite(created.store, dist, outLimits(created.dataDir), undefined, { api: false });
      expect(built.monthsApart).toEqual([]);
      expect(readdirSync(dist).filter((f) => f === "api" || f === "badges")).toEqual([]);
      expect(readdirSync(join(dist, "bioc")).length).toBeGreaterThan(0);
    } finally {
      await created.store.close();
      await created.drop();
      cleanup();
    }
  });
});
