// One CloudFront standard-log line → the download row the production Athena view
// (v_bioc_web_downloads) would select from it, or why it is not one. The view's rules, exactly:
// the URI pattern (`//` runs included), the category from the path, the package from the file
// name up to its first `_`, statuses 200/301/302/307/308, and the column length limits.
//
// Hot path (millions of lines a night): a line is read as bytes, in one pass that finds the
// tabs and notices non-ASCII and NUL bytes; only the four fields we need become strings, and the URI
// regex runs only for counted statuses.
import { parseIsoDate } from "../domain/dates.js";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { quote } from "../errors.js";
import { lineProblem } from "./line-rules.js";

const VIEW_URI = /^\/+packages\/+[^/]*\/+(bioc|workflows|data\/+experiment|data\/+annotation)\/+(?:bin|src)\/+(?:[^/]*\/+)*([^_]*)_.*\.(?:tar|gz|zip|tgz)$/;
const COUNTED = new Set([200, 301, 302, 307, 308]);
const MAX_FIELDS = 256;

/** Positions of the fields we read, from the file's `#Fields:` header. */
export interface FieldPositions {
  readonly count: number;
  readonly date: number;
  readonly ip: number;
  readonly uri: number;
  readonly status: number;
}

export function fieldPositions(fieldsHeader: string): FieldPositions | string {
  const names = fieldsHeader
    .replace(/^#Fields:\s*/, "")
    .trim()
    .split(/\s+/);
  const at = (n: string) => names.indexOf(n);
  const missing = ["date", "c-ip", "cs-uri-stem", "sc-status"].filter((n) => at(n) < 0);
  if (missing.length > 0) return `#Fields lacks ${missing.join(", ")}`;
  if (names.length > MAX_FIELDS) return `#Fields names ${names.length} fields, more than ${MAX_FIELDS}`;
  return { count: names.length, date: at("date"), ip: at("c-ip"), uri: at("cs-uri-stem"), status: at("sc-status") };
}

export type Selection = DownloadRow | null | { readonly bad: string };

const starts = new Int32Array(MAX_FIELDS + 2); // reused: no allocation per line

/** The line `buf[from, to)` (no line end). */
export function selectDownloadBytes(buf: Buffer, from: number, to: number, f: FieldPositions): Selection {
  let fields = 1;
  let high = 0; // bit 7 set: a byte ≥ 0x80
  let belowOne = 0; // negative: a NUL (b - 1 < 0), found without a branch per byte
  starts[0] = from;
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b === 9) {
      if (fields < MAX_FIELDS) starts[fields] = i + 1;
      fields++;
    }
    high |= b;
    belowOne |= b - 1;
  }
  if (fields !== f.count) return { bad: `${fields} fields, want ${f.count}` };
  starts[fields] = to + 1;
  let encoding: "latin1" | "utf8" = "latin1";
  if (high & 0x80 || belowOne < 0) {
    // The rules every text input follows, checked only when the scan saw a reason to.
    const problem = lineProblem(buf, from, to);
    if (problem) return { bad: problem };
    encoding = "utf8";
  }
  const field = (n: number) => buf.toString(encoding, starts[n]!, starts[n + 1]! - 1);
  const date = checkedDate(buf, starts[f.date]!, starts[f.date + 1]! - 1);
  if (!date) return { bad: `bad date ${quote(field(f.date))}` };
  const s = starts[f.status]!;
  const status = (buf[s]! - 48) * 100 + (buf[s + 1]! - 48) * 10 + (buf[s + 2]! - 48);
  if (starts[f.status + 1]! - 1 - s !== 3 || !(status >= 100 && status <= 999) || !isDigits(buf, s, 3)) {
    return { bad: `bad sc-status ${quote(field(f.status))}` };
  }
  if (!COUNTED.has(status)) return null;
  // Most lines that are not downloads (pages, checksums) fail the pattern's ends: no string made for them.
  if (!mayBeDownload(buf, starts[f.uri]!, starts[f.uri + 1]! - 1)) return null;
  const m = VIEW_URI.exec(field(f.uri));
  if (!m) return null;
  // As the view: SQL replace(…, 'data/', ''), every occurrence, so `data//experiment` becomes
  // `/experiment` (a category no package has, so never counted).
  const category = m[1]!.charCodeAt(0) === 100 /* d */ ? m[1]!.split("data/").join("") : m[1]!;
  const pkg = m[2]!;
  const ip = field(f.ip);
  if (pkg === "" || ip.length > 40 || category.length > 16 || pkg.length > 64) return null;
  return { date, ip, status, category, package: pkg };
}

/** The same for a line given as a string. */
export function selectDownload(line: string, f: FieldPositions): Selection {
  const buf = Buffer.from(line, "utf8");
  return selectDownloadBytes(buf, 0, buf.length, f);
}

function isDigits(buf: Buffer, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
  return true;
}

/** VIEW_URI's anchors, on the field's bytes: a `/` first, and `.tar`, `.gz`, `.zip` or `.tgz` last. */
function mayBeDownload(buf: Buffer, from: number, to: number): boolean {
  if (to - from < 4 || buf[from] !== 47 /* / */) return false;
  const [a, b, c, d] = [buf[to - 4]!, buf[to - 3]!, buf[to - 2]!, buf[to - 1]!];
  if (b === 46 /* . */ && c === 103 /* g */ && d === 122 /* z */) return true;
  if (a !== 46) return false;
  return (b === 116 && c === 97 && d === 114) /* tar */ || (b === 122 && c === 105 && d === 112) /* zip */ || (b === 116 && c === 103 && d === 122); /* tgz */
}

// A log file holds one or two dates: remember the last one checked, as bytes, so that a line
// whose date is the last one's makes no string.
const lastDateBytes = Buffer.alloc(64);
let lastDateLength = -1;
let lastDate: IsoDate | null = null;
function checkedDate(buf: Buffer, from: number, to: number): IsoDate | null {
  const n = to - from;
  let same = n === lastDateLength;
  for (let i = 0; same && i < n; i++) same = buf[from + i] === lastDateBytes[i];
  if (!same) {
    lastDate = parseIsoDate(buf.toString("latin1", from, to));
    // A date field longer than a date is never the last one: it is bad, and parsed again.
    lastDateLength = n <= lastDateBytes.length ? n : -1;
    if (lastDateLength >= 0) buf.copy(lastDateBytes, 0, from, to);
  }
  return lastDate;
}
