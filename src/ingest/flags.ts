// An ingest's flags and the files they name, checked before the database is opened: a usage
// error must come at once, not after PGlite has made (and migrated) a data folder for nothing.
import { stat } from "node:fs/promises";
import { InputError, UsageError } from "../errors.js";
import { parseS3Url } from "../sources/log-files.js";
import { checkRangeFlags } from "./range.js";

export interface IngestFlags {
  readonly rows?: string | undefined;
  readonly logs?: string | undefined;
  readonly athena?: boolean;
  readonly athenaOutput?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  /** "25" (lines) or "0.5%" (of all lines); default 0.1%. */
  readonly maxBadLines?: string | undefined;
}

export function parseMaxBadLines(value: string | undefined): { count: number } | { share: number } {
  if (value === undefined) return { share: 0.001 };
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  if (!m) throw new UsageError(`--max-bad-lines ${JSON.stringify(value)}: want a count (25) or a share of all lines (0.1%)`);
  return m[2] ? { share: Number(m[1]) / 100 } : { count: Math.floor(Number(m[1])) };
}

/** UsageError (exit 2) for flags that cannot make a run, InputError (exit 1) for a rows file that cannot be read. */
export async function checkIngestFlags(flags: IngestFlags): Promise<void> {
  const sources = [flags.rows, flags.logs, flags.athena].filter(Boolean).length;
  if (sources !== 1) throw new UsageError("ingest needs one source: --athena, --logs PATH|s3://bucket/prefix or --rows FILE");
  if (flags.rows && (flags.since || flags.until)) {
    throw new UsageError("--since/--until choose the days for --athena or --logs; a rows file always covers its own dates");
  }
  checkRangeFlags(flags.since, flags.until);
  parseMaxBadLines(flags.maxBadLines);
  if (flags.athenaOutput !== undefined) parseS3Url(flags.athenaOutput);
  if (flags.rows) await checkRowsFile(flags.rows);
  if (flags.logs?.startsWith("s3://")) parseS3Url(flags.logs);
  else if (flags.logs) await checkLogsFolder(flags.logs);
}

async function checkRowsFile(path: string): Promise<void> {
  const s = await stat(path).catch((e: Error) => {
    throw new InputError(path, null, `cannot read: ${e.message}`);
  });
  if (!s.isFile()) throw new InputError(path, null, "cannot read: not a file");
}

async function checkLogsFolder(dir: string): Promise<void> {
  const s = await stat(dir).catch((e: Error) => {
    throw new UsageError(`cannot read the logs folder ${dir}: ${e.message}`);
  });
  if (!s.isDirectory()) throw new UsageError(`--logs ${dir} is not a folder (want a folder of CloudFront logs or s3://bucket/prefix)`);
}
