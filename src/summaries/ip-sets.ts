// stats and categorystats kept exact by deltas. A change of downloads is a table of
// (year, KEYS…, ip, month, delta) rows; applied to the IP sets, it tells for each row whether
// the IP appears in or leaves that month, and, from how many months of that year held the IP
// before, whether it appears in or leaves the year. Those flips are the change of the distinct
// IP counts; the deltas' sums the change of downloads. So a day costs what the day holds,
// whatever the month, year or table hold, and the counts stay exactly those of the legacy
// views (v_stats, v_categorystats), which count distinct IPs per period. The counts without
// crawlers and repeats ride along: each row also has a `filtered_delta` of its filtered_days,
// whose flips and sums are counted the same way into the filtered summary tables.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../store/schema.js";

export interface Level {
  /** The IP sets: (year, KEYS…, ip, month) → downloads. */
  readonly sets: "webstats_month_ips" | "webstats_category_month_ips";
  readonly keys: readonly ("package" | "category")[];
  /** The legacy summary table the flips are counted into. */
  readonly summary: "stats" | "categorystats";
  /** The same for the filtered counts (filtered_days). */
  readonly filtered: "webstats_filtered_stats" | "webstats_filtered_categorystats";
  /** True: only keys in `packages` reach the summary (package level: every key has sets). */
  readonly knownOnly: boolean;
}

export const PACKAGE_LEVEL: Level = {
  sets: "webstats_month_ips",
  keys: ["package", "category"],
  summary: "stats",
  filtered: "webstats_filtered_stats",
  knownOnly: true,
};
export const CATEGORY_LEVEL: Level = {
  sets: "webstats_category_month_ips",
  keys: ["category"],
  summary: "categorystats",
  filtered: "webstats_filtered_categorystats",
  knownOnly: false,
};

const ids = (names: readonly string[], prefix = "") => sql.raw(names.map((n) => `${prefix}${n}`).join(", "));
const matches = (a: string, b: string, names: readonly string[]) => sql.raw(names.map((n) => `${a}.${n} = ${b}.${n}`).join(" and "));
const KNOWN = sql.raw("join packages p on p.package = f.package and p.category = f.category");
/** +1: the row appears (its count goes from 0 to more); -1: it leaves; 0: neither. */
const flip = (before: string, delta: string) => sql.raw(`((f.${before} + f.${delta} > 0)::int - (f.${before} > 0)::int)`);

/**
 * Applies `delta` (a table or subquery with year, KEYS…, ip, month, delta, filtered_delta; one
 * row per key+ip+month, not both zero) to the level's IP sets and summaries. Returns the name of a
 * temporary table holding the rows with their downloads before, for the next level to read.
 */
