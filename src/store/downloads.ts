// Download rows go first into a staging table, then replace whole days of bioc_web_downloads:
// the days a run covers are only known once the whole source is read, and a re-run of the
// same days must give the same table, never twice the rows.
import { sql, type Transaction } from "kysely";
import type { IsoDate } from "../domain/types.js";
import type { RowBatches } from "../sources/batches.js";
import type { Database } from "./schema.js";

export interface StagedRows {
  readonly rows: number;
  /** First and last date seen; null when the source had no rows. */
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
}

/** Copies the rows into a temporary table that disappears with the transaction. */
export async function stageRows(trx: Transaction<Database>, batches: RowBatches, onProgress?: (rows: number) => void): Promise<StagedRows> {
  await sql`create temp table ingest_stage (like bioc_web_downloads) on commit drop`.execute(trx);
  let count = 0;
  for await (const block of batches) {
    // PostgreSQL splits the block: one parameter per batch, no per-row work here.
    const inserted = await sql`insert into ingest_stage (date, "c-ip", "sc-status", category, package)
      select split_part(l, E'\\t', 1)::date, split_part(l, E'\\t', 2), split_part(l, E'\\t', 3)::int, split_part(l, E'\\t', 4), split_part(l, E'\\t', 5)
      from unnest(string_to_array(${block}, E'\\n')) as l where l <> ''`.execute(trx);
    count += Number(inserted.numAffectedRows ?? 0n);
    onProgress?.(count);
  }
  const span = await sql<{ first: IsoDate | null; last: IsoDate | null }>`select min(date) as first, max(date) as last from ingest_stage`.execute(trx);
  return { rows: count, first: span.rows[0]?.first ?? null, last: span.rows[0]?.last ?? null };
}

/** Replaces the days first..last of bioc_web_downloads with the staged rows. */
export async function replaceDays(trx: Transaction<Database>, first: IsoDate, last: IsoDate): Promise<{ deleted: number }> {
  const deleted = await trx.deleteFrom("bioc_web_downloads").where("date", ">=", first).where("date", "<=", last).executeTakeFirst();
  await sql`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package)
    select date, "c-ip", "sc-status", category, package from ingest_stage`.execute(trx);
  return { deleted: Number(deleted.numDeletedRows) };
}
