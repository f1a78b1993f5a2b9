// Reads everything the site is made of in a few queries, into the site model (site/model.ts).
import { sql, type Transaction } from "kysely";
import { categoryOfDb, type DbCategory } from "../domain/categories.js";
import { lastThirtyDays, lastYearDays, monthStart, nextMonthStart } from "../domain/dates.js";
import type { IsoDate, PackageName } from "../domain/types.js";
import { dailyRows, SitePacker, type DailyRows, type MonthDays, type PackedSiteData, type ReadMonthDays } from "../site/model.js";
import { getValidThru } from "../store/info.js";
import type { Store } from "../store/database.js";
import type { Database } from "../store/schema.js";
import { NeedsSummarize } from "../errors.js";
import { countedDownloads } from "./counted.js";
import { getCrawlerPackages } from "./crawlers.js";
import { IntListReader } from "./int-list.js";
import { summaryTablesState, type SummaryTablesState } from "./rebuild.js";
import { recentIsCurrent } from "./recent.js";

// Each subject's rows come back as one string of integers, `year,month,ips,downloads,…`
// (month 0 = the yearly row): a few thousand strings to parse instead of ~600,000 rows, and
// they go straight into the shared array the render workers read (site/model.ts).
const packedRows = sql<string>`string_agg(concat_ws(',', extract(year from date)::int,
  case when is_monthly then extract(month from date)::int else 0 end, ip_count, download_count), ',')`;

// The same for days: `day number,downloads,ips,…` (days since 1970-01-01), in no order (an
// ordered aggregate would sort every row read; the packer sorts each package's few hundred).
const packedDays = sql<string>`string_agg(concat_ws(',', date - date '1970-01-01', downloads, ips), ',')`;
const packedFilteredCategoryDays = sql<string>`string_agg(concat_ws(',', date - date '1970-01-01', filtered_downloads, filtered_ips), ',')
  filter (where filtered_downloads > 0)`;

export interface LoadOptions {
  /** Called between two of the loader's reads (tests: a write committed there must not show). */
  readonly betweenReads?: (read: string) => Promise<void>;
  /** One line for the operator: a summary that had to be made from raw rows. */
  readonly warn?: (line: string) => void;
}

/**
 * Everything a build needs, packed for the render workers; null before the first ingest. All
 * reads see one snapshot of the database: an ingest committing meanwhile must not give a page
 * whose "Data as of" and numbers come from two states.
 */
export async function loadPackedSiteData(store: Pick<Store, "readSnapshot">, options: LoadOptions = {}): Promise<PackedSiteData | null> {
  return withSiteSnapshot(store, options, async (packed) => packed);
}

/**
 * Runs `use` on the site model (null before the first ingest) and a reader of the months of
 * webstats_daily it holds no days of, in the model's snapshot (held until `use` has finished).
 */
export async function withSiteSnapshot<T>(
  store: Pick<Store, "readSnapshot">,
  options: LoadOptions,
  use: (packed: PackedSiteData | null, readMonth: ReadMonthDays) => Promise<T>,
): Promise<T> {
  return store.readSnapshot(async (trx) => {
    const packed = await readSiteData(trx, options.betweenReads ?? (async () => {}), options.warn ?? (() => {}));
    return use(packed, (month) => readMonthDays(trx, month));
  });
}

/** webstats_daily_packed (alias `d`) of the packages in `packages`, as stats counts them. */
const KNOWN_PACKED = sql`webstats_daily_packed d join packages p on p.package = d.package and p.category = d.category`;

/** A month of webstats_daily (its first day), known packages. */
async function readMonthDays(db: Transaction<Database>, month: IsoDate): Promise<MonthDays> {
  const ints = new IntListReader();
  const { rows } = await sql<{ category: string; package: string; days: string }>`select d.category, d.package, d.packed as days
    from ${KNOWN_PACKED} where d.month = ${month}`.execute(db);
  const out = new Map<DbCategory, Map<string, DailyRows>>();
  for (const row of rows) {
    const c = categoryOfDb(row.category);
    if (!c) continue;
    let byName = out.get(c.db);
    if (!byName) out.set(c.db, (byName = new Map()));
    byName.set(row.package, dailyRows(ints.read(row.days)));
  }
  return out;
}

