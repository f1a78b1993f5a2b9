// `summarize`: every summary made again from the raw rows, from a month on (default: the first),
// a year per transaction, so an interrupted run is continued by the next one where it stopped.
// This fills webstats' tables on a database that has only the legacy ones, and takes in rows
// that something else (the legacy ETL) loaded into bioc_web_downloads.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { dateParts, isoDate, monthStart } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Store } from "../store/database.js";
import { getInfo, getValidThru, setInfo } from "../store/info.js";
import type { Database } from "../store/schema.js";
import { insertCategoryDays } from "./category-daily.js";
import { refreshDailyMonths } from "./daily-months.js";
import { countedDayIps, getCrawlerPackages } from "./crawlers.js";
import { followPackagesTable, markSummarized } from "./package-changes.js";
import { CATEGORY_LEVEL, PACKAGE_LEVEL, setMonths } from "./ip-sets.js";
import { insertSets, pivotMonths, replaceYearCounts } from "./year-rows.js";
import { rebuildRecent } from "./recent.js";

export interface RebuildResult {
  /** First day rebuilt (a month's first), and the last day stored. */
  readonly from: IsoDate;
  readonly last: IsoDate;
  /** True when it went on from an interrupted run. */
  readonly resumed: boolean;
}

export type SummaryTablesState = "complete" | "missing" | "rebuilding";

export async function summaryTablesState(db: Kysely<Database>): Promise<SummaryTablesState> {
  const v = await getInfo(db, "SummaryTables");
  return v === "complete" || v === "rebuilding" ? v : "missing";
}

async function rawSpan(db: Kysely<Database>): Promise<{ first: IsoDate; last: IsoDate } | null> {
  const { rows } = await sql<{ first: IsoDate | null; last: IsoDate | null }>`select min(date) as first, max(date) as last from bioc_web_downloads`.execute(db);
  const r = rows[0];
  return r?.first && r.last ? { first: r.first, last: r.last } : null;
}

/**
 * Null when there is nothing stored. `since`: rebuild from its month on (only once the tables
 * were filled). `crawlerPackages`: a new K for the filtered counts (crawlers.ts), which makes
 * everything again when it differs from the one the summaries were made with.
 */
