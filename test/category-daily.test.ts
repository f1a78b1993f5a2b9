// webstats_category_daily on a database that already holds downloads when webstats' migration
// 006 first meets it (the legacy database at the switch-over): the migration counts it from the
// raw rows, as the legacy rule counts a category's day (test/helpers/oracle.ts, written apart).
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { DownloadRow, IsoDate } from "../src/domain/types.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { migrate } from "../src/store/migrate.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { oracle, summaries } from "./helpers/oracle.js";

const backend = BACKENDS[0]!; // PGlite: the migration is the same SQL on both

describe("webstats_category_daily made by its migration", () => {
  const current = freshStorePerTest(backend, [
    { name: "affy" as never, category: "bioc", firstVersion: "310", lastVersion: null },
    { name: "limma" as never, category: "bioc", firstVersion: "310", lastVersion: null },
    { name: "GO.db" as never, category: "annotation", firstVersion: "310", lastVersion: null },
  ]);

  it("counts a database's stored downloads per category and day, an IP once across packages", async () => {
    const { store } = current();
    const row = (date: string, ip: string, category: string, pkg: string, status = 200): DownloadRow => ({
      date: date as IsoDate,
      ip,
      status,
      category,
      package: pkg,
    });
    await ingestRows(
      store,
      inBatches([
        row("2025-01-01", "10.0.0.1", "bioc", "affy"),
        row("2025-01-01", "10.0.0.1", "bioc", "limma"), // the same IP: one IP of bioc that day
        row("2025-01-01", "10.0.0.2", "bioc", "limma"),
        row("2025-01-01", "10.0.0.3", "bioc", "notknown"), // not in packages: not counted
        row("2025-01-01", "10.0.0.4", "bioc", "affy", 404), // a status that does not count
        row("2025-01-02", "10.0.0.1", "annotation", "GO.db"),
        row("2025-01-02", "10.0.0.1", "annotation", "GO.db"),
      ]),
    );
    const made = (await summaries(store)).categoryDaily;
    expect(made).toEqual([
      { date: "2025-01-01", category: "bioc", downloads: 3, ips: 2 },
      { date: "2025-01-02", category: "annotation", downloads: 2, ips: 1 },
    ]);
    // As if webstats met this database before migration 006: the table is gone, the migration not recorded.
    await sql`drop table webstats_category_daily`.execute(store.db);
    await sql`delete from webstats_migrations where name = '006_category_daily.sql'`.execute(store.db);
    expect(await migrate(store.db)).toEqual(["006_category_daily.sql"]);
    expect((await summaries(store)).categoryDaily).toEqual(made);
    expect((await oracle(store)).categoryDaily).toEqual(made);
  });
});
