// The site model: everything a build renders, as summaries/ produces it and site/ consumes it.
// site/ knows nothing of the database; this module is the contract between the two. The model
// travels to the render workers packed (shared integer arrays plus a small index, so that they
// get ~600,000 rows, and every package's days, without a structured clone of 600,000 objects),
// and there is one packer, SitePacker: the loader feeds it rows as they come from the database,
// packSiteData feeds it a SiteData (tests), so both go through the same code. The counts without
// crawlers and repeats ride in the same arrays: their stats rows stay packed (PeriodRows) after
// unpacking too, since only the API reads them, a package at a time.
import type { Category, DbCategory } from "../domain/categories.js";
import { CATEGORIES } from "../domain/categories.js";
import type { Counts, IsoDate, PackageName, PeriodCounts, Year } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";

export interface CategoryData {
  readonly category: Category;
  /** categorystats rows of the category. */
  readonly combined: readonly PeriodCounts[];
  /**
   * stats rows per package, packed (unordered: every consumer sorts in TypeScript): made into
   * PeriodCounts only while one file of the package renders (periodCounts, periodCountsOfYear),
   * since 6,000 packages × 17 years of rows as objects would be ~80 MB in every render thread.
   */
  readonly packages: ReadonlyMap<PackageName, PeriodRows>;
  /** Downloads and distinct IPs of the last 30 days (lastThirtyDays) per package; absent = none. */
  readonly last30: ReadonlyMap<PackageName, Counts>;
  /**
   * webstats_daily per package, the days with downloads of the months lastYearDays touches
   * (whole months, the months `loaded`): DailyRows. Absent = none of those days.
   */
  readonly daily: ReadonlyMap<PackageName, DailyRows>;
  /** webstats_category_daily over lastYearDays (known packages combined, distinct IPs of the category): DailyRows. */
  readonly combinedDaily: DailyRows;
  /** The same without crawlers and repeats; absent when SiteData has no crawlerPackages. */
  readonly filtered?: FilteredCounts;
}

/**
 * The counts without crawlers and repeats (summaries/crawlers.ts): webstats_filtered_stats and
 * webstats_filtered_categorystats as PeriodRows, and the filtered columns of webstats_daily and
 * webstats_category_daily over lastYearDays only (the API shows no more of them), as DailyRows:
 * a package-day's filtered downloads are its filtered IPs (each counts once a day). Days and
 * periods without a filtered download have no row.
 */
export interface FilteredCounts {
  readonly combined: PeriodRows;
  /** Per package; absent = no filtered download ever. */
  readonly packages: ReadonlyMap<PackageName, PeriodRows>;
  /** Per package, over lastYearDays; absent = none there. */
  readonly daily: ReadonlyMap<PackageName, DailyRows>;
  readonly combinedDaily: DailyRows;
}

/** stats rows packed, four integers a row: year, month or 0 (the yearly row), distinct IPs, downloads (periodCounts reads them). */
export type PeriodRows = Int32Array;
/** A subject without stats rows. */
export const NO_PERIOD_ROWS: PeriodRows = new Int32Array(0);

/**
 * Days with downloads, ascending by day: (day number (dayNumber), downloads, distinct IPs), three
 * integers a day; in 16 bits each where all of a subject's fit (almost every package: half the
 * memory of the model's largest part), else in 32.
 */
export type DailyRows = Int32Array | Uint16Array;
/** A package without days. */
export const NO_DAILY_ROWS: DailyRows = new Int32Array(0);

/** A month of webstats_daily, for the daily bulk export (site/api/daily-export.ts). */
export interface DailyMonth {
  /** Its first day. */
  readonly month: IsoDate;
  /** Changes whenever the month's days, or which of its packages are known, change. */
  readonly revision: string;
  /** Its package-days of known packages. */
  readonly records: number;
  /**
   * Whether `daily` holds its days (a month lastYearDays touches); else its export file is made
   * apart, from a read of that month alone (site/api/daily-export-apart.ts).
   */
  readonly loaded: boolean;
}