export async function rebuildSummaries(
  store: Store,
  since: IsoDate | null,
  onProgress: (text: string) => void = () => {},
  crawlerPackages: number | null = null,
): Promise<RebuildResult | null> {
  await store.lockWriter();
  const db = store.db;
  const span = await rawSpan(db);
  const k = crawlerPackages ?? (await getCrawlerPackages(db));
  const newK = k !== (await getCrawlerPackages(db));
  const state = newK ? "missing" : await summaryTablesState(db);
  const pending = state === "rebuilding" ? ((await getInfo(db, "SummarizeFrom")) as IsoDate | null) : null;
  if (!span) {
    await store.writeTransaction(async (trx) => {
      for (const t of [...SUMMARY_TABLES, "webstats_recent_ips", "webstats_recent"] as const) {
        await sql`delete from ${sql.table(t)}`.execute(trx);
      }
      await markSummarized(trx);
      await setInfo(trx, "CrawlerPackages", String(k));
      await setInfo(trx, "SummaryTables", "complete");
    });
    return null;
  }
  // Rows just stored (a backfill's, the legacy ETL's) have neither their pages' hint bits nor
  // statistics until autovacuum comes by: each year's scans would set the hint bits themselves, and
  // the planner would size the months from the table as it was. Pages already vacuumed are skipped.
  await sql`vacuum (analyze) bioc_web_downloads`.execute(db);
  // What was never filled is filled from the start; an interrupted run goes on from where it stopped.
  // Everything again: the IP sets are emptied and loaded without their keys' indexes, which are
  // made once at the end (one sort each instead of a hundred million index insertions).
  const resumesWhole = pending !== null && (await getInfo(db, "SummarizeWhole")) === "yes";
  let from = state === "missing" || !since || since < span.first ? span.first : since;
  // An interrupted run goes on where it stopped; one that was making everything again, only there
  // (its years so far were appended without an index to find them by).
  if (pending && (pending < from || resumesWhole || !since)) from = pending;
  from = monthStart(from);
  const whole = pending ? resumesWhole : from === monthStart(span.first);

  await store.writeTransaction(async (trx) => {
    // Years before `from` keep their sets: they only need the packages table's changes.
    if (state === "complete" && !whole) await followPackagesTable(trx);
    if (whole && !pending) await emptyForWhole(trx);
    await markRebuilding(trx, from, whole, k);
  });
  const lastYear = dateParts(span.last).year;
  for (let year = dateParts(from).year; year <= lastYear; year++) {
    const firstMonth = year === dateParts(from).year ? dateParts(from).month : 1;
    const lastMonth = year === lastYear ? dateParts(span.last).month : 12;
    await store.writeTransaction(async (trx) => {
      await rebuildYear(trx, year, firstMonth, lastMonth, whole, k, (m) =>
        onProgress(`summarize: ${year}-${String(m).padStart(2, "0")} (${year - dateParts(from).year + 1} of ${lastYear - dateParts(from).year + 1} years)`),
      );
      await setInfo(trx, "SummarizeFrom", isoDate(year + 1, 1, 1));
    });
  }
  await store.writeTransaction(async (trx) => {
    if (whole) {
      for (const t of SETS) {
        onProgress(`summarize: indexing ${t.table}`);
        await sql`alter table ${sql.table(t.table)} add constraint ${sql.raw(t.table + "_pkey")} primary key (${sql.raw(t.key)})`.execute(trx);
      }
    }
    onProgress("summarize: the last 30 days");
    const validThru = await getValidThru(trx);
    if (validThru) await rebuildRecent(trx, validThru);
    // Fresh statistics for the planner: the next ingest's lookups must go by the keys' indexes,
    // not wait for autovacuum to find out how large the tables became.
    for (const t of [...SUMMARY_TABLES, "webstats_recent_ips", "webstats_recent"]) {
      await sql`analyze ${sql.table(t)}`.execute(trx);
    }
    await markSummarized(trx);
    await setInfo(trx, "SummaryTables", "complete");
    await setInfo(trx, "SummarizeFrom", null);
    await setInfo(trx, "SummarizeWhole", null);
  });
  return { from, last: span.last, resumed: pending !== null };
}

/** Everything is made again: the tables a build does not read are emptied, and the IP sets lose their keys' indexes. */
async function emptyForWhole(trx: Kysely<Database>): Promise<void> {
  // Not read by a build (stats, categorystats and webstats_recent, which are, keep MVCC deletes).
  for (const t of SETS) {
    await sql`truncate ${sql.table(t.table)}`.execute(trx);
    await sql`alter table ${sql.table(t.table)} drop constraint if exists ${sql.raw(t.table + "_pkey")}`.execute(trx);
  }
  await sql`truncate webstats_daily, webstats_category_daily, webstats_daily_months, webstats_daily_packed`.execute(trx);
}

/** The summaries are being made again from `from` on (whole: everything): until a summarize ends, ingest and build refuse to run. */
async function markRebuilding(trx: Kysely<Database>, from: IsoDate, whole: boolean, k: number): Promise<void> {
  await setInfo(trx, "SummaryTables", "rebuilding");
  await setInfo(trx, "CrawlerPackages", String(k));
  await setInfo(trx, "SummarizeFrom", from);
  await setInfo(trx, "SummarizeWhole", whole ? "yes" : null);
}

/**
 * A long ingest into days after ValidThru stores its rows only, and leaves the summaries to one
 * summarize after its last chunk (from the month of `first` on; everything when nothing is
 * stored before it, or the summaries were never made): one pass over the new rows, instead of
 * each chunk's pairs looked up in the IP sets one by one. In the chunk's transaction, before its
 * rows are stored; a chunk of a run that already did so only moves SummarizeFrom back if need be.
 */
export async function deferSummaries(trx: Kysely<Database>, first: IsoDate): Promise<void> {
  const from = monthStart(first);
  const state = await summaryTablesState(trx);
  if (state === "rebuilding") {
    const pending = await getInfo(trx, "SummarizeFrom");
    if (!pending || from < pending) await setInfo(trx, "SummarizeFrom", from);
    return;
  }
  const { rows } = await sql<{ earliest: IsoDate | null }>`select min(date) as earliest from bioc_web_downloads where date < ${from}`.execute(trx);
  const earliest = rows[0]?.earliest ?? null;
  const whole = earliest === null || state === "missing";
  if (whole) await emptyForWhole(trx);
  else await followPackagesTable(trx);
  await markRebuilding(trx, whole && earliest ? monthStart(earliest) : from, whole, await getCrawlerPackages(trx));
}

