import type { GlobalOptions } from "../config.js";
import type { IsoDate } from "../domain/types.js";
import { UsageError } from "../errors.js";
import { backfillStages } from "../ingest/backfill-stages.js";
import { checkSourceReadable } from "../ingest/flags.js";
import type { LogReport } from "../ingest/log-rows.js";
import { resolveRange } from "../ingest/range.js";
import { monthChunks, type Chunk } from "../ingest/chunks.js";
import { dropStagesOf, stageRowsFile } from "../ingest/rows-file-stage.js";
import { readRange, sourceName, type RangeReading, type Source } from "../ingest/source.js";
import type { StagedTable } from "../store/downloads.js";
import { checkSpan, ingestRows, type IngestResult } from "../ingest/replace-days.js";
import { createProgress, rate } from "../progress.js";
import type { RowBatches } from "../sources/batches.js";
import { addDays, toIsoDate } from "../domain/dates.js";
import type { Store } from "../store/database.js";
import { withStore } from "./with-store.js";
import { SOURCE_FLAGS, sourceFromFlags, sourcesGiven, type SourceFlags } from "./source.js";
import { unknownPackagesWarning } from "./packages-first.js";
import { getValidThru } from "../store/info.js";
import { rebuildSummaries, summaryTablesState } from "../summaries/rebuild.js";
import { abandonRuns, finishRun, recordDoneThrough, startRun, unfinishedEarlierRun } from "../store/ingest-runs.js";

export interface IngestCommandOptions extends GlobalOptions, SourceFlags {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly allowGap?: boolean;
  readonly json?: boolean;
  readonly now?: Date;
}

/** What one ingest run is asked to do, resolved from flags or configuration before the store is opened. */
export interface IngestRequest {
  readonly source: Source;
  /** The days asked of logs or Athena (default: ValidThru + 1 .. yesterday, UTC); never given for a rows file. */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly allowGap: boolean;
  readonly now: Date;
}

/** The ingest command's flags as a request: exactly one source, and days only for the sources that are asked for days. */
export function ingestRequest(options: IngestCommandOptions): IngestRequest {
  const source = sourcesGiven(options) === 1 ? sourceFromFlags(options) : null;
  if (!source) throw new UsageError(`ingest needs one source: ${SOURCE_FLAGS}`);
  if (source.kind === "rows" && (options.since || options.until)) {
    throw new UsageError("--since/--until choose the days for --athena or --logs; a rows file always covers its own dates");
  }
  return { source, since: options.since, until: options.until, allowGap: Boolean(options.allowGap), now: options.now ?? new Date() };
}

export interface IngestSummary extends IngestResult {
  readonly source: string;
  readonly seconds: number;
  readonly log: LogReport | null;
}

export function describeIngest(s: IngestSummary): string {
  if (s.first === null) return `ingest: ${s.source} had no rows; nothing changed`;
  const stages = backfillStages(s);
  const log = s.log
    ? ` from ${s.log.files} files, ${s.log.lines.toLocaleString("en-US")} lines (${s.log.badLines} malformed` +
      `${s.log.skippedFiles.length ? `, ${s.log.skippedFiles.length} files skipped: ${s.log.skippedFiles.join("; ")}` : ""})`
    : "";
  return (
    `ingest: ${s.rows.toLocaleString("en-US")} download rows for ${s.first}..${s.last}${log} from ${s.source} ` +
    `(replaced ${s.replaced.toLocaleString("en-US")} earlier rows of those days) in ${s.seconds.toFixed(1)} s${stages ? ` (${stages})` : ""}; ValidThru ${s.validThru}`
  );
}

/** The ingest command's run on an open store (tests, and callers holding one): its flags resolved, then ingestFrom. */
export async function runIngest(store: Store, options: IngestCommandOptions, onProgress?: (text: string) => void): Promise<IngestSummary | null> {
  return ingestFrom(store, ingestRequest(options), onProgress);
}

/** What every run passes down: the source's name, and the checks of rows whose days it did not choose. */
interface RunCommon {
  readonly source: string;
  readonly allowGap: boolean;
  readonly latest: IsoDate;
}

/**
 * One ingest run, whoever asks (ingest, build, nightly): the writer lock, the run recorded, the
 * source's days stored a calendar month per transaction. Null when logs or Athena have nothing
 * new (ValidThru is yesterday).
 */
