// The heart of every ingest, whatever the source: one transaction that stages the rows,
// replaces the days they cover, re-summarises the months and years those days touch and moves
// ValidThru forward. A failure anywhere (a bad row, a broken file, too many bad lines) means
// nothing is written; running the same source twice leaves the same database.
import { sql } from "kysely";
import type { IsoDate } from "../domain/types.js";
import type { RowBatches } from "../sources/batches.js";
import { ExitError } from "../errors.js";
import type { Store } from "../store/database.js";
import { replaceDays, stageRows } from "../store/downloads.js";
import { getValidThru, setValidThru } from "../store/info.js";
import { affectedPeriods, refreshSummaries } from "../summaries/refresh.js";

// Any fixed number: the advisory lock that keeps two ingests from interleaving.
const INGEST_LOCK = 7_420_002;

export interface IngestResult {
  readonly rows: number;
  /** The days replaced; null when a rows file had no rows. */
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
  /** Rows of those days stored before, now replaced. */
  readonly replaced: number;
  readonly validThru: IsoDate | null;
}

export interface IngestOptions {
  /** The days this run covers, replaced even where the source has no rows for them; default: the rows' first..last date. */
  readonly days?: readonly [IsoDate, IsoDate];
  readonly onProgress?: (rows: number) => void;
}

export async function ingestRows(store: Store, rows: RowBatches, options: IngestOptions = {}): Promise<IngestResult> {
  return store.db.transaction().execute(async (trx) => {
    const { rows: locked } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${INGEST_LOCK}) as locked`.execute(trx);
    if (!locked[0]?.locked) throw new ExitError("another webstats ingest is running on this database; try again when it has finished", 2);
    const staged = await stageRows(trx, rows, options.onProgress);
    const before = await getValidThru(trx);
    const [first, last] = options.days ?? [staged.first, staged.last];
    if (first === null || last === null) return { rows: 0, first: null, last: null, replaced: 0, validThru: before };
    const outside = (staged.first !== null && staged.first < first) || (staged.last !== null && staged.last > last);
    if (outside) throw new Error(`rows dated ${staged.first}..${staged.last} fall outside the days ${first}..${last} of this run`);
    const { deleted } = await replaceDays(trx, first, last);
    await refreshSummaries(trx, affectedPeriods(first, last));
    const validThru = before && before > last ? before : last;
    await setValidThru(trx, validThru);
    return { rows: staged.rows, first, last, replaced: deleted, validThru };
  });
}