/** The IP sets and their keys, as sql/013_month_keyed_ip_sets.sql makes them. */
const SETS = [
  { table: "webstats_month_ips", key: "year, month, package, category, ip" },
  { table: "webstats_category_month_ips", key: "year, month, category, ip" },
  { table: "webstats_year_pairs", key: "year, package, category, ip" },
  { table: "webstats_category_year_pairs", key: "year, category, ip" },
  { table: "webstats_year_unfiltered", key: "year, package, category, ip" },
  { table: "webstats_category_year_unfiltered", key: "year, category, ip" },
] as const;

/** The tables a year's rebuild writes (the last 30 days' are made from the raw rows at the end). */
const SUMMARY_TABLES = [
  ...SETS.map((s) => s.table),
  "webstats_daily",
  "webstats_category_daily",
  "webstats_daily_months",
  "webstats_daily_packed",
  "stats",
  "categorystats",
  "webstats_filtered_stats",
  "webstats_filtered_categorystats",
] as const;

/**
 * The months firstMonth..lastMonth of `year` from the raw rows, and the year's rows of stats and
 * categorystats. The year's IP sets are gathered in working tables first (WORK), so that the year's
 * counts never scan the whole of the IP sets (nor need their indexes).
 */
async function rebuildYear(
  trx: Kysely<Database>,
  year: number,
  firstMonth: number,
  lastMonth: number,
  whole: boolean,
  k: number,
  onMonth: (month: number) => void,
): Promise<void> {
  // A month's rows are grouped in memory, not in temporary files (this transaction only).
  await sql`set local work_mem = '256MB'`.execute(trx);
  const start = isoDate(year, firstMonth, 1);
  const end = isoDate(year + 1, 1, 1);
  // The year's (day, package, IP) triples, split by a hash of the IP: a year's distinct IPs of a
  // package are the sums of each part's, and each part's grouping fits in memory (partitionwise
  // aggregation), where one grouping of ~100 M rows would spill to disk several times over.
  await sql`set local enable_partitionwise_aggregate = on`.execute(trx);
  await createIpParts(
    trx,
    WORK.ips,
    sql`year smallint, package varchar(64) collate "C", category varchar(16) collate "C",
    ip varchar(40) collate "C", month smallint, downloads integer, filtered_days integer, known boolean`,
  );
  if (!whole) {
    // The year's sets are written again whole: their months before firstMonth join the rebuilt ones.
    await sql`insert into ${sql.table(WORK.ips)} select s.*, p.package is not null
      from (${setMonths(PACKAGE_LEVEL, sql`y.year = ${year} and y.month < ${firstMonth}`)}) s
      left join packages p on p.package = s.package and p.category = s.category`.execute(trx);
    for (const t of SETS) await sql`delete from ${sql.table(t.table)} where year = ${year}`.execute(trx);
    await sql`delete from webstats_daily where date >= ${start} and date < ${end}`.execute(trx);
    await sql`delete from webstats_category_daily where date >= ${start} and date < ${end}`.execute(trx);
  }
  for (let month = firstMonth; month <= lastMonth; month++) {
    onMonth(month);
    const [a, b] = [isoDate(year, month, 1), isoDate(year, month + 1, 1)];
    // The month's (day, package, IP) triples, once: the month's IP sets, its packages' days and its categories' days are all made from them.
    await sql`drop table if exists month_day_ips`.execute(trx);
    await sql`create temp table month_day_ips on commit drop as
      ${countedDayIps(sql`(select * from bioc_web_downloads where date >= ${a} and date < ${b})`, k)}`.execute(trx);
    // Its statistics: without them the planner expects a few hundred rows and sorts where it should hash.
    await sql`analyze month_day_ips`.execute(trx);
    await sql`insert into ${sql.table(WORK.ips)} (year, package, category, ip, month, downloads, filtered_days, known)
      select ${year}::smallint, d.package, d.category, d.ip, ${month}::smallint, d.downloads, d.kept, d.known from month_day_ips d`.execute(trx);
    // Distinct IPs as groups of groups: a hash aggregate, where count(distinct) would sort every day's rows.
    await sql`insert into webstats_daily (date, package, category, downloads, ips, filtered_ips)
      select date, package, category, sum(downloads), count(*), sum(kept) from month_day_ips group by 1, 2, 3`.execute(trx);
    await insertCategoryDays(trx, sql`select * from month_day_ips`);
    await sql`drop table month_day_ips`.execute(trx);
  }
  await refreshDailyMonths(trx, start, isoDate(year, 12, 31)); // as webstats_daily was deleted: through the year's end
  // The year's rows, pivoted once, then copied into the sets (in key order where there is an index
  // to grow at its end) and counted; the category level's pivoted from the same rows.
  const [ips, rows, categoryRows] = [sql.table(WORK.ips), sql.table(WORK.rows), sql.table(WORK.categoryRows)];
  await sql`create unlogged table ${rows} as ${pivotMonths(["year", "package", "category", "ip", "known"], sql`select * from ${ips}`)}`.execute(trx);
  await sql`create unlogged table ${categoryRows} as ${pivotMonths(["year", "category", "ip"], sql`select * from ${ips} where known`)}`.execute(trx);
  // The year's triples (the largest of the three, ~100 M rows) leave the disk before the sets grow.
  await sql`drop table ${ips}`.execute(trx);
  await insertSets(trx, PACKAGE_LEVEL, WORK.rows, !whole);
  await insertSets(trx, CATEGORY_LEVEL, WORK.categoryRows, !whole);

  // stats and categorystats (and their filtered counts): the months rebuilt, and the whole year's row.
  await replaceYearCounts(trx, PACKAGE_LEVEL, year, firstMonth, sql`select * from ${rows} where known`);
  await replaceYearCounts(trx, CATEGORY_LEVEL, year, firstMonth, sql`select * from ${categoryRows}`);
  for (const t of [WORK.rows, WORK.categoryRows]) await sql`drop table ${sql.table(t)}`.execute(trx);
}

