// Download rows go first into a staging table, then replace whole days of bioc_web_downloads:
// the days a run covers are only known once the whole source is read, and a re-run of the
// same days must give the same table, never twice the rows.
import { sql, type Kysely } from "kysely";
import type { IsoDate } from "../domain/types.js";
import { countLines, type RowBatches } from "../sources/batches.js";
import type { CopyIn } from "./database.js";
import type { Database } from "./schema.js";

export const STAGE = "ingest_stage";
const COLUMNS = ["date", "c-ip", "sc-status", "category", "package"] as const;

export interface StagedRows {
  readonly rows: number;
  /** First and last date seen; null when the source had no rows. */
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
}

// COPY's text format reads a backslash as an escape; no source lets a tab or a line end through.
const escapeCopy = (block: string) => (block.includes("\\") ? block.replace(/\\/g, "\\\\") : block);

/** Rows already copied into a table of their own (a rows file's stage), to be taken a range of days at a time. */
export interface StagedTable {
  readonly table: string;
}

/** COPYs the rows into a temporary table that disappears with the transaction. */
export async function stageRows(
  trx: Kysely<Database>,
  copyIn: CopyIn,
  batches: RowBatches | StagedTable,
  onProgress?: (rows: number) => void,
  days?: readonly [IsoDate, IsoDate],
): Promise<StagedRows> {
  if ("table" in batches) {
    if (!days) throw new Error("rows from a stage table need the days to take");
    await sql`create temp table ${sql.table(STAGE)} on commit drop as
      select * from ${sql.table(batches.table)} where date >= ${days[0]} and date <= ${days[1]}`.execute(trx);
    return spanOf(trx, STAGE, await sql<{ n: number }>`select count(*)::int as n from ${sql.table(STAGE)}`.execute(trx).then((r) => r.rows[0]!.n));
  }
  await sql`create temp table ${sql.table(STAGE)} (like bioc_web_downloads) on commit drop`.execute(trx);
  return spanOf(trx, STAGE, await copyRows(copyIn, STAGE, batches, onProgress));
}

/** COPYs the rows into `table`; returns how many. */
export async function copyRows(copyIn: CopyIn, table: string, batches: RowBatches, onProgress?: (rows: number) => void): Promise<number> {
  let seen = 0;
  async function* escaped() {
    for await (const block of batches) {
      yield escapeCopy(block);
      seen += countLines(block);
      onProgress?.(seen);
    }
  }
  return copyIn(table, COLUMNS, escaped());
}

export async function spanOf(trx: Kysely<Database>, table: string, rows: number): Promise<StagedRows> {
  const span = await sql<{ first: IsoDate | null; last: IsoDate | null }>`select min(date) as first, max(date) as last from ${sql.table(table)}`.execute(trx);
  return { rows, first: span.rows[0]?.first ?? null, last: span.rows[0]?.last ?? null };
}

/** Replaces the days first..last of bioc_web_downloads with the staged rows. */
export async function replaceDays(trx: Kysely<Database>, first: IsoDate, last: IsoDate): Promise<{ deleted: number }> {
  const deleted = await trx.deleteFrom("bioc_web_downloads").where("date", ">=", first).where("date", "<=", last).executeTakeFirst();
  await sql`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package)
    select date, "c-ip", "sc-status", category, package from ${sql.table(STAGE)}`.execute(trx);
  return { deleted: Number(deleted.numDeletedRows) };
}