/** Downloads and distinct IPs of the last 30 days per known package: webstats_recent, or (left behind by an interrupted run) the raw rows. */
async function readLastThirtyDays(db: Transaction<Database>, validThru: IsoDate, warn: (line: string) => void) {
  type Row = { category: string; package: string; downloads: string | number; ips: string | number };
  if (await recentIsCurrent(db, validThru)) {
    return sql<Row>`select r.category, r.package, r.downloads, r.ips from webstats_recent r
      join packages p on p.package = r.package and p.category = r.category`.execute(db);
  }
  warn(
    "build: the last-30-days summary is behind ValidThru (an interrupted ingest); counted from the raw rows this time — the next ingest or summarize brings it up to date",
  );
  const days = lastThirtyDays(validThru);
  return sql<Row>`select d.category, d.package, count(*) as downloads, count(distinct d."c-ip") as ips
    from ${countedDownloads()} and d.date >= ${days.from} and d.date <= ${days.to} group by 1, 2`.execute(db);
}

async function readSiteData(
  db: Transaction<Database>,
  betweenReads: (read: string) => Promise<void>,
  warn: (line: string) => void,
): Promise<PackedSiteData | null> {
  const validThru = await getValidThru(db);
  if (!validThru) return null;
  const ints = new IntListReader();
  // A whole summarize empties the daily tables first and fills them a year per transaction: a
  // tree rendered meanwhile would serve (and publish) empty daily series and no daily export.
  const state = await summaryTablesState(db);
  if (state === "rebuilding") {
    throw new NeedsSummarize(
      "build: a summarize is under way or was interrupted, and webstats' daily tables are incomplete until it ends; nothing was built, the served tree is as it was; build again once `webstats summarize` has finished (run it again if it was interrupted)",
    );
  }
  await betweenReads("ValidThru");
  const packages = await db.selectFrom("packages").select(["package", "category", "first_version", "last_version"]).execute();
  await betweenReads("packages");
  const stats = await db
    .selectFrom("stats")
    .select(["category", "package", packedRows.as("rows")])
    .groupBy(["category", "package"])
    .execute();
  await betweenReads("stats");
  const combined = await db
    .selectFrom("categorystats")
    .select(["category", packedRows.as("rows")])
    .groupBy("category")
    .execute();
  await betweenReads("categorystats");
  const crawlerPackages = await readFilterK(db, state, warn);
  const filtered = crawlerPackages === null ? null : await readFilteredStats(db);
  await betweenReads("filtered stats");
  const last30 = await readLastThirtyDays(db, validThru, warn);
  await betweenReads("last 30 days");
  const year = lastYearDays(validThru);
  const months = await sql<{ month: IsoDate; revision: string; records: number }>`select month, revision::text as revision, records
    from webstats_daily_months`.execute(db);
  // Known packages only, as stats: the months of the year of the daily series, whole
  // (webstats_daily_packed: a month of a package's days is one string). The daily export's other
  // months are read apart, a month at a time (readMonthDays), so that the model stays one year.
  const windowMonths = monthsFrom(monthStart(year.from), monthStart(year.to));
  const dailyMonths = months.rows
    .map((m) => ({ ...m, loaded: windowMonths.includes(m.month) }))
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  // Counted first, so that the packer reserves exactly the memory they need, then read a month
  // at a time: the days are never held twice, nor more than a month of them as text.
  const dayCounts = await sql<{ category: string; package: string; days: number; filtered_days: number }>`select d.category, d.package,
    sum(d.days)::int as days, sum(d.filtered_days)::int as filtered_days
    from ${KNOWN_PACKED} where d.month = any(${windowMonths}::date[]) group by 1, 2`.execute(db);
  await betweenReads("daily");
  const combinedDaily = await sql<{
    category: string;
    days: string;
    n: number;
    filtered: string | null;
    filtered_n: number;
  }>`select category, ${packedDays} as days, count(*)::int as n,
    ${packedFilteredCategoryDays} as filtered, count(*) filter (where filtered_downloads > 0)::int as filtered_n from webstats_category_daily
    where date >= ${year.from} and date <= ${year.to} group by 1`.execute(db);
  await betweenReads("category daily");
  const packer = new SitePacker();
  for (const row of stats) {
    const c = categoryOfDb(row.category ?? "");
    if (c) packer.packageRows(c.db, row.package, ints.read(row.rows));
  }
  for (const row of combined) {
    const c = categoryOfDb(row.category);
    if (c) packer.combinedRows(c.db, ints.read(row.rows));
  }
  for (const row of filtered?.stats ?? []) {
    const c = categoryOfDb(row.category ?? "");
    if (c) packer.packageRows(c.db, row.package, ints.read(row.rows), "filtered");
  }
  for (const row of filtered?.combined ?? []) {
    const c = categoryOfDb(row.category);
    if (c) packer.combinedRows(c.db, ints.read(row.rows), "filtered");
  }
  for (const row of last30.rows) {
    const c = categoryOfDb(row.category);
    if (c) packer.lastThirtyDays(c.db, row.package, { downloads: Number(row.downloads), ips: Number(row.ips) });
  }
  for (const row of dayCounts.rows) {
    const c = categoryOfDb(row.category);
    if (!c) continue;
    packer.reservePackageDays(c.db, row.package, row.days);
    if (crawlerPackages !== null && row.filtered_days > 0) packer.reservePackageDays(c.db, row.package, row.filtered_days, "filtered");
  }
  const combinedRows = combinedDaily.rows.filter((row) => categoryOfDb(row.category));
  for (const row of combinedRows) {
    packer.reserveCombinedDays(categoryOfDb(row.category)!.db, row.n);
    if (crawlerPackages !== null) packer.reserveCombinedDays(categoryOfDb(row.category)!.db, row.filtered_n, "filtered");
  }
  for (const row of combinedRows) {
    packer.combinedDays(categoryOfDb(row.category)!.db, ints.read(row.days));
    if (crawlerPackages !== null && row.filtered) packer.combinedDays(categoryOfDb(row.category)!.db, ints.read(row.filtered), "filtered");
  }
  for (const month of windowMonths) {
    const filtered = crawlerPackages !== null ? sql`d.filtered` : sql`''`;
    const days = await sql<{ category: string; package: string; days: string; filtered: string }>`select d.category, d.package,
      d.packed as days, ${filtered} as filtered from ${KNOWN_PACKED} where d.month = ${month}`.execute(db);
    for (const row of days.rows) {
      const c = categoryOfDb(row.category);
      if (!c) continue;
      packer.packageDays(c.db, row.package, ints.read(row.days));
      if (row.filtered) packer.packageDays(c.db, row.package, ints.read(row.filtered), "filtered");
    }
  }
  return packer.finish(
    validThru,
    packages.map((p) => ({
      name: p.package as PackageName,
      category: p.category as DbCategory,
      firstVersion: p.first_version,
      lastVersion: p.last_version,
    })),
    dailyMonths,
    crawlerPackages,
  );
}

/**
 * K of the counts without crawlers and repeats, or null when those counts are not complete
 * (a database upgraded to sql/007, or a summarize under way or interrupted): the site then
 * goes on from the legacy counts, and the API says the filtered ones are missing.
 */
async function readFilterK(db: Transaction<Database>, state: SummaryTablesState, warn: (line: string) => void): Promise<number | null> {
  if (state === "complete") return getCrawlerPackages(db);
  warn(
    `build: the counts without crawlers and repeats are not complete (summary tables ${state}); the API leaves them out (filtered: null) until \`webstats summarize\` has run`,
  );
  return null;
}

async function readFilteredStats(db: Transaction<Database>) {
  const stats = await db
    .selectFrom("webstats_filtered_stats")
    .select(["category", "package", packedRows.as("rows")])
    .groupBy(["category", "package"])
    .execute();
  const combined = await db
    .selectFrom("webstats_filtered_categorystats")
    .select(["category", packedRows.as("rows")])
    .groupBy("category")
    .execute();
  return { stats, combined };
}

/** The first days of the months first..last (first days). */
function monthsFrom(first: IsoDate, last: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let m = first; m <= last; m = nextMonthStart(m)) out.push(m);
  return out;
}
