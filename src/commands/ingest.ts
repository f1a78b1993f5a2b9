import type { GlobalOptions } from "../config.js";
import type { IsoDate } from "../domain/types.js";
import { ExitError } from "../errors.js";
import { checkIngestFlags, parseMaxBadLines, type IngestFlags } from "../ingest/flags.js";
import { emptyLogReport, logRows, type LogReport } from "../ingest/log-rows.js";
import { resolveRange } from "../ingest/range.js";
import { monthChunks, type Chunk } from "../ingest/chunks.js";
import { dropStagesOf, stageRowsFile } from "../ingest/rows-file-stage.js";
import type { StagedTable } from "../store/downloads.js";
import { checkSpan, ingestRows, type IngestOptions, type IngestResult } from "../ingest/replace-days.js";
import { createProgress, rate } from "../progress.js";
import { listLocalLogs, parseS3Url, type LogFile } from "../sources/log-files.js";
import { inBatches, type RowBatches } from "../sources/batches.js";
import { listS3Logs } from "../sources/s3-logs.js";
import { athenaCsvRows, athenaPagedRows, downloadsQuery, runAthenaQuery } from "../sources/athena.js";
import { athenaClient, s3Client } from "../sources/aws-clients.js";
import { addDays, toIsoDate } from "../domain/dates.js";
import type { Store } from "../store/database.js";
import { withStore } from "./with-store.js";
import { unknownPackagesWarning } from "./packages-first.js";
import { getValidThru } from "../store/info.js";
import { abandonRuns, finishRun, recordDoneThrough, startRun, unfinishedEarlierRun } from "../store/ingest-runs.js";


export interface IngestCommandOptions extends GlobalOptions, IngestFlags {
  readonly athenaDatabase?: string | undefined;
  readonly athenaWorkgroup?: string | undefined;
  readonly allowGap?: boolean;
  readonly skipBadFiles?: boolean;
  readonly json?: boolean;
  /** An S3-compatible endpoint (tests, MinIO); AWS's own by default. */
  readonly s3Endpoint?: string | undefined;
  readonly now?: Date;
}

export interface IngestSummary extends IngestResult {
  readonly source: string;
  readonly seconds: number;
  readonly log: LogReport | null;
}

export function describeIngest(s: IngestSummary): string {
  if (s.first === null) return `ingest: ${s.source} had no rows; nothing changed`;
  const log = s.log
    ? ` from ${s.log.files} files, ${s.log.lines.toLocaleString("en-US")} lines (${s.log.badLines} malformed` +
      `${s.log.skippedFiles.length ? `, ${s.log.skippedFiles.length} files skipped: ${s.log.skippedFiles.join("; ")}` : ""})`
    : "";
  return `ingest: ${s.rows.toLocaleString("en-US")} download rows for ${s.first}..${s.last}${log} from ${s.source} ` +
    `(replaced ${s.replaced.toLocaleString("en-US")} earlier rows of those days) in ${s.seconds.toFixed(1)} s; ValidThru ${s.validThru}`;
}

async function logFiles(options: IngestCommandOptions, first: IsoDate, last: IsoDate): Promise<LogFile[]> {
  // A file named for the day before may hold the first minutes of `first`, one named for the day after the last minutes of `last`.
  const [from, to] = [addDays(first, -1), addDays(last, 1)];
  if (options.logs!.startsWith("s3://")) return listS3Logs(options.s3Endpoint, parseS3Url(options.logs!), from, to);
  return listLocalLogs(options.logs!, from, to);
}

/**
 * CloudFront writes logs every hour: a day without a single file is missing data (a delivery
 * delay, a wrong prefix), not a day without downloads. Storing it would show zeros on the site.
 */
export function requireEveryDay(files: readonly LogFile[], first: IsoDate, last: IsoDate, where: string): void {
  const present = new Set(files.map((f) => f.date));
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (!present.has(day)) {
      throw new ExitError(`no log files for ${day} in ${where}; nothing was stored (end the run before it with --until ${addDays(day, -1)})`, 1);
    }
  }
}

