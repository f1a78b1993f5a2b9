// One CloudFront standard-log line → the download row the production Athena view
// (v_bioc_web_downloads) would select from it, or why it is not one. The view's rules, exactly:
// the URI pattern (`//` runs included), the category from the path, the package from the file
// name up to its first `_`, statuses 200/301/302/307/308, and the column length limits.
import { parseIsoDate } from "../domain/dates.js";
import type { DownloadRow } from "../domain/types.js";

const VIEW_URI = /^\/+packages\/+[^/]*\/+(bioc|workflows|data\/+experiment|data\/+annotation)\/+(?:bin|src)\/+(?:[^/]*\/+)*([^_]*)_.*\.(?:tar|gz|zip|tgz)$/;
const COUNTED = new Set([200, 301, 302, 307, 308]);

/** Positions of the fields we read, from the file's `#Fields:` header. */
export interface FieldPositions {
  readonly count: number;
  readonly date: number;
  readonly ip: number;
  readonly uri: number;
  readonly status: number;
}

export function fieldPositions(fieldsHeader: string): FieldPositions | string {
  const names = fieldsHeader.replace(/^#Fields:\s*/, "").trim().split(/\s+/);
  const at = (n: string) => names.indexOf(n);
  const missing = ["date", "c-ip", "cs-uri-stem", "sc-status"].filter((n) => at(n) < 0);
  if (missing.length > 0) return `#Fields lacks ${missing.join(", ")}`;
  return { count: names.length, date: at("date"), ip: at("c-ip"), uri: at("cs-uri-stem"), status: at("sc-status") };
}

/** A selected row, null for a well-formed line that is not a counted download, or the reason it is malformed. */
export function selectDownload(line: string, f: FieldPositions): DownloadRow | null | { readonly bad: string } {
  const fields = line.split("\t");
  if (fields.length !== f.count) return { bad: `${fields.length} fields, want ${f.count}` };
  if (line.includes("\uFFFD")) return { bad: "not UTF-8" };
  const date = parseIsoDate(fields[f.date]!);
  if (!date) return { bad: `bad date ${JSON.stringify(fields[f.date]!.slice(0, 20))}` };
  const statusText = fields[f.status]!;
  if (!/^\d{3}$/.test(statusText)) return { bad: `bad sc-status ${JSON.stringify(statusText.slice(0, 20))}` };
  const status = Number(statusText);
  if (!COUNTED.has(status)) return null;
  const m = VIEW_URI.exec(fields[f.uri]!);
  if (!m) return null;
  // As the view: SQL replace(…, 'data/', ''), every occurrence, so `data//experiment` becomes
  // `/experiment` (a category no package has, so never counted).
  const category = m[1]!.split("data/").join("");
  const pkg = m[2]!;
  const ip = fields[f.ip]!;
  if (pkg === "" || ip.length > 40 || category.length > 16 || pkg.length > 64) return null;
  return { date, ip, status, category, package: pkg };
}
