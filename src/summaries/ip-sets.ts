// stats and categorystats kept exact by deltas. A change of downloads is a table of
// (year, KEYS…, ip, month, delta, filtered_delta) rows. Applied to the month's IP sets (one row
// per year, month, KEYS…, ip: its downloads and filtered days; sql/013), it tells for each row
// whether the IP appears in or leaves that month. A row that appears in its month is inserted into
// the year's pairs (a key per year, KEYS…, ip; `on conflict do nothing`), which says whether it
// appears in the year; one that leaves its month looks up its year's other months,
// and leaves the year's pairs when none holds it. Those flips are the change of the distinct IP
// counts, the deltas' sums the change of downloads. So a night writes only its month's rows, and
// the year's pairs only for the pairs new to the month: a day costs what the day holds, whatever
// the month, year or table hold, and the counts stay exactly those of the legacy views (v_stats,
// v_categorystats), which count distinct IPs per period. The counts without crawlers and repeats
// ride along: each row also has a `filtered_delta` of its filtered days, whose flips and sums are
// counted the same way into the filtered summary tables; the year's pairs without a filtered day
// (a crawler's) are kept apart, so that a pair's year keys are only ever inserted or deleted.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../store/schema.js";

export interface Level {
  /** The month's IP sets: (year, month, KEYS…, ip) → downloads and filtered days. */
  readonly months: "webstats_month_ips" | "webstats_category_month_ips";
  /** The year's pairs: (year, KEYS…, ip), a key while a month of the year holds the pair. */
  readonly pairs: "webstats_year_pairs" | "webstats_category_year_pairs";
  /** The year's pairs without a filtered day that year (a crawler's every day): few. */
  readonly unfiltered: "webstats_year_unfiltered" | "webstats_category_year_unfiltered";
  readonly keys: readonly ("package" | "category")[];
  /** The legacy summary table the flips are counted into. */
  readonly summary: "stats" | "categorystats";
  /** The same for the filtered counts. */
  readonly filtered: "webstats_filtered_stats" | "webstats_filtered_categorystats";
  /** True: only keys in `packages` reach the summary (package level: every key has sets). */
  readonly knownOnly: boolean;
}

export const PACKAGE_LEVEL: Level = {
  months: "webstats_month_ips",
  pairs: "webstats_year_pairs",
  unfiltered: "webstats_year_unfiltered",
  keys: ["package", "category"],
  summary: "stats",
  filtered: "webstats_filtered_stats",
  knownOnly: true,
};
export const CATEGORY_LEVEL: Level = {
  months: "webstats_category_month_ips",
  pairs: "webstats_category_year_pairs",
  unfiltered: "webstats_category_year_unfiltered",
  keys: ["category"],
  summary: "categorystats",
  filtered: "webstats_filtered_categorystats",
  knownOnly: false,
};

/** The temporary table applyIpDeltas leaves: the level's changed rows, a row per month changed. */
export const flipsOf = (level: Level): string => `${level.months}_flips`;

export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

const ids = (names: readonly string[], prefix = "") => sql.raw(names.map((n) => `${prefix}${n}`).join(", "));
/** `a.n = b.n and …` for each of `names`. */
export const matches = (a: string, b: string, names: readonly string[]) => sql.raw(names.map((n) => `${a}.${n} = ${b}.${n}`).join(" and "));
const KNOWN = sql.raw("join packages p on p.package = f.package and p.category = f.category");
/** +1: the row appears (its count goes from 0 to more); -1: it leaves; 0: neither. */
const flip = (before: string, delta: string) => sql.raw(`((f.${before} + f.${delta} > 0)::int - (f.${before} > 0)::int)`);

/** A level's month rows as (year, KEYS…, ip, month, downloads, filtered_days); `where` on their alias `y`. */
export function setMonths(level: Level, where: RawBuilder<unknown> = sql`true`): RawBuilder<unknown> {
  return sql`select y.year, ${ids([...level.keys, "ip"], "y.")}, y.month, y.downloads, y.filtered_days from ${sql.table(level.months)} y where ${where}`;
}

