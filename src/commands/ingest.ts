import { sql } from "kysely";
import type { GlobalOptions } from "../config.js";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { ExitError, UsageError } from "../errors.js";
import { createProgress, rate } from "../progress.js";
import { readRowsFile } from "../sources/rows-file.js";
import { openStore, type Store } from "../store/database.js";
import { replaceDays, stageRows } from "../store/downloads.js";
import { getValidThru, setValidThru } from "../store/info.js";
import { affectedPeriods, refreshSummaries } from "../summaries/refresh.js";

// Any fixed number: the advisory lock that keeps two ingests from interleaving.
const INGEST_LOCK = 7_420_002;

export interface IngestResult {
  readonly rows: number;
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
  readonly replaced: number;
  readonly validThru: IsoDate | null;
}

/**
 * One transaction: stage the rows, replace the days they cover, re-summarise the months and
 * years those days touch, move ValidThru forward. A bad row anywhere means nothing is written;
 * running the same source twice leaves the same database.
 */
export async function ingestRows(store: Store, rows: AsyncIterable<DownloadRow>, onProgress?: (rows: number) => void): Promise<IngestResult> {
  return store.db.transaction().execute(async (trx) => {
    const { rows: locked } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${INGEST_LOCK}) as locked`.execute(trx);
    if (!locked[0]?.locked) throw new ExitError("another webstats ingest is running on this database; try again when it has finished", 2);
    const staged = await stageRows(trx, rows, onProgress);
    const before = await getValidThru(trx);
    if (staged.first === null || staged.last === null) return { ...staged, replaced: 0, validThru: before };
    const { deleted } = await replaceDays(trx, staged.first, staged.last);
    await refreshSummaries(trx, affectedPeriods(staged.first, staged.last));
    const validThru = before && before > staged.last ? before : staged.last;
    await setValidThru(trx, validThru);
    return { ...staged, replaced: deleted, validThru };
  });
}

export function describeIngest(r: IngestResult, source: string, seconds: number): string {
  if (r.rows === 0) return `ingest: ${source} had no rows; nothing changed`;
  return `ingest: ${r.rows.toLocaleString("en-US")} rows for ${r.first}..${r.last} from ${source} ` +
    `(replaced ${r.replaced.toLocaleString("en-US")} earlier rows of those days) in ${seconds.toFixed(1)} s; ValidThru ${r.validThru}`;
}

export async function ingest(options: GlobalOptions & { readonly rows?: string }, out: (line: string) => void): Promise<IngestResult> {
  if (!options.rows) throw new UsageError("ingest needs a source: --rows FILE");
  const store = await openStore(options);
  const progress = createProgress(process.stderr, options.quiet);
  const started = Date.now();
  try {
    const result = await ingestRows(store, readRowsFile(options.rows), (n) => progress.update(`ingest: ${rate(n, "rows", started)}`));
    progress.clear();
    if (!options.quiet) out(describeIngest(result, options.rows, (Date.now() - started) / 1000));
    return result;
  } finally {
    progress.clear();
    await store.close();
  }
}
