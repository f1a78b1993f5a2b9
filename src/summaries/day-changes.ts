// What replacing some days of bioc_web_downloads changes in the summaries, worked out from those
// days alone: their old rows (still in the table) and their new rows (staged). Call it before
// the raw rows are replaced.
import { sql, type Kysely } from "kysely";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import { countedDayIps, getCrawlerPackages } from "./crawlers.js";
import { refreshDailyMonths } from "./daily-months.js";
import { applyDownloadDeltas } from "./ip-sets.js";

/**
 * Makes the temporary tables `new_day_ips` (from `staged`) and `old_day_ips` (the stored rows
 * of first..last), then applies their difference to the IP sets, stats and categorystats (and
 * their filtered counts: whole days on both sides, so each day's crawler test is exact), and
 * replaces those days in webstats_daily (and their months' revisions).
 */
export async function applyDayChanges(trx: Kysely<Database>, staged: string, first: IsoDate, last: IsoDate): Promise<void> {
  for (const t of ["new_day_ips", "old_day_ips"]) await sql`drop table if exists ${sql.table(t)}`.execute(trx);
  const k = await getCrawlerPackages(trx);
  await sql`create temp table new_day_ips on commit drop as ${countedDayIps(sql.table(staged), k)}`.execute(trx);
  await sql`create temp table old_day_ips on commit drop as
    ${countedDayIps(sql`(select * from bioc_web_downloads where date >= ${first} and date <= ${last})`, k)}`.execute(trx);
  await sql`analyze new_day_ips`.execute(trx);
  await sql`analyze old_day_ips`.execute(trx);

  await applyDownloadDeltas(
    trx,
    sql`select extract(year from date)::smallint as year, package, category, ip,
      extract(month from date)::smallint as month, sum(downloads)::int as delta, sum(kept)::int as filtered_delta
    from (select date, package, category, ip, downloads, kept from new_day_ips
          union all select date, package, category, ip, -downloads, -kept from old_day_ips) d
    group by 1, 2, 3, 4, 5 having sum(downloads) <> 0 or sum(kept) <> 0`,
  );

  await sql`delete from webstats_daily where date >= ${first} and date <= ${last}`.execute(trx);
  await sql`insert into webstats_daily (date, package, category, downloads, ips, filtered_ips)
    select date, package, category, sum(downloads), count(*), sum(kept) from new_day_ips group by 1, 2, 3`.execute(trx);
  await refreshDailyMonths(trx, first, last);
}
