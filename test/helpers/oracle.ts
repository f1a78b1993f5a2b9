// The legacy views' rule, as an independent oracle: stats as v_stats, categorystats as
// v_categorystats (both: join packages on package and category, statuses 200/301/302/307/308,
// distinct IPs per month and per year), recounted from bioc_web_downloads in plain SQL; and
// webstats' daily tables (per package, per category over known packages) as their definitions say.
import { sql } from "kysely";
import type { Store } from "../../src/store/database.js";

const COUNTED = "200, 301, 302, 307, 308";
/** v_stats and v_categorystats, recounted from bioc_web_downloads. */
export async function oracle(store: Store) {
  const q = (text: string) => sql.raw(text).execute(store.db).then((r) => r.rows);
  const counted = `from bioc_web_downloads d join packages p on d.package = p.package and d.category = p.category where d."sc-status" in (${COUNTED})`;
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
    daily: await q(`select to_char(date, 'YYYY-MM-DD') as date, package, category, count(*)::int as downloads, count(distinct "c-ip")::int as ips
        from bioc_web_downloads where "sc-status" in (${COUNTED}) group by 1, 2, 3 order by 1, package collate "C", category collate "C"`),
    categoryDaily: await q(`select to_char(d.date, 'YYYY-MM-DD') as date, d.category, count(*)::int as downloads, count(distinct d."c-ip")::int as ips
        ${counted} group by 1, 2 order by 1, d.category collate "C"`),
  };
}

export async function summaries(store: Store) {
  const q = (text: string) => sql.raw(text).execute(store.db).then((r) => r.rows);
  return {
    stats: await q(`select category, package, to_char(date, 'YYYY-MM-DD') as date, is_monthly, ip_count, download_count from stats order by package collate "C", date, is_monthly`),
    categorystats: await q(`select category, to_char(date, 'YYYY-MM-DD') as date, is_monthly, ip_count, download_count from categorystats order by category collate "C", date, is_monthly`),
    daily: await q(`select to_char(date, 'YYYY-MM-DD') as date, package, category, downloads, ips from webstats_daily order by 1, package collate "C", category collate "C"`),
    categoryDaily: await q(`select to_char(date, 'YYYY-MM-DD') as date, category, downloads, ips from webstats_category_daily order by 1, category collate "C"`),
  };
}

