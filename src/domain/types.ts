// Nominal types: a package name, a category key and a date string are all strings in
// JavaScript, but mixing them up is a bug the compiler should catch.
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A package name exactly as in the `packages` table (case matters: `seqLogo` ≠ `SeqLogo`). */
export type PackageName = Brand<string, "PackageName">;
/** A calendar date as `YYYY-MM-DD` (UTC, no time). */
export type IsoDate = Brand<string, "IsoDate">;
/** A four-digit year. */
export type Year = number;
/** 1 = January … 12 = December. */
export type MonthNumber = number;

/** Counts of one period: distinct client IPs and downloads. */
export interface Counts {
  readonly ips: number;
  readonly downloads: number;
}

/** One row of `stats` / `categorystats`: a month (`month` 1..12) or a whole year (`month` null). */
export interface PeriodCounts extends Counts {
  readonly year: Year;
  readonly month: MonthNumber | null;
}

/** One raw download row, as the Athena view `v_bioc_web_downloads` yields it. */
export interface DownloadRow {
  readonly date: IsoDate;
  readonly ip: string;
  readonly status: number;
  readonly category: string;
  readonly package: string;
}
