// The filtered counts' rules, per day over the columns the legacy table has (date, IP, package):
// (a) an IP that downloads more than K distinct (package, category) pairs on one day is a
// crawler or mirror, and none of its downloads that day count; (b) repeated downloads of one
// package by one IP on one day count once. The crawler test reads every row whose status counts,
// of packages in `packages` or not, so that it depends on the day's rows alone: a change of the
// packages table or of another day never changes it, and restating a day recounts it exactly.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { getInfo } from "../store/info.js";
import type { Database } from "../store/schema.js";
import { COUNTED } from "./counted.js";

/**
 * K. CI machines fetch at most ~20 packages a day and the largest installs with their
 * dependencies a few hundred; a crawl of the repository touches thousands (README: "Counts
 * without crawlers and repeats").
 */
export const DEFAULT_CRAWLER_PACKAGES = 500;

/** The K the summaries were made with (webstats_info CrawlerPackages; only `summarize` changes it). */
export async function getCrawlerPackages(db: Kysely<Database>): Promise<number> {
  const value = await getInfo(db, "CrawlerPackages");
  if (value === null || value === "") return DEFAULT_CRAWLER_PACKAGES;
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1) throw new Error(`webstats_info.CrawlerPackages is not a positive integer: ${JSON.stringify(value)}`);
  return k;
}

/**
 * Per day, package, category and IP of `rows` (a table or subquery of raw rows): the downloads
 * that count, and `kept` (1, or 0 when the IP is a crawler that day: more than `k` pairs); `known`
 * (the pair is in `packages`), and `category_first`, true on one known row of each day, category
 * and IP, so that a category's distinct IPs of a day are a count of rows (category-daily.ts).
 * Its text columns collate "C", as webstats' own tables do, whatever the database's default:
 * every temporary table made from it then sorts and joins by bytes, several times faster than a
 * libc locale (even C.UTF-8 goes through strcoll on PostgreSQL 15).
 */
export function countedDayIps(rows: RawBuilder<unknown>, k: number): RawBuilder<unknown> {
  // Grouped by day, IP and category first: each IP's pairs of a day come out together, and both
  // its number of pairs and its first row of a category are windows over them, where a second
  // and a third grouping (a production month's 8 M pairs into 6.5 M day-IPs, which spilled to
  // disk) took as long again as the first.
  return sql`with pairs as (select r.date, r."c-ip" collate "C" as ip, r.category collate "C" as category, p.package is not null as known,
        r.package collate "C" as package, count(*)::int as downloads
      from ${rows} r left join packages p on p.package = r.package and p.category = r.category
      where r."sc-status" in (${COUNTED}) group by 1, 2, 3, 4, 5)
    select date, package, category, ip, downloads, (count(*) over (partition by date, ip) <= ${sql.lit(k)})::int as kept, known,
      known and row_number() over (partition by date, ip, category, known) = 1 as category_first
    from pairs`;
}
