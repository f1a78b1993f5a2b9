import type { Kysely } from "kysely";
import { parseIsoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "./schema.js";

const VALID_THRU = "ValidThru";

/** The last date of ingested logs, or null before the first ingest. */
export async function getValidThru(db: Kysely<Database>): Promise<IsoDate | null> {
  const row = await db.selectFrom("webstats_info").select("value").where("key", "=", VALID_THRU).executeTakeFirst();
  if (!row?.value) return null;
  const date = parseIsoDate(row.value.slice(0, 10));
  if (!date) throw new Error(`webstats_info.ValidThru is not a date: ${JSON.stringify(row.value)}`);
  return date;
}

export async function setValidThru(db: Kysely<Database>, date: IsoDate): Promise<void> {
  await db
    .insertInto("webstats_info")
    .values({ key: VALID_THRU, value: date })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: date }))
    .execute();
}
