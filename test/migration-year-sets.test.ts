// sql/011_year_ips.sql on a database as the month-row IP sets left it: the year rows it makes hold,
// month by month, exactly the month rows' downloads and filtered days. The month rows are made
// here, in the layout sql/004 and 007 gave them (one row per key and month with downloads), from
// a store this code ingested (the small fixture with crawlers and repeaters planted, so that the
// filtered days differ from the downloads); then the year rows are emptied and 011 runs again.
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import type { Store } from "../src/store/database.js";
import { upsertPackages } from "../src/store/packages.js";
import { BACKENDS } from "./helpers/backends.js";
import { fixtureData } from "./helpers/planted.js";

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const MONTH_COLUMNS = [...MONTHS.map((m) => `d${m}`), ...MONTHS.map((m) => `f${m}`)].join(", ");

async function yearRows(store: Store) {
  const q = async (text: string) => (await sql.raw<Record<string, unknown>>(text).execute(store.db)).rows;
  return {
    package: await q(`select year, package, category, ip, ${MONTH_COLUMNS} from webstats_year_ips
      order by year, package collate "C", category collate "C", ip collate "C"`),
    category: await q(`select year, category, ip, ${MONTH_COLUMNS} from webstats_category_year_ips
      order by year, category collate "C", ip collate "C"`),
  };
}

/** The month rows of a year table, as the old layout held them. */
const monthRowsOf = (table: string, keys: string) =>
  `select year, ${keys}, m.month, m.downloads, m.filtered_days from ${table} y
  cross join lateral (values ${MONTHS.map((m) => `(${m}, y.d${m}, y.f${m})`).join(", ")}) m(month, downloads, filtered_days) where m.downloads > 0`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`sql/011 on ${backend.name}`, () => {
    it("turns the month rows of the IP sets into the year rows an ingest makes", async () => {
      const created = await backend.create();
      try {
        const { store } = created;
        const { packages, clean, planted } = await fixtureData();
        await upsertPackages(store.db, packages);
        await ingestRows(store, inBatches([...clean, ...planted]));
        const want = await yearRows(store);
        expect(want.package.length).toBeGreaterThan(1000);
        expect(want.package.some((r) => MONTHS.some((m) => r[`f${m}`] !== r[`d${m}`]))).toBe(true);

        await sql
          .raw(
            `create table webstats_month_ips (year smallint, package varchar(64) collate "C", category varchar(16) collate "C",
            ip varchar(40) collate "C", month smallint, downloads integer, filtered_days smallint);
          create table webstats_category_month_ips (year smallint, category varchar(16) collate "C", ip varchar(40) collate "C",
            month smallint, downloads integer, filtered_days smallint);
          insert into webstats_month_ips ${monthRowsOf("webstats_year_ips", "package, category, ip")};
          insert into webstats_category_month_ips ${monthRowsOf("webstats_category_year_ips", "category, ip")};
          delete from webstats_year_ips;
          delete from webstats_category_year_ips;`,
          )
          .execute(store.db);
        const migration = readFileSync(new URL("../sql/011_year_ips.sql", import.meta.url), "utf8");
        await store.db.transaction().execute((trx) => sql.raw(migration).execute(trx));

        expect(await yearRows(store)).toEqual(want);
        const { rows } = await sql<{ t: string | null }>`select to_regclass('webstats_month_ips')::text as t`.execute(store.db);
        expect(rows[0]!.t).toBeNull();
      } finally {
        await created.drop();
      }
    }, 120_000);
  });
}
