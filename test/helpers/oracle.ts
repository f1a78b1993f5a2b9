// The legacy views' rule, as an independent oracle: stats as v_stats, categorystats as
// v_categorystats (both: join packages on package and category, statuses 200/301/302/307/308,
// distinct IPs per month and per year), recounted from bioc_web_downloads in plain SQL; and
// webstats' daily tables (per package, per category over known packages) as their definitions say.
import { sql } from "kysely";
import type { Store } from "../../src/store/database.js";

const COUNTED = "200, 301, 302, 307, 308";
type Query = (text: string) => Promise<unknown[]>;
/** Rows of a plain SQL query on the store. */
export const query =
  (store: Store): Query =>
  (text) =>
    sql
      .raw(text)
      .execute(store.db)
      .then((r) => r.rows);

/** The legacy views' rule over `rows` (a subquery of date, package, category, "c-ip": one row per download that counts). */
async function byLegacyRule(q: Query, rows: string) {
  const counted = `from ${rows} d join packages p on d.package = p.package and d.category = p.category`;
  return {
    stats: await q(`select * from (
        select d.category, d.package, to_char(date_trunc('month', d.date), 'YYYY-MM-DD') as date, true as is_monthly, count(distinct d."c-ip")::int as ip_count, count(*)::int as download_count
          ${counted} group by 1, 2, 3
        union all
        select d.category, d.package, to_char(date_trunc('year', d.date) + interval '1 year - 1 day', 'YYYY-MM-DD'), false, count(distinct d."c-ip")::int, count(*)::int
          ${counted} group by 1, 2, 3) v order by package collate "C", date, is_monthly`),
    categorystats: await q(`select * from (
        select d.category, to_char(date_trunc('month', d.date), 'YYYY-MM-DD') as date, true as is_monthly, count(distinct d."c-ip")::int as ip_count, count(*)::int as download_count
          ${counted} group by 1, 2
        union all
        select d.category, to_char(date_trunc('year', d.date) + interval '1 year - 1 day', 'YYYY-MM-DD'), false, count(distinct d."c-ip")::int, count(*)::int
          ${counted} group by 1, 2) v order by category collate "C", date, is_monthly`),
    daily: await q(`select to_char(d.date, 'YYYY-MM-DD') as date, d.package, d.category, count(*)::int as downloads, count(distinct d."c-ip")::int as ips
        from ${rows} d group by d.date, d.package, d.category order by 1, d.package collate "C", d.category collate "C"`),
    categoryDaily: await q(`select to_char(d.date, 'YYYY-MM-DD') as date, d.category, count(*)::int as downloads, count(distinct d."c-ip")::int as ips
        ${counted} group by d.date, d.category order by 1, d.category collate "C"`),
  };
}

/** v_stats and v_categorystats, recounted from bioc_web_downloads. */
export async function oracle(store: Store) {
  return byLegacyRule(query(store), `(select * from bioc_web_downloads where "sc-status" in (${COUNTED}))`);
}

export async function summaries(store: Store) {
  const q = query(store);
  return {
    stats: await q(
      `select category, package, to_char(date, 'YYYY-MM-DD') as date, is_monthly, ip_count, download_count from stats order by package collate "C", date, is_monthly`,
    ),
    categorystats: await q(
      `select category, to_char(date, 'YYYY-MM-DD') as date, is_monthly, ip_count, download_count from categorystats order by category collate "C", date, is_monthly`,
    ),
    daily: await q(
      `select to_char(date, 'YYYY-MM-DD') as date, package, category, downloads, ips from webstats_daily order by 1, package collate "C", category collate "C"`,
    ),
    categoryDaily: await q(
      `select to_char(date, 'YYYY-MM-DD') as date, category, downloads, ips from webstats_category_daily order by 1, category collate "C"`,
    ),
  };
}

