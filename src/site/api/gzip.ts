// One gzip member from text given in pieces, with memory bounded by a piece rather than the
// whole file: each piece is deflated on its own and ends on a sync flush (byte-aligned, not
// final), so the pieces concatenate into one deflate stream, as pigz does; a last empty final
// block closes it. Readers see an ordinary single-member .gz file.
import { constants, crc32, deflateRawSync } from "node:zlib";

/** MTIME 0 and OS "unknown": the same input always gives the same bytes. */
const HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);

export function gzipPieces(pieces: Iterable<string>, level = 6): Uint8Array {
  const out: Uint8Array[] = [HEADER];
  let crc = 0;
  let size = 0;
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const bytes = Buffer.from(piece, "utf8");
    crc = crc32(bytes, crc);
    size += bytes.length;
    out.push(deflateRawSync(bytes, { level, finishFlush: constants.Z_SYNC_FLUSH }));
  }
  out.push(deflateRawSync(Buffer.alloc(0), { level, finishFlush: constants.Z_FINISH }));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  out.push(trailer);
  return Buffer.concat(out);
}