/**
 * A year's working tables: regular unlogged tables, not temporary ones, so that the server's
 * parallel workers can read them (a temporary table is its session's alone) and each pivot is one
 * `create table … as`, which PostgreSQL 15 runs in parallel where it runs no `insert … select`
 * (a production year's pivots 53.6 and 30.0 s, against 97.5 and 45.3 s into temporary tables).
 * Made and dropped in the year's transaction, so an interrupted run leaves none behind.
 */
const WORK = {
  /**
   * The year's rows to pivot, split by a hash of the IP: (year, package, category, ip, month,
   * downloads, filtered_days, known), the months' (day, package, IP) triples as they
   * are (a day's downloads, kept 0 or 1) and, when the year is made from a month on, its
   * earlier months' set rows. The pivot groups them all at once, in parallel, where grouping each
   * month first, into an `insert`, took 109.3 s of a production year (now 39.3 s).
   */
  ips: "webstats_summarize_ips",
  /** Pivoted: a row per (year, package, category, ip, known), as the sets hold it. */
  rows: "webstats_summarize_rows",
  /** The category level's: a row per (year, category, ip), known packages only. */
  categoryRows: "webstats_summarize_category_rows",
} as const;

const IP_PARTS = 32;

/** A table (WORK) partitioned by a hash of its `ip`, in IP_PARTS unlogged parts (the parent holds no rows; PostgreSQL 17 refuses an unlogged one). */
async function createIpParts(trx: Kysely<Database>, name: string, columns: RawBuilder<unknown>): Promise<void> {
  await sql`drop table if exists ${sql.table(name)}`.execute(trx);
  await sql`create table ${sql.table(name)} (${columns}) partition by hash (ip)`.execute(trx);
  for (let i = 0; i < IP_PARTS; i++) {
    await sql`create unlogged table ${sql.table(`${name}_${i}`)} partition of ${sql.table(name)} for values with (modulus ${sql.lit(IP_PARTS)}, remainder ${sql.lit(i)})`.execute(
      trx,
    );
  }
}
