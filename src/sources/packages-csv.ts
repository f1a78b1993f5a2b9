// The packages table as CSV: package,category,first_version,last_version (empty = NULL).
import { isDbCategory, type DbCategory } from "../domain/categories.js";
import type { PackageName } from "../domain/types.js";
import { unsafeNameReason } from "../domain/package-names.js";
import { InputError, quote } from "../errors.js";
import { splitterFor } from "./delimited.js";
import { readTextLines } from "./text-lines.js";

export interface PackageRecord {
  readonly name: PackageName;
  readonly category: DbCategory;
  /** Encoded release: `321` for 3.21. */
  readonly firstVersion: string;
  /** Encoded release after which the package was removed; null while in devel. */
  readonly lastVersion: string | null;
}

const HEADER = ["package", "category", "first_version", "last_version"];

function parseRecord(fields: readonly string[]): PackageRecord | string {
  if (fields.length !== HEADER.length) return `${fields.length} fields, want ${HEADER.length}`;
  const [name, category, first, last] = fields.map((f) => f.trim()) as [string, string, string, string];
  const bad = unsafeNameReason(name);
  if (bad) return bad;
  if (!isDbCategory(category)) return `unknown category ${quote(category)} (want bioc, annotation, experiment or workflows)`;
  for (const [col, v] of [
    ["first_version", first],
    ["last_version", last],
  ] as const) {
    if (v !== "" && !/^\d{2,8}$/.test(v)) return `bad ${col} ${quote(v)} (want an encoded release such as 321)`;
  }
  if (first === "") return "empty first_version";
  return { name: name as PackageName, category, firstVersion: first, lastVersion: last === "" ? null : last };
}

/** Parses the whole file; any bad line fails it all, every bad line listed (`file:line: reason`). */
export function parsePackagesCsv(text: string, file: string): PackageRecord[] {
  return parsePackageLines(
    text.split(/\r?\n/).map((line, i) => [i + 1, line] as const),
    file,
  );
}

/** The same for numbered lines (1 = the header). */
function parsePackageLines(lines: ReadonlyArray<readonly [number, string]>, file: string): PackageRecord[] {
  const header = (lines[0]?.[1] ?? "").replace(/^\uFEFF/, "");
  const split = splitterFor(header);
  if (
    split(header)
      .map((h) => h.trim())
      .join(",") !== HEADER.join(",")
  ) {
    throw new InputError(file, 1, `header ${quote(header)}, want ${HEADER.join(",")}`);
  }
  const records: PackageRecord[] = [];
  const errors: InputError[] = [];
  // Case-sensitive, as the table's key: `TReNA` and `trena` are two packages.
  const seen = new Map<string, number>();
  for (const [n, line] of lines.slice(1)) {
    if (line.trim() === "") continue;
    const r = parseRecord(split(line));
    if (typeof r === "string") errors.push(new InputError(file, n, r));
    else if (seen.has(r.name)) errors.push(new InputError(file, n, `package ${quote(r.name)} already on line ${seen.get(r.name)}`));
    else {
      seen.set(r.name, n);
      records.push(r);
    }
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => e.message);
    if (errors.length > 20) shown.push(`… and ${errors.length - 20} more bad lines`);
    throw new InputError(file, errors[0]!.line, `${errors[0]!.reason}${errors.length > 1 ? `\n${shown.slice(1).join("\n")}` : ""}`);
  }
  return records;
}

/** Reads the file as every text input is read (strict UTF-8, no NUL, lines of at most 64 KiB; see line-rules.ts). */
export async function readPackagesCsv(file: string): Promise<PackageRecord[]> {
  const lines: Array<[number, string]> = [];
  for await (const line of readTextLines(file)) lines.push(line);
  if (lines.length === 0) throw new InputError(file, null, `empty file (want a header: ${HEADER.join(",")})`);
  return parsePackageLines(lines, file);
}
