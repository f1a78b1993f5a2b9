// Line-by-line reading of a text file that may be gzipped (detected by its magic bytes, not
// its name), so that a 3-million-row file never sits in memory.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Yields [lineNumber, line] (1-based, without the line end); a broken gzip stream names the file. */
export async function* readTextLines(path: string): AsyncGenerator<[number, string]> {
  let input: Readable = createReadStream(path);
  if (await isGzip(path)) {
    const gunzip = createGunzip();
    input.on("error", (e) => gunzip.destroy(e));
    input = input.pipe(gunzip);
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) yield [++n, line];
  } catch (e) {
    throw new InputError(path, n + 1, `cannot read: ${(e as Error).message}`);
  }
}
