// webstats_daily_months (sql/009_daily_export_months.sql): per month of webstats_daily, the
// revision a build compares with the one its daily export file was made from, and the file's
// records; and webstats_daily_packed (sql/010_daily_packed.sql), the month's days of each
// package as the build reads them, in day order (the build sorts them otherwise: rows written
// before they were ordered). Called in the transaction that changed the month's days, after the change.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { monthStart, nextMonthStart } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";

/** Recounts the months first..last touch (whole months), under this transaction's revision; a month left without days loses its row. */
export async function refreshDailyMonths(trx: Kysely<Database>, first: IsoDate, last: IsoDate): Promise<void> {
  const from = monthStart(first);
  const next = nextMonthStart(last);
  await sql`delete from webstats_daily_months where month >= ${from} and month < ${next}`.execute(trx);
  await insertMonths(trx, sql`d.date >= ${from} and d.date < ${next}`);
  await sql`delete from webstats_daily_packed where month >= ${from} and month < ${next}`.execute(trx);
  await sql`insert into webstats_daily_packed (month, package, category, days, packed, filtered_days, filtered)
    select date_trunc('month', date)::date, package, category, count(*),
      string_agg(concat_ws(',', date - date '1970-01-01', downloads, ips), ',' order by date),
      count(*) filter (where filtered_ips > 0),
      coalesce(string_agg(concat_ws(',', date - date '1970-01-01', filtered_ips, filtered_ips), ',' order by date) filter (where filtered_ips > 0), '')
    from webstats_daily where date >= ${from} and date < ${next} group by 1, 2, 3`.execute(trx);
}

/** The revisions and records of the months holding any of `dates` (a subquery of dates): their days are as they were, their known packages not. */
export async function refreshDailyMonthsOf(trx: Kysely<Database>, dates: RawBuilder<unknown>): Promise<void> {
  await sql`drop table if exists daily_months_changed`.execute(trx);
  await sql`create temp table daily_months_changed on commit drop as select distinct date_trunc('month', date)::date as month from (${dates}) d`.execute(trx);
  await sql`delete from webstats_daily_months where month in (select month from daily_months_changed)`.execute(trx);
  await insertMonths(trx, sql`date_trunc('month', d.date)::date in (select month from daily_months_changed)`);
}

async function insertMonths(trx: Kysely<Database>, where: RawBuilder<unknown>): Promise<void> {
  await sql`insert into webstats_daily_months (month, revision, records)
    select date_trunc('month', d.date)::date, txid_current(), count(p.package)
    from webstats_daily d left join packages p on p.package = d.package and p.category = d.category
    where ${where} group by 1`.execute(trx);
}
