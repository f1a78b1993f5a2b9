// stats and categorystats kept exact by deltas. A change of downloads is a table of
// (year, KEYS…, ip, month, delta) rows; applied to the IP sets (one row per year and KEYS…, ip,
// with each month's downloads: sql/011_year_ips.sql), it tells for each row whether the IP
// appears in or leaves that month, and, from how many months of that year hold the IP after,
// whether it appears in or leaves the year. Those flips are the change of the distinct IP counts;
// the deltas' sums the change of downloads. So a day costs what the day holds, whatever the
// month, year or table hold, and the counts stay exactly those of the legacy views (v_stats,
// v_categorystats), which count distinct IPs per period. The counts without crawlers and repeats
// ride along: each row also has a `filtered_delta` of its filtered days (f1..f12), whose flips
// and sums are counted the same way into the filtered summary tables.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../store/schema.js";

export interface Level {
  /** The IP sets: (year, KEYS…, ip) → downloads d1..d12 and filtered days f1..f12 of each month. */
  readonly sets: "webstats_year_ips" | "webstats_category_year_ips";
  readonly keys: readonly ("package" | "category")[];
  /** The legacy summary table the flips are counted into. */
  readonly summary: "stats" | "categorystats";
  /** The same for the filtered counts. */
  readonly filtered: "webstats_filtered_stats" | "webstats_filtered_categorystats";
  /** True: only keys in `packages` reach the summary (package level: every key has sets). */
  readonly knownOnly: boolean;
  /** True: the sets keep each row's last day seen (the deltas have a `last_date`; summaries/recent.ts). */
  readonly lastSeen: boolean;
}

export const PACKAGE_LEVEL: Level = {
  sets: "webstats_year_ips",
  keys: ["package", "category"],
  summary: "stats",
  filtered: "webstats_filtered_stats",
  knownOnly: true,
  lastSeen: true,
};
export const CATEGORY_LEVEL: Level = {
  sets: "webstats_category_year_ips",
  keys: ["category"],
  summary: "categorystats",
  filtered: "webstats_filtered_categorystats",
  knownOnly: false,
  lastSeen: false,
};

/** The temporary table applyIpDeltas leaves: the level's changed rows, a row per month changed. */
export const flipsOf = (level: Level): string => `${level.sets}_flips`;

export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

const ids = (names: readonly string[], prefix = "") => sql.raw(names.map((n) => `${prefix}${n}`).join(", "));
/** `a.n = b.n and …` for each of `names`. */
export const matches = (a: string, b: string, names: readonly string[]) => sql.raw(names.map((n) => `${a}.${n} = ${b}.${n}`).join(" and "));
const KNOWN = sql.raw("join packages p on p.package = f.package and p.category = f.category");
/** +1: the row appears (its count goes from 0 to more); -1: it leaves; 0: neither. */
const flip = (before: string, delta: string) => sql.raw(`((f.${before} + f.${delta} > 0)::int - (f.${before} > 0)::int)`);
/** How many months of a set row (alias `m`) hold downloads (`d`) or filtered days (`f`). */
const monthsHeld = (kind: "d" | "f") => sql.raw(MONTHS.map((n) => `(m.${kind}${n} > 0)::int`).join(" + "));

/** A level's set rows as (year, KEYS…, ip, month, downloads, filtered_days), one per month that holds downloads; `where` on the sets' alias `y`. */
export function setMonths(level: Level, where: RawBuilder<unknown> = sql`true`): RawBuilder<unknown> {
  const months = sql.raw(MONTHS.map((n) => `(${n}, y.d${n}, y.f${n})`).join(", "));
  return sql`select y.year, ${ids([...level.keys, "ip"], "y.")}, m.month::smallint as month, m.downloads, m.filtered_days
    from ${sql.table(level.sets)} y cross join lateral (values ${months}) m(month, downloads, filtered_days)
    where m.downloads > 0 and ${where}`;
}

/**
 * Applies `delta` (a table or subquery with year, KEYS…, ip, month, delta, filtered_delta; one
 * row per key+ip+month, not both zero) to the level's IP sets and summaries. Returns the name of a
 * temporary table of the flips (the rows with their downloads before), for the next level to read.
 */
