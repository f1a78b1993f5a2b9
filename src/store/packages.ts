import type { Kysely } from "kysely";
import type { PackageRecord } from "../sources/packages-csv.js";
import type { Database } from "./schema.js";

const BATCH = 1000;

/** Inserts or updates every record, in one transaction. Returns how many were new. */
export async function upsertPackages(db: Kysely<Database>, records: readonly PackageRecord[]): Promise<{ added: number; updated: number }> {
  return db.transaction().execute(async (trx) => {
    const before = new Set((await trx.selectFrom("packages").select("package").execute()).map((r) => r.package));
    for (let i = 0; i < records.length; i += BATCH) {
      await trx
        .insertInto("packages")
        .values(records.slice(i, i + BATCH).map((r) => ({ package: r.name, category: r.category, first_version: r.firstVersion, last_version: r.lastVersion })))
        .onConflict((oc) =>
          oc.column("package").doUpdateSet((eb) => ({
            category: eb.ref("excluded.category"),
            first_version: eb.ref("excluded.first_version"),
            last_version: eb.ref("excluded.last_version"),
          })),
        )
        .execute();
    }
    const added = records.filter((r) => !before.has(r.name)).length;
    return { added, updated: records.length - added };
  });
}
