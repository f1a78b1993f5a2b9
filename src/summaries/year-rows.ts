// summarize's year, once its month rows are gathered: pivoted into rows of the IP sets' shape
// (one per year and key, d1..d12 and f1..f12), which are then both copied into the sets and
// counted into stats and categorystats. Counting from the pivoted rows reads each pair once per
// year, where counting from the month rows read a row per month, four times over (legacy and
// filtered, months and year).
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../store/schema.js";
import { MONTHS } from "./ip-sets.js";

const list = (names: readonly string[]) => sql.raw(names.join(", "));
const monthly = (kind: "d" | "f") => MONTHS.map((n) => `${kind}${n}`);
/** The columns of a year row after its keys. */
export const YEAR_COUNTS = [...monthly("d"), ...monthly("f")] as const;

/**
 * Month rows (KEYS…, month, downloads, filtered_days, last_date) as one row per `keys`, their
 * months side by side, and the last of their last days seen (the sets' last_date: summaries/recent.ts).
 */
export function pivotMonths(keys: readonly string[], months: RawBuilder<unknown>): RawBuilder<unknown> {
  const sums = (column: string, kind: "d" | "f", type: string) =>
    sql.raw(MONTHS.map((n) => `sum(case when month = ${n} then ${column} else 0 end)::${type} as ${kind}${n}`).join(", "));
  return sql`select ${list(keys)}, ${sums("downloads", "d", "int")}, ${sums("filtered_days", "f", "smallint")}, max(last_date) as last_date
    from (${months}) x group by ${list(keys)}`;
}

/** Year rows (KEYS…, d1..d12, f1..f12) summed over the keys left out: the category level's rows from the package level's. */
export function sumYearRows(keys: readonly string[], rows: RawBuilder<unknown>): RawBuilder<unknown> {
  const sums = sql.raw([...monthly("d").map((c) => `sum(${c})::int as ${c}`), ...monthly("f").map((c) => `sum(${c})::smallint as ${c}`)].join(", "));
  return sql`select ${list(keys)}, ${sums} from (${rows}) x group by ${list(keys)}`;
}

export interface YearCounts {
  /** stats or categorystats, and its filtered twin. */
  readonly summary: "stats" | "categorystats";
  readonly filtered: "webstats_filtered_stats" | "webstats_filtered_categorystats";
  /** The summary's key columns: category, package; or category. */
  readonly keys: readonly ("category" | "package")[];
}

/**
 * The summary rows of `year` from its year rows (`rows`: KEYS…, d1..d12, f1..f12): per key and
 * month from `firstMonth` on, and for the year (dated Dec 31), the pairs holding downloads (or
 * filtered days) and their sum; a period without any gets no row, as in the legacy tables.
 */
export async function insertYearCounts(trx: Kysely<Database>, level: YearCounts, year: number, firstMonth: number, rows: RawBuilder<unknown>): Promise<void> {
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
