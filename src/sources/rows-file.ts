// A download rows file: TSV or CSV, gzipped or not, with the header the Athena view yields:
// date, c-ip, sc-status, category, package. Every row is checked against the column sizes of
// bioc_web_downloads; the first bad one stops the run, named by file, line and value.
import { parseIsoDate } from "../domain/dates.js";
import type { DownloadRow } from "../domain/types.js";
import { InputError, quote } from "../errors.js";
import { splitterFor } from "./delimited.js";
import { parseBlock, rowLine, type RowBatches } from "./batches.js";
import { readTextLineRuns } from "./text-lines.js";

export const ROW_COLUMNS = ["date", "c-ip", "sc-status", "category", "package"] as const;
const LIMITS = { "c-ip": 40, category: 16, package: 64 } as const;

/** Checks one row's fields (in ROW_COLUMNS order); returns the row or the reason it is bad. */
export function parseDownloadFields(fields: readonly string[]): DownloadRow | string {
  const [date, ip, status, category, pkg] = fields as [string, string, string, string, string];
  const isoDate = parseIsoDate(date);
  if (!isoDate) return `bad date ${quote(date)} (want YYYY-MM-DD)`;
  if (!/^\d{3}$/.test(status)) return `bad sc-status ${quote(status)} (want a 3-digit HTTP status)`;
  for (const [name, value] of [
    ["c-ip", ip],
    ["category", category],
    ["package", pkg],
  ] as const) {
    if (value === "") return `empty ${name}`;
    if (/[\t\r\n]/.test(value)) return `${name} holds a tab or a line end: ${quote(value)}`;
    if (value.length > LIMITS[name]) return `${name} longer than ${LIMITS[name]} characters: ${quote(value)}`;
  }
  return { date: isoDate, ip, status: Number(status), category, package: pkg };
}

/** The rows of a rows file, checked (tests, and readers that look at rows; ingest copies the blocks). */
export async function* readRowsFile(path: string): AsyncGenerator<DownloadRow> {
  for await (const block of readRowsFileBlocks(path)) yield* parseBlock(block);
}

// A line already in the stored order whose every field is plainly within its rules: passed on as it
// is, without splitting it into a row and joining it again (most of a large file's cost). Any other
// line takes the full check, which names what is wrong.
const PLAIN_LINE = /^(\d{4}-\d{2}-\d{2})\t[^\t\r\n]{1,40}\t\d{3}\t[^\t\r\n]{1,16}\t[^\t\r\n]{1,64}$/;

/** The file's rows, checked, as blocks of `date\tc-ip\tsc-status\tcategory\tpackage\n` lines (store/downloads.ts copies them). */
export async function* readRowsFileBlocks(path: string, rowsPerBlock = 10_000): RowBatches {
  const runs = readTextLineRuns(path);
  const first = await runs.next();
  if (first.done) throw new InputError(path, null, "empty file (want a header: date, c-ip, sc-status, category, package)");
  const [header = "", ...firstLines] = first.value.lines;
  const split = splitterFor(header);
  const names = split(header.replace(/^\uFEFF/, "")).map((h) => h.trim());
  const positions = ROW_COLUMNS.map((c) => names.indexOf(c));
  if (positions.some((p) => p < 0)) {
    throw new InputError(path, 1, `header ${quote(header)} lacks ${ROW_COLUMNS.filter((_, i) => positions[i]! < 0).join(", ")}`);
  }
  const plain = header.includes("\t") && names.length === ROW_COLUMNS.length && positions.every((p, i) => p === i);
  const goodDates = new Set<string>();
  let block = "";
  let inBlock = 0;
  /** Adds the line to the block; true when the block is full. */
  const take = (n: number, line: string): boolean => {
    if (line === "") return false;
    const m = plain ? PLAIN_LINE.exec(line) : null;
    if (m && (goodDates.has(m[1]!) || (parseIsoDate(m[1]!) && goodDates.add(m[1]!)))) {
      block += line + "\n";
    } else {
      const fields = split(line);
      if (fields.length !== names.length) throw new InputError(path, n, `${fields.length} fields, want ${names.length}: ${quote(line)}`);
      const row = parseDownloadFields(positions.map((p) => fields[p]!));
      if (typeof row === "string") throw new InputError(path, n, row);
      block += rowLine(row);
    }
    return ++inBlock === rowsPerBlock;
  };
  const full = () => {
    const b = block;
    block = "";
    inBlock = 0;
    return b;
  };
  for (let i = 0; i < firstLines.length; i++) if (take(first.value.first + 1 + i, firstLines[i]!)) yield full();
  for await (const { first: from, lines } of runs) {
    for (let i = 0; i < lines.length; i++) if (take(from + i, lines[i]!)) yield full();
  }
  if (block !== "") yield block;
}