export async function applyIpDeltas(trx: Kysely<Database>, level: Level, delta: RawBuilder<unknown>): Promise<string> {
  const flips = flipsOf(level);
  const set = [...level.keys, "ip"];
  for (const t of ["ip_deltas", flips]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table ip_deltas on commit drop as ${delta}`.execute(trx);
  // With the last day seen: the row's before and after this change (previous_last_date, last_date).
  const seen = level.lastSeen ? { columns: sql`, last_date`, values: sql`, last_date`, returned: sql`, m.previous_last_date, m.last_date` } : null;
  await sql`create temp table ${sql.table(flips)} on commit drop as
    select year, ${ids(set)}, month, delta, 0 as before, filtered_delta, 0 as filtered_before, 0 as months_after, 0 as filtered_months_after
      ${seen ? sql`, last_date as previous_last_date, last_date` : sql``}
    from ip_deltas limit 0`.execute(trx);
  const { rows } = await sql<{ month: number }>`select distinct month from ip_deltas order by 1`.execute(trx);
  // A month at a time (a nightly has one): each key's row changes once per statement.
  for (const { month } of rows) {
    if (!MONTHS.includes(month as (typeof MONTHS)[number])) throw new Error(`no month ${month}`);
    const [d, f] = [sql.raw(`d${month}`), sql.raw(`f${month}`)];
    await sql`with up as (insert into ${sql.table(level.sets)} as m (year, ${ids(set)}, ${d}, ${f}, last_delta, last_filtered_delta ${seen?.columns ?? sql``})
        select year, ${ids(set)}, delta, filtered_delta, delta, filtered_delta ${seen?.values ?? sql``} from ip_deltas where month = ${month} order by year, ${ids(set)}
        on conflict (year, ${ids(set)}) do update set ${d} = m.${d} + excluded.${d}, ${f} = m.${f} + excluded.${f},
          last_delta = excluded.${d}, last_filtered_delta = excluded.${f}
          ${seen ? sql`, previous_last_date = m.last_date, last_date = greatest(m.last_date, excluded.last_date)` : sql``}
        returning m.year, ${ids(set, "m.")}, m.${d} - m.last_delta as before, m.last_delta, m.${f} - m.last_filtered_delta as filtered_before,
          m.last_filtered_delta, ${monthsHeld("d")} as months_after, ${monthsHeld("f")} as filtered_months_after ${seen?.returned ?? sql``})
      insert into ${sql.table(flips)} select year, ${ids(set)}, ${month}, last_delta, before, last_filtered_delta, filtered_before, months_after, filtered_months_after
        ${seen ? sql`, previous_last_date, last_date` : sql``}
      from up`.execute(trx);
  }
  await sql`analyze ${sql.table(flips)}`.execute(trx);
  // filtered days <= downloads: a row emptied of downloads is emptied of filtered days too.
  const empty = sql.raw(MONTHS.map((n) => `m.d${n} = 0`).join(" and "));
  await sql`delete from ${sql.table(level.sets)} m using ${sql.table(flips)} f
    where f.months_after = 0 and ${matches("m", "f", ["year", ...set])} and ${empty}`.execute(trx);
  await addFlips(trx, level, flips);
  return flips;
}

/**
 * The flips and sums of both kinds of count added to the level's summary and filtered summary:
 * per key, a month's row and its year's (date Dec 31). An IP appears in or leaves the year when
 * the year's months holding it go from 0 to more or back (months before = after - the month's flip).
 */
async function addFlips(trx: Kysely<Database>, level: Level, flips: string): Promise<void> {
  const keys = ids(level.keys, "f.");
  const known = level.knownOnly ? KNOWN : sql``;
  const yearFlip = (after: string, before: string, delta: string) =>
    sql.raw(`((f.${after} > 0)::int - (f.${after} - ((f.${before} + f.${delta} > 0)::int - (f.${before} > 0)::int) > 0)::int)`);
  const sums = `${level.sets}_sums`;
  await sql`drop table if exists ${sql.table(sums)}`.execute(trx);
  await sql`create temp table ${sql.table(sums)} on commit drop as
    select ${keys}, case when grouping(f.month) = 0 then make_date(f.year, f.month, 1) else make_date(f.year, 12, 31) end as date,
      grouping(f.month) = 0 as is_monthly,
      case when grouping(f.month) = 0 then sum(${flip("before", "delta")}) else sum(${yearFlip("months_after", "before", "delta")}) end as ips,
      sum(f.delta) as downloads,
      case when grouping(f.month) = 0 then sum(${flip("filtered_before", "filtered_delta")})
        else sum(${yearFlip("filtered_months_after", "filtered_before", "filtered_delta")}) end as filtered_ips,
      sum(f.filtered_delta) as filtered_downloads
    from ${sql.table(flips)} f ${known} group by grouping sets ((${keys}, f.year, f.month), (${keys}, f.year))`.execute(trx);

  const byPackage = level.keys.includes("package");
  const columns = byPackage ? sql`category, package` : sql`category`;
  const conflict = byPackage ? sql`package, date` : sql`category, date`;
  const match = matches("s", "x", [byPackage ? "package" : "category", "date"]);
  for (const [summary, ips, downloads] of [
    [level.summary, "ips", "downloads"],
    [level.filtered, "filtered_ips", "filtered_downloads"],
  ] as const) {
    await sql`insert into ${sql.table(summary)} as s (${columns}, date, is_monthly, ip_count, download_count)
      select ${columns}, date, is_monthly, ${sql.raw(ips)}, ${sql.raw(downloads)} from ${sql.table(sums)}
      where ${sql.raw(ips)} <> 0 or ${sql.raw(downloads)} <> 0
      on conflict (${conflict}) do update set ip_count = s.ip_count + excluded.ip_count, download_count = s.download_count + excluded.download_count`.execute(
      trx,
    );
    await sql`delete from ${sql.table(summary)} s using ${sql.table(sums)} x where ${match} and s.download_count = 0`.execute(trx);
  }
}

/** The category level's delta from the package level's flips: known packages only. */
export function categoryDelta(packageFlips: string): RawBuilder<unknown> {
  return sql`select f.year, f.category, f.ip, f.month, sum(f.delta)::int as delta, sum(f.filtered_delta)::int as filtered_delta
    from ${sql.table(packageFlips)} f ${KNOWN} group by f.year, f.category, f.ip, f.month having sum(f.delta) <> 0 or sum(f.filtered_delta) <> 0`;
}

/** Both levels, for a package-level delta. */
export async function applyDownloadDeltas(trx: Kysely<Database>, delta: RawBuilder<unknown>): Promise<void> {
  const flips = await applyIpDeltas(trx, PACKAGE_LEVEL, delta);
  await applyIpDeltas(trx, CATEGORY_LEVEL, categoryDelta(flips));
}