export async function ingestFrom(store: Store, request: IngestRequest, onProgress: (text: string) => void = () => {}): Promise<IngestSummary | null> {
  const { source } = request;
  const started = Date.now();
  const common: RunCommon = { source: sourceName(source), allowGap: request.allowGap, latest: addDays(toIsoDate(request.now), 1) };
  await store.lockWriter();
  await abandonRuns(store.db);
  if (source.kind === "rows") {
    return recorded(store, common.source, null, null, started, (run) => ingestRowsFile(store, source.path, run, onProgress, common));
  }
  const days = resolveRange({ since: request.since, until: request.until, allowGap: request.allowGap, now: request.now }, await getValidThru(store.db));
  if (!days) return null;
  const reading = readRange(source);
  return recorded(store, common.source, days, reading.report, started, (run) => ingestChunks(store, reading, run, days, onProgress, common));
}

/** The run recorded around `work`: its outcome, and what reading the source found (logs), whether it succeeded or not. */
async function recorded(
  store: Store,
  source: string,
  days: readonly [IsoDate, IsoDate] | null,
  log: LogReport | null,
  started: number,
  work: (run: number) => Promise<IngestResult>,
): Promise<IngestSummary> {
  const run = await startRun(store.db, source, days?.[0] ?? null, days?.[1] ?? null);
  try {
    const result = await work(run);
    const summary: IngestSummary = { ...result, source, seconds: (Date.now() - started) / 1000, log };
    await finishRun(store.db, run, "ok", { ...(log ?? {}), rowsKept: result.rows, first: result.first, last: result.last }, null);
    return summary;
  } catch (e) {
    await finishRun(store.db, run, "failed", log ?? {}, (e as Error).message).catch(() => {});
    throw e;
  }
}

/** A rows file: staged whole (ingest/rows-file-stage.ts), checked, then a month per transaction. */
async function ingestRowsFile(store: Store, path: string, run: number, onProgress: (text: string) => void, common: RunCommon): Promise<IngestResult> {
  const started = Date.now();
  const stage = await stageRowsFile(store, path, run, (n) => onProgress(`ingest: reading ${path}: ${rate(n, "rows", started)}`));
  if (stage.first === null || stage.last === null) {
    await dropStagesOf(store, path);
    return { rows: 0, first: null, last: null, replaced: 0, validThru: await getValidThru(store.db) };
  }
  // The whole file's days are known now: checked before its first month is stored.
  if (!stage.resumes) checkSpan(stage.first, stage.last, await getValidThru(store.db), common);
  const days = [stage.first, stage.last] as const;
  const from = resumeFrom(stage.doneThrough, days);
  if (stage.resumes) onProgress(`ingest: going on with ${path} from ${from ?? "its summarize"}, after run #${stage.resumes} stopped`);
  const result = await ingestMonths(store, run, days, chunksFrom(from, days), onProgress, common, () => stage);
  await dropStagesOf(store, path);
  return { ...result, rows: stage.rows };
}

/** The first day a run of `days` stores: the day after what an earlier run of them committed (null: it committed them all). */
const resumeFrom = (doneThrough: IsoDate | null, days: readonly [IsoDate, IsoDate]): IsoDate | null =>
  doneThrough === null ? days[0] : doneThrough < days[1] ? addDays(doneThrough, 1) : null;

const noChunkLeft = (): never => {
  throw new Error("no chunk of this run is left to read");
};

/** The run's days from `from` on, a month per chunk (none when an earlier run committed them all). */
const chunksFrom = (from: IsoDate | null, days: readonly [IsoDate, IsoDate]): Chunk[] => (from === null ? [] : monthChunks(from, days[1]));

