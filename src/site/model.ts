// The site model: everything a build renders, as summaries/ produces it and site/ consumes it.
// site/ knows nothing of the database; this module is the contract between the two. The model
// travels to the render workers packed (one shared Int32Array plus a small index, so that they
// get ~600,000 rows without a structured clone of 600,000 objects), and there is one packer,
// SitePacker: the loader feeds it rows as they come from the database, packSiteData feeds it a
// SiteData (tests), so both go through the same code.
import type { Category, DbCategory } from "../domain/categories.js";
import { CATEGORIES } from "../domain/categories.js";
import type { Counts, IsoDate, PackageName, PeriodCounts } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";

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

/** [offset, count] of a subject's rows in `ints` (4 ints a row: year, month or 0, ips, downloads). */
type Slice = readonly [number, number];

export interface PackedSiteData {
  readonly validThru: IsoDate;
  readonly packages: readonly PackageRecord[];
  readonly categories: ReadonlyArray<{
    readonly db: DbCategory;
    readonly combined: Slice;
    readonly packages: ReadonlyArray<readonly [string, number, number]>;
    /** [name, downloads, distinct IPs] of the last 30 days. */
    readonly last30: ReadonlyArray<readonly [string, number, number]>;
  }>;
  readonly ints: Int32Array;
}

type PackedCategory = PackedSiteData["categories"][number];

/** Builds a PackedSiteData from rows given as flat integers (year, month or 0, ips, downloads, …). */
export class SitePacker {
  private ints = new Int32Array(1 << 16);
  private used = 0; // in ints
  private readonly perCategory = new Map<
    DbCategory,
    { combined: Slice; packages: Array<readonly [string, number, number]>; last30: Array<readonly [string, number, number]> }
  >(CATEGORIES.map((c) => [c.db, { combined: [0, 0], packages: [], last30: [] }]));

  private add(flat: readonly number[]): Slice {
    if (flat.length % 4 !== 0) throw new RangeError(`rows of 4 integers expected, got ${flat.length} integers`);
    while (this.used + flat.length > this.ints.length) {
      const bigger = new Int32Array(this.ints.length * 2);
      bigger.set(this.ints);
      this.ints = bigger;
    }
    this.ints.set(flat, this.used);
    const slice = [this.used / 4, flat.length / 4] as const;
    this.used += flat.length;
    return slice;
  }

  packageRows(category: DbCategory, name: string, flat: readonly number[]): void {
    this.perCategory.get(category)!.packages.push([name, ...this.add(flat)]);
  }

  combinedRows(category: DbCategory, flat: readonly number[]): void {
    this.perCategory.get(category)!.combined = this.add(flat);
  }

  lastThirtyDays(category: DbCategory, name: string, counts: Counts): void {
    this.perCategory.get(category)!.last30.push([name, counts.downloads, counts.ips]);
  }

  /** The model, its rows in shared memory, exactly as long as needed. */
  finish(validThru: IsoDate, packages: readonly PackageRecord[]): PackedSiteData {
    const ints = new Int32Array(new SharedArrayBuffer(this.used * 4));
    ints.set(this.ints.subarray(0, this.used));
    const categories = CATEGORIES.map((c): PackedCategory => ({ db: c.db, ...this.perCategory.get(c.db)! }));
    return { validThru, packages, categories, ints };
  }
}

/** stats/categorystats rows as the packer's flat integers. */
export function flatRows(rows: readonly PeriodCounts[]): number[] {
  return rows.flatMap((r) => [r.year, r.month ?? 0, r.ips, r.downloads]);
}

export function packSiteData(data: SiteData): PackedSiteData {
  const packer = new SitePacker();
  for (const c of data.categories) {
    const db = c.category.db;
    for (const [name, rows] of c.packages) packer.packageRows(db, name, flatRows(rows));
    packer.combinedRows(db, flatRows(c.combined));
    for (const [name, counts] of c.last30) packer.lastThirtyDays(db, name, counts);
  }
  return packer.finish(data.validThru, data.packages);
}

export function unpackSiteData(packed: PackedSiteData): SiteData {
  const { ints } = packed;
  const take = ([start, count]: Slice): PeriodCounts[] => {
    const rows: PeriodCounts[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const o = (start + i) * 4;
      rows[i] = { year: ints[o]!, month: ints[o + 1] || null, ips: ints[o + 2]!, downloads: ints[o + 3]! };
    }
    return rows;
  };
  return {
    validThru: packed.validThru,
    packages: packed.packages,
    categories: packed.categories.map((c) => ({
      category: CATEGORIES.find((x) => x.db === c.db)!,
      combined: take(c.combined),
      packages: new Map(c.packages.map(([name, start, count]) => [name as PackageName, take([start, count])])),
      last30: new Map(c.last30.map(([name, downloads, ips]) => [name as PackageName, { downloads, ips }])),
    })),
  };
}