export async function runIngest(store: Store, options: IngestCommandOptions, onProgress?: (text: string) => void): Promise<IngestSummary | null> {
  await checkIngestFlags(options);
  const started = Date.now();
  const source = options.athena ? `athena:${options.athenaDatabase ?? "default"}.v_bioc_web_downloads` : (options.rows ?? options.logs)!;
  const now = options.now ?? new Date();
  let days: [IsoDate, IsoDate] | null = null;
  await store.lockWriter();
  await abandonRuns(store.db);
  if (!options.rows) {
    days = resolveRange({ since: options.since, until: options.until, allowGap: Boolean(options.allowGap), now }, await getValidThru(store.db));
    if (!days) return null;
  }
  const run = await startRun(store.db, source, days?.[0] ?? null, days?.[1] ?? null);
  const log = options.logs ? emptyLogReport() : null;
  const common = { source, allowGap: Boolean(options.allowGap), latest: addDays(toIsoDate(now), 1) };
  try {
    let result: IngestResult;
    if (!days) {
      result = await ingestRowsFile(store, options.rows!, run, (text) => onProgress?.(text), common);
    } else {
      result = await ingestChunks(store, options, run, days, log, (text) => onProgress?.(text), common);
    }
    const summary: IngestSummary = { ...result, source, seconds: (Date.now() - started) / 1000, log };
    await finishRun(store.db, run, "ok", { ...(log ?? {}), rowsKept: result.rows, first: result.first, last: result.last }, null);
    return summary;
  } catch (e) {
    await finishRun(store.db, run, "failed", log ?? {}, (e as Error).message).catch(() => {});
    throw e;
  }
}

/** A rows file: staged whole (ingest/rows-file-stage.ts), checked, then a month per transaction. */
async function ingestRowsFile(store: Store, path: string, run: number, onProgress: (text: string) => void, common: Pick<IngestOptions, "source" | "allowGap" | "latest">): Promise<IngestResult> {
  const started = Date.now();
  const stage = await stageRowsFile(store, path, run, (n) => onProgress(`ingest: reading ${path}: ${rate(n, "rows", started)}`));
  if (stage.first === null || stage.last === null) {
    await dropStagesOf(store, path);
    return { rows: 0, first: null, last: null, replaced: 0, validThru: await getValidThru(store.db) };
  }
  // The whole file's days are known now: checked before its first month is stored.
  if (!stage.resumes) checkSpan(stage.first, stage.last, await getValidThru(store.db), common);
  const from = resumeFrom(stage.doneThrough, [stage.first, stage.last]);
  if (stage.resumes) onProgress(`ingest: going on with ${path} from ${from}, after run #${stage.resumes} stopped`);
  const result = await ingestMonths(store, run, [stage.first, stage.last], monthChunks(from, stage.last), onProgress, common, () => stage);
  await dropStagesOf(store, path);
  return { ...result, rows: stage.rows };
}

/** The first day a run of `days` stores: the day after what an earlier run of them committed. */
const resumeFrom = (doneThrough: IsoDate | null, days: readonly [IsoDate, IsoDate]): IsoDate =>
  doneThrough && doneThrough < days[1] ? addDays(doneThrough, 1) : days[0];

/** The run's days, `chunks` of them a transaction each; each chunk's rows from `rowsOf`. */
async function ingestMonths(
  store: Store,
  run: number,
  days: readonly [IsoDate, IsoDate],
  chunks: readonly Chunk[],
  onProgress: (text: string) => void,
  common: Pick<IngestOptions, "source" | "allowGap" | "latest">,
  rowsOf: (chunk: readonly [IsoDate, IsoDate], where: string) => RowBatches | StagedTable,
  counted: boolean = false,
): Promise<IngestResult> {
  const started = Date.now();
  let total: IngestResult = { rows: 0, first: days[0], last: days[1], replaced: 0, validThru: null };
  for (const [i, chunk] of chunks.entries()) {
    const eta = i === 0 ? "" : `, ETA ${Math.round((((Date.now() - started) / i) * (chunks.length - i)) / 1000)} s`;
    const where = chunks.length > 1 ? `month ${i + 1}/${chunks.length} (${chunk[0]}..${chunk[1]})${eta}: ` : "";
    const r = await ingestRows(store, rowsOf(chunk, where), {
      ...common,
      days: chunk,
      recentLater: i < chunks.length - 1,
      onProgress: counted ? (n) => onProgress(`ingest: ${where}${rate(n, "rows", started)}`) : undefined,
      beforeCommit: (trx) => recordDoneThrough(trx, run, chunk[1]),
    });
    if (chunks.length > 1) onProgress(`ingest: ${where}stored`);
    total = { ...total, rows: total.rows + r.rows, replaced: total.replaced + r.replaced, validThru: r.validThru };
  }
  return total;
}