/**
 * Applies `delta` (a table or subquery with year, KEYS…, ip, month, delta, filtered_delta; one
 * row per key+ip+month, not both zero) to the level's IP sets and summaries. Returns the name of a
 * temporary table of the flips (the rows with their counts before), for the next level to read.
 */
export async function applyIpDeltas(trx: Kysely<Database>, level: Level, delta: RawBuilder<unknown>): Promise<string> {
  const flips = flipsOf(level);
  const set = [...level.keys, "ip"];
  for (const t of ["ip_deltas", flips]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table ip_deltas on commit drop as ${delta}`.execute(trx);
  await sql`analyze ip_deltas`.execute(trx);
  await sql`create temp table ${sql.table(flips)} on commit drop as
    select year, ${ids(set)}, month, delta, 0 as before, filtered_delta, 0 as filtered_before, 0 as year_flip, 0 as filtered_year_flip
    from ip_deltas limit 0`.execute(trx);
  const { rows } = await sql<{ month: number }>`select distinct month from ip_deltas order by 1`.execute(trx);
  // A month at a time (a night has one): each step sees the year's pairs as the months before left them.
  for (const { month } of rows) {
    if (!MONTHS.includes(month as (typeof MONTHS)[number])) throw new Error(`no month ${month}`);
    await applyMonth(trx, level, month);
    await sql`insert into ${sql.table(flips)} select * from ip_step`.execute(trx);
  }
  await sql`analyze ${sql.table(flips)}`.execute(trx);
  await addFlips(trx, level, flips);
  return flips;
}

/**
 * One month of ip_deltas applied: its flips (the month's and the year's) in the temporary table
 * ip_step, a table of the month's rows alone, so that a run of many months reads each once. The
 * statements for pairs that leave a month, or whose filtered days appear in one they were already
 * in, run only when there are such pairs: never on a night of new days.
 */
async function applyMonth(trx: Kysely<Database>, level: Level, month: number): Promise<void> {
  const set = [...level.keys, "ip"];
  const key = ["year", ...set];
  const [months, pairs, unfiltered] = [sql.table(level.months), sql.table(level.pairs), sql.table(level.unfiltered)];
  for (const t of ["ip_step", "ip_leaving"]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table ip_step on commit drop as
    with up as (insert into ${months} as m (year, month, ${ids(set)}, downloads, filtered_days)
      select year, month, ${ids(set)}, delta, filtered_delta from ip_deltas where month = ${month} order by year, ${ids(set)}
      on conflict (year, month, ${ids(set)}) do update set downloads = m.downloads + excluded.downloads, filtered_days = m.filtered_days + excluded.filtered_days
      returning m.year, ${ids(set, "m.")}, m.downloads, m.filtered_days)
    select d.year, ${ids(set, "d.")}, d.month, d.delta, u.downloads - d.delta as before, d.filtered_delta, u.filtered_days - d.filtered_delta as filtered_before,
      0 as year_flip, 0 as filtered_year_flip
    from up u join ip_deltas d on d.month = ${month} and ${matches("d", "u", key)}`.execute(trx);
  await sql`analyze ip_step`.execute(trx);
  const entering = sql`f.before + f.delta > 0 and (f.before = 0 or (f.filtered_before = 0 and f.filtered_delta > 0))`;
  const leaving = sql`f.filtered_before + f.filtered_delta = 0 and (f.before > 0 and f.before + f.delta = 0 or f.filtered_before > 0)`;
  const { rows } = await sql<{ entering: number; leaving: number }>`select (count(*) filter (where ${entering}))::int as entering,
    (count(*) filter (where ${leaving}))::int as leaving from ip_step f`.execute(trx);
  const counts = rows[0]!;

  if (counts.entering > 0) {
    // Appears in the month (or its filtered days do): new to the year when its key was not there
    // (`do nothing`: a key found is neither locked nor written).
    await sql`with up as (insert into ${pairs} (year, ${ids(set)}) select year, ${ids(set)} from ip_step f where ${entering} order by year, ${ids(set)}
        on conflict do nothing returning year, ${ids(set)})
      update ip_step f set year_flip = 1, filtered_year_flip = (f.filtered_before + f.filtered_delta > 0)::int from up u where ${matches("f", "u", key)}`.execute(
      trx,
    );
    await sql`insert into ${unfiltered} (year, ${ids(set)}) select year, ${ids(set)} from ip_step f
      where f.year_flip = 1 and f.filtered_before + f.filtered_delta = 0 order by year, ${ids(set)}`.execute(trx);
    // A pair of the year gets its first filtered day.
    await sql`with now_filtered as (delete from ${unfiltered} x using ip_step f
        where f.year_flip = 0 and ${entering} and f.filtered_before + f.filtered_delta > 0 and ${matches("x", "f", key)} returning x.year, ${ids(set, "x.")})
      update ip_step f set filtered_year_flip = 1 from now_filtered n where ${matches("f", "n", key)}`.execute(trx);
  }
  if (counts.leaving > 0) {
    // filtered days <= downloads: a row emptied of downloads is emptied of filtered days too.
    await sql`delete from ${months} m using ip_step f where f.before + f.delta = 0 and m.month = ${month} and ${matches("m", "f", key)}`.execute(trx);
    // Leaves the month (or its filtered days do): the year's other months say whether it leaves the year.
    const others = sql.raw(`array[${MONTHS.filter((m) => m !== month).join(", ")}]::smallint[]`);
    const other = (count: string) =>
      sql`exists (select 1 from ${months} o where o.year = f.year and o.month = any(${others}) and ${matches("o", "f", set)} and o.${sql.raw(count)} > 0)`;
    await sql`create temp table ip_leaving on commit drop as
      select f.year, ${ids(set, "f.")}, f.before + f.delta = 0 as emptied, ${other("downloads")} as held, ${other("filtered_days")} as filtered_held
      from ip_step f where ${leaving}`.execute(trx);
    // Gone from the year: its filtered count too, unless it had no filtered day.
    await sql`with gone as (delete from ${pairs} p using ip_leaving l where l.emptied and not l.held and ${matches("p", "l", key)} returning p.year, ${ids(set, "p.")})
      update ip_step f set year_flip = -1, filtered_year_flip = -1 from gone g where ${matches("f", "g", key)}`.execute(trx);
    await sql`with was as (delete from ${unfiltered} x using ip_leaving l where l.emptied and not l.held and ${matches("x", "l", key)} returning x.year, ${ids(set, "x.")})
      update ip_step f set filtered_year_flip = 0 from was w where ${matches("f", "w", key)}`.execute(trx);
    // Still in the year, but no month keeps a filtered day: it leaves the year's filtered count (unless it had none).
    await sql`with added as (insert into ${unfiltered} (year, ${ids(set)}) select year, ${ids(set)} from ip_leaving l
        where (l.held or not l.emptied) and not l.filtered_held order by year, ${ids(set)} on conflict do nothing returning year, ${ids(set)})
      update ip_step f set filtered_year_flip = -1 from added a where ${matches("f", "a", key)}`.execute(trx);
  }
}

/**
 * The flips and sums of both kinds of count added to the level's summary and filtered summary:
 * per key, a month's row and its year's (date Dec 31), from the month and year flips.
 */
async function addFlips(trx: Kysely<Database>, level: Level, flips: string): Promise<void> {
  const keys = ids(level.keys, "f.");
  const known = level.knownOnly ? KNOWN : sql``;
  const sums = `${level.months}_sums`;
  await sql`drop table if exists ${sql.table(sums)}`.execute(trx);
  await sql`create temp table ${sql.table(sums)} on commit drop as
    select ${keys}, case when grouping(f.month) = 0 then make_date(f.year, f.month, 1) else make_date(f.year, 12, 31) end as date,
      grouping(f.month) = 0 as is_monthly,
      case when grouping(f.month) = 0 then sum(${flip("before", "delta")}) else sum(f.year_flip) end as ips,
      sum(f.delta) as downloads,
      case when grouping(f.month) = 0 then sum(${flip("filtered_before", "filtered_delta")})
        else sum(f.filtered_year_flip) end as filtered_ips,
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
