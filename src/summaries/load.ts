// Reads everything the site is made of in a few queries.
import { sql, type Transaction } from "kysely";
import { CATEGORIES, categoryOfDb, type Category, type DbCategory } from "../domain/categories.js";
import { PackBuilder, type PackedSiteData } from "../site/pack.js";
import { lastThirtyDays } from "../domain/dates.js";
import type { Counts, IsoDate, PackageName, PeriodCounts } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";
import { getValidThru } from "../store/info.js";
import type { Store } from "../store/database.js";
import type { Database } from "../store/schema.js";
import { countedDownloads } from "./counted.js";
import { recentIsCurrent } from "./recent.js";

export interface CategoryData {
  readonly category: Category;
  /** categorystats rows of the category. */
  readonly combined: readonly PeriodCounts[];
  /** stats rows per package (unordered: every consumer sorts in TypeScript). */
  readonly packages: ReadonlyMap<PackageName, readonly PeriodCounts[]>;
  /** Downloads and distinct IPs of the last 30 days (lastThirtyDays) per package; absent = none. */
  readonly last30: ReadonlyMap<PackageName, Counts>;
}

export interface SiteData {
  readonly validThru: IsoDate;
  /** Every row of `packages`, unordered. */
  readonly packages: readonly PackageRecord[];
  readonly categories: readonly CategoryData[];
}

// Each subject's rows come back as one string of integers, `year,month,ips,downloads,…`
// (month 0 = the yearly row): a few thousand strings to parse instead of ~600,000 rows, and
// they go straight into the shared array the render workers read (site/pack.ts).
const packedRows = sql<string>`string_agg(concat_ws(',', extract(year from date)::int,
  case when is_monthly then extract(month from date)::int else 0 end, ip_count, download_count), ',')`;

function ints(text: string): number[] {
  return text.split(",").map(Number);
}

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
  return store.readSnapshot((trx) => readSiteData(trx, options.betweenReads ?? (async () => {}), options.warn ?? (() => {})));
}

/** Downloads and distinct IPs of the last 30 days per known package: webstats_recent, or (left behind by an interrupted run) the raw rows. */
async function readLastThirtyDays(db: Transaction<Database>, validThru: IsoDate, warn: (line: string) => void) {
  type Row = { category: string; package: string; downloads: string | number; ips: string | number };
  if (await recentIsCurrent(db, validThru)) {
    return sql<Row>`select r.category, r.package, r.downloads, r.ips from webstats_recent r
      join packages p on p.package = r.package and p.category = r.category`.execute(db);
  }
  warn("build: the last-30-days summary is behind ValidThru (an interrupted ingest); counted from the raw rows this time — the next ingest or summarize brings it up to date");
  const days = lastThirtyDays(validThru);
  return sql<Row>`select d.category, d.package, count(*) as downloads, count(distinct d."c-ip") as ips
    from ${countedDownloads()} and d.date >= ${days.from} and d.date <= ${days.to} group by 1, 2`.execute(db);
}

async function readSiteData(db: Transaction<Database>, betweenReads: (read: string) => Promise<void>, warn: (line: string) => void): Promise<PackedSiteData | null> {
  const validThru = await getValidThru(db);
  if (!validThru) return null;
  await betweenReads("ValidThru");
  const packages = await db.selectFrom("packages").select(["package", "category", "first_version", "last_version"]).execute();
  await betweenReads("packages");
  const stats = await db.selectFrom("stats").select(["category", "package", packedRows.as("rows")]).groupBy(["category", "package"]).execute();
  await betweenReads("stats");
  const combined = await db.selectFrom("categorystats").select(["category", packedRows.as("rows")]).groupBy("category").execute();
  await betweenReads("categorystats");
  const last30 = await readLastThirtyDays(db, validThru, warn);
  const builder = new PackBuilder();
  const perCategory = new Map<
    DbCategory,
    { combined: readonly [number, number]; packages: Array<readonly [string, number, number]>; last30: Array<readonly [string, number, number]> }
  >(CATEGORIES.map((c) => [c.db, { combined: [0, 0], packages: [], last30: [] }]));
  for (const row of stats) {
    const c = categoryOfDb(row.category ?? "");
    if (c) perCategory.get(c.db)!.packages.push([row.package, ...builder.add(ints(row.rows))]);
  }
  for (const row of combined) {
    const c = categoryOfDb(row.category);
    if (c) perCategory.get(c.db)!.combined = builder.add(ints(row.rows));
  }
  for (const row of last30.rows) {
    const c = categoryOfDb(row.category);
    if (c) perCategory.get(c.db)!.last30.push([row.package, Number(row.downloads), Number(row.ips)]);
  }
  return {
    validThru,
    packages: packages.map((p) => ({
      name: p.package as PackageName,
      category: p.category as DbCategory,
      firstVersion: p.first_version,
      lastVersion: p.last_version,
    })),
    categories: CATEGORIES.map((category) => ({ db: category.db, ...perCategory.get(category.db)! })),
    ints: builder.finish(),
  };
}
