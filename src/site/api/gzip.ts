// One gzip member from text given in pieces, with memory bounded by a piece rather than the
// whole file: each piece is deflated on its own and ends on a sync flush (byte-aligned, not
// final), so the pieces concatenate into one deflate stream, as pigz does; a last empty final
// block closes it. Readers see an ordinary single-member .gz file.
import { constants, crc32, deflateRawSync } from "node:zlib";

// Level 1: on the benchmark's 40 MB of NDJSON, 8% larger than level 4 and a quarter faster;
// these files are rebuilt every night and downloaded rarely.
export const GZIP_LEVEL = 1;

/** MTIME 0 and OS "unknown": the same input always gives the same bytes. */
const HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);

export function gzipPieces(pieces: Iterable<string | Uint8Array>, level = 6): Uint8Array {
  const gz = new GzipBuilder(level);
  for (const piece of pieces) gz.add(piece);
  return gz.finish();
}

/** The same, a piece at a time: only the deflated pieces are kept. */
export class GzipBuilder {
  private readonly out: Uint8Array[] = [HEADER];
  private crc = 0;
  private size = 0;

  constructor(private readonly level = 6) {}

  add(piece: string | Uint8Array): void {
    if (piece.length === 0) return;
    const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    this.out.push(deflateRawSync(bytes, { level: this.level, finishFlush: constants.Z_SYNC_FLUSH }));
  }

  finish(): Uint8Array {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.size % 2 ** 32, 4);
    return Buffer.concat([...this.out, deflateRawSync(Buffer.alloc(0), { level: this.level, finishFlush: constants.Z_FINISH }), trailer]);
  }
}
