// The last 30 days (ValidThru-29 .. ValidThru) per package: downloads and distinct IPs, kept in
// webstats_recent as the window moves. Distinct IPs come from the last day each (package,
// category, IP) was seen in the window (webstats_recent_ips): when the window moves on, the pairs
// last seen before its first day leave it, and a new day's pairs enter it or move their day on.
// Days restated inside the window recount only their pairs, from the window's raw rows. Downloads
// are the sum of webstats_daily over the window. A window that jumps 30 days or more, or that was
// left behind, is made again from the raw rows.
import { sql, type Kysely } from "kysely";
import { addDays, lastThirtyDays } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import { getInfo, setInfo } from "../store/info.js";
import { COUNTED } from "./counted.js";

const WINDOW_DAYS = 30;

/** True when webstats_recent holds the window of `validThru`. */
export async function recentIsCurrent(db: Kysely<Database>, validThru: IsoDate): Promise<boolean> {
  return (await getInfo(db, "RecentThru")) === validThru;
}

/** For a run of many chunks: the window is made once, at the end; until then it says it is behind. */
export async function leaveRecentBehind(trx: Kysely<Database>): Promise<void> {
  await setInfo(trx, "RecentThru", "");
}

/**
 * After days first..last were replaced (their new rows in `new_day_ips`, their old ones in
 * `old_day_ips`, the raw rows and webstats_daily already replaced) and ValidThru moved from
 * `before` to `after`.
 */
export async function moveRecentWindow(trx: Kysely<Database>, days: readonly [IsoDate, IsoDate], before: IsoDate | null, after: IsoDate): Promise<void> {
  const current = before !== null && (await recentIsCurrent(trx, before)) && addDays(before, WINDOW_DAYS) > after;
  if (!current) return rebuildRecent(trx, after);
  const { from } = lastThirtyDays(after);
  const [first, last] = days;
  await sql`drop table if exists recent_ip_changes`.execute(trx);
  await sql`create temp table recent_ip_changes (package varchar(64) collate "C", category varchar(16) collate "C", change integer) on commit drop`.execute(
    trx,
  );

  // The pairs last seen before the window's first day leave it.
  await sql`with gone as (delete from webstats_recent_ips where last_date < ${from} returning package, category)
    insert into recent_ip_changes select package, category, -count(*) from gone group by 1, 2`.execute(trx);

  if (first <= before && last >= from) {
    // Days inside the window restated: their pairs' last day is recounted from the window's raw rows.
    await sql`drop table if exists recent_pairs`.execute(trx);
    await sql`create temp table recent_pairs on commit drop as
      select distinct package, category, ip from (select package, category, ip from old_day_ips where date >= ${from}
        union all select package, category, ip from new_day_ips where date >= ${from}) x`.execute(trx);
    await sql`analyze recent_pairs`.execute(trx);
    await sql`with gone as (delete from webstats_recent_ips r using recent_pairs k
        where r.package = k.package and r.category = k.category and r.ip = k.ip returning r.package, r.category)
      insert into recent_ip_changes select package, category, -count(*) from gone group by 1, 2`.execute(trx);
    await sql`with seen as (insert into webstats_recent_ips (package, category, ip, last_date)
        select d.package, d.category, d."c-ip", max(d.date) from bioc_web_downloads d
        where d.date >= ${from} and d.date <= ${after} and d."sc-status" in (${COUNTED})
          and exists (select 1 from recent_pairs k where k.package = d.package and k.category = d.category and k.ip = d."c-ip")
        group by 1, 2, 3 returning package, category)
      insert into recent_ip_changes select package, category, count(*) from seen group by 1, 2`.execute(trx);
  } else {
    // New days only: their pairs enter the window, or were in it and were seen again later.
    await sql`drop table if exists recent_pairs`.execute(trx);
    await sql`create temp table recent_pairs on commit drop as
      select n.package, n.category, n.ip, max(n.date) as last_date from new_day_ips n where n.date >= ${from} group by 1, 2, 3`.execute(trx);
    await sql`analyze recent_pairs`.execute(trx);
    await sql`with entered as (insert into webstats_recent_ips as r (package, category, ip, last_date)
        select package, category, ip, last_date from recent_pairs order by package, category, ip
        on conflict (package, category, ip) do update set last_date = greatest(r.last_date, excluded.last_date)
        returning r.package, r.category, (xmax = 0) as inserted)
      insert into recent_ip_changes select package, category, count(*) from entered where inserted group by 1, 2`.execute(trx);
  }

  await sql`insert into webstats_recent as w (package, category, downloads, ips)
    select package, category, 0, sum(change) from recent_ip_changes group by 1, 2
    on conflict (package, category) do update set ips = w.ips + excluded.ips`.execute(trx);
  await sql`delete from webstats_recent where ips = 0`.execute(trx);
  await setRecentDownloads(trx, from, after);
  await setInfo(trx, "RecentThru", after);
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
  await sql`insert into webstats_recent_ips (package, category, ip, last_date)
    select package, category, "c-ip", max(date) from bioc_web_downloads
    where date >= ${from} and date <= ${to} and "sc-status" in (${COUNTED}) group by 1, 2, 3`.execute(trx);
  await sql`insert into webstats_recent (package, category, downloads, ips)
    select package, category, 0, count(*) from webstats_recent_ips group by 1, 2`.execute(trx);
  await setRecentDownloads(trx, from, to);
  await setInfo(trx, "RecentThru", validThru);
}