/** One month of webstats_daily, known packages: per category and name, the days (DailyRows). */
export type MonthDays = ReadonlyMap<DbCategory, ReadonlyMap<string, DailyRows>>;

/** A month's days (its first day), read from the same snapshot as the model. */
export type ReadMonthDays = (month: IsoDate) => Promise<MonthDays>;

/** Days given as flat integers (day number, downloads, distinct IPs) in any order, as DailyRows. */
export function dailyRows(flat: ArrayLike<number>): DailyRows {
  const rows = Int32Array.from(flat);
  sortRows(rows, 3);
  return rows;
}

export interface SiteData {
  readonly validThru: IsoDate;
  /** Every row of `packages`, unordered. */
  readonly packages: readonly PackageRecord[];
  readonly categories: readonly CategoryData[];
  /** Every month with a row of webstats_daily, ascending. */
  readonly dailyMonths: readonly DailyMonth[];
  /**
   * K of the counts without crawlers and repeats (an IP with more than K packages on a day is a
   * crawler); absent when those counts are not to be trusted (the summary tables not complete:
   * a database upgraded to sql/007 before its summarize), and then no category has `filtered`.
   */
  readonly crawlerPackages?: number;
}

/** [offset, count] of a subject's rows in `ints` (4 ints a row: year, month or 0, ips, downloads), or in `days` (3 ints a row, DailyRows). */
type Slice = readonly [number, number];
/** [name, offset, count, wide] of a package's DailyRows: in `days` when wide, else in `narrowDays`. */
type DaysSlice = readonly [string, number, number, boolean];

export interface PackedSiteData {
  readonly validThru: IsoDate;
  readonly packages: readonly PackageRecord[];
  readonly dailyMonths: readonly DailyMonth[];
  readonly categories: ReadonlyArray<{
    readonly db: DbCategory;
    readonly combined: Slice;
    readonly packages: ReadonlyArray<readonly [string, number, number]>;
    /** [name, downloads, distinct IPs] of the last 30 days. */
    readonly last30: ReadonlyArray<readonly [string, number, number]>;
    readonly daily: readonly DaysSlice[];
    /** In `days`. */
    readonly combinedDaily: Slice;
    /** The counts without crawlers and repeats, sliced as their legacy counterparts. */
    readonly filtered: PackedCounts;
  }>;
  /** Null: no counts without crawlers and repeats (SiteData.crawlerPackages). */
  readonly crawlerPackages: number | null;
  readonly ints: Int32Array;
  /** The categories' DailyRows, and those of the packages with a day past 16 bits. */
  readonly days: Int32Array;
  /** The other packages' DailyRows. */
  readonly narrowDays: Uint16Array;
}

interface PackedCounts {
  readonly combined: Slice;
  /** [name, offset, count] in `ints`. */
  readonly packages: ReadonlyArray<readonly [string, number, number]>;
  readonly daily: readonly DaysSlice[];
  readonly combinedDaily: Slice;
}

type PackedCategory = PackedSiteData["categories"][number];

/** Integers in one growing array, handed out as slices of rows of `width` integers. */
class GrowingInts {
  private ints = new Int32Array(1 << 16);
  private used = 0; // in ints

  constructor(private readonly width: number) {}

