// The heart of every ingest, whatever the source: one transaction that stages the rows,
// works out what replacing the days they cover changes in the summaries, replaces those days
// and moves ValidThru forward. A failure anywhere (a bad row, a broken file, too many bad
// lines) means nothing is written; running the same source twice leaves the same database.
import { sql, type Kysely } from "kysely";
import { addDays } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { RowBatches } from "../sources/batches.js";
import { GapAfterValidThru, InputError, NeedsSummarize } from "../errors.js";
import type { Store } from "../store/database.js";
import { replaceDays, STAGE, stageRows, type StagedTable } from "../store/downloads.js";
import { getValidThru, setValidThru } from "../store/info.js";
import type { Database } from "../store/schema.js";
import { replaceCategoryDays } from "../summaries/category-daily.js";
import { applyDayChanges } from "../summaries/day-changes.js";
import { followPackagesTable } from "../summaries/package-changes.js";
import { deferSummaries, summaryTablesState } from "../summaries/rebuild.js";
import { leaveRecentBehind, moveRecentWindow } from "../summaries/recent.js";

export interface IngestResult {
  readonly rows: number;
  /** The days replaced; null when a rows file had no rows. */
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
  /** Rows of those days stored before, now replaced. */
  readonly replaced: number;
  readonly validThru: IsoDate | null;
  /** A run that stored its rows first (a backfill): the seconds its one summarize after them took, of the run's. */
  readonly summarizeSeconds?: number;
}

export interface IngestOptions {
  /** The days this run covers, replaced even where the source has no rows for them; default: the rows' first..last date. */
  readonly days?: readonly [IsoDate, IsoDate];
  readonly onProgress?: (rows: number) => void;
  /** Accept rows whose first day leaves days missing after ValidThru (the sources with --since check that before reading). */
  readonly allowGap?: boolean;
  /** The last day a row may have (tomorrow, UTC: a log's clock may run a little ahead); later rows are refused. */
  readonly latest?: IsoDate;
  /** Names the source in messages. */
  readonly source?: string;
  /** A chunk of a longer run that is not its last: the last-30-days window is made once, at the end. */
  readonly recentLater?: boolean;
  /**
   * A chunk of a long run into days after ValidThru: its rows stored, the summaries left to one
   * summarize after the last chunk (summaries/rebuild.ts deferSummaries).
   */
  readonly summarizeAfter?: boolean;
  /** Runs in the transaction just before it commits (a chunked run records its progress). */
  readonly beforeCommit?: (trx: Kysely<Database>, result: IngestResult) => Promise<void>;
}

/** Rows whose days the source did not choose (a rows file): none after tomorrow, and no gap after ValidThru unless allowed. */
export function checkSpan(first: IsoDate, last: IsoDate, validThru: IsoDate | null, options: Pick<IngestOptions, "latest" | "allowGap" | "source">): void {
  const source = options.source ?? "the source";
  if (options.latest && last > options.latest) {
    throw new InputError(source, null, `rows dated up to ${last}, after ${options.latest} (tomorrow, UTC): a wrong date or clock; nothing stored`);
  }
  if (validThru && first > addDays(validThru, 1) && !options.allowGap) {
    throw new GapAfterValidThru(
      `${source} starts on ${first}, which would leave ${addDays(validThru, 1)}..${addDays(first, -1)} missing after ValidThru ${validThru}; ingest those days first, or pass --allow-gap`,
    );
  }
}

export async function ingestRows(store: Store, rows: RowBatches | StagedTable, options: IngestOptions = {}): Promise<IngestResult> {
  await store.lockWriter();
  return store.writeTransaction(async (trx, copyIn) => {
    // A month of a backfill groups millions of (package, IP) pairs: in memory, not in temporary files.
    await sql`set local work_mem = '256MB'`.execute(trx);
    // No JIT: a night's statements each read a few hundred thousand rows, but the planner's
    // estimates for the day's temporary tables can pass jit_above_cost, and compiling then costs
    // more than it saves (January's read of last year's window days: 1.5 → 1.0 s, the night
    // 10.2 → 9.7 s, medians of four). A server built without JIT (PGlite) ignores it.
    await sql`set local jit = off`.execute(trx);
    const state = await summaryTablesState(trx);
    if (state !== "complete" && !options.summarizeAfter) {
      throw new NeedsSummarize(
        state === "rebuilding"
          ? "a summarize was interrupted; run `webstats summarize` to finish it before ingesting"
          : "webstats' summary tables are not filled yet for the downloads stored in this database; run `webstats summarize` once first",
      );
    }
    if (!options.summarizeAfter) await followPackagesTable(trx);
    const staged = await stageRows(trx, copyIn, rows, options.onProgress, options.days);
    const before = await getValidThru(trx);
    const [first, last] = options.days ?? [staged.first, staged.last];
    if (first === null || last === null) return { rows: 0, first: null, last: null, replaced: 0, validThru: before };
    if (!options.days) checkSpan(first, last, before, options);
    const outside = (staged.first !== null && staged.first < first) || (staged.last !== null && staged.last > last);
    if (outside) throw new Error(`rows dated ${staged.first}..${staged.last} fall outside the days ${first}..${last} of this run`);
    if (options.summarizeAfter) {
      await deferSummaries(trx, first);
    } else {
      await applyDayChanges(trx, STAGE, first, last);
      await replaceCategoryDays(trx, first, last);
    }
    const { deleted } = await replaceDays(trx, first, last);
    const validThru = before && before > last ? before : last;
    // A deferred run's window is made by its summarize.
    if (options.recentLater && !options.summarizeAfter) await leaveRecentBehind(trx);
    else if (!options.summarizeAfter) await moveRecentWindow(trx, [first, last], before, validThru);
    await setValidThru(trx, validThru);
    const result = { rows: staged.rows, first, last, replaced: deleted, validThru };
    await options.beforeCommit?.(trx, result);
    return result;
  });
}
