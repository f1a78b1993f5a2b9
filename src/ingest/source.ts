// Where an ingest's rows come from, decided once: a rows file, CloudFront logs or the Athena
// view. Commands make a Source (from flags, or from the nightly configuration); the ingest
// reads it without looking at flags again. Logs and Athena are asked for days; a rows file
// covers its own.
import { addDays } from "../domain/dates.js";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { SourceUnreadable } from "../errors.js";
import type { AthenaSettings } from "../sources/athena.js";
import { inBatches, type RowBatches } from "../sources/batches.js";
import { listLocalLogs, parseS3Url, type LogFile } from "../sources/log-files.js";
import { rate } from "../progress.js";
import { emptyLogReport, logRows, type LogReport, type LogRowsOptions } from "./log-rows.js";

export interface RowsFileSource {
  readonly kind: "rows";
  readonly path: string;
}

export interface LogsSource {
  readonly kind: "logs";
  /** A folder (flat or dated sub-folders) or s3://bucket/prefix. */
  readonly location: string;
  readonly maxBadLines: LogRowsOptions["maxBadLines"];
  readonly skipBadFiles: boolean;
  readonly s3Endpoint: string | undefined;
}

export interface AthenaSource {
  readonly kind: "athena";
  readonly settings: AthenaSettings;
  /** Where the result CSV is read from (tests, S3-compatible stores). */
  readonly s3Endpoint: string | undefined;
}

export type Source = RowsFileSource | LogsSource | AthenaSource;
/** The sources asked for a range of days. */
export type RangeSource = LogsSource | AthenaSource;
type Days = readonly [IsoDate, IsoDate];

/** How runs name a source (messages, run records, and finding an earlier run of the same). */
export function sourceName(source: Source): string {
  switch (source.kind) {
    case "rows":
      return source.path;
    case "logs":
      return source.location;
    case "athena":
      return `athena:${source.settings.database}.v_bioc_web_downloads`;
  }
}

/** A range source being read by one run: what it found so far (logs), and how to open its days. */
export interface RangeReading {
  /** Filled as log files are read; null for Athena. */
  readonly report: LogReport | null;
  /** Athena gives no progress of its own: the rows are counted as they are stored. */
  readonly counted: boolean;
  /** Makes sure the source has every one of `days` before anything is stored; then each chunk's rows. */
  open(days: Days, started: number): Promise<OpenedRange>;
}

export interface OpenedRange {
  readonly batches: (chunk: Days, onProgress: (text: string) => void) => RowBatches;
  /** After the last of `chunks` chunks: a file read by two months is counted once. */
  end(chunks: number): void;
}

export function readRange(source: RangeSource): RangeReading {
  if (source.kind === "athena") {
    return { report: null, counted: true, open: async () => ({ batches: (chunk, onProgress) => athenaRows(source, chunk, onProgress), end: () => {} }) };
  }
  const report = emptyLogReport();
  return {
    report,
    counted: false,
    open: async ([from, to], started) => {
      const files = await logFiles(source, from, to);
      requireEveryDay(files, from, to, source.location);
      return {
        batches: (chunk, onProgress) => chunkLogRows(source, files, chunk, report, onProgress, started),
        end: (chunks) => {
          // A file at a month's end is read by both months (each keeps its own days' lines).
          if (chunks > 1) report.files = new Set(files.map((f) => f.name)).size;
        },
      };
    },
  };
}

async function logFiles(source: LogsSource, first: IsoDate, last: IsoDate): Promise<LogFile[]> {
  // A file named for the day before may hold the first minutes of `first`, one named for the day after the last minutes of `last`.
  const [from, to] = [addDays(first, -1), addDays(last, 1)];
  if (source.location.startsWith("s3://")) {
    const { listS3Logs } = await import("../sources/s3-logs.js"); // the AWS SDK, for S3 sources only
    return listS3Logs(source.s3Endpoint, parseS3Url(source.location), from, to);
  }
  return listLocalLogs(source.location, from, to);
}

/**
 * CloudFront writes logs every hour: a day without a single file is missing data (a delivery
 * delay, a wrong prefix), not a day without downloads. Storing it would show zeros on the site.
 */
export function requireEveryDay(files: readonly LogFile[], first: IsoDate, last: IsoDate, where: string): void {
  const day = firstDayMissing(new Set(files.map((f) => f.date)), first, last);
  if (day) throw new SourceUnreadable(`no log files for ${day} in ${where}; nothing was stored (end the run before it with --until ${addDays(day, -1)})`);
}

/** The first of first..last that `present` lacks; null when it has them all. */
function firstDayMissing(present: ReadonlySet<string>, first: IsoDate, last: IsoDate): IsoDate | null {
  for (let day = first; day <= last; day = addDays(day, 1)) if (!present.has(day)) return day;
  return null;
}

function chunkLogRows(
  source: LogsSource,
  all: readonly LogFile[],
  [first, last]: Days,
  log: LogReport,
  onProgress: (text: string) => void,
  started: number,
): RowBatches {
  // As logFiles chose them: a day's first minutes may be in the file named for the day before.
  const files = all.filter((f) => f.date >= addDays(first, -1) && f.date <= addDays(last, 1));
  const before = { ...log };
  return logRows(
    files,
    {
      first,
      last,
      maxBadLines: source.maxBadLines,
      skipBadFiles: source.skipBadFiles,
      onFile: (r) =>
        onProgress(
          `ingest: ${r.files - before.files}/${files.length} files, ${rate(r.lines, "lines", started)}, ${r.rowsKept.toLocaleString("en-US")} rows kept`,
        ),
    },
    log,
  );
}

async function* athenaRows(source: AthenaSource, [first, last]: Days, onProgress: (text: string) => void): RowBatches {
  const [{ athenaClient, s3Client }, { athenaCsvRows, athenaPagedRows, downloadsQuery, runAthenaQuery }] = await Promise.all([
    import("../sources/aws-clients.js"),
    import("../sources/athena.js"),
  ]);
  const athena = athenaClient();
  onProgress(`ingest: Athena query for ${first}..${last} running`);
  const { id, output } = await runAthenaQuery(athena, source.settings, downloadsQuery(first, last));
  const rows = output ? athenaCsvRows(s3Client(source.s3Endpoint), output) : athenaPagedRows(athena, id);
  yield* inBatches(requireRowsEveryDay(rows, first, last, `Athena query ${id}`));
}

/**
 * The Athena view's counterpart of requireEveryDay: a day of the range without a single row is
 * logs that were not delivered (yet) or a view that lost them, never a day nobody downloaded
 * (Bioconductor has 100,000 rows on a quiet one). Storing it would move ValidThru over a day
 * of zeros for good. Checked once the rows are read, so the run fails before anything commits.
 */
export async function* requireRowsEveryDay(rows: AsyncIterable<DownloadRow>, first: IsoDate, last: IsoDate, where: string): AsyncGenerator<DownloadRow> {
  const seen = new Set<string>();
  for await (const row of rows) {
    seen.add(row.date);
    yield row;
  }
  const day = firstDayMissing(seen, first, last);
  if (day) {
    throw new SourceUnreadable(
      `${where} returned no rows for ${day}: its CloudFront logs are not in place yet, or the view misses them; nothing was stored (end the run before it with --until ${addDays(day, -1)}, or run again once they are delivered)`,
    );
  }
}
