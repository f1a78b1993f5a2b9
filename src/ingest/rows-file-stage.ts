// A rows file is copied whole, in one transaction, into a stage table of its run, and then
// ingested from there a calendar month at a time (ingest/chunks.ts). So its rows may come in
// any order, a file of 700 M rows is never read twice, and a run that stops part-way is gone
// on with by the same command: the stage is still there, and so is the last month committed.
import { stat } from "node:fs/promises";
import { sql, type Kysely } from "kysely";
import type { IsoDate } from "../domain/types.js";
import { InputError } from "../errors.js";
import { readRowsFileBlocks } from "../sources/rows-file.js";
import type { Store } from "../store/database.js";
import { copyRows, spanOf, type StagedRows } from "../store/downloads.js";
import { unfinishedEarlierRun } from "../store/ingest-runs.js";
import type { Database } from "../store/schema.js";

export interface RowsFileStage extends StagedRows {
  readonly table: string;
  /** The last day already committed from this stage by an earlier run; null: none. */
  readonly doneThrough: IsoDate | null;
  /** The earlier run this one goes on from. */
  readonly resumes: number | null;
}

const tableOf = (run: number) => `webstats_stage_${run}`;

/** Size and mtime: a file changed since its stage was made is staged afresh. */
export async function fileVersion(path: string): Promise<string> {
  const s = await stat(path).catch((e: Error) => {
    throw new InputError(path, null, `cannot read: ${e.message}`);
  });
  return `${s.size}:${Math.round(s.mtimeMs)}`;
}

async function exists(db: Kysely<Database>, table: string): Promise<boolean> {
  const { rows } = await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(db);
  return rows[0]?.t != null;
}

/** The stage of an earlier run of the same file (same size and mtime) that did not finish, if it is still there. */
async function earlierStage(db: Kysely<Database>, source: string, version: string, run: number): Promise<RowsFileStage | null> {
  const r = await unfinishedEarlierRun(db, source, run, { version });
  if (!r || !r.first_date || !r.last_date || !(await exists(db, tableOf(r.id)))) return null;
  return {
    table: tableOf(r.id),
    rows: Number(r.rows_kept),
    first: r.first_date as IsoDate,
    last: r.last_date as IsoDate,
    doneThrough: r.done_through as IsoDate | null,
    resumes: r.id,
  };
}

export async function stageRowsFile(store: Store, path: string, run: number, onProgress: (rows: number) => void): Promise<RowsFileStage> {
  const version = await fileVersion(path);
  await store.db.updateTable("webstats_ingest_runs").set({ source_version: version }).where("id", "=", run).execute();
  const earlier = await earlierStage(store.db, path, version, run);
  if (earlier) {
    await store.db
      .updateTable("webstats_ingest_runs")
      .set({ first_date: earlier.first, last_date: earlier.last, rows_kept: earlier.rows })
      .where("id", "=", run)
      .execute();
    return earlier;
  }
  await dropStagesOf(store, path);
  const table = tableOf(run);
  const staged = await store.writeTransaction(async (trx, copyIn) => {
    // Unlogged: a stage is made again after a crash, so it need not be written twice.
    await sql`create unlogged table ${sql.table(table)} (like bioc_web_downloads)`.execute(trx);
    const rows = await copyRows(copyIn, table, readRowsFileBlocks(path), onProgress);
    await sql`create index on ${sql.table(table)} (date)`.execute(trx);
    const span = await spanOf(trx, table, rows);
    await trx.updateTable("webstats_ingest_runs").set({ first_date: span.first, last_date: span.last, rows_kept: rows }).where("id", "=", run).execute();
    return span;
  });
  return { ...staged, table, doneThrough: null, resumes: null };
}

/** Every stage left by runs of this file (once a run of it finished, or starts afresh). */
export async function dropStagesOf(store: Store, source: string): Promise<void> {
  const { rows } = await sql<{ table: string }>`select c.relname as table from pg_class c
    join webstats_ingest_runs r on c.relname = 'webstats_stage_' || r.id
    where c.relkind = 'r' and r.source = ${source}`.execute(store.db);
  for (const { table } of rows) await sql`drop table if exists ${sql.table(table)}`.execute(store.db);
}
