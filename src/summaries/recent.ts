// The last 30 days (ValidThru-29 .. ValidThru) per package: downloads and distinct IPs, kept in
// webstats_recent as the window moves. webstats_recent_ips holds the window's (package, category,
// IP) pairs, each with the last day it was seen in the window (sql/013): as large as the window,
// whatever the year or the table hold. When the window moves on, the pairs last seen before its
// first day leave it; a new day's pairs move their last day on, or enter. Days restated inside the
// window recount only their pairs whose last day fell on them, and only those the new rows no
// longer hold, from the window's raw rows before the restated days. Downloads are the sum of
// webstats_daily over the window. A window that jumps 30 days or more, or that was left behind,
// is made again from the raw rows.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { addDays, lastThirtyDays } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import { getInfo, setInfo } from "../store/info.js";
import { COUNTED } from "./counted.js";
import { matches } from "./ip-sets.js";

const WINDOW_DAYS = 30;

/** True when webstats_recent holds the window of `validThru`. */
export async function recentIsCurrent(db: Kysely<Database>, validThru: IsoDate): Promise<boolean> {
  return (await getInfo(db, "RecentThru")) === validThru;
}

/** For a run of many chunks: the window is made once, at the end; until then it says it is behind. */
export async function leaveRecentBehind(trx: Kysely<Database>): Promise<void> {
  await setInfo(trx, "RecentThru", "");
}

const sameKey = (a: string, b: string) => matches(a, b, ["package", "category", "ip"]);

/** Per (package, category, IP): the last day seen in the raw rows of from..to (of the pairs the table `pairs` holds, when given). */
function windowLastDays(from: IsoDate, to: IsoDate, pairs: string | null): RawBuilder<unknown> {
  const only = pairs ? sql`and (d.package, d.category, d."c-ip") in (select package, category, ip from ${sql.table(pairs)} k)` : sql``;
  return sql`select d.package collate "C" as package, d.category collate "C" as category, d."c-ip" collate "C" as ip, max(d.date) as last_date
    from bioc_web_downloads d where d.date >= ${from} and d.date <= ${to} and d."sc-status" in (${COUNTED}) ${only} group by 1, 2, 3`;
}

/**
 * After days first..last were replaced (the raw rows and webstats_daily already replaced; their
 * old and new pairs in old_day_ips and new_day_ips, summaries/day-changes.ts) and ValidThru moved
 * from `before` to `after`.
 */
