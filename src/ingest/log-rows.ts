// Download rows from many CloudFront log files, read by worker threads (one per core), each
// file's rows handed on only once it is read whole. Malformed lines are counted; above the limit, or on a file that cannot be read, the
// run fails (and its transaction with it) unless the operator chose to skip bad files.
import type { IsoDate } from "../domain/types.js";
import type { RowBatches } from "../sources/batches.js";
import { SourceUnreadable, TooManyBadLines } from "../errors.js";
import type { FileResult } from "../sources/cloudfront-log.js";
import { startLogReaders } from "./log-readers.js";
import type { LogFile } from "../sources/log-files.js";

export interface LogReport {
  files: number;
  lines: number;
  rowsKept: number;
  outside: number;
  badLines: number;
  badSamples: string[];
  skippedFiles: string[];
}

export interface LogRowsOptions {
  readonly first: IsoDate;
  readonly last: IsoDate;
  /** A count, or a share of all lines such as 0.001. */
  readonly maxBadLines: { readonly count: number } | { readonly share: number };
  readonly skipBadFiles: boolean;
  readonly onFile?: (report: LogReport) => void;
}

export function emptyLogReport(): LogReport {
  return { files: 0, lines: 0, rowsKept: 0, outside: 0, badLines: 0, badSamples: [], skippedFiles: [] };
}

/** Yields the selected rows, a file at a time; fills `report` as it goes; throws (after the last file) when too many lines were bad. */
export async function* logRows(files: readonly LogFile[], options: LogRowsOptions, report: LogReport): RowBatches {
  const readers = startLogReaders();
  const read = (file: LogFile): Promise<FileResult | { skipped: string }> =>
    readers.read(file, options.first, options.last).catch((e: Error) => {
      if (!options.skipBadFiles) throw new SourceUnreadable(`${e.message} (nothing from this run was stored; --skip-bad-files proceeds without such files)`);
      return { skipped: e.message };
    });
  // A window of files read ahead, consumed in file order: bounded memory, and the same run
  // whatever finishes first.
  const window = 2 * readers.size;
  const started: Array<Promise<FileResult | { skipped: string }>> = [];
  const start = (i: number) => {
    if (i >= files.length) return;
    const p = read(files[i]!);
    p.catch(() => {}); // awaited in turn below; this only keeps an early failure from counting as unhandled
    started[i] = p;
  };
  try {
    for (let i = 0; i < window; i++) start(i);
    for (let i = 0; i < files.length; i++) {
      const r = await started[i]!;
      delete started[i];
      start(i + window);
      if ("skipped" in r) {
        report.skippedFiles.push(r.skipped);
        continue;
      }
      report.files++;
      report.lines += r.lines;
      report.rowsKept += r.rowCount;
      report.outside += r.outside;
      report.badLines += r.badLines;
      for (const s of r.badSamples) if (report.badSamples.length < 5) report.badSamples.push(s);
      options.onFile?.(report);
      if (r.rows !== "") yield r.rows;
    }
  } finally {
    await readers.close();
  }
  const allowed = "count" in options.maxBadLines ? options.maxBadLines.count : Math.floor(report.lines * options.maxBadLines.share);
  if (report.badLines > allowed) {
    throw new TooManyBadLines(
      `${report.badLines} malformed lines of ${report.lines} (more than the ${allowed} allowed by --max-bad-lines); first: ${report.badSamples[0]}`,
    );
  }
}
