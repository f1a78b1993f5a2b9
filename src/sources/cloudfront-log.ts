// One CloudFront log file → the download rows the Athena view would select from it. The whole
// file is read before any row is handed on, so a file that breaks half-way (a truncated gzip,
// a dropped connection) contributes nothing rather than half of itself.
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { IsoDate } from "../domain/types.js";
import { rowLine } from "./batches.js";
import { fieldPositions, selectDownloadBytes, type FieldPositions } from "./cloudfront-line.js";
import { LINE_TOO_LONG, MAX_LINE_BYTES } from "./line-rules.js";
import type { LogFile, LogLocation } from "./log-files.js";
import { openS3Object } from "./s3-logs.js";

function openLog(location: LogLocation): Promise<Readable> {
  return location.kind === "local" ? Promise.resolve(createReadStream(location.path)) : openS3Object(location.bucket, location.key, location.endpoint);
}

export interface FileResult {
  readonly file: string;
  readonly lines: number;
  /** The selected rows as one text block (see sources/batches.ts). */
  readonly rows: string;
  readonly rowCount: number;
  /** Lines dated outside the run's days (a log file may hold a few minutes of the day before). */
  readonly outside: number;
  readonly badLines: number;
  /** The first few, as `file:line: reason`. */
  readonly badSamples: string[];
}

const SAMPLES = 5;

export async function readLogFile(file: LogFile, first: IsoDate, last: IsoDate): Promise<FileResult> {
  const source = await openLog(file.location);
  const bytes = pipeline(source, createGunzip({ chunkSize: 256 * 1024 }), () => {});
  // The rows' text as bytes: a string kept per row would outlive many collections (a file's
  // rows are handed on only once it is read whole).
  let out = Buffer.allocUnsafe(1 << 20);
  let outBytes = 0;
  let rowCount = 0;
  const badSamples: string[] = [];
  let fields: FieldPositions | null = null;
  let n = 0;
  let dataLines = 0;
  let outside = 0;
  let badLines = 0;
  const bad = (reason: string) => {
    badLines++;
    if (badSamples.length < SAMPLES) badSamples.push(`${file.name}:${n}: ${reason}`);
  };
  const take = (buf: Buffer, from: number, to: number) => {
    n++;
    if (to > from && buf[to - 1] === 13) to--; // \r\n
    if (to === from) return;
    if (to - from > MAX_LINE_BYTES) return tooLong();
    if (buf[from] === 35 /* # */) {
      const line = buf.toString("utf8", from, to);
      if (line.startsWith("#Fields:")) {
        const f = fieldPositions(line);
        if (typeof f === "string") throw new Error(`${file.name}:${n}: ${f}`);
        fields = f;
      }
      return;
    }
    dataLines++;
    if (!fields) return bad("data before the #Fields header");
    const r = selectDownloadBytes(buf, from, to, fields);
    if (r === null) return;
    if ("bad" in r) return bad(r.bad);
    if (r.date < first || r.date > last) outside++;
    else {
      const line = rowLine(r);
      if (outBytes + line.length * 3 > out.length) {
        const bigger = Buffer.allocUnsafe(Math.max(2 * out.length, outBytes + line.length * 3));
        out.copy(bigger, 0, 0, outBytes);
        out = bigger;
      }
      outBytes += out.write(line, outBytes, "utf8");
      rowCount++;
    }
  };
  // A line longer than the limit is a bad line as soon as it passes it: its bytes are dropped, not
  // gathered, until it ends.
  const tooLong = () => {
    dataLines++;
    bad(LINE_TOO_LONG);
  };
  let rest: Buffer | null = null;
  let overlong = false;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      let from = 0;
      if (rest || overlong) {
        // Only the line that spans two chunks is copied.
        const end = chunk.indexOf(10);
        if (end === -1) {
          if (rest) rest = Buffer.concat([rest, chunk]);
          if (rest && rest.length > MAX_LINE_BYTES + 1 /* its \r */) {
            rest = null;
            overlong = true;
          }
          continue;
        }
        if (overlong) {
          n++;
          tooLong();
          overlong = false;
        } else {
          const line = Buffer.concat([rest!, chunk.subarray(0, end)]);
          take(line, 0, line.length);
        }
        from = end + 1;
      }
      for (let end = chunk.indexOf(10, from); end !== -1; end = chunk.indexOf(10, from)) {
        take(chunk, from, end);
        from = end + 1;
      }
      rest = from < chunk.length ? chunk.subarray(from) : null;
      if (rest && rest.length > MAX_LINE_BYTES + 1) {
        rest = null;
        overlong = true;
      }
    }
  } catch (e) {
    bytes.destroy();
    throw new Error(`${file.name}: cannot read: ${(e as Error).message}`, { cause: e });
  }
  if (overlong) {
    n++;
    tooLong();
  } else if (rest) take(rest, 0, rest.length);
  return { file: file.name, lines: dataLines, rows: out.toString("utf8", 0, outBytes), rowCount, outside, badLines, badSamples };
}
