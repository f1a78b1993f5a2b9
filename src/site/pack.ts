// SiteData as one shared Int32Array plus a small index, so that render workers get ~600,000
// rows without a structured clone of 600,000 objects.
import type { DbCategory } from "../domain/categories.js";
import { CATEGORIES } from "../domain/categories.js";
import type { IsoDate, PackageName, PeriodCounts } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";
import type { SiteData } from "../summaries/load.js";

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

/** Appends rows given as flat integers (year, month or 0, ips, downloads, …) to one growing array. */
export class PackBuilder {
  private ints = new Int32Array(1 << 16);
  private used = 0; // in ints

  add(flat: readonly number[]): readonly [number, number] {
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

  /** The rows in shared memory, exactly as long as needed. */
  finish(): Int32Array {
    const shared = new Int32Array(new SharedArrayBuffer(this.used * 4));
    shared.set(this.ints.subarray(0, this.used));
    return shared;
  }
}

export function packSiteData(data: SiteData): PackedSiteData {
  let total = 0;
  for (const c of data.categories) {
    total += c.combined.length;
    for (const rows of c.packages.values()) total += rows.length;
  }
  const ints = new Int32Array(new SharedArrayBuffer(total * 16));
  let at = 0;
  const put = (rows: readonly PeriodCounts[]): Slice => {
    const start = at;
    for (const r of rows) {
      ints[at * 4] = r.year;
      ints[at * 4 + 1] = r.month ?? 0;
      ints[at * 4 + 2] = r.ips;
      ints[at * 4 + 3] = r.downloads;
      at++;
    }
    return [start, rows.length];
  };
  return {
    validThru: data.validThru,
    packages: data.packages,
    categories: data.categories.map((c) => ({
      db: c.category.db,
      combined: put(c.combined),
      packages: [...c.packages].map(([name, rows]) => [name, ...put(rows)] as const),
      last30: [...c.last30].map(([name, n]) => [name, n.downloads, n.ips] as const),
    })),
    ints,
  };
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
