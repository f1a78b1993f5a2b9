// What every line-based input refuses, whatever its format (rows files, packages CSV, CloudFront
// logs): a line that is not UTF-8 (decoding it would store U+FFFD, and two IPs with different bad
// bytes would count as one), a NUL (PostgreSQL text cannot hold one, and its error names no line),
// and a line longer than any real one (read whole, a 50 MB line took 16 s and half a gigabyte).
import { isUtf8 } from "node:buffer";

export const MAX_LINE_BYTES = 64 * 1024;
export const LINE_TOO_LONG = `line longer than ${MAX_LINE_BYTES} bytes`;
export const NOT_UTF8 = "not valid UTF-8";
export const HOLDS_NUL = "holds a NUL byte";

/** Why the line `buf[from, to)` (no line end) is refused, or null. */
export function lineProblem(buf: Buffer, from: number, to: number): string | null {
  if (to - from > MAX_LINE_BYTES) return LINE_TOO_LONG;
  const line = buf.subarray(from, to);
  if (line.indexOf(0) !== -1) return HOLDS_NUL;
  if (!isUtf8(line)) return NOT_UTF8;
  return null;
}
