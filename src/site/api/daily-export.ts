// The daily bulk export: api/v1/export/daily/YYYY-MM.ndjson.gz, one record per package and day
// with downloads, sorted by day, then package (collation), category; one file a month, from the
// first month with downloads through ValidThru's month. Each month is rendered from the model
// alone and gzipped deterministically (gzip.ts), so a past month's file keeps its bytes and a
// nightly build writes, and publish uploads, only the months whose days changed. Nor does it
// read or render the others: each file's key is its month's revision (webstats_daily_months),
// and a month whose file the slot holds made from that revision is left out of the model.
import { dateParts } from "../../domain/dates.js";
import type { IsoDate } from "../../domain/types.js";
import type { DailyMonth } from "../model.js";
import { monthIndex } from "../scores.js";
import type { TreeKeys } from "../tree-slots.js";
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

/** Whether a slot whose files have `keys` holds a month's file (its first day) made from `revision`: its days need not be read. */
export function holdsDailyMonth(keys: TreeKeys, month: IsoDate, revision: string): boolean {
  return keys.get(dailyExportSitePath(monthIndexOfDate(month))) === dailyExportKey(revision);
}

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

/** One month's file. */
export function renderDailyMonth(ctx: ApiContext, month: number): Uint8Array {
  const start = monthStart(month);
  const end = monthStart(month + 1);
  const { packages } = ctx;
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
    const prefix = (prefixes[j] ??= `{"package":${JSON.stringify(p.summary.name)},"category":"${p.category.key}","day":"`);
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
