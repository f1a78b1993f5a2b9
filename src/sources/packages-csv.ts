// The packages table as CSV: package,category,first_version,last_version (empty = NULL).
import { readFile } from "node:fs/promises";
import { isDbCategory, type DbCategory } from "../domain/categories.js";
import type { PackageName } from "../domain/types.js";
import { InputError } from "../errors.js";
import { splitterFor } from "./delimited.js";

export interface PackageRecord {
  readonly name: PackageName;
  readonly category: DbCategory;
  /** Encoded release: `321` for 3.21. */
  readonly firstVersion: string;
  /** Encoded release after which the package was removed; null while in devel. */
  readonly lastVersion: string | null;
}

const HEADER = ["package", "category", "first_version", "last_version"];

/**
 * A name becomes a folder of the site: refuse what could leave it (`/`, `..`) or not survive a
 * file system; everything else, however odd, is escaped where it is shown.
 */
export function unsafeNameReason(name: string): string | null {
  if (name === "") return "empty package name";
  if (name.length > 64) return `package name longer than 64 characters: ${JSON.stringify(name)}`;
  if (name === "." || name === ".." || /[/\\\u0000-\u001f]/.test(name)) return `package name not usable as a folder: ${JSON.stringify(name)}`;
  return null;
}

function parseRecord(fields: readonly string[]): PackageRecord | string {
  if (fields.length !== HEADER.length) return `${fields.length} fields, want ${HEADER.length}`;
  const [name, category, first, last] = fields.map((f) => f.trim()) as [string, string, string, string];
  const bad = unsafeNameReason(name);
  if (bad) return bad;
  if (!isDbCategory(category)) return `unknown category ${JSON.stringify(category)} (want bioc, annotation, experiment or workflows)`;
  for (const [col, v] of [["first_version", first], ["last_version", last]] as const) {
    if (v !== "" && !/^\d{2,8}$/.test(v)) return `bad ${col} ${JSON.stringify(v)} (want an encoded release such as 321)`;
  }
  if (first === "") return "empty first_version";
  return { name: name as PackageName, category, firstVersion: first, lastVersion: last === "" ? null : last };
}

/** Parses the whole file; any bad line fails it all, every bad line listed (`file:line: reason`). */
export function parsePackagesCsv(text: string, file: string): PackageRecord[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0] ?? "";
  const split = splitterFor(header);
  if (split(header).map((h) => h.trim()).join(",") !== HEADER.join(",")) {
    throw new InputError(file, 1, `header ${JSON.stringify(header)}, want ${HEADER.join(",")}`);
  }
  const records: PackageRecord[] = [];
  const errors: InputError[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (line.trim() === "") return;
    const r = parseRecord(split(line));
    if (typeof r === "string") errors.push(new InputError(file, n, r));
    else if (seen.has(r.name)) errors.push(new InputError(file, n, `package ${JSON.stringify(r.name)} already on line ${seen.get(r.name)}`));
    else {
      seen.set(r.name, n);
      records.push(r);
    }
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => e.message);
    if (errors.length > 20) shown.push(`… and ${errors.length - 20} more bad lines`);
    throw new InputError(file, errors[0]!.line, `${errors[0]!.reason}${errors.length > 1 ? `\n${shown.slice(1).join("\n")}` : ""}`);
  }
  return records;
}

export async function readPackagesCsv(file: string): Promise<PackageRecord[]> {
  return parsePackagesCsv(await readFile(file, "utf8"), file);
}
