// The one place a Source (ingest/source.ts) is made: from the flags of `ingest` and `build`, or
// from the nightly configuration's `source`. Checked here, before any database is opened.
import { UsageError } from "../errors.js";
import type { Source } from "../ingest/source.js";
import type { NightlyConfig } from "../nightly/config.js";

/** The flags naming a source, as `ingest` and `build` take them. */
export interface SourceFlags {
  readonly rows?: string | undefined;
  readonly logs?: string | undefined;
  readonly athena?: boolean | undefined;
  readonly athenaDatabase?: string | undefined;
  readonly athenaWorkgroup?: string | undefined;
  readonly athenaOutput?: string | undefined;
  /** "25" (lines) or "0.5%" (of all lines); default 0.1%. */
  readonly maxBadLines?: string | undefined;
  readonly skipBadFiles?: boolean | undefined;
  /** An S3-compatible endpoint (tests, MinIO); AWS's own by default. */
  readonly s3Endpoint?: string | undefined;
}

export const SOURCE_FLAGS = "--athena, --logs PATH|s3://bucket/prefix or --rows FILE";

/** How many of --athena, --logs and --rows were given. */
export const sourcesGiven = (flags: SourceFlags): number => [flags.rows, flags.logs, flags.athena].filter(Boolean).length;

/** The source the flags name; null when they name none. More than one is for the caller to refuse (sourcesGiven). */
export function sourceFromFlags(flags: SourceFlags): Source | null {
  if (flags.rows) return { kind: "rows", path: flags.rows };
  if (flags.logs) {
    return {
      kind: "logs",
      location: flags.logs,
      maxBadLines: parseMaxBadLines(flags.maxBadLines),
      skipBadFiles: Boolean(flags.skipBadFiles),
      s3Endpoint: flags.s3Endpoint,
    };
  }
  if (flags.athena) {
    const settings = { database: flags.athenaDatabase ?? "default", workgroup: flags.athenaWorkgroup, outputLocation: flags.athenaOutput };
    return { kind: "athena", settings, s3Endpoint: flags.s3Endpoint };
  }
  return null;
}

/** The nightly configuration's source, with the defaults the flags have. */
export function sourceFromConfig(source: NightlyConfig["source"], s3Endpoint: string | undefined): Source {
  if ("logs" in source) return { kind: "logs", location: source.logs, maxBadLines: parseMaxBadLines(undefined), skipBadFiles: false, s3Endpoint };
  const { database, workgroup, output } = source.athena;
  return { kind: "athena", settings: { database, workgroup, outputLocation: output }, s3Endpoint };
}

export function parseMaxBadLines(value: string | undefined): { count: number } | { share: number } {
  if (value === undefined) return { share: 0.001 };
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  if (!m) throw new UsageError(`--max-bad-lines ${JSON.stringify(value)}: want a count (25) or a share of all lines (0.1%)`);
  return m[2] ? { share: Number(m[1]) / 100 } : { count: Math.floor(Number(m[1])) };
}
