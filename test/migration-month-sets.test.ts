// sql/013_month_keyed_ip_sets.sql on a database as the year-row IP sets (sql/011) left it: the
// month rows and year pairs it makes are exactly those an ingest makes. The year rows are made
// here, in 011's layout (one row per key and year, d1..d12 and f1..f12), from a store this code
// ingested (the small fixture with crawlers and repeaters planted, so that filtered days differ
// from downloads and some pairs have no filtered day in a year); then the new sets are dropped
// and 013 runs again.
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Store } from "../src/store/database.js";
import { BACKENDS } from "./helpers/backends.js";
import { withPlantedRows } from "./helpers/planted.js";

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** The six tables 013 makes, and their columns. */
const SET_TABLES = {
  webstats_month_ips: "year, month, package, category, ip, downloads, filtered_days",
  webstats_category_month_ips: "year, month, category, ip, downloads, filtered_days",
  webstats_year_pairs: "year, package, category, ip",
  webstats_category_year_pairs: "year, category, ip",
  webstats_year_unfiltered: "year, package, category, ip",
  webstats_category_year_unfiltered: "year, category, ip",
} as const;

const rowsOf = async <T>(store: Store, text: string) => (await sql.raw<T>(text).execute(store.db)).rows;
const count = async (store: Store, text: string) => (await rowsOf<{ n: number }>(store, `select count(*)::int as n from ${text}`))[0]!.n;

/** Per table: its number of rows, and (at most 5 of) the rows that are in it or in its kept copy (kept_TABLE) but not in both. */
async function againstKept(store: Store) {
  const out: Record<string, { rows: number; differ: unknown[] }> = {};
  for (const [table, columns] of Object.entries(SET_TABLES)) {
    const [now, kept] = [`select ${columns} from ${table}`, `select * from kept_${table}`];
    out[table] = {
      rows: await count(store, table),
      differ: await rowsOf(
        store,
        `(select 'now' as side, * from (${now} except all ${kept}) a) union all (select 'kept', * from (${kept} except all ${now}) b) limit 5`,
      ),
    };
  }
  return out;
}

/** 011's year rows of a month table (its keys after year and month). */
const yearRowsOf = (table: string, keys: string) =>
  `select year, ${keys}, ${MONTHS.map((m) => `sum(case when month = ${m} then downloads else 0 end)::int as d${m}`).join(", ")},
    ${MONTHS.map((m) => `sum(case when month = ${m} then filtered_days else 0 end)::smallint as f${m}`).join(", ")}
  from ${table} group by year, ${keys}`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`sql/013 on ${backend.name}`, () => {
    it("turns the year rows of the IP sets into the month rows and year pairs an ingest makes", async () => {
      const created = await backend.createFilled("planted", withPlantedRows);
      try {
        const { store } = created;
        for (const [table, columns] of Object.entries(SET_TABLES))
          await sql.raw(`create table kept_${table} as select ${columns} from ${table}`).execute(store.db);
        const want = await againstKept(store);
        expect(want.webstats_month_ips!.rows).toBeGreaterThan(1000);
        expect(await count(store, "webstats_month_ips where filtered_days <> downloads")).toBeGreaterThan(0);
        expect(await count(store, "webstats_year_unfiltered")).toBeGreaterThan(0);

        await sql
          .raw(
            `create table webstats_year_ips as ${yearRowsOf("webstats_month_ips", "package, category, ip")};
            create table webstats_category_year_ips as ${yearRowsOf("webstats_category_month_ips", "category, ip")};
            drop table ${Object.keys(SET_TABLES).join(", ")};`,
          )
          .execute(store.db);
        const migration = readFileSync(new URL("../sql/013_month_keyed_ip_sets.sql", import.meta.url), "utf8");
        await store.db.transaction().execute((trx) => sql.raw(migration).execute(trx));

        expect(await againstKept(store)).toEqual(want);
        const { rows } = await sql<{ t: string | null }>`select to_regclass('webstats_year_ips')::text as t`.execute(store.db);
        expect(rows[0]!.t).toBeNull();
      } finally {
        await created.drop();
      }
    }, 120_000);
  });
}
