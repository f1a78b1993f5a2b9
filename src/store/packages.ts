import { sql, type Kysely } from "kysely";
import type { IsoDate } from "../domain/types.js";
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

/**
 * Whether the days first..last hold counted downloads at all, and any of a package in the
 * packages table (webstats_daily holds every pair of the raw rows, known or not: a day's few
 * thousand rows, not its raw ones). The summaries count only known pairs.
 */
export async function knownPackagesIn(db: Kysely<Database>, first: IsoDate, last: IsoDate): Promise<{ packages: number; downloads: boolean; known: boolean }> {
  const { rows } = await sql<{ packages: number; downloads: boolean; known: boolean }>`select
      (select count(*)::int from packages) as packages,
      exists (select 1 from webstats_daily d where d.date >= ${first} and d.date <= ${last}) as downloads,
      exists (select 1 from webstats_daily d join packages p on p.package = d.package and p.category = d.category
        where d.date >= ${first} and d.date <= ${last}) as known`.execute(db);
  return rows[0]!;
}