  add(flat: ArrayLike<number>): Slice {
    if (flat.length % this.width !== 0) throw new RangeError(`rows of ${this.width} integers expected, got ${flat.length} integers`);
    while (this.used + flat.length > this.ints.length) {
      const bigger = new Int32Array(this.ints.length * 2);
      bigger.set(this.ints);
      this.ints = bigger;
    }
    this.ints.set(flat, this.used);
    const slice = [this.used / this.width, flat.length / this.width] as const;
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

/**
 * Rows of three integers (DailyRows) in 16 bits each, in shared memory of exactly the size reserved
 * first, filled in parts afterwards: the daily rows are many (a row per package-day of the year)
 * and come from the database a month at a time, so they are never held twice, nor all as text. A
 * reservation whose rows do not all fit in 16 bits is given back (`fill` says so, and `giveBack`
 * hands over what it holds) and goes to the packer's 32-bit rows.
 */
class NarrowDays {
  private reserved = 0; // in rows
  private readonly parts = new Map<string, { start: number; at: number; end: number; givenBack: boolean }>(); // in ints
  private ints: Uint16Array | undefined;

  reserve(key: string, rows: number): void {
    if (this.ints) throw new Error("rows reserved after the first were filled in");
    if (this.parts.has(key)) throw new Error(`rows of ${key} reserved twice`);
    const start = this.reserved * 3;
    this.parts.set(key, { start, at: start, end: start + rows * 3, givenBack: false });
    this.reserved += rows;
  }

  has(key: string): boolean {
    return this.parts.get(key)?.givenBack === false;
  }

  /** Where `key`'s rows are, in rows. */
  sliceOf(key: string): Slice {
    const part = this.parts.get(key)!;
    return [part.start / 3, (part.end - part.start) / 3];
  }

  /** The next rows of `key`'s reservation; false, and nothing filled, when one of them does not fit in 16 bits. */
  fill(key: string, flat: ArrayLike<number>): boolean {
    this.ints ??= new Uint16Array(new SharedArrayBuffer(this.reserved * 3 * 2));
    const part = this.parts.get(key);
    if (!part || part.givenBack || part.at + flat.length > part.end) throw new RangeError(`more rows for ${key} than reserved`);
    for (let i = 0; i < flat.length; i++) if (!(flat[i]! >= 0 && flat[i]! <= 0xffff)) return false;
    this.ints.set(flat, part.at);
    // Each part in order as it comes (a month of a package's days: a few dozen rows), so that
    // parts given in order need no sort of the whole reservation at the end.
    sortRows(this.ints.subarray(part.at, part.at + flat.length), 3);
    part.at += flat.length;
    return true;
  }

  /** `key`'s reservation leaves (after a fill said so): its rows so far, and how many rows it reserved. */
  giveBack(key: string): { filled: Uint16Array; rows: number } {
    const part = this.parts.get(key)!;
    part.givenBack = true;
    return { filled: this.ints!.slice(part.start, part.at), rows: (part.end - part.start) / 3 };
  }

  /** The rows, each reservation's sorted by day (they may come in any order). */
  finish(): Uint16Array {
    const ints = this.ints ?? new Uint16Array(new SharedArrayBuffer(0));
    for (const [key, part] of this.parts) {
      if (part.givenBack) continue;
      if (part.at !== part.end) throw new RangeError(`fewer rows for ${key} than reserved`);
      sortRows(ints.subarray(part.start, part.end), 3);
    }
    return ints;
  }
}

/** DailyRows in 32 bits: the categories' and those of the few packages past 16 bits, gathered into shared memory at the end. */
class WideDays {
  private readonly parts = new Map<string, { rows: Int32Array; at: number }>();

  reserve(key: string, rows: number): void {
    if (this.parts.has(key)) throw new Error(`rows of ${key} reserved twice`);
    this.parts.set(key, { rows: new Int32Array(rows * 3), at: 0 });
  }

  fill(key: string, flat: ArrayLike<number>): void {
    const part = this.parts.get(key);
    if (!part || part.at + flat.length > part.rows.length) throw new RangeError(`more rows for ${key} than reserved`);
    part.rows.set(flat, part.at);
    part.at += flat.length;
  }

  /** The rows in one shared array, each reservation's sorted by day, and where each is. */
  finish(): { ints: Int32Array; at: Map<string, Slice> } {
    let length = 0;
    for (const part of this.parts.values()) length += part.rows.length;
    const ints = new Int32Array(new SharedArrayBuffer(length * 4));
    const at = new Map<string, Slice>();
    let used = 0;
    for (const [key, part] of this.parts) {
      if (part.at !== part.rows.length) throw new RangeError(`fewer rows for ${key} than reserved`);
      ints.set(part.rows, used);
      sortRows(ints.subarray(used, used + part.rows.length), 3);
      at.set(key, [used / 3, part.rows.length / 3]);
      used += part.rows.length;
    }
    return { ints, at };
  }
}

/**
 * Sorts rows of `width` integers in place by their first, when they are not in order already.
 * The keys are days, distinct within a package: a part (a month of a package's days) is placed
 * by day, in one pass; anything else goes by an order of row numbers.
 */
function sortRows(ints: Int32Array | Uint16Array, width: number): void {
  const n = ints.length / width;
  let sorted = true;
  let min = ints[0]!;
  let max = min;
  for (let i = width; i < ints.length; i += width) {
    const key = ints[i]!;
    if (key < ints[i - width]!) sorted = false;
    if (key < min) min = key;
    else if (key > max) max = key;
  }
  if (sorted) return;
  const copy = ints.slice();
  const span = max - min + 1;
  if (span <= 4 * n) {
    const at = new Int32Array(span).fill(-1);
    let distinct = true;
    for (let r = 0; r < n && distinct; r++) {
      const k = copy[r * width]! - min;
      distinct = at[k] === -1;
      at[k] = r;
    }
    if (distinct) {
      let to = 0;
      for (const r of at) if (r >= 0) copyRow(copy, r, ints, to++, width);
      return;
    }
  }
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[r] = r;
  order.sort((a, b) => copy[a * width]! - copy[b * width]!);
  for (let r = 0; r < n; r++) copyRow(copy, order[r]!, ints, r, width);
}

function copyRow(from: Int32Array | Uint16Array, r: number, to: Int32Array | Uint16Array, at: number, width: number): void {
  for (let k = 0; k < width; k++) to[at * width + k] = from[r * width + k]!;
}

interface CountsParts {
  combined: Slice;
  packages: Array<readonly [string, number, number]>;
  /** The packages whose days are reserved, in order. */
  dailyNames: string[];
}

interface CategoryParts extends CountsParts {
  last30: Array<readonly [string, number, number]>;
  filtered: CountsParts;
}

const noParts = (): CountsParts => ({ combined: [0, 0], packages: [], dailyNames: [] });
const NO_COUNTS: PackedCounts = { combined: [0, 0], packages: [], daily: [], combinedDaily: [0, 0] };

/** Which counts a packer call is about: the legacy ones, or those without crawlers and repeats. */
export type Counting = "legacy" | "filtered";

/** Builds a PackedSiteData from rows given as flat integers. */
export class SitePacker {
  private readonly ints = new GrowingInts(4);
  private readonly narrowDays = new NarrowDays();
  private readonly wideDays = new WideDays();
  private readonly perCategory = new Map<DbCategory, CategoryParts>(CATEGORIES.map((c) => [c.db, { ...noParts(), last30: [], filtered: noParts() }]));

  private parts(category: DbCategory, counting: Counting): CountsParts {
    const c = this.perCategory.get(category)!;
    return counting === "legacy" ? c : c.filtered;
  }

  /** The days' reservations are keyed apart: a package's filtered days are not its days. */
  private static dayKey(counting: Counting, category: DbCategory, name?: string): string {
    return `${counting === "legacy" ? "" : "filtered:"}${category}${name === undefined ? "" : `/${name}`}`;
  }

  /** stats rows: (year, month or 0, ips, downloads), … */
  packageRows(category: DbCategory, name: string, flat: ArrayLike<number>, counting: Counting = "legacy"): void {
    this.parts(category, counting).packages.push([name, ...this.ints.add(flat)]);
  }

  /** categorystats rows, as packageRows. */
  combinedRows(category: DbCategory, flat: ArrayLike<number>, counting: Counting = "legacy"): void {
    this.parts(category, counting).combined = this.ints.add(flat);
  }

  lastThirtyDays(category: DbCategory, name: string, counts: Counts): void {
    this.perCategory.get(category)!.last30.push([name, counts.downloads, counts.ips]);
  }

  /** Room for `days` DailyRows of a package, filled by packageDays; every reservation comes before the first fill. */
  reservePackageDays(category: DbCategory, name: string, days: number, counting: Counting = "legacy"): void {
    this.narrowDays.reserve(SitePacker.dayKey(counting, category, name), days);
    this.parts(category, counting).dailyNames.push(name);
  }

  /** Room for `days` DailyRows of a category's packages combined (in 32 bits: their downloads pass 16), filled by combinedDays. */
  reserveCombinedDays(category: DbCategory, days: number, counting: Counting = "legacy"): void {
    this.wideDays.reserve(SitePacker.dayKey(counting, category), days);
  }

  /** More DailyRows of a package, in any order (as many in all as reserved). */
  packageDays(category: DbCategory, name: string, flat: ArrayLike<number>, counting: Counting = "legacy"): void {
    const key = SitePacker.dayKey(counting, category, name);
    if (this.narrowDays.has(key)) {
      if (this.narrowDays.fill(key, flat)) return;
      // A day past 16 bits: the package's days move to the 32-bit rows, with those it has so far.
      const { filled, rows } = this.narrowDays.giveBack(key);
      this.wideDays.reserve(key, rows);
      this.wideDays.fill(key, filled);
    }
    this.wideDays.fill(key, flat);
  }

  combinedDays(category: DbCategory, flat: ArrayLike<number>, counting: Counting = "legacy"): void {
    this.wideDays.fill(SitePacker.dayKey(counting, category), flat);
  }

  /** The model, its rows in shared memory; `crawlerPackages` null: the filtered counts are left out, whatever was given. */
  finish(validThru: IsoDate, packages: readonly PackageRecord[], dailyMonths: readonly DailyMonth[], crawlerPackages: number | null = null): PackedSiteData {
    const narrowDays = this.narrowDays.finish();
    const wide = this.wideDays.finish();
    const counts = (db: DbCategory, counting: Counting, parts: CountsParts): PackedCounts => ({
      combined: parts.combined,
      packages: parts.packages,
      daily: parts.dailyNames.map((name): DaysSlice => {
        const key = SitePacker.dayKey(counting, db, name);
        const inWide = wide.at.get(key);
        return inWide ? [name, ...inWide, true] : [name, ...this.narrowDays.sliceOf(key), false];
      }),
      combinedDaily: wide.at.get(SitePacker.dayKey(counting, db)) ?? [0, 0],
    });
    const categories = CATEGORIES.map((c): PackedCategory => {
      const parts = this.perCategory.get(c.db)!;
      return {
        db: c.db,
        ...counts(c.db, "legacy", parts),
        last30: parts.last30,
        filtered: crawlerPackages === null ? NO_COUNTS : counts(c.db, "filtered", parts.filtered),
      };
    });
    return { validThru, packages, dailyMonths, categories, crawlerPackages, ints: this.ints.finish(), days: wide.ints, narrowDays };
  }
}

/** stats/categorystats rows as the packer's flat integers. */
export function flatRows(rows: readonly PeriodCounts[]): number[] {
  return rows.flatMap((r) => [r.year, r.month ?? 0, r.ips, r.downloads]);
}

/** PeriodCounts as PeriodRows. */
export const periodRows = (rows: readonly PeriodCounts[]): PeriodRows => Int32Array.from(flatRows(rows));

/** PeriodRows as PeriodCounts, for a moment (one package's file): the model keeps them packed. */
export function periodCounts(rows: PeriodRows): PeriodCounts[] {
  const out: PeriodCounts[] = new Array(rows.length / 4);
  for (let i = 0, o = 0; o < rows.length; i++, o += 4) out[i] = periodCountsAt(rows, o);
  return out;
}

/** The row at offset `o` of PeriodRows. */
const periodCountsAt = (rows: PeriodRows, o: number): PeriodCounts => ({
  year: rows[o]!,
  month: rows[o + 1] || null,
  ips: rows[o + 2]!,
  downloads: rows[o + 3]!,
});

/** The rows of one year of PeriodRows, as PeriodCounts. */
export function periodCountsOfYear(rows: PeriodRows, year: Year): PeriodCounts[] {
  const out: PeriodCounts[] = [];
  for (let o = 0; o < rows.length; o += 4) if (rows[o] === year) out.push(periodCountsAt(rows, o));
  return out;
}

/** The years that have at least one row, newest first. */
export function yearsOfRows(rows: PeriodRows): Year[] {
  const years = new Set<Year>();
  for (let o = 0; o < rows.length; o += 4) years.add(rows[o]!);
  return [...years].sort((a, b) => b - a);
}

export function packSiteData(data: SiteData): PackedSiteData {
  const packer = new SitePacker();
  const days = (db: DbCategory, c: { daily: ReadonlyMap<string, DailyRows>; combinedDaily: DailyRows }, counting: Counting, fill: boolean) => {
    for (const [name, rows] of c.daily) {
      if (fill) packer.packageDays(db, name, rows, counting);
      else packer.reservePackageDays(db, name, rows.length / 3, counting);
    }
    if (fill) packer.combinedDays(db, c.combinedDaily, counting);
    else packer.reserveCombinedDays(db, c.combinedDaily.length / 3, counting);
  };
  for (const c of data.categories) {
    const db = c.category.db;
    for (const [name, rows] of c.packages) packer.packageRows(db, name, rows);
    packer.combinedRows(db, flatRows(c.combined));
    for (const [name, counts] of c.last30) packer.lastThirtyDays(db, name, counts);
    days(db, c, "legacy", false);
    if (!c.filtered) continue;
    for (const [name, rows] of c.filtered.packages) packer.packageRows(db, name, rows, "filtered");
    packer.combinedRows(db, c.filtered.combined, "filtered");
    days(db, c.filtered, "filtered", false);
  }
  for (const c of data.categories) {
    days(c.category.db, c, "legacy", true);
    if (c.filtered) days(c.category.db, c.filtered, "filtered", true);
  }
  return packer.finish(data.validThru, data.packages, data.dailyMonths, data.crawlerPackages ?? null);
}

export function unpackSiteData(packed: PackedSiteData): SiteData {
  const { ints, days, narrowDays } = packed;
  const daysOf = ([start, count]: Slice, wide = true): DailyRows => (wide ? days : narrowDays).subarray(start * 3, (start + count) * 3);
  const rowsOf = ([start, count]: Slice): PeriodRows => ints.subarray(start * 4, (start + count) * 4);
  const take = (slice: Slice): PeriodCounts[] => periodCounts(rowsOf(slice));
  const filtered = (f: PackedCounts): FilteredCounts => ({
    combined: rowsOf(f.combined),
    packages: new Map(f.packages.map(([name, start, count]) => [name as PackageName, rowsOf([start, count])])),
    daily: new Map(f.daily.map(([name, start, count, wide]) => [name as PackageName, daysOf([start, count], wide)])),
    combinedDaily: daysOf(f.combinedDaily),
  });
  return {
    validThru: packed.validThru,
    packages: packed.packages,
    dailyMonths: packed.dailyMonths,
    categories: packed.categories.map((c) => ({
      category: CATEGORIES.find((x) => x.db === c.db)!,
      combined: take(c.combined),
      packages: new Map(c.packages.map(([name, start, count]) => [name as PackageName, rowsOf([start, count])])),
      last30: new Map(c.last30.map(([name, downloads, ips]) => [name as PackageName, { downloads, ips }])),
      daily: new Map(c.daily.map(([name, start, count, wide]) => [name as PackageName, daysOf([start, count], wide)])),
      combinedDaily: daysOf(c.combinedDaily),
      ...(packed.crawlerPackages === null ? {} : { filtered: filtered(c.filtered) }),
    })),
    ...(packed.crawlerPackages === null ? {} : { crawlerPackages: packed.crawlerPackages }),
  };
}
