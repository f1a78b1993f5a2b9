// The daily bulk export: api/v1/export/daily/YYYY-MM.ndjson.gz, one record per package and day
// with downloads, sorted by day, then package (collation), category; one file a month, from the
// first month with downloads through ValidThru's month. Each month is rendered from the model
// alone and gzipped deterministically (gzip.ts), so a past month's file keeps its bytes and a
// nightly build writes, and publish uploads, only the months whose days changed. Nor does it
// render the others: each file's key is its month's revision (webstats_daily_months), and a
// slot holding a month's file made from that revision keeps it. The model holds the days of
// the months the daily series show (DailyMonth.loaded); the others are read and made apart, a
// month at a time (daily-export-apart.ts).
import { dateParts } from "../../domain/dates.js";
import type { IsoDate } from "../../domain/types.js";
import type { CategoryKey } from "../../domain/categories.js";
import type { DailyMonth, DailyRows } from "../model.js";
import { monthIndex } from "../scores.js";
import { firstRowFrom } from "./daily.js";
import { GZIP_LEVEL, GzipBuilder } from "./gzip.js";
import { monthLabel } from "./series.js";
import { API_ROOT, type ApiContext } from "./summaries.js";

const DAY_MS = 86_400_000;
const LINES_PER_PIECE = 10_000;

export interface DailyExportMonth {
  /** Month index, `year * 12 + month - 1`. */
  readonly month: number;
  readonly records: number;
  /** The file's SiteFile.key. */
  readonly key: string;
  /** Whether the model holds its days (else its file is the slot's, made from the same key). */
  readonly loaded: boolean;
}

// Part of every key: raised when the same days give other bytes (the format, the gzip
// settings), so that every month is made again.
const FORMAT = "daily-export-1";

/** The key of a month's file made from `revision` (DailyMonth). */
export const dailyExportKey = (revision: string): string => `${FORMAT}:${revision}`;

/** Relative to api/v1/export/, as the export index lists it. */
export const dailyExportPath = (month: number): string => `daily/${monthLabel(month)}.ndjson.gz`;

/** In the site. */
export const dailyExportSitePath = (month: number): string => `${API_ROOT}/export/${dailyExportPath(month)}`;

const monthIndexOfDate = (day: IsoDate): number => monthIndex(dateParts(day).year, dateParts(day).month);

/** A month index's first day. */
export const monthOfIndex = (month: number): IsoDate => `${monthLabel(month)}-01` as IsoDate;

/** The day number (days since 1970-01-01) a month index starts on. */
function monthStart(month: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;
}

/**
 * Every month of the export, from the first with records through ValidThru's month (or a later
 * one with records); none without records. A month without a row of webstats_daily has no days
 * to load, and always the same empty file.
 */
export function dailyExportMonths(months: readonly DailyMonth[], validThru: IsoDate): DailyExportMonth[] {
  const counted = months.filter((m) => m.records > 0).map((m) => monthIndexOfDate(m.month));
  if (counted.length === 0) return [];
  const byIndex = new Map(months.map((m) => [monthIndexOfDate(m.month), m]));
  const first = Math.min(...counted);
  const last = Math.max(monthIndexOfDate(validThru), ...counted);
  const out: DailyExportMonth[] = [];
  for (let month = first; month <= last; month++) {
    const m = byIndex.get(month);
    out.push(
      m ? { month, records: m.records, key: dailyExportKey(m.revision), loaded: m.loaded } : { month, records: 0, key: dailyExportKey("none"), loaded: true },
    );
  }
  return out;
}

/** A package of the export, with its days (at least the month's), ascending. */
export interface ExportPackage {
  readonly name: string;
  readonly key: CategoryKey;
  readonly daily: DailyRows;
}

/** The context's packages as the export takes them, in its order. */
export const exportPackages = (ctx: ApiContext): ExportPackage[] => ctx.packages.map((p) => ({ name: p.summary.name, key: p.category.key, daily: p.daily }));

/** One month's file; `packages` in the API's order (compareApiOrder). */
export function renderDailyMonth(packages: readonly ExportPackage[], month: number): Uint8Array {
  const start = monthStart(month);
  const end = monthStart(month + 1);
  const n = packages.length;
  // Sort keys `(day - start) * n + package index`: day first, then the context's order (collation, category).
  const cursor = new Int32Array(n);
  const keys: number[] = [];
  packages.forEach((p, j) => {
    const from = firstRowFrom(p.daily, start);
    cursor[j] = from * 3;
    for (let i = from * 3; i < p.daily.length && p.daily[i]! < end; i += 3) keys.push((p.daily[i]! - start) * n + j);
  });
  const order = Float64Array.from(keys).sort();
  const gz = new GzipBuilder(GZIP_LEVEL);
  const prefixes: Array<string | undefined> = new Array(n);
  const days: string[] = [];
  let text = "";
  let lines = 0;
  for (const key of order) {
    const j = key % n;
    const dayOfMonth = (key - j) / n;
    const p = packages[j]!;
    const o = cursor[j]!;
    cursor[j] = o + 3;
    const prefix = (prefixes[j] ??= `{"package":${JSON.stringify(p.name)},"category":"${p.key}","day":"`);
    const day = (days[dayOfMonth] ??= `${monthLabel(month)}-${String(dayOfMonth + 1).padStart(2, "0")}`);
    text += `${prefix}${day}","downloads":${p.daily[o + 1]!}}\n`;
    if (++lines === LINES_PER_PIECE) {
      gz.add(text);
      text = "";
      lines = 0;
    }
  }
  gz.add(text);
  return gz.finish();
}
