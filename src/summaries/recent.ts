// The last 30 days (ValidThru-29 .. ValidThru) per package: downloads and distinct IPs, kept in
// webstats_recent as the window moves. A pair's (package, category, IP) last day seen is kept in
// its IP set rows (webstats_year_ips.last_date, by the upsert that adds its downloads; exact
// whenever it falls in the window, any earlier day or none otherwise), and webstats_recent_days
// counts per package and day of the window the pairs last seen that day. When the window moves on,
// the days before its first day leave it with their pairs; a new day's pairs move their last day
// on, or enter. Days restated inside the window recount only their pairs' last days, from the
// window's raw rows. A pair's last day in a window year whose row the change did not touch (in
// January, last year's) is read from that year's window days' raw rows, not looked up row by
// row. Downloads are the sum of webstats_daily over the window. A window that jumps 30 days or
// more, or that was left behind, is made again from the raw rows.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { addDays, dateParts, isoDate, lastThirtyDays } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import { getInfo, setInfo } from "../store/info.js";
import { COUNTED } from "./counted.js";
import { flipsOf, matches, PACKAGE_LEVEL } from "./ip-sets.js";

const WINDOW_DAYS = 30;

/** True when webstats_recent holds the window of `validThru`. */
export async function recentIsCurrent(db: Kysely<Database>, validThru: IsoDate): Promise<boolean> {
  return (await getInfo(db, "RecentThru")) === validThru;
}

/**
 * For a run of many chunks: the window is made once, at the end; until then it says it is behind.
 * `replaced`: the chunk replaced stored rows, which may leave last days seen that no row backs.
 */
export async function leaveRecentBehind(trx: Kysely<Database>, replaced: boolean): Promise<void> {
  await setInfo(trx, "RecentThru", "");
  if (replaced) await setInfo(trx, "LastDaysStale", "yes");
}

/** The years a window touches (one, or two in January). */
const yearsOf = (from: IsoDate, to: IsoDate) => [...new Set([dateParts(from).year, dateParts(to).year])];

/** Per (year, package, category, IP): the last day seen in the window's raw rows (of the pairs `pairs` selects, when given). */
function windowLastDays(from: IsoDate, to: IsoDate, pairs: RawBuilder<unknown> | null): RawBuilder<unknown> {
  const only = pairs ? sql`and (d.package, d.category, d."c-ip") in (select package, category, ip from ${pairs} k)` : sql``;
  return sql`select extract(year from d.date)::smallint as year, d.package collate "C" as package, d.category collate "C" as category,
      d."c-ip" collate "C" as ip, max(d.date) as last_date
    from bioc_web_downloads d where d.date >= ${from} and d.date <= ${to} and d."sc-status" in (${COUNTED}) ${only} group by 1, 2, 3, 4`;
}

/**
 * After days first..last were replaced (the package level's flips in flipsOf(PACKAGE_LEVEL), the
 * raw rows and webstats_daily already replaced) and ValidThru moved from `before` to `after`.
 */
