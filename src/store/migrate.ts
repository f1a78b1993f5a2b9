// Ordered migration files from sql/, each applied once in its own transaction and recorded in
// webstats_migrations, so that running twice is a no-op and two processes never race.
import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";

const SQL_DIR = fileURLToPath(new URL("../../sql/", import.meta.url));
// Any fixed number: the key of the advisory lock that serializes migrations between processes.
const MIGRATION_LOCK = 7_420_001;

export async function migrationFiles(): Promise<string[]> {
  return (await readdir(SQL_DIR)).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
}

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const applied: string[] = [];
  for (const file of await migrationFiles()) {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      await sql`create table if not exists webstats_migrations (name varchar(200) primary key, applied_at timestamptz not null default now())`.execute(trx);
      const done = await trx.selectFrom("webstats_migrations").select("name").where("name", "=", file).executeTakeFirst();
      if (done) return;
      await sql.raw(await readFile(SQL_DIR + file, "utf8")).execute(trx);
      await trx.insertInto("webstats_migrations").values({ name: file }).execute();
      applied.push(file);
    });
  }
  return applied;
}