/**
 * The counts without crawlers and repeats, recounted from bioc_web_downloads by their rules: of
 * the rows whose status counts, an IP with more than `k` distinct (package, category) pairs on a
 * day downloads nothing that day; the rest count once per (day, package, category, IP). Then the
 * legacy views' rule, as above (the daily tables: the days with a download that counts so).
 */
export async function filteredOracle(store: Store, k: number) {
  return byLegacyRule(
    query(store),
    `(select distinct d.date, d.package, d.category, d."c-ip" from bioc_web_downloads d
      where d."sc-status" in (${COUNTED}) and (d.date, d."c-ip") not in (
        select date, "c-ip" from bioc_web_downloads where "sc-status" in (${COUNTED})
        group by date, "c-ip" having count(distinct (package, category)) > ${k}))`,
  );
}

/** The filtered series as the summaries hold them, shaped as `summaries` gives the legacy ones (a day's filtered downloads are its filtered IPs). */
export async function filteredSummaries(store: Store) {
  const q = query(store);
  return {
    stats: await q(
      `select category, package, to_char(date, 'YYYY-MM-DD') as date, is_monthly, ip_count, download_count from webstats_filtered_stats order by package collate "C", date, is_monthly`,
    ),
    categorystats: await q(
      `select category, to_char(date, 'YYYY-MM-DD') as date, is_monthly, ip_count, download_count from webstats_filtered_categorystats order by category collate "C", date, is_monthly`,
    ),
    daily: await q(`select to_char(date, 'YYYY-MM-DD') as date, package, category, filtered_ips as downloads, filtered_ips as ips from webstats_daily
        where filtered_ips > 0 order by 1, package collate "C", category collate "C"`),
    categoryDaily:
      await q(`select to_char(date, 'YYYY-MM-DD') as date, category, filtered_downloads as downloads, filtered_ips as ips from webstats_category_daily
        where filtered_ips > 0 order by 1, category collate "C"`),
  };
}

/** Rows of the IP sets that break "filtered ⊆ counted": filtered days above downloads (or the days a month has), or below 0; rows without downloads; year pairs and month rows that disagree. */
export async function filteredOutsideCounted(store: Store) {
  // The year's pairs are the keys a month holds; the unfiltered ones those without a filtered day in any month.
  const pairsOf = (months: string, keys: string, unfiltered: boolean) =>
    `select year, ${keys} from ${months} group by year, ${keys} ${unfiltered ? "having max(filtered_days) = 0" : ""}`;
  const disagree = (months: string, pairs: string, keys: string, unfiltered = false) =>
    `(select year, ${keys} from ${pairs} except select * from (${pairsOf(months, keys, unfiltered)}) a)
      union all (select * from (${pairsOf(months, keys, unfiltered)}) b except select year, ${keys} from ${pairs})`;
  return query(store)(`select 'package' as level, year, category, ip, month, downloads, filtered_days from webstats_month_ips
      where filtered_days < 0 or filtered_days > downloads or filtered_days > 31 or downloads <= 0
    union all select 'category', year, category, ip, month, downloads, filtered_days from webstats_category_month_ips
      where filtered_days < 0 or filtered_days > downloads or downloads <= 0
    union all select 'package pairs', year, category, ip, 0, 0, 0 from (${disagree("webstats_month_ips", "webstats_year_pairs", "package, category, ip")}) p
    union all select 'category pairs', year, category, ip, 0, 0, 0 from (${disagree("webstats_category_month_ips", "webstats_category_year_pairs", "category, ip")}) c
    union all select 'package unfiltered', year, category, ip, 0, 0, 0 from (${disagree("webstats_month_ips", "webstats_year_unfiltered", "package, category, ip", true)}) p
    union all select 'category unfiltered', year, category, ip, 0, 0, 0 from (${disagree("webstats_category_month_ips", "webstats_category_year_unfiltered", "category, ip", true)}) c
    union all select 'daily', extract(year from date)::int, category, package, extract(month from date)::int, downloads, filtered_ips from webstats_daily
      where filtered_ips < 0 or filtered_ips > ips`);
}