export async function moveRecentWindow(trx: Kysely<Database>, days: readonly [IsoDate, IsoDate], before: IsoDate | null, after: IsoDate): Promise<void> {
  const current = before !== null && (await recentIsCurrent(trx, before)) && addDays(before, WINDOW_DAYS) > after;
  if (!current) return rebuildRecent(trx, after);
  const { from } = lastThirtyDays(after);
  const [first, last] = days;
  const flips = sql.table(flipsOf(PACKAGE_LEVEL));
  const years = yearsOf(from, after);
  for (const t of ["recent_ip_changes", "recent_moves", "recent_before"]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table recent_ip_changes (package varchar(64) collate "C", category varchar(16) collate "C", change integer) on commit drop`.execute(
    trx,
  );

  // The days before the window's first leave it, with the pairs last seen on them.
  await sql`with gone as (delete from webstats_recent_days where date < ${from} returning package, category, pairs)
    insert into recent_ip_changes select package, category, -sum(pairs) from gone group by 1, 2`.execute(trx);

  // The pairs whose last day may have moved, with their last day before this change (the latest of
  // their window years' rows: as this change found a row it changed, else as the row is) and after.
  await sql`create temp table recent_moves (package varchar(64) collate "C", category varchar(16) collate "C", ip varchar(40) collate "C",
    before date, after date) on commit drop`.execute(trx);
  // Rows this change touched, as they were before it: the previous day of each row's first upsert (its first month).
  await sql`create temp table recent_before on commit drop as
    select distinct on (year, package, category, ip) year, package, category, ip, previous_last_date from ${flips}
    where year = any(${years}) order by year, package, category, ip, month`.execute(trx);
  await sql`analyze recent_before`.execute(trx);
  if (first <= before && last >= from) {
    await restatedMoves(trx, [from, after], [first, last], years);
  } else {
    // New days only (each pair they hold changed its row, and moved its last day to one of them),
    // or old days only, before the window (no last day moves into it).
    await sql`insert into recent_moves (package, category, ip, before, after)
      select f.package, f.category, f.ip, max(b.previous_last_date), max(f.last_date) from ${flips} f
        join recent_before b on b.year = f.year and ${sameKey("b", "f")}
      where f.last_date >= ${from} and f.previous_last_date is distinct from f.last_date group by 1, 2, 3`.execute(trx);
    await sql`analyze recent_moves`.execute(trx);
    // A window year's row this change did not touch: its last day in the window, from that year's
    // raw rows of the window (in January, last year's). New days of one year changed every pair's
    // row of that year.
    const newDaysYear = dateParts(first).year === dateParts(last).year ? dateParts(first).year : null;
    // A pair whose last day is already in a later year needs none (in January: those seen in the new year before).
    for (const year of years.filter((y) => y !== newDaysYear)) {
      const seen = await lastDaysInYearOfWindow(
        trx,
        year,
        [from, after],
        sql`select package, category, ip from recent_moves r
          where (r.before is null or r.before <= make_date(${year}, 12, 31)) and not exists (select 1 from recent_before t where t.year = ${year} and ${sameKey("t", "r")})`,
      );
      if (seen) await sql`update recent_moves r set before = greatest(r.before, s.last_date) from ${sql.table(seen)} s where ${sameKey("s", "r")}`.execute(trx);
    }
  }
  await sql`delete from recent_moves where before is not distinct from after`.execute(trx);

  // A pair leaves its day before (when in the window) and joins its day after (when it has one).
  await sql`insert into webstats_recent_days as h (package, category, date, pairs)
    select package, category, date, sum(n) from (
      select package, category, before as date, -1 as n from recent_moves where before >= ${from}
      union all select package, category, after, 1 from recent_moves where after is not null) x
    group by 1, 2, 3 having sum(n) <> 0
    on conflict (package, category, date) do update set pairs = h.pairs + excluded.pairs`.execute(trx);
  await sql`delete from webstats_recent_days where pairs = 0`.execute(trx);
  await sql`insert into recent_ip_changes select package, category, sum((after is not null)::int - (before >= ${from} and before is not null)::int)
    from recent_moves group by 1, 2`.execute(trx);

  await sql`insert into webstats_recent as w (package, category, downloads, ips)
    select package, category, 0, sum(change) from recent_ip_changes group by 1, 2 having sum(change) <> 0
    on conflict (package, category) do update set ips = w.ips + excluded.ips`.execute(trx);
  await sql`delete from webstats_recent where ips = 0`.execute(trx);
  await setRecentDownloads(trx, from, after);
  await setInfo(trx, "RecentThru", after);
}

const sameKey = (a: string, b: string) => matches(a, b, ["package", "category", "ip"]);
/** The last day of the IP set row (year, the pair of alias `r`), by its key. */
const rowLastDay = (year: RawBuilder<unknown>, r: string) => sql`(select y.last_date from webstats_year_ips y where y.year = ${year} and ${sameKey("y", r)})`;

/**
 * Days first..last, some of them inside the window, were restated: recent_moves gets the pairs
 * whose last day may have moved, and their rows' last days are set anew. A row moves only if its
 * last day among the days' old rows differs from that among their new rows (late rows added, the
 * common case, move only the pairs they bring). Per row, with its last day before: a later day
 * of its year outside first..last keeps it; else the new rows' last day is it; else (the pair
 * left those days) it is recounted from the window's raw rows before `first`, the only raw rows
 * read, and only when there is such a row.
 */
async function restatedMoves(
  trx: Kysely<Database>,
  [from, to]: readonly [IsoDate, IsoDate],
  [first, last]: readonly [IsoDate, IsoDate],
  years: readonly number[],
): Promise<void> {
  await sql`drop table if exists recent_rows`.execute(trx);
  await sql`create temp table recent_rows on commit drop as
    select year, package, category, ip, max(old) as old_last, max(new) as new_last, false as touched, null::date as before, null::date as after, false as recount
    from (select extract(year from date)::smallint as year, package, category, ip, date as old, null::date as new from old_day_ips where date >= ${from}
      union all select extract(year from date)::smallint, package, category, ip, null, date from new_day_ips where date >= ${from}) x
    group by 1, 2, 3, 4 having max(old) is distinct from max(new)`.execute(trx);
  await sql`analyze recent_rows`.execute(trx);
  await sql`update recent_rows r set touched = true, before = t.previous_last_date from recent_before t where t.year = r.year and ${sameKey("t", "r")}`.execute(
    trx,
  );
  await sql`update recent_rows r set before = ${rowLastDay(sql`r.year`, "r")} where not touched`.execute(trx);
  const later = sql`coalesce(before > least(${last}::date, make_date(year, 12, 31)), false)`;
  await sql`update recent_rows set after = case when ${later} then before else new_last end, recount = not ${later} and new_last is null`.execute(trx);
  // Each a table of its own, counted and analyzed, so that the raw rows are read once, by a hash of the pairs.
  await sql`drop table if exists recent_recount_pairs`.execute(trx);
  await sql`create temp table recent_recount_pairs on commit drop as select distinct package, category, ip from recent_rows where recount`.execute(trx);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from recent_recount_pairs`.execute(trx);
  if (rows[0]!.n > 0) {
    await sql`analyze recent_recount_pairs`.execute(trx);
    await sql`drop table if exists recent_recounted`.execute(trx);
    await sql`create temp table recent_recounted on commit drop as ${windowLastDays(from, addDays(first, -1), sql`recent_recount_pairs`)}`.execute(trx);
    // Both as they are now (recount was all false when recent_rows was first analyzed).
    await sql`analyze recent_recounted`.execute(trx);
    await sql`analyze recent_rows`.execute(trx);
    await sql`update recent_rows r set after = c.last_date from recent_recounted c where r.recount and c.year = r.year and ${sameKey("c", "r")}`.execute(trx);
  }
  // By key: a few restated days' pairs, never a join over the whole sets.
  await sql`set local enable_hashjoin = off`.execute(trx);
  await sql`set local enable_mergejoin = off`.execute(trx);
  await sql`update webstats_year_ips y set last_date = r.after from recent_rows r
    where y.year = r.year and ${sameKey("y", "r")} and y.last_date is distinct from r.after`.execute(trx);
  await sql`reset enable_hashjoin`.execute(trx);
  await sql`reset enable_mergejoin`.execute(trx);

  // Per pair, the latest of its window years' rows, before and after; a row this change left alone counts as it is.
  await sql`insert into recent_moves (package, category, ip, before, after) select package, category, ip, max(before), max(after) from recent_rows group by 1, 2, 3`.execute(
    trx,
  );
  await sql`analyze recent_moves`.execute(trx);
  for (const year of years) {
    const seen = await lastDaysInYearOfWindow(
      trx,
      year,
      [from, to],
      sql`select package, category, ip from recent_moves m where not exists (select 1 from recent_rows r where r.year = ${year} and ${sameKey("r", "m")})`,
    );
    if (seen) {
      await sql`update recent_moves m set before = greatest(m.before, s.last_date), after = greatest(m.after, s.last_date)
        from ${sql.table(seen)} s where ${sameKey("s", "m")}`.execute(trx);
    }
  }
}

/**
 * Of the pairs `pairs` selects (package, category, ip), the last day seen in `year`'s days of the
 * window, from those days' raw rows: a temporary table (package, category, ip, last_date), or null
 * when there are no such pairs or days. The raw rows of at most 30 days, read by the date index,
 * where a lookup of each pair's row in that year's IP sets read a random page of a year's sets
 * per pair (in January, ~250 k pairs into last year's, seldom cached: 8–14 s, 126 s measured
 * beside other work). Only days no change replaced are asked for here, so their raw rows are
 * what the rows' last days were made from, and only a day in the window matters.
 */
async function lastDaysInYearOfWindow(
  trx: Kysely<Database>,
  year: number,
  [from, to]: readonly [IsoDate, IsoDate],
  pairs: RawBuilder<unknown>,
): Promise<string | null> {
  const [first, last] = [from > isoDate(year, 1, 1) ? from : isoDate(year, 1, 1), to < isoDate(year, 12, 31) ? to : isoDate(year, 12, 31)];
  if (first > last) return null;
  for (const t of [YEAR_PAIRS, "recent_year_seen"]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  // No `finally`: a statement that fails aborts the transaction, which takes the table with it
  // (a drop there would only fail too, and hide the first error).
  await sql`create unlogged table ${sql.table(YEAR_PAIRS)} as ${pairs}`.execute(trx);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(YEAR_PAIRS)}`.execute(trx);
  const found = rows[0]!.n > 0;
  if (found) {
    await sql`analyze ${sql.table(YEAR_PAIRS)}`.execute(trx);
    await sql`create temp table recent_year_seen on commit drop as
      select package, category, ip, last_date from (${windowLastDays(first, last, sql.table(YEAR_PAIRS))}) w`.execute(trx);
    await sql`analyze recent_year_seen`.execute(trx);
  }
  await sql`drop table ${sql.table(YEAR_PAIRS)}`.execute(trx);
  return found ? "recent_year_seen" : null;
}

/**
 * The pairs lastDaysInYearOfWindow looks for: an unlogged table, not a temporary one, so that the
 * server's parallel workers can share the read of the raw rows (a temporary table is its session's
 * alone). Made and dropped inside the ingest's transaction: a run that fails leaves none behind.
 */
const YEAR_PAIRS = "webstats_recent_year_pairs";

/** Each package's downloads of the window, from webstats_daily (every package with one has an IP in the window). */
async function setRecentDownloads(trx: Kysely<Database>, from: IsoDate, to: IsoDate): Promise<void> {
  await sql`update webstats_recent w set downloads = s.downloads
    from (select package, category, sum(downloads)::int as downloads from webstats_daily where date >= ${from} and date <= ${to} group by 1, 2) s
    where w.package = s.package and w.category = s.category and w.downloads <> s.downloads`.execute(trx);
}

/**
 * The window of `validThru` from the raw rows (~30 days of them): the last days of the window
 * years' rows set anew where they differ. Not TRUNCATE: a build's snapshot must still see the old one.
 * `lastDaysMade`: every day of the window was just summarized from the raw rows, and none lies
 * after it, so each row's last day (the last of its year's rows) is already the window's: the
 * update, a join of the window's ~5 M pairs with the year's sets (19 s at production volume),
 * would change nothing.
 */
export async function rebuildRecent(trx: Kysely<Database>, validThru: IsoDate, lastDaysMade = false): Promise<void> {
  const { from, to } = lastThirtyDays(validThru);
  const years = yearsOf(from, to);
  await sql`drop table if exists recent_recount`.execute(trx);
  await sql`create temp table recent_recount on commit drop as ${windowLastDays(from, to, null)}`.execute(trx);
  await sql`analyze recent_recount`.execute(trx);
  if (lastDaysMade) {
    // Nor is any last day stale: the rows were made from the raw rows they name.
    await setInfo(trx, "LastDaysStale", null);
  } else {
    await sql`update webstats_year_ips y set last_date = c.last_date from recent_recount c
      where y.year = c.year and ${sameKey("y", "c")} and y.last_date is distinct from c.last_date`.execute(trx);
    // A day in the window no raw row backs: only a chunked run that replaced stored rows leaves
    // those (a scan of the window years' sets, so only then).
    if ((await getInfo(trx, "LastDaysStale")) === "yes") {
      await sql`update webstats_year_ips y set last_date = null where y.year = any(${years}) and y.last_date >= ${from}
        and not exists (select 1 from recent_recount c where c.year = y.year and ${sameKey("c", "y")})`.execute(trx);
      await setInfo(trx, "LastDaysStale", null);
    }
  }
  await sql`delete from webstats_recent_days`.execute(trx);
  await sql`delete from webstats_recent`.execute(trx);
  await sql`insert into webstats_recent_days (package, category, date, pairs)
    select package, category, last_date, count(*) from (select package, category, ip, max(last_date) as last_date from recent_recount group by 1, 2, 3) x
    group by 1, 2, 3`.execute(trx);
  await sql`insert into webstats_recent (package, category, downloads, ips)
    select package, category, 0, sum(pairs) from webstats_recent_days group by 1, 2`.execute(trx);
  await setRecentDownloads(trx, from, to);
  await setInfo(trx, "RecentThru", validThru);
}
