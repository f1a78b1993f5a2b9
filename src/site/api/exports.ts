// The bulk exports: one record per package and month with a stats row, sorted by package
// (collation), category, month. Full files (NDJSON and CSV, gzipped) and uncompressed NDJSON
// pages of PAGE_SIZE records; api/v1/export/index.json lists the pages.
import { monthIndex } from "../scores.js";
import { gzipPieces } from "./gzip.js";
import { monthLabel } from "./series.js";
import { SCHEMA_VERSION, type ApiContext } from "./summaries.js";

export const PAGE_SIZE = 10_000;
export const CSV_HEADER = "package,category,month,downloads,distinctIPs";
export const GZIP_LEVEL = 4;

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
  for (const p of ctx.packages) for (const r of p.rows) if (r.month !== null) n++;
  return n;
}

const ROW_BITS = 1024; // rows of one package, more than a century of months

export function exportEntries(ctx: ApiContext): ExportEntry[] {
  return ctx.packages.map((p) => {
    const { rows } = p;
    // sort keys `month index * ROW_BITS + row`: one numeric typed-array sort, no objects
    let n = 0;
    for (const r of rows) if (r.month !== null) n++;
    const keys = new Int32Array(n);
    n = 0;
    rows.forEach((r, i) => {
      if (r.month !== null) keys[n++] = monthIndex(r.year, r.month) * ROW_BITS + i;
    });
    if (rows.length >= ROW_BITS) throw new RangeError(`${p.summary.name}: ${rows.length} rows`);
    keys.sort();
    const months = new Int32Array(n * 3);
    keys.forEach((key, j) => {
      const r = rows[key % ROW_BITS]!;
      months[j * 3] = Math.floor(key / ROW_BITS);
      months[j * 3 + 1] = r.downloads;
      months[j * 3 + 2] = r.ips;
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

/** Records [start, start + count) as text, in pieces of about `piece` records. */
function* lines(entries: readonly ExportEntry[], format: Format, start = 0, count = Infinity, piece = PAGE_SIZE): Generator<string> {
  const end = start + count;
  let at = 0; // index of the entry's first record
  let text = "";
  let inText = 0;
  for (const e of entries) {
    const n = e.months.length / 3;
    if (at + n <= start) {
      at += n;
      continue;
    }
    if (at >= end) break;
    const prefix = format.prefix(e);
    for (let i = Math.max(0, start - at); i < n && at + i < end; i++) {
      const o = i * 3;
      text += format.line(prefix, label(e.months[o]!), e.months[o + 1]!, e.months[o + 2]!);
      if (++inText === piece) {
        yield text;
        text = "";
        inText = 0;
      }
    }
    at += n;
  }
  if (text) yield text;
}

export function renderNdjsonPage(entries: readonly ExportEntry[], page: PageRange): string {
  return [...lines(entries, NDJSON, page.start, page.count)].join("");
}

export function renderNdjsonGz(entries: readonly ExportEntry[], level = GZIP_LEVEL): Uint8Array {
  return gzipPieces(lines(entries, NDJSON), level);
}

export function renderCsvGz(entries: readonly ExportEntry[], level = GZIP_LEVEL): Uint8Array {
  return gzipPieces(
    (function* () {
      yield CSV_HEADER + "\n";
      yield* lines(entries, CSV);
    })(),
    level,
  );
}

export function renderExportIndex(ctx: ApiContext, records: number, pages: readonly PageRange[]): string {
  return JSON.stringify(
    {
      schemaVersion: SCHEMA_VERSION,
      lastUpdatedOn: ctx.lastUpdatedOn,
      records,
      pageSize: PAGE_SIZE,
      pages: pages.map((p, i) => ({ path: pagePath(i + 1), records: p.count })),
      full: { ndjson: "stats.ndjson.gz", csv: "stats.csv.gz" },
    },
    null,
    1,
  );
}
