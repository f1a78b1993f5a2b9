// Download rows go first into a staging table, then replace whole days of bioc_web_downloads:
// the days a run covers are only known once the whole source is read, and a re-run of the
// same days must give the same table, never twice the rows.
import { sql, type Kysely, type Transaction } from "kysely";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import type { Database } from "./schema.js";

const BATCH = 20_000;

/** A PostgreSQL array literal: one text parameter per column instead of one per value. */
function arrayLiteral(values: readonly (string | number)[]): string {
  return "{" + values.map((v) => (typeof v === "number" ? String(v) : `"${v.replace(/[\\"]/g, "\\$&")}"`)).join(",") + "}";
}

export interface StagedRows {
  readonly rows: number;
  /** First and last date seen; null when the source had no rows. */
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
}

/** Copies the rows into a temporary table that disappears with the transaction. */
export async function stageRows(
  trx: Transaction<Database>,
  rows: AsyncIterable<DownloadRow>,
  onProgress?: (rows: number) => void,
): Promise<StagedRows> {
  await sql`create temp table ingest_stage (like bioc_web_downloads) on commit drop`.execute(trx);
  let count = 0;
  let first: IsoDate | null = null;
  let last: IsoDate | null = null;
  let batch: DownloadRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await sql`insert into ingest_stage (date, "c-ip", "sc-status", category, package)
      select * from unnest(${arrayLiteral(batch.map((r) => r.date))}::date[], ${arrayLiteral(batch.map((r) => r.ip))}::varchar[],
        ${arrayLiteral(batch.map((r) => r.status))}::int[], ${arrayLiteral(batch.map((r) => r.category))}::varchar[],
        ${arrayLiteral(batch.map((r) => r.package))}::varchar[])`.execute(trx);
    count += batch.length;
    batch = [];
    onProgress?.(count);
  };
  for await (const row of rows) {
    if (first === null || row.date < first) first = row.date;
    if (last === null || row.date > last) last = row.date;
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { rows: count, first, last };
}

/** Replaces the days first..last of bioc_web_downloads with the staged rows. */
export async function replaceDays(trx: Transaction<Database>, first: IsoDate, last: IsoDate): Promise<{ deleted: number }> {
  const deleted = await trx.deleteFrom("bioc_web_downloads").where("date", ">=", first).where("date", "<=", last).executeTakeFirst();
  await sql`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package)
    select date, "c-ip", "sc-status", category, package from ingest_stage`.execute(trx);
  return { deleted: Number(deleted.numDeletedRows) };
}

export async function countDownloads(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom("bioc_web_downloads").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}
