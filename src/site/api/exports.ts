// The bulk exports: one record per package and month with a stats row, sorted by month, then
// package (collation), category. Full files (NDJSON and CSV, gzipped) and uncompressed NDJSON
// pages of PAGE_SIZE records; api/v1/export/index.json lists the pages. Month first, so that a
// new day only adds records at the end: every page but the last stays the same (a nightly build
// writes, and publish uploads, one page, and clients fetch only the pages they lack).
import { monthIndex } from "../scores.js";
import { dailyExportPath, type DailyExportMonth } from "./daily-export.js";
import { GZIP_LEVEL, gzipPieces } from "./gzip.js";
import { monthLabel } from "./series.js";
import { SCHEMA_VERSION, type ApiContext } from "./summaries.js";

export const PAGE_SIZE = 10_000;
export const CSV_HEADER = "package,category,month,downloads,distinctIPs";

export interface PageRange {
  readonly start: number;
  readonly count: number;
}

/** Pages of `size` records (the last one shorter); none for no records. */
export function pageRanges(total: number, size: number): PageRange[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`page size ${size}`);
  const pages: PageRange[] = [];
  for (let start = 0; start < total; start += size) pages.push({ start, count: Math.min(size, total - start) });
  return pages;
}

export const pagePath = (n: number): string => `pages/stats-${String(n).padStart(5, "0")}.ndjson`;

/** One package's monthly rows, ascending: [month index, downloads, distinct IPs, …]. */
export interface ExportEntry {
  readonly name: string;
  readonly category: string;
  readonly months: Int32Array;
}

/** Records in the export: the monthly stats rows of the API's packages. Cheap (no sorting). */
export function countRecords(ctx: ApiContext): number {
  let n = 0;
  for (const p of ctx.packages) for (let o = 1; o < p.rows.length; o += 4) if (p.rows[o] !== 0) n++;
  return n;
}

const ROW_BITS = 1024; // rows of one package, more than a century of months

export function exportEntries(ctx: ApiContext): ExportEntry[] {
  return ctx.packages.map((p) => {
    const { rows } = p; // PeriodRows: year, month or 0, ips, downloads
    const count = rows.length / 4;
    // sort keys `month index * ROW_BITS + row`: one numeric typed-array sort, no objects
    let n = 0;
    for (let i = 0; i < count; i++) if (rows[i * 4 + 1] !== 0) n++;
    const keys = new Int32Array(n);
    n = 0;
    for (let i = 0; i < count; i++) if (rows[i * 4 + 1] !== 0) keys[n++] = monthIndex(rows[i * 4]!, rows[i * 4 + 1]!) * ROW_BITS + i;
    if (count >= ROW_BITS) throw new RangeError(`${p.summary.name}: ${count} rows`);
    keys.sort();
    const months = new Int32Array(n * 3);
    keys.forEach((key, j) => {
      const o = (key % ROW_BITS) * 4;
      months[j * 3] = Math.floor(key / ROW_BITS);
      months[j * 3 + 1] = rows[o + 3]!;
      months[j * 3 + 2] = rows[o + 2]!;
    });
    return { name: p.summary.name, category: p.category.key, months };
  });
}

/** A record's line from the fixed start of its package's lines. */
interface Format {
  readonly prefix: (e: ExportEntry) => string;
  readonly line: (prefix: string, month: string, downloads: number, ips: number) => string;
}

const NDJSON: Format = {
  prefix: (e) => `{"package":${JSON.stringify(e.name)},"category":"${e.category}","month":"`,
  line: (prefix, month, downloads, ips) => `${prefix}${month}","downloads":${downloads},"distinctIPs":${ips}}\n`,
};

const CSV: Format = {
  prefix: (e) => `${csvField(e.name)},${e.category},`,
  line: (prefix, month, downloads, ips) => `${prefix}${month},${downloads},${ips}\n`,
};

const labels: string[] = [];
const label = (index: number): string => (labels[index] ??= monthLabel(index));

/** RFC 4180: quoted only when needed. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Export order as one number per record, `month index * entries + entry index`, ascending:
 * entries are in package (collation), category order already, and hold a month once.
 */
export function exportOrder(entries: readonly ExportEntry[]): Float64Array {
  let total = 0;
  for (const e of entries) total += e.months.length / 3;
  const keys = new Float64Array(total);
  let k = 0;
  entries.forEach((e, j) => {
    for (let o = 0; o < e.months.length; o += 3) keys[k++] = e.months[o]! * entries.length + j;
  });
  return keys.sort();
}

/** Records [start, start + count) as text, in pieces of about `piece` records. */
function* lines(entries: readonly ExportEntry[], order: Float64Array, format: Format, start = 0, count = Infinity, piece = PAGE_SIZE): Generator<string> {
  const n = entries.length;
  // Each entry's records come in its own (ascending) month order: a cursor per entry finds them.
  const cursor = new Int32Array(n);
  for (let r = 0; r < start && r < order.length; r++) cursor[order[r]! % n]! += 3;
  const prefixes: Array<string | undefined> = new Array(n);
  const end = Math.min(order.length, start + count);
  let text = "";
  let inText = 0;
  for (let r = start; r < end; r++) {
    const j = order[r]! % n;
    const e = entries[j]!;
    const o = cursor[j]!;
    cursor[j] = o + 3;
    text += format.line((prefixes[j] ??= format.prefix(e)), label(e.months[o]!), e.months[o + 1]!, e.months[o + 2]!);
    if (++inText === piece) {
      yield text;
      text = "";
      inText = 0;
    }
  }
  if (text) yield text;
}

/** The export's records, in export order. */
export interface ExportTable {
  readonly entries: readonly ExportEntry[];
  readonly order: Float64Array;
}

export function renderNdjsonPage(table: ExportTable, page: PageRange): string {
  return [...lines(table.entries, table.order, NDJSON, page.start, page.count)].join("");
}

export function renderCsvGz(table: ExportTable, level = GZIP_LEVEL): Uint8Array {
  return gzipPieces(
    (function* () {
      yield CSV_HEADER + "\n";
      yield* lines(table.entries, table.order, CSV);
    })(),
    level,
  );
}

export function renderExportIndex(ctx: ApiContext, records: number, pages: readonly PageRange[], daily: readonly DailyExportMonth[]): string {
  return JSON.stringify(
    {
      schemaVersion: SCHEMA_VERSION,
      lastUpdatedOn: ctx.lastUpdatedOn,
      records,
      pageSize: PAGE_SIZE,
      pages: pages.map((p, i) => ({ path: pagePath(i + 1), records: p.count })),
      full: { ndjson: "stats.ndjson.gz", csv: "stats.csv.gz" },
      daily: daily.map((m) => ({ path: dailyExportPath(m.month), month: monthLabel(m.month), records: m.records })),
    },
    null,
    1,
  );
}
