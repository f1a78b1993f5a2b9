// stats and categorystats follow the packages table: a (package, category) added counts from
// then on with all its history, one removed no longer counts. webstats_summarized_packages is
// the table the summaries were made with; whatever changed since (webstats packages commands,
// or the legacy ETL beside webstats) is applied from the IP sets, without raw rows, by every
// command that writes before its own work.
import { sql, type Kysely } from "kysely";
import type { Store } from "../store/database.js";
import { getInfo } from "../store/info.js";
import type { Database } from "../store/schema.js";
import { followPackagesInCategoryDays } from "./category-daily.js";
import { applyIpDeltas, CATEGORY_LEVEL, MONTHS, PACKAGE_LEVEL, setMonths } from "./ip-sets.js";

export interface PackageChanges {
  readonly added: number;
  readonly removed: number;
}

/** The years the IP sets may hold (from webstats_daily's first and last day: two index lookups), so that index scans start at (year, package). */
async function setYears(trx: Kysely<Database>): Promise<number[]> {
  const { rows } = await sql<{
    first: number | null;
    last: number | null;
  }>`select extract(year from min(date))::int as first, extract(year from max(date))::int as last
    from webstats_daily`.execute(trx);
  const { first, last } = rows[0] ?? { first: null, last: null };
  if (first === null || last === null) return [0];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

export async function followPackagesTable(trx: Kysely<Database>): Promise<PackageChanges> {
  await sql`drop table if exists package_changes`.execute(trx);
  // +1: counts now and did not; -1: counted and no longer does.
  await sql`create temp table package_changes on commit drop as
    select package, category, 1 as sign from (select package, category from packages except select package, category from webstats_summarized_packages) a
    union all
    select package, category, -1 from (select package, category from webstats_summarized_packages except select package, category from packages) r`.execute(
    trx,
  );
  const { rows } = await sql<{
    added: number;
    removed: number;
  }>`select count(*) filter (where sign > 0)::int as added, count(*) filter (where sign < 0)::int as removed
    from package_changes`.execute(trx);
  const changes = { added: rows[0]?.added ?? 0, removed: rows[0]?.removed ?? 0 };
  if (changes.added + changes.removed === 0) return changes;
  await followPackagesInCategoryDays(trx);

  const years = await setYears(trx);
  const theirSets = sql`select s.*, c.sign from package_changes c cross join lateral (${setMonths(
    PACKAGE_LEVEL,
    sql`y.year = any(${years}) and y.month = any(${[...MONTHS]}) and y.package = c.package and y.category = c.category`,
  )}) s`;
  // The category level gains or loses their IPs, with the flips that makes.
  await applyIpDeltas(
    trx,
    CATEGORY_LEVEL,
    sql`select year, category, ip, month, sum(downloads * sign)::int as delta, sum(filtered_days * sign)::int as filtered_delta
    from (${theirSets}) s group by 1, 2, 3, 4 having sum(downloads * sign) <> 0 or sum(filtered_days * sign) <> 0`,
  );
  // Their own rows of stats and of the filtered stats: gone, or counted from their IP sets (the key is the package alone).
  for (const [table, count] of [
    ["stats", "downloads"],
    ["webstats_filtered_stats", "filtered_days"],
  ] as const) {
    const n = sql.raw(count);
    await sql`delete from ${sql.table(table)} where package in (select package from package_changes)`.execute(trx);
    await sql`insert into ${sql.table(table)} (category, package, date, is_monthly, ip_count, download_count)
      select category, package, make_date(year, month, 1), true, count(*), sum(n)
        from (select *, ${n} as n from (${theirSets}) s where sign > 0 and ${n} > 0) s group by category, package, year, month
      union all
      select category, package, make_date(year, 12, 31), false, count(*), sum(n)
        from (select category, package, year, ip, sum(${n}) as n from (${theirSets}) s where sign > 0 and ${n} > 0 group by 1, 2, 3, 4) y
        group by category, package, year`.execute(trx);
  }
  await markSummarized(trx);
  return changes;
}

/** webstats_summarized_packages := packages. */
export async function markSummarized(trx: Kysely<Database>): Promise<void> {
  await sql`delete from webstats_summarized_packages`.execute(trx);
  await sql`insert into webstats_summarized_packages (package, category) select package, category from packages`.execute(trx);
}

/** After a command changed the packages table: the summaries follow at once (when they are complete; else summarize will). */
export async function summariesFollowPackages(store: Store): Promise<PackageChanges | null> {
  return store.writeTransaction(async (trx) => ((await getInfo(trx, "SummaryTables")) === "complete" ? followPackagesTable(trx) : null));
}
