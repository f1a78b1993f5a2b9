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
    .set({ outcome: "abandoned", finished_at: sql<string>`now()`, message: "its process ended before the run finished (killed or crashed); nothing of it was stored" })
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
