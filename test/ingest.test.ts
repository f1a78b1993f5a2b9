// Ingest is one transaction and idempotent by day, on both databases.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LockHeld } from "../src/errors.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { readRowsFileBlocks } from "../src/sources/rows-file.js";

const rowsOf = (path: string) => readRowsFileBlocks(path);
import { openStore, type Store } from "../src/store/database.js";
import { getValidThru } from "../src/store/info.js";
import { migrate } from "../src/store/migrate.js";
import { parsePackagesCsv } from "../src/sources/packages-csv.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { query } from "./helpers/oracle.js";
import { tempDir } from "./helpers/temp.js";

const HEADER = "date\tc-ip\tsc-status\tcategory\tpackage";
const PACKAGES = parsePackagesCsv("package,category,first_version,last_version\naffy,bioc,108,\nGO.db,annotation,108,\n", "p.csv");

async function snapshot(store: Store) {
  const q = query(store);
  return {
    downloads: await q(
      `select date, "c-ip", "sc-status", category, package from bioc_web_downloads order by date, "c-ip" collate "C", "sc-status", category collate "C", package collate "C"`,
    ),
    stats: await q('select category, package, date, is_monthly, ip_count, download_count from stats order by package collate "C", date'),
    categorystats: await q("select category, date, is_monthly, ip_count, download_count from categorystats order by category, date"),
    validThru: await getValidThru(store.db),
  };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`ingest on ${backend.name}`, () => {
    const current = freshStorePerTest(backend, PACKAGES);

    const file = (lines: string[]) => {
      const path = join(tempDir(), "rows.tsv");
      writeFileSync(path, [HEADER, ...lines].join("\n") + "\n");
      return path;
    };

    it("counts like the legacy views: known packages, counted statuses, distinct IPs per period", async () => {
      const result = await ingestRows(
        current().store,
        rowsOf(
          file([
            "2024-12-31\t1.1.1.1\t200\tbioc\taffy",
            "2025-01-01\t1.1.1.1\t200\tbioc\taffy",
            "2025-01-02\t1.1.1.1\t302\tbioc\taffy",
            "2025-01-02\t2.2.2.2\t304\tbioc\taffy", // not a counted status
            "2025-01-02\t3.3.3.3\t200\tbioc\tunknownPkg", // not in packages
            "2025-01-02\t4.4.4.4\t200\tannotation\taffy", // wrong category for affy
            "2025-01-03\t5.5.5.5\t200\tannotation\tGO.db",
          ]),
        ),
      );
      const s = await snapshot(current().store);
      expect(s.stats).toEqual([
        { category: "annotation", package: "GO.db", date: "2025-01-01", is_monthly: true, ip_count: 1, download_count: 1 },
        { category: "annotation", package: "GO.db", date: "2025-12-31", is_monthly: false, ip_count: 1, download_count: 1 },
        { category: "bioc", package: "affy", date: "2024-12-01", is_monthly: true, ip_count: 1, download_count: 1 },
        { category: "bioc", package: "affy", date: "2024-12-31", is_monthly: false, ip_count: 1, download_count: 1 },
        { category: "bioc", package: "affy", date: "2025-01-01", is_monthly: true, ip_count: 1, download_count: 2 },
        { category: "bioc", package: "affy", date: "2025-12-31", is_monthly: false, ip_count: 1, download_count: 2 },
      ]);
      expect(s.downloads).toHaveLength(7); // raw rows are kept; the rules apply when summarising
      expect(result.rows).toBe(7);
      expect(s.validThru).toBe("2025-01-03");
    });

    it("gives the same database when the same file is ingested twice", async () => {
      const path = file(["2025-01-01\t1.1.1.1\t200\tbioc\taffy", "2025-01-02\t2.2.2.2\t200\tbioc\taffy", "2025-01-02\t1.1.1.1\t200\tannotation\tGO.db"]);
      await ingestRows(current().store, rowsOf(path));
      const once = await snapshot(current().store);
      await ingestRows(current().store, rowsOf(path));
      expect(await snapshot(current().store)).toEqual(once);
    });

    it("replaces the days a later ingest covers, and keeps the others", async () => {
      await ingestRows(
        current().store,
        rowsOf(file(["2025-01-01\t1.1.1.1\t200\tbioc\taffy", "2025-01-02\t2.2.2.2\t200\tbioc\taffy", "2025-01-03\t3.3.3.3\t200\tbioc\taffy"])),
      );
      await ingestRows(current().store, rowsOf(file(["2025-01-02\t9.9.9.9\t200\tbioc\taffy", "2025-01-02\t8.8.8.8\t200\tbioc\taffy"])));
      const s = await snapshot(current().store);
      expect(s.downloads.map((r) => (r as { "c-ip": string })["c-ip"])).toEqual(["1.1.1.1", "8.8.8.8", "9.9.9.9", "3.3.3.3"]);
      expect(s.stats.filter((r) => (r as { is_monthly: boolean }).is_monthly)).toEqual([
        { category: "bioc", package: "affy", date: "2025-01-01", is_monthly: true, ip_count: 4, download_count: 4 },
      ]);
      expect(s.validThru).toBe("2025-01-03"); // a backfill never moves ValidThru back
    });

    it("writes nothing when a row is bad, and names the line", async () => {
      await ingestRows(current().store, rowsOf(file(["2025-01-01\t1.1.1.1\t200\tbioc\taffy"])));
      const before = await snapshot(current().store);
      const rows = Array.from({ length: 30_000 }, (_, i) => `2025-01-0${(i % 5) + 1}\t10.0.${i >> 8}.${i & 255}\t200\tbioc\taffy`);
      rows.push("2025-01-06\t1.1.1.1\t200\tbioc\taffy\textra");
      const path = file(rows);
      await expect(ingestRows(current().store, rowsOf(path))).rejects.toThrow(`${path}:30002: 6 fields, want 5`);
      expect(await snapshot(current().store)).toEqual(before);
    });

    // Issue 10, defect 6: an IP with a byte that is not UTF-8 was stored as U+FFFD (two such IPs
    // became one distinct IP), and a NUL failed in the database without a line number.
    it("a rows file that is not UTF-8 or holds a NUL writes nothing and names the line", async () => {
      await ingestRows(current().store, rowsOf(file(["2025-01-01\t1.1.1.1\t200\tbioc\taffy"])));
      const before = await snapshot(current().store);
      for (const [bad, reason] of [
        ["1.1.1.\xe9", "not valid UTF-8"],
        ["1.1.1.\0", "NUL"],
      ] as const) {
        const path = join(tempDir(), "rows.tsv");
        writeFileSync(path, Buffer.from([HEADER, "2025-01-02\t2.2.2.2\t200\tbioc\taffy", `2025-01-02\t${bad}\t200\tbioc\taffy`, ""].join("\n"), "latin1"));
        await expect(ingestRows(current().store, rowsOf(path))).rejects.toThrow(new RegExp(`^${path}:3: [^\\n]*${reason}`));
        expect(await snapshot(current().store)).toEqual(before);
      }
    });

    it.runIf(backend.name === "PostgreSQL")("refuses to run beside another writer (LockHeld, exit 2), and writes nothing", async () => {
      const before = await snapshot(current().store);
      const other = await openStore({ databaseUrl: current().url, dataDir: current().dataDir });
      try {
        await other.lockWriter(); // what a running ingest, summarize or packages command holds
        const error = await ingestRows(current().store, rowsOf(file(["2025-01-01\t1.1.1.1\t200\tbioc\taffy"]))).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LockHeld);
        expect((error as Error).message).toMatch(/^another webstats command is writing to PostgreSQL at .*\(webstats writer \(pid \d+\)\); nothing done/);
        expect(await snapshot(current().store)).toEqual(before);
      } finally {
        await other.close();
      }
    });

    it("runs migrations once: a second run applies nothing", async () => {
      expect(await migrate(current().store.db)).toEqual([]);
    });
  });
}