/** The run's days, `chunks` of them a transaction each; each chunk's rows from `rowsOf`. */
async function ingestMonths(
  store: Store,
  run: number,
  days: readonly [IsoDate, IsoDate],
  chunks: readonly Chunk[],
  onProgress: (text: string) => void,
  common: RunCommon,
  rowsOf: (chunk: readonly [IsoDate, IsoDate], where: string) => RowBatches | StagedTable,
  counted: boolean = false,
): Promise<IngestResult> {
  const started = Date.now();
  const summarizeAfter = await summarizesAfter(store, days, chunks);
  let total: IngestResult = { rows: 0, first: days[0], last: days[1], replaced: 0, validThru: await getValidThru(store.db) };
  for (const [i, chunk] of chunks.entries()) {
    const eta = i === 0 ? "" : `, ETA ${Math.round((((Date.now() - started) / i) * (chunks.length - i)) / 1000)} s`;
    const where = chunks.length > 1 ? `month ${i + 1}/${chunks.length} (${chunk[0]}..${chunk[1]})${eta}: ` : "";
    const r = await ingestRows(store, rowsOf(chunk, where), {
      ...common,
      days: chunk,
      recentLater: i < chunks.length - 1,
      summarizeAfter,
      onProgress: counted ? (n) => onProgress(`ingest: ${where}${rate(n, "rows", started)}`) : undefined,
      beforeCommit: (trx) => recordDoneThrough(trx, run, chunk[1]),
    });
    if (chunks.length > 1) onProgress(`ingest: ${where}stored`);
    total = { ...total, rows: total.rows + r.rows, replaced: total.replaced + r.replaced, validThru: r.validThru };
  }
  if (!summarizeAfter) return total;
  const summarizing = Date.now();
  await rebuildSummaries(store, null, (text) => onProgress(`ingest: ${text}, ${Math.round((Date.now() - started) / 1000)} s`));
  return { ...total, summarizeSeconds: (Date.now() - summarizing) / 1000 };
}

/**
 * True: the run's chunks store rows only, and one summarize after the last makes the summaries
 * (deferSummaries). So goes a run of more than a month into days after ValidThru (a backfill,
 * or a catch-up after weeks without ingests), and the same run going on after it stopped, even
 * in its summarize (no chunks left). Any other run updates the summaries chunk by chunk.
 */
async function summarizesAfter(store: Store, days: readonly [IsoDate, IsoDate], chunks: readonly Chunk[]): Promise<boolean> {
  if (monthChunks(days[0], days[1]).length < 2) return false;
  const [next] = chunks;
  if (!next) return (await summaryTablesState(store.db)) === "rebuilding";
  const validThru = await getValidThru(store.db);
  return validThru === null || next[0] > validThru;
}

/**
 * Athena or logs, a calendar month per transaction (ingest/chunks.ts). An earlier run of the same
 * days that stopped part-way is gone on with from the day after its last committed chunk.
 */
async function ingestChunks(
  store: Store,
  reading: RangeReading,
  run: number,
  days: readonly [IsoDate, IsoDate],
  onProgress: (text: string) => void,
  common: RunCommon,
): Promise<IngestResult> {
  const resume = await unfinishedEarlierRun(store.db, common.source, run, { days });
  const from = resumeFrom((resume?.done_through ?? null) as IsoDate | null, days);
  if (resume?.done_through) onProgress(`ingest: going on from ${from ?? "its summarize"}, after run #${resume.id} stopped`);
  // Every chunk was stored: only what comes after them (a deferred run's summarize) is left.
  if (from === null) return ingestMonths(store, run, days, [], onProgress, common, noChunkLeft);
  const chunks = monthChunks(from, days[1]);
  // Every day's logs are there before the first month is stored, not found missing hours later.
  const opened = await reading.open([from, days[1]], Date.now());
  const result = await ingestMonths(
    store,
    run,
    days,
    chunks,
    onProgress,
    common,
    (chunk, where) => opened.batches(chunk, (text) => onProgress(`${where}${text}`)),
    reading.counted,
  );
  opened.end(chunks.length);
  return result;
}

export async function ingest(options: IngestCommandOptions, out: (line: string) => void, warn: (line: string) => void = out): Promise<IngestSummary | null> {
  // Usage errors and unreadable files before the database is opened (a new PGlite folder would be made).
  const request = ingestRequest(options);
  await checkSourceReadable(request.source, options);
  return withStore(options, "write", (store) => report(store, request, options, out, warn));
}

async function report(
  store: Store,
  request: IngestRequest,
  options: IngestCommandOptions,
  out: (line: string) => void,
  warn: (line: string) => void,
): Promise<IngestSummary | null> {
  const progress = createProgress(process.stderr, options.quiet || Boolean(options.json));
  try {
    const summary = await ingestFrom(store, request, (text) => progress.update(text));
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
