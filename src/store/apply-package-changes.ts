import type { Kysely } from "kysely";
import type { PackageChange } from "../packages/plan-update.js";
import type { PackageRecord } from "../sources/packages-csv.js";
import type { DbCategory } from "../domain/categories.js";
import type { PackageName } from "../domain/types.js";
import type { Database } from "./schema.js";

export async function readPackages(db: Kysely<Database>): Promise<PackageRecord[]> {
  const rows = await db.selectFrom("packages").selectAll().execute();
  return rows.map((r) => ({ name: r.package as PackageName, category: r.category as DbCategory, firstVersion: r.first_version, lastVersion: r.last_version }));
}

/** All changes in one transaction. */
export async function applyPackageChanges(db: Kysely<Database>, changes: readonly PackageChange[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const c of changes) {
      if (c.kind === "add") {
        await trx.insertInto("packages").values({ package: c.name, category: c.category, first_version: c.firstVersion, last_version: null }).execute();
      } else {
        await trx
          .updateTable("packages")
          .set({ last_version: c.kind === "remove" ? c.lastVersion : null })
          .where("package", "=", c.name)
          .execute();
      }
    }
  });
}