/**
 * Athena or logs, a calendar month per transaction (ingest/chunks.ts). An earlier run of the same
 * days that stopped part-way is gone on with from the day after its last committed chunk.
 */
async function ingestChunks(
  store: Store,
  options: IngestCommandOptions,
  run: number,
  days: readonly [IsoDate, IsoDate],
  log: LogReport | null,
  onProgress: (text: string) => void,
  common: Pick<IngestOptions, "source" | "allowGap" | "latest">,
): Promise<IngestResult> {
  const resume = await unfinishedEarlierRun(store.db, common.source!, run, { days });
  const from = resumeFrom((resume?.done_through ?? null) as IsoDate | null, days);
  if (resume?.done_through) onProgress(`ingest: going on from ${from}, after run #${resume.id} stopped`);
  const chunks = monthChunks(from, days[1]);
  const started = Date.now();
  // Every day's logs are there before the first month is stored, not found missing hours later.
  const files = options.logs ? await logFiles(options, from, days[1]) : [];
  if (options.logs) requireEveryDay(files, from, days[1], options.logs);
  const result = await ingestMonths(store, run, days, chunks, onProgress, common, (chunk, where) =>
    options.athena ? athenaRows(options, chunk, (text) => onProgress(`${where}${text}`)) : chunkLogRows(options, files, chunk, log!, (text) => onProgress(`${where}${text}`), started),
    options.athena === true,
  );
  // A file at a month's end is read by both months (each keeps its own days' lines): counted once.
  if (log && chunks.length > 1) log.files = new Set(files.map((f) => f.name)).size;
  return result;
}

function chunkLogRows(options: IngestCommandOptions, all: readonly LogFile[], [first, last]: readonly [IsoDate, IsoDate], log: LogReport, onProgress: (text: string) => void, started: number): RowBatches {
  // As logFiles chose them: a day's first minutes may be in the file named for the day before.
  const files = all.filter((f) => f.date >= addDays(first, -1) && f.date <= addDays(last, 1));
  const before = { ...log };
  return logRows(files, {
    first,
    last,
    maxBadLines: parseMaxBadLines(options.maxBadLines),
    skipBadFiles: Boolean(options.skipBadFiles),
    onFile: (r) => onProgress(`ingest: ${r.files - before.files}/${files.length} files, ${rate(r.lines, "lines", started)}, ${r.rowsKept.toLocaleString("en-US")} rows kept`),
  }, log);
}

async function* athenaRows(options: IngestCommandOptions, [first, last]: readonly [IsoDate, IsoDate], onProgress: (text: string) => void): RowBatches {
  const settings = { database: options.athenaDatabase ?? "default", workgroup: options.athenaWorkgroup, outputLocation: options.athenaOutput };
  const athena = athenaClient();
  onProgress(`ingest: Athena query for ${first}..${last} running`);
  const { id, output } = await runAthenaQuery(athena, settings, downloadsQuery(first, last));
  yield* inBatches(output ? athenaCsvRows(s3Client(options.s3Endpoint), output) : athenaPagedRows(athena, id));
}

export async function ingest(options: IngestCommandOptions, out: (line: string) => void, warn: (line: string) => void = out): Promise<IngestSummary | null> {
  await checkIngestFlags(options); // before the store is opened (a new PGlite folder would be made)
  return withStore(options, "write", (store) => report(store, options, out, warn));
}

async function report(store: Store, options: IngestCommandOptions, out: (line: string) => void, warn: (line: string) => void): Promise<IngestSummary | null> {
  const progress = createProgress(process.stderr, options.quiet || Boolean(options.json));
  try {
    const summary = await runIngest(store, options, (text) => progress.update(text));
    progress.clear();
    // One summary line even with --quiet (which silences progress): cron mail then says what the night did.
    if (!summary) {
      out(options.json ? JSON.stringify({ upToDate: true }) : "ingest: already up to date (ValidThru is yesterday); nothing to do");
      return null;
    }
    out(options.json ? JSON.stringify(summary) : describeIngest(summary));
    // Even with --quiet: a first ingest before the packages table is the easiest mistake to make.
    const unknown = summary.first && summary.last ? await unknownPackagesWarning(store, summary.first, summary.last) : null;
    if (unknown) warn(unknown);
    return summary;
  } finally {
    progress.clear();
  }
}
