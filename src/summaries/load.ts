// Reads everything the site is made of in a few queries. Each subject's rows come back as one
// JSON array (json_agg), so that both drivers parse a few thousand values, not a million rows.
import { sql, type Kysely } from "kysely";
import { CATEGORIES, categoryOfDb, type Category, type DbCategory } from "../domain/categories.js";
import type { IsoDate, PackageName, PeriodCounts } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";
import { getValidThru } from "../store/info.js";
import type { Database } from "../store/schema.js";

export interface CategoryData {
  readonly category: Category;
  /** categorystats rows of the category. */
  readonly combined: readonly PeriodCounts[];
  /** stats rows per package (unordered: every consumer sorts in TypeScript). */
  readonly packages: ReadonlyMap<PackageName, readonly PeriodCounts[]>;
}

export interface SiteData {
  readonly validThru: IsoDate;
  /** Every row of `packages`, unordered. */
  readonly packages: readonly PackageRecord[];
  readonly categories: readonly CategoryData[];
}

/** [year, month (0 = the yearly row), ips, downloads] */
type PackedRow = [number, number, number, number];

const packedRows = sql<PackedRow[]>`json_agg(json_build_array(extract(year from date)::int,
  case when is_monthly then extract(month from date)::int else 0 end, ip_count, download_count))`;

function unpack(rows: readonly PackedRow[]): PeriodCounts[] {
  return rows.map(([year, month, ips, downloads]) => ({ year, month: month === 0 ? null : month, ips, downloads }));
}

export async function loadSiteData(db: Kysely<Database>): Promise<SiteData | null> {
  const validThru = await getValidThru(db);
  if (!validThru) return null;
  const [packages, stats, combined] = await Promise.all([
    db.selectFrom("packages").select(["package", "category", "first_version", "last_version"]).execute(),
    db.selectFrom("stats").select(["category", "package", packedRows.as("rows")]).groupBy(["category", "package"]).execute(),
    db.selectFrom("categorystats").select(["category", packedRows.as("rows")]).groupBy("category").execute(),
  ]);
  const perCategory = new Map<DbCategory, { combined: PeriodCounts[]; packages: Map<PackageName, PeriodCounts[]> }>(
    CATEGORIES.map((c) => [c.db, { combined: [], packages: new Map() }]),
  );
  for (const row of stats) {
    const c = categoryOfDb(row.category ?? "");
    if (c) perCategory.get(c.db)!.packages.set(row.package as PackageName, unpack(row.rows));
  }
  for (const row of combined) {
    const c = categoryOfDb(row.category);
    if (c) perCategory.get(c.db)!.combined = unpack(row.rows);
  }
  return {
    validThru,
    packages: packages.map((p) => ({
      name: p.package as PackageName,
      category: p.category as DbCategory,
      firstVersion: p.first_version,
      lastVersion: p.last_version,
    })),
    categories: CATEGORIES.map((category) => ({ category, ...perCategory.get(category.db)! })),
  };
}
