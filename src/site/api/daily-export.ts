// The daily bulk export: api/v1/export/daily/YYYY-MM.ndjson.gz, one record per package and day
// with downloads, sorted by day, then package (collation), category; one file a month, from the
// first month with downloads through ValidThru's month. Each month is rendered from the model
// alone and gzipped deterministically (gzip.ts), so a past month's file keeps its bytes and a
// nightly build writes, and publish uploads, only the months whose days changed.
import { dateParts } from "../../domain/dates.js";
import { monthIndex } from "../scores.js";
import { firstRowFrom } from "./daily.js";
import { GZIP_LEVEL, GzipBuilder } from "./gzip.js";
import { monthLabel } from "./series.js";
import type { ApiContext } from "./summaries.js";

const DAY_MS = 86_400_000;
const LINES_PER_PIECE = 10_000;

export interface DailyExportMonth {
  /** Month index, `year * 12 + month - 1`. */
  readonly month: number;
  readonly records: number;
}

export const dailyExportPath = (month: number): string => `daily/${monthLabel(month)}.ndjson.gz`;

/** The day number (days since 1970-01-01) a month index starts on. */
function monthStart(month: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;
}

function monthOfDay(day: number): number {
  const t = new Date(day * DAY_MS);
  return monthIndex(t.getUTCFullYear(), t.getUTCMonth() + 1);
}

/** Every month of the export with its number of records; none without daily rows. */
export function dailyExportMonths(ctx: ApiContext): DailyExportMonth[] {
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const p of ctx.packages) {
    if (p.daily.length === 0) continue;
    firstDay = Math.min(firstDay, p.daily[0]!);
    lastDay = Math.max(lastDay, p.daily[p.daily.length - 3]!);
  }
  if (firstDay === Infinity) return [];
  const first = monthOfDay(firstDay);
  const { year, month } = dateParts(ctx.validThru);
  const last = Math.max(monthIndex(year, month), monthOfDay(lastDay)); // a row after ValidThru keeps its month
  const records = new Array<number>(last - first + 1).fill(0);
  for (const p of ctx.packages) {
    // rows ascend by day: a month's boundary is worked out once per month, not per row
    let m = -1;
    let next = -Infinity;
    for (let i = 0; i < p.daily.length; i += 3) {
      const day = p.daily[i]!;
      if (day >= next) {
        m = monthOfDay(day);
        next = monthStart(m + 1);
      }
      records[m - first]!++;
    }
  }
  return records.map((n, i) => ({ month: first + i, records: n }));
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
