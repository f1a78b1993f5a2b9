// webstats_category_daily: per category and day, the downloads and distinct IPs of the packages
// in `packages` (sql/006_category_daily.sql). A day's category count needs that day's IPs, which
// only the day's own rows hold: an ingest has them staged (new_day_ips), summarize reads the
// month's raw rows anyway, and a packages change recounts just the days its packages have rows
// on (webstats_daily says which), from the raw rows of those days (by the date index). Whole
// days each time, so the counts without crawlers (crawlers.ts) come along exactly.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import { countedDayIps, getCrawlerPackages } from "./crawlers.js";
import { refreshDailyMonthsOf } from "./daily-months.js";

const COLUMNS = sql`(date, category, downloads, ips, filtered_downloads, filtered_ips)`;

/**
 * Per day and category: downloads and distinct IPs of `dayIps` (as countedDayIps gives them),
 * known packages only; and without crawlers and repeats: the kept pairs, and the IPs with one
 * (an IP is kept or not for the whole day).
 */
function perCategory(dayIps: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select date, category, sum(downloads)::int, (count(*) filter (where category_first))::int, sum(kept)::int,
      (count(*) filter (where category_first and kept > 0))::int
    from (${dayIps}) d where d.known group by 1, 2`;
}

/** Raw rows that count, as countedDayIps gives them, of the whole days `where` selects. */
async function rawDayIps(trx: Kysely<Database>, where: RawBuilder<unknown>): Promise<RawBuilder<unknown>> {
  return countedDayIps(sql`(select * from bioc_web_downloads where ${where})`, await getCrawlerPackages(trx));
}

/** An ingest replaced days first..last: their new counts, from `new_day_ips` (summaries/day-changes.ts). */
export async function replaceCategoryDays(trx: Kysely<Database>, first: IsoDate, last: IsoDate): Promise<void> {
  await sql`delete from webstats_category_daily where date >= ${first} and date <= ${last}`.execute(trx);
  await sql`insert into webstats_category_daily ${COLUMNS} ${perCategory(sql`select * from new_day_ips`)}`.execute(trx);
}

/** Adds the days of `dayIps` (as countedDayIps gives them; days not yet in the table): summarize, a month at a time. */
export async function insertCategoryDays(trx: Kysely<Database>, dayIps: RawBuilder<unknown>): Promise<void> {
  await sql`insert into webstats_category_daily ${COLUMNS} ${perCategory(dayIps)}`.execute(trx);
}

/**
 * After the packages table changed (`package_changes`, summaries/package-changes.ts: the pairs
 * that count now and did not, or did and no longer do): the days those pairs have rows on,
 * recounted from their raw rows, in every category (a moved package changes two); their months'
 * daily export files are made again (their records change).
 */
export async function followPackagesInCategoryDays(trx: Kysely<Database>): Promise<void> {
  await sql`drop table if exists category_days_changed`.execute(trx);
  await sql`create temp table category_days_changed on commit drop as
    select distinct w.date from webstats_daily w join package_changes c on c.package = w.package and c.category = w.category`.execute(trx);
  await sql`delete from webstats_category_daily where date in (select date from category_days_changed)`.execute(trx);
  await refreshDailyMonthsOf(trx, sql`select date from category_days_changed`);
  await sql`insert into webstats_category_daily ${COLUMNS}
    ${perCategory(await rawDayIps(trx, sql`date in (select date from category_days_changed)`))}`.execute(trx);
}