export async function applyIpDeltas(trx: Kysely<Database>, level: Level, delta: RawBuilder<unknown>): Promise<string> {
  const flips = `${level.sets}_flips`;
  const years = `${level.sets}_year_flips`;
  const set = [...level.keys, "ip"];
  const all = ["year", ...set, "month"];
  for (const t of ["ip_deltas", flips, years]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table ip_deltas on commit drop as ${delta}`.execute(trx);
  await sql`create temp table ${sql.table(flips)} on commit drop as
    select ${ids(all)}, delta, 0 as before, filtered_delta, 0 as filtered_before from ip_deltas limit 0`.execute(trx);
  // One upsert per row, in key order; its new downloads less the delta are the downloads before.
  await sql`with up as (insert into ${sql.table(level.sets)} as m (${ids(all)}, downloads, filtered_days)
      select ${ids(all)}, delta, filtered_delta from ip_deltas order by ${ids(all)}
      on conflict (${ids(all)}) do update set downloads = m.downloads + excluded.downloads, filtered_days = m.filtered_days + excluded.filtered_days
      returning ${ids(all, "m.")}, m.downloads, m.filtered_days)
    insert into ${sql.table(flips)} select ${ids(all, "d.")}, d.delta, up.downloads - d.delta, d.filtered_delta, up.filtered_days - d.filtered_delta
    from up join ip_deltas d on ${matches("up", "d", all)}`.execute(trx);

  // Only an IP that appears in or leaves a month can appear in or leave its year: for those, how
  // many months of the year hold it now (rows emptied by this change are still there, at 0).
  await sql`create temp table ${sql.table(years)} on commit drop as
    select c.*, n.months_after, n.filtered_months_after
    from (select ${ids(["year", ...set], "f.")}, sum(${flip("before", "delta")})::int as change, sum(${flip("filtered_before", "filtered_delta")})::int as filtered_change
          from ${sql.table(flips)} f group by ${ids(["year", ...set], "f.")}
          having sum(${flip("before", "delta")}) <> 0 or sum(${flip("filtered_before", "filtered_delta")}) <> 0) c
    cross join lateral (select count(*) filter (where y.downloads > 0)::int as months_after, count(*) filter (where y.filtered_days > 0)::int as filtered_months_after
          from ${sql.table(level.sets)} y where y.year = c.year and ${matches("y", "c", set)}) n`.execute(trx);
  // filtered_days <= downloads: a row emptied of downloads is emptied of filtered days too.
  await sql`delete from ${sql.table(level.sets)} m using ${sql.table(flips)} f
    where f.before + f.delta = 0 and ${matches("m", "f", all)}`.execute(trx);

  await addFlips(trx, level, level.summary, flips, years, { delta: "delta", before: "before", change: "change", monthsAfter: "months_after" });
  await addFlips(trx, level, level.filtered, flips, years, {
    delta: "filtered_delta",
    before: "filtered_before",
    change: "filtered_change",
    monthsAfter: "filtered_months_after",
  });
  return flips;
}

/** The flips and sums of one kind of count (the flips' and years' columns named in `c`) added to `summary`. */
async function addFlips(
  trx: Kysely<Database>,
  level: Level,
  summary: string,
  flips: string,
  years: string,
  c: { readonly delta: string; readonly before: string; readonly change: string; readonly monthsAfter: string },
): Promise<void> {
  const [delta, change, monthsAfter] = [c.delta, c.change, c.monthsAfter].map((n) => sql.raw(`f.${n}`));
  const keys = ids(level.keys, "f.");
  const known = level.knownOnly ? KNOWN : sql``;
  const byPackage = level.keys.includes("package");
  const category = byPackage ? sql`f.category, f.package` : sql`f.category`;
  const conflict = byPackage ? sql`package, date` : sql`category, date`;
  const monthFlip = flip(c.before, c.delta);
  const yearFlip = sql`((${monthsAfter} > 0)::int - (${monthsAfter} - ${change} > 0)::int)`;
  await sql`insert into ${sql.table(summary)} as s (${byPackage ? sql`category, package` : sql`category`}, date, is_monthly, ip_count, download_count)
    select ${category}, make_date(f.year, f.month, 1), true, sum(${monthFlip}), sum(${delta})
      from ${sql.table(flips)} f ${known} group by ${keys}, f.year, f.month
    union all
    select ${category}, make_date(f.year, 12, 31), false, sum(f.ips), sum(f.delta)
      from (select ${keys}, f.year, 0 as ips, ${delta} as delta from ${sql.table(flips)} f ${known}
            union all select ${keys}, f.year, ${yearFlip}, 0 from ${sql.table(years)} f ${known}) f
      group by ${keys}, f.year
    on conflict (${conflict}) do update set ip_count = s.ip_count + excluded.ip_count, download_count = s.download_count + excluded.download_count`.execute(
    trx,
  );
  const byKey = byPackage ? sql`package in (select package from ${sql.table(flips)})` : sql`category in (select category from ${sql.table(flips)})`;
  await sql`delete from ${sql.table(summary)} where download_count = 0 and ${byKey}`.execute(trx);
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
