// sql/011_year_ips.sql on a database as the month-row IP sets left it: the year rows it makes hold,
// month by month, exactly the month rows' downloads and filtered days. The month rows are made
// here, in the layout sql/004 and 007 gave them (one row per key and month with downloads), from
// a store this code ingested (the small fixture with crawlers and repeaters planted, so that the
// filtered days differ from the downloads); then the year rows are emptied and 011 runs again.
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Store } from "../src/store/database.js";
import { BACKENDS } from "./helpers/backends.js";
import { withPlantedRows } from "./helpers/planted.js";

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const MONTH_COLUMNS = [...MONTHS.map((m) => `d${m}`), ...MONTHS.map((m) => `f${m}`)].join(", ");

/** The two year tables and their keys. */
const YEAR_TABLES = { webstats_year_ips: "year, package, category, ip", webstats_category_year_ips: "year, category, ip" } as const;

const rowsOf = async <T>(store: Store, text: string) => (await sql.raw<T>(text).execute(store.db)).rows;

/** A copy of each year table's rows, as kept_TABLE, to compare with later in the database (a PGlite result of ~100,000 rows takes seconds). */
async function keepYearRows(store: Store): Promise<void> {
  for (const [table, keys] of Object.entries(YEAR_TABLES))
    await sql.raw(`create table kept_${table} as select ${keys}, ${MONTH_COLUMNS} from ${table}`).execute(store.db);
}

/** Per year table: its number of rows, and (at most 5 of) the rows that are in it or in its kept copy but not in both. */
async function againstKept(store: Store) {
  const out: Record<string, { rows: number; differ: unknown[] }> = {};
  for (const [table, keys] of Object.entries(YEAR_TABLES)) {
    const now = `select ${keys}, ${MONTH_COLUMNS} from ${table}`;
    const kept = `select * from kept_${table}`;
    out[table] = {
      rows: (await rowsOf<{ n: number }>(store, `select count(*)::int as n from ${table}`))[0]!.n,
      differ: await rowsOf(
        store,
        `(select 'now' as side, * from (${now} except all ${kept}) a) union all (select 'kept', * from (${kept} except all ${now}) b) limit 5`,
      ),
    };
  }
  return out;
}

/** The month rows of a year table, as the old layout held them. */
const monthRowsOf = (table: string, keys: string) =>
  `select year, ${keys}, m.month, m.downloads, m.filtered_days from ${table} y
  cross join lateral (values ${MONTHS.map((m) => `(${m}, y.d${m}, y.f${m})`).join(", ")}) m(month, downloads, filtered_days) where m.downloads > 0`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`sql/011 on ${backend.name}`, () => {
    it("turns the month rows of the IP sets into the year rows an ingest makes", async () => {
      const created = await backend.createFilled("planted", withPlantedRows);
      try {
        const { store } = created;
        await keepYearRows(store);
        const want = await againstKept(store);
        expect(want.webstats_year_ips!.rows).toBeGreaterThan(1000);
        const filteredDiffer = `select count(*)::int as n from webstats_year_ips where (${MONTHS.map((m) => `d${m}`)}) <> (${MONTHS.map((m) => `f${m}`)})`;
        expect((await rowsOf<{ n: number }>(store, filteredDiffer))[0]!.n).toBeGreaterThan(0);

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

        expect(await againstKept(store)).toEqual(want);
        const { rows } = await sql<{ t: string | null }>`select to_regclass('webstats_month_ips')::text as t`.execute(store.db);
        expect(rows[0]!.t).toBeNull();
      } finally {
        await created.drop();
      }
    }, 120_000);
  });
}
