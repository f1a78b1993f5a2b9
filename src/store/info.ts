// webstats_info: ValidThru (the legacy key), and webstats' own state of its summary tables.
import type { Kysely } from "kysely";
import { parseIsoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "./schema.js";

/** `ValidThru` is the legacy server's; the others are webstats' own. */
export type InfoKey = "ValidThru" | "SummaryTables" | "RecentThru" | "SummarizeFrom" | "SummarizeWhole" | "CrawlerPackages";

export async function getInfo(db: Kysely<Database>, key: InfoKey): Promise<string | null> {
  const row = await db.selectFrom("webstats_info").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setInfo(db: Kysely<Database>, key: InfoKey, value: string | null): Promise<void> {
  await db
    .insertInto("webstats_info")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** The last date of ingested logs, or null before the first ingest. */
export async function getValidThru(db: Kysely<Database>): Promise<IsoDate | null> {
  const value = await getInfo(db, "ValidThru");
  if (!value) return null;
  const date = parseIsoDate(value.slice(0, 10));
  if (!date) throw new Error(`webstats_info.ValidThru is not a date: ${JSON.stringify(value)}`);
  return date;
}

export async function setValidThru(db: Kysely<Database>, date: IsoDate): Promise<void> {
  await setInfo(db, "ValidThru", date);
}
