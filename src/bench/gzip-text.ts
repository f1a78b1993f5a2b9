import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { createGzip } from "node:zlib";

/** A gzipped text file written in 1 MB pieces, waiting when the compressor is behind. */
export function gzipTextWriter(path: string): { write(text: string): Promise<void>; close(): Promise<void> } {
  const gzip = createGzip();
  const out = gzip.pipe(createWriteStream(path));
  let buffer = "";
  return {
    async write(text) {
      buffer += text;
      if (buffer.length > 1 << 20) {
        if (!gzip.write(buffer)) await once(gzip, "drain");
        buffer = "";
      }
    },
    async close() {
      gzip.end(buffer);
      await once(out, "finish");
    },
  };
}
