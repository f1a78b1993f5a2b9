// Line-by-line reading of a text file that may be gzipped (detected by its magic bytes, not
// its name), so that a 3-million-row file never sits in memory. A broken or truncated gzip
// stream fails the read with the file and line named, never ends it early in silence.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
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

/** Yields [lineNumber, line] (1-based, without `\n` or `\r\n`). */
export async function* readTextLines(path: string): AsyncGenerator<[number, string]> {
  const input = await openText(path);
  const decoder = new TextDecoder("utf-8");
  let n = 0;
  let rest = "";
  try {
    for await (const chunk of input) {
      const text = rest + decoder.decode(chunk as Buffer, { stream: true });
      const lines = text.split("\n");
      rest = lines.pop()!;
      for (const line of lines) yield [++n, line.endsWith("\r") ? line.slice(0, -1) : line];
    }
    rest += decoder.decode();
  } catch (e) {
    input.destroy();
    throw new InputError(path, n + 1, `cannot read: ${(e as Error).message}`);
  }
  if (rest !== "") yield [++n, rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}
