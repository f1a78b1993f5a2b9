// webstats_ingest_runs: one row per ingest, written outside the ingest's own transaction so
// that a failed run is recorded too.
import { sql, type Kysely } from "kysely";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "./schema.js";

export interface RunReport {
  readonly files: number;
  readonly lines: number;
  readonly rowsKept: number;
  readonly badLines: number;
  readonly skippedFiles: readonly string[];
}

/**
 * Runs still marked `running` when the caller holds the writer lock: their process is gone
 * (killed, crashed, its server connection lost), since a live one would hold the lock. Marked
 * `abandoned`; their transaction never committed, so nothing of them is stored.
 */
export async function abandonRuns(db: Kysely<Database>): Promise<number> {
  const r = await db
    .updateTable("webstats_ingest_runs")
    .set({
      outcome: "abandoned",
      finished_at: sql<string>`now()`,
      message: "its process ended before the run finished (killed or crashed); nothing of it was stored",
    })
    .where("outcome", "=", "running")
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function startRun(db: Kysely<Database>, source: string, first: IsoDate | null, last: IsoDate | null): Promise<number> {
  const r = await db.insertInto("webstats_ingest_runs").values({ source, first_date: first, last_date: last }).returning("id").executeTakeFirstOrThrow();
  return r.id;
}

export async function finishRun(
  db: Kysely<Database>,
  id: number,
  outcome: "ok" | "failed",
  report: Partial<RunReport> & { readonly first?: IsoDate | null; readonly last?: IsoDate | null },
  message: string | null,
): Promise<void> {
  await db
    .updateTable("webstats_ingest_runs")
    .set({
      outcome,
      message,
      finished_at: sql<string>`now()`,
      ...(report.files !== undefined ? { files: report.files } : {}),
      ...(report.lines !== undefined ? { lines: report.lines } : {}),
      ...(report.rowsKept !== undefined ? { rows_kept: report.rowsKept } : {}),
      ...(report.badLines !== undefined ? { bad_lines: report.badLines } : {}),
      ...(report.skippedFiles !== undefined ? { skipped_files: report.skippedFiles.join("\n") } : {}),
      ...(report.first ? { first_date: report.first } : {}),
      ...(report.last ? { last_date: report.last } : {}),
    })
    .where("id", "=", id)
    .execute();
}

export async function latestRuns(db: Kysely<Database>, n: number) {
  return db.selectFrom("webstats_ingest_runs").selectAll().orderBy("id", "desc").limit(n).execute();
}

/** In a chunk's transaction: the run has committed every day through `day`. */
export async function recordDoneThrough(trx: Kysely<Database>, id: number, day: IsoDate): Promise<void> {
  await trx.updateTable("webstats_ingest_runs").set({ done_through: day }).where("id", "=", id).execute();
}

/**
 * The latest run before `before` of the same source and, where given, the same days or the same
 * file version, if it did not finish (failed, abandoned): what a run can go on from.
 */
export async function unfinishedEarlierRun(
  db: Kysely<Database>,
  source: string,
  before: number,
  same: { readonly days?: readonly [IsoDate, IsoDate]; readonly version?: string },
) {
  let q = db
    .selectFrom("webstats_ingest_runs")
    .select(["id", "outcome", "first_date", "last_date", "done_through", "rows_kept"])
    .where("source", "=", source)
    .where("id", "<", before);
  if (same.days) q = q.where("first_date", "=", same.days[0]).where("last_date", "=", same.days[1]);
  if (same.version) q = q.where("source_version", "=", same.version);
  const r = await q.orderBy("id", "desc").limit(1).executeTakeFirst();
  return r && r.outcome !== "ok" && r.outcome !== "running" ? r : null;
}
