// The last 30 days (ValidThru-29 .. ValidThru) per package: downloads and distinct IPs, kept in
// webstats_recent as the window moves, from the window's IPs per day (webstats_recent_ips).
// A day in, a day out: the IPs whose presence in the window flips change the count. A window
// that jumps 30 days or more, or that was left behind, is made again from the raw rows.
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
 * After days first..last were replaced (their new rows in `new_day_ips`, raw rows already
 * replaced) and ValidThru moved from `before` to `after`.
 */
export async function moveRecentWindow(trx: Kysely<Database>, days: readonly [IsoDate, IsoDate], before: IsoDate | null, after: IsoDate): Promise<void> {
  const current = before !== null && (await recentIsCurrent(trx, before)) && addDays(before, WINDOW_DAYS) > after;
  if (!current) return rebuildRecent(trx, after);
  const { from } = lastThirtyDays(after);
  const [first, last] = days;
  const leaving = sql`(date >= ${first} and date <= ${last}) or date < ${from}`;
  for (const t of ["recent_changes", "recent_keys"]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  await sql`create temp table recent_changes on commit drop as
    select package, category, ip, -downloads as delta from webstats_recent_ips where ${leaving}
    union all select package, category, ip, downloads from new_day_ips where date >= ${from}`.execute(trx);
  const present = (k: string) => sql.raw(`exists (select 1 from webstats_recent_ips r where r.package = ${k}.package and r.category = ${k}.category and r.ip = ${k}.ip)`);
  await sql`create temp table recent_keys on commit drop as
    select k.package, k.category, k.ip, ${present("k")} as had from (select distinct package, category, ip from recent_changes) k`.execute(trx);
  await sql`delete from webstats_recent_ips where ${leaving}`.execute(trx);
  await sql`insert into webstats_recent_ips (package, category, ip, date, downloads)
    select package, category, ip, date, downloads from new_day_ips where date >= ${from}`.execute(trx);
  await sql`insert into webstats_recent as w (package, category, downloads, ips)
    select package, category, sum(downloads), sum(ips) from (
      select package, category, sum(delta) as downloads, 0 as ips from recent_changes group by 1, 2
      union all select k.package, k.category, 0, sum(${present("k")}::int - k.had::int) from recent_keys k group by 1, 2) x
    group by 1, 2
    on conflict (package, category) do update set downloads = w.downloads + excluded.downloads, ips = w.ips + excluded.ips`.execute(trx);
  await sql`delete from webstats_recent where downloads = 0`.execute(trx);
  await setInfo(trx, "RecentThru", after);
}

/** The window of `validThru` from the raw rows (~30 days of them). Not TRUNCATE: a build's snapshot must still see the old one. */
export async function rebuildRecent(trx: Kysely<Database>, validThru: IsoDate): Promise<void> {
  const { from, to } = lastThirtyDays(validThru);
  await sql`delete from webstats_recent_ips`.execute(trx);
  await sql`delete from webstats_recent`.execute(trx);
  await sql`insert into webstats_recent_ips (package, category, ip, date, downloads)
    select package, category, "c-ip", date, count(*) from bioc_web_downloads
    where date >= ${from} and date <= ${to} and "sc-status" in (${COUNTED}) group by 1, 2, 3, 4`.execute(trx);
  await sql`insert into webstats_recent (package, category, downloads, ips)
    select package, category, sum(downloads), count(distinct ip) from webstats_recent_ips group by 1, 2`.execute(trx);
  await setInfo(trx, "RecentThru", validThru);
}
