// Line-by-line reading of a text file that may be gzipped (detected by its magic bytes, not
// its name), so that a 3-million-row file never sits in memory. A broken or truncated gzip
// stream fails the read with the file and line named, never ends it early in silence.
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { LINE_TOO_LONG, lineProblem, MAX_LINE_BYTES } from "./line-rules.js";

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function openText(path: string): Promise<Readable> {
  // Opened (and so checked) before the stream exists: a stream's open error has no listener yet.
  const gzip = await isGzip(path).catch((e: Error) => {
    throw new InputError(path, null, `cannot read: ${e.message}`);
  });
  const file = createReadStream(path);
  if (!gzip) return file;
  // pipeline() passes a read error of the file on to the gunzip stream we iterate.
  return pipeline(file, createGunzip(), () => {});
}

// Lines are split as bytes (UTF-8 never has a 0x0A inside a character), so that a bad line can be
// found and named; a clean run of whole lines is checked and decoded in one native call each.
/** The lines of `bytes` (whole lines, the last without its `\n`), checked; a bad line ends them, with its reason. */
function checkedLines(bytes: Buffer): { lines: string[]; problem: string | null } {
  if (bytes.indexOf(0) === -1 && isUtf8(bytes)) {
    const lines = bytes.toString("utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      if (line.endsWith("\r")) lines[i] = line = line.slice(0, -1);
      // A UTF-16 code unit is at most 3 bytes of UTF-8: only long strings need counting.
      if (line.length > MAX_LINE_BYTES / 3 && Buffer.byteLength(line) > MAX_LINE_BYTES) return { lines: lines.slice(0, i), problem: LINE_TOO_LONG };
    }
    return { lines, problem: null };
  }
  const lines: string[] = [];
  for (let from = 0; from <= bytes.length;) {
    let to = bytes.indexOf(10, from);
    if (to === -1) to = bytes.length;
    const end = to > from && bytes[to - 1] === 13 ? to - 1 : to;
    const problem = lineProblem(bytes, from, end);
    if (problem) return { lines, problem };
    lines.push(bytes.toString("utf8", from, end));
    from = to + 1;
  }
  return { lines, problem: null };
}

/**
 * Yields [lineNumber, line] (1-based, without `\n` or `\r\n`). A line that breaks a rule of
 * line-rules.ts fails the read as `FILE:LINE: reason`, after the lines before it were yielded; a
 * line too long fails as soon as its first 64 KiB are read.
 */
export async function* readTextLines(path: string): AsyncGenerator<[number, string]> {
  for await (const { first, lines } of readTextLineRuns(path)) {
    for (let i = 0; i < lines.length; i++) yield [first + i, lines[i]!];
  }
}

/** The same lines a run at a time (`first`: the first one's number), for readers of millions of lines: no step per line between them. */
export async function* readTextLineRuns(path: string): AsyncGenerator<{ first: number; lines: string[] }> {
  const input = await openText(path);
  let n = 0;
  let rest: Buffer | null = null; // the start of a line that goes on in the next chunk
  function* run(bytes: Buffer): Generator<{ first: number; lines: string[] }> {
    const { lines, problem } = checkedLines(bytes);
    if (lines.length > 0) yield { first: n + 1, lines };
    n += lines.length;
    if (problem) throw new InputError(path, n + 1, problem);
  }
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const first = chunk.indexOf(10);
      if (first === -1) {
        rest = rest ? Buffer.concat([rest, chunk]) : chunk;
      } else {
        // Only the line spanning two chunks is copied.
        const parts = [rest ? Buffer.concat([rest, chunk.subarray(0, first)]) : chunk.subarray(0, first)];
        const last = chunk.lastIndexOf(10);
        if (last > first) parts.push(chunk.subarray(first + 1, last));
        for (const bytes of parts) yield* run(bytes);
        rest = last + 1 < chunk.length ? chunk.subarray(last + 1) : null;
      }
      if (rest && rest.length > MAX_LINE_BYTES + 1 /* its \r */) throw new InputError(path, n + 1, LINE_TOO_LONG);
    }
  } catch (e) {
    input.destroy();
    if (e instanceof InputError) throw e;
    throw new InputError(path, n + 1, `cannot read: ${(e as Error).message}`);
  }
  if (rest) yield* run(rest);
}
