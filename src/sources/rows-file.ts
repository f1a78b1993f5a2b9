// A download rows file: TSV or CSV, gzipped or not, with the header the Athena view yields:
// date, c-ip, sc-status, category, package. Every row is checked against the column sizes of
// bioc_web_downloads; the first bad one stops the run, named by file, line and value.
import { parseIsoDate } from "../domain/dates.js";
import type { DownloadRow } from "../domain/types.js";
import { InputError, quote } from "../errors.js";
import { splitterFor } from "./delimited.js";
import { readTextLines } from "./text-lines.js";

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

export async function* readRowsFile(path: string): AsyncGenerator<DownloadRow> {
  const lines = readTextLines(path);
  const first = await lines.next();
  if (first.done) throw new InputError(path, null, "empty file (want a header: date, c-ip, sc-status, category, package)");
  const [, header] = first.value;
  const split = splitterFor(header);
  const names = split(header.replace(/^\uFEFF/, "")).map((h) => h.trim());
  const positions = ROW_COLUMNS.map((c) => names.indexOf(c));
  if (positions.some((p) => p < 0)) {
    throw new InputError(path, 1, `header ${quote(header)} lacks ${ROW_COLUMNS.filter((_, i) => positions[i]! < 0).join(", ")}`);
  }
  for await (const [n, line] of lines) {
    if (line === "") continue;
    const fields = split(line);
    if (fields.length !== names.length) {
      throw new InputError(path, n, `${fields.length} fields, want ${names.length}: ${quote(line)}`);
    }
    const row = parseDownloadFields(positions.map((p) => fields[p]!));
    if (typeof row === "string") throw new InputError(path, n, row);
    yield row;
  }
}