export async function moveRecentWindow(trx: Kysely<Database>, days: readonly [IsoDate, IsoDate], before: IsoDate | null, after: IsoDate): Promise<void> {
  if (before === null || !(await recentIsCurrent(trx, before)) || addDays(before, WINDOW_DAYS) <= after) return rebuildRecent(trx, after);
  const { from } = lastThirtyDays(after);
  const [first, last] = days;
  const start = first > from ? first : from;
  for (const t of ["recent_ip_changes", "recent_moves"]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table recent_ip_changes (package varchar(64) collate "C", category varchar(16) collate "C", change integer) on commit drop`.execute(
    trx,
  );
  // The pairs last seen before the window's first day leave it.
  await sql`with gone as (delete from webstats_recent_ips where last_date < ${from} returning package, category)
    insert into recent_ip_changes select package, category, -count(*) from gone group by 1, 2`.execute(trx);
  if (start > last) {
    // Old days only, before the window: nothing in it changed.
  } else if (first > before) {
    // New days only: each pair they hold was last seen on the last of them, in the window or not before.
    await sql`with up as (insert into webstats_recent_ips as r (package, category, ip, last_date)
        select package, category, ip, max(date) from new_day_ips where date >= ${start} group by 1, 2, 3 order by 1, 2, 3
        on conflict (package, category, ip) do update set last_date = excluded.last_date where r.last_date < excluded.last_date
        returning r.package, r.category, (r.xmax = 0) as inserted)
      insert into recent_ip_changes select package, category, count(*) from up where inserted group by 1, 2`.execute(trx);
  } else {
    await restatedMoves(trx, from, [start, last]);
  }
  await sql`insert into webstats_recent as w (package, category, downloads, ips)
    select package, category, 0, sum(change) from recent_ip_changes group by 1, 2 having sum(change) <> 0
    on conflict (package, category) do update set ips = w.ips + excluded.ips`.execute(trx);
  await sql`delete from webstats_recent where ips = 0`.execute(trx);
  await setRecentDownloads(trx, from, after);
  await setInfo(trx, "RecentThru", after);
}

/**
 * Days start..last of the window were restated. A pair's last day moves only if its last day
 * among the days' old rows differs from that among their new rows (late rows added, the common
 * case, move only the pairs they bring). Per such pair, with its last day before: a day outside
 * start..last keeps it, or the new rows' last day if later; else the new rows' last day is it;
 * else (the pair left those days) it is recounted from the window's raw rows before `start`, the
 * only raw rows read, and only for those pairs.
 */
async function restatedMoves(trx: Kysely<Database>, from: IsoDate, [start, last]: readonly [IsoDate, IsoDate]): Promise<void> {
  const outside = sql`(r.last_date < ${start} or r.last_date > ${last})`;
  await sql`create temp table recent_moves on commit drop as
    select x.package, x.category, x.ip, x.new_last, r.last_date as before,
      case when ${outside} then greatest(r.last_date, x.new_last) else x.new_last end as after, coalesce(${outside}, false) as outside
    from (select package, category, ip, max(old) as old_last, max(new) as new_last
      from (select package, category, ip, date as old, null::date as new from old_day_ips where date >= ${start}
        union all select package, category, ip, null, date from new_day_ips where date >= ${start}) u
      group by 1, 2, 3 having max(old) is distinct from max(new)) x
    left join webstats_recent_ips r on ${sameKey("r", "x")}`.execute(trx);
  await sql`analyze recent_moves`.execute(trx);
  const recount = sql`after is null and not outside`;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from recent_moves where ${recount}`.execute(trx);
  if (rows[0]!.n > 0 && from < start) {
    await sql`drop table if exists recent_recount_pairs`.execute(trx);
    await sql`create temp table recent_recount_pairs on commit drop as select package, category, ip from recent_moves where ${recount}`.execute(trx);
    await sql`analyze recent_recount_pairs`.execute(trx);
    await sql`update recent_moves m set after = c.last_date from (${windowLastDays(from, addDays(start, -1), "recent_recount_pairs")}) c
      where ${sameKey("m", "c")}`.execute(trx);
  }
  await sql`delete from webstats_recent_ips r using recent_moves m where m.after is null and ${sameKey("r", "m")}`.execute(trx);
  await sql`insert into webstats_recent_ips as r (package, category, ip, last_date)
    select package, category, ip, after from recent_moves where after is not null and after is distinct from before order by 1, 2, 3
    on conflict (package, category, ip) do update set last_date = excluded.last_date`.execute(trx);
  await sql`insert into recent_ip_changes select package, category, sum((after is not null)::int - (before is not null)::int)
    from recent_moves group by 1, 2`.execute(trx);
}

/** Each package's downloads of the window, from webstats_daily (every package with one has an IP in the window). */
async function setRecentDownloads(trx: Kysely<Database>, from: IsoDate, to: IsoDate): Promise<void> {
  await sql`update webstats_recent w set downloads = s.downloads
    from (select package, category, sum(downloads)::int as downloads from webstats_daily where date >= ${from} and date <= ${to} group by 1, 2) s
    where w.package = s.package and w.category = s.category and w.downloads <> s.downloads`.execute(trx);
}

/** The window of `validThru` from the raw rows (~30 days of them). Not TRUNCATE: a build's snapshot must still see the old one. */
export async function rebuildRecent(trx: Kysely<Database>, validThru: IsoDate): Promise<void> {
  const { from, to } = lastThirtyDays(validThru);
  await sql`delete from webstats_recent_ips`.execute(trx);
  await sql`delete from webstats_recent`.execute(trx);
  await sql`insert into webstats_recent_ips (package, category, ip, last_date) ${windowLastDays(from, to, null)} order by 1, 2, 3`.execute(trx);
  await sql`insert into webstats_recent (package, category, downloads, ips)
    select package, category, 0, count(*) from webstats_recent_ips group by 1, 2`.execute(trx);
  await setRecentDownloads(trx, from, to);
  await setInfo(trx, "RecentThru", validThru);
}
