// summarize's year, once its rows are gathered (summaries/rebuild.ts: day triples, month rows):
// pivoted into one row per year and key (d1..d12 and f1..f12), which is then written into the IP
// sets (a row per month that holds downloads, and the year's pair) and counted into stats and
// categorystats. Counting from the pivoted rows reads each pair once per year, where counting
// from the month rows read a row per month, four times over (legacy and filtered, months and year).
import { sql, type Kysely, type RawBuilder } from "kysely";
import { isoDate } from "../domain/dates.js";
import type { Database } from "../store/schema.js";
import { MONTHS, type Level } from "./ip-sets.js";

const list = (names: readonly string[]) => sql.raw(names.join(", "));
const monthly = (kind: "d" | "f") => MONTHS.map((n) => `${kind}${n}`);

/**
 * Rows (KEYS…, month, downloads, filtered_days), any number per key and month, as one row per
 * `keys`, their months summed side by side. Keys that leave out the package sum the packages'
 * months: the category level's rows.
 */
export function pivotMonths(keys: readonly string[], months: RawBuilder<unknown>): RawBuilder<unknown> {
  // In integers: a category's filtered days of a month are its packages' summed (a few thousand).
  const sums = (column: string, kind: "d" | "f") =>
    sql.raw(MONTHS.map((n) => `sum(case when month = ${n} then ${column} else 0 end)::int as ${kind}${n}`).join(", "));
  return sql`select ${list(keys)}, ${sums("downloads", "d")}, ${sums("filtered_days", "f")}
    from (${months}) x group by ${list(keys)}`;
}

/**
 * The level's summary rows of `year` (and their filtered twins) made again from its year rows
 * (`rows`: KEYS…, d1..d12, f1..f12): per key and month from `firstMonth` on, and for the year
 * (dated Dec 31), the pairs holding downloads (or filtered days) and their sum; a period without
 * any gets no row, as in the legacy tables. The months before `firstMonth` keep their rows.
 */
export async function replaceYearCounts(trx: Kysely<Database>, level: Level, year: number, firstMonth: number, rows: RawBuilder<unknown>): Promise<void> {
  const [start, yearEnd] = [isoDate(year, firstMonth, 1), isoDate(year, 12, 31)];
  for (const t of [level.summary, level.filtered]) {
    await sql`delete from ${sql.table(t)} where (is_monthly and date >= ${start} and date <= ${yearEnd}) or (not is_monthly and date = ${yearEnd})`.execute(
      trx,
    );
  }
  const totals = `${level.summary}_year_totals`;
  const keys = list(level.keys);
  const per = (kind: "d" | "f") => {
    // In integers: the category level's filtered days of a year can pass a smallint's range.
    const all = monthly(kind)
      .map((c) => `${c}::int`)
      .join(" + ");
    return [
      ...MONTHS.map((n) => `count(*) filter (where ${kind}${n} > 0) as ${kind}i${n}, sum(${kind}${n}) as ${kind}n${n}`),
      `count(*) filter (where ${all} > 0) as ${kind}iy, sum(${all}) as ${kind}ny`,
    ].join(", ");
  };
  await sql`drop table if exists ${sql.table(totals)}`.execute(trx);
  await sql`create temp table ${sql.table(totals)} on commit drop as select ${keys}, ${sql.raw(per("d"))}, ${sql.raw(per("f"))} from (${rows}) x group by ${keys}`.execute(
    trx,
  );
  for (const [summary, kind] of [
    [level.summary, "d"],
    [level.filtered, "f"],
  ] as const) {
    const periods = [
      ...MONTHS.filter((n) => n >= firstMonth).map((n) => `(make_date(${year}, ${n}, 1), true, ${kind}i${n}, ${kind}n${n})`),
      `(make_date(${year}, 12, 31), false, ${kind}iy, ${kind}ny)`,
    ].join(", ");
    await sql`insert into ${sql.table(summary)} (${keys}, date, is_monthly, ip_count, download_count)
      select ${keys}, p.date, p.is_monthly, p.ips, p.downloads from ${sql.table(totals)} t
      cross join lateral (values ${sql.raw(periods)}) p(date, is_monthly, ips, downloads) where p.ips > 0`.execute(trx);
  }
}

/**
 * The level's IP sets from its year rows (`rows`, a table: year, KEYS…, d1..d12, f1..f12): a month
 * row per month that holds downloads, and the year's pair. The month rows go in month by month,
 * so that a month's rows share their pages, as a month of nights leaves them: otherwise each of a
 * night's upserts reads a random page of the whole year's rows (the month's last night, put back
 * on a year loaded in year-row order: 13.7 s for the package level's upsert). `ordered`: in key
 * order, for sets whose indexes are there, so each grows at its end.
 */
export async function insertSets(trx: Kysely<Database>, level: Level, rows: string, ordered: boolean): Promise<void> {
  const keys = [...level.keys, "ip"];
  const set = list(keys);
  const months = sql.raw(MONTHS.map((n) => `(${n}, y.d${n}, y.f${n})`).join(", "));
  const filtered = sql.raw(MONTHS.map((n) => `y.f${n}`).join(" + "));
  await sql`insert into ${sql.table(level.months)} (year, month, ${set}, downloads, filtered_days)
    select y.year, m.month, ${list(keys.map((k) => `y.${k}`))}, m.downloads, m.filtered_days
    from ${sql.table(rows)} y cross join lateral (values ${months}) m(month, downloads, filtered_days) where m.downloads > 0
    order by 1, 2 ${ordered ? sql`, ${set}` : sql``}`.execute(trx);
  for (const [table, where] of [
    [level.pairs, sql`true`],
    [level.unfiltered, sql`${filtered} = 0`],
  ] as const) {
    await sql`insert into ${sql.table(table)} (year, ${set}) select year, ${set} from ${sql.table(rows)} y where ${where}
      ${ordered ? sql`order by year, ${set}` : sql``}`.execute(trx);
  }
}
