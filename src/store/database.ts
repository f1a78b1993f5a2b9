// Opens the store: a PostgreSQL server through `pg` when a URL is given, else embedded PGlite
// in a data folder. Both get the same migrations and the same kysely code.
import { mkdir } from "node:fs/promises";
import { Kysely, PostgresDialect } from "kysely";
import { migrate } from "./migrate.js";
import { PGliteDialect } from "./pglite-dialect.js";
import type { Database } from "./schema.js";

export interface Store {
  readonly db: Kysely<Database>;
  /** For messages: "PostgreSQL at host/db" or "PGlite in DIR". */
  readonly description: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… ; absent = embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
}

// Dates stay `YYYY-MM-DD` strings and counts plain numbers on both drivers: a JS Date would
// drag a time zone into calendar dates, and counts never approach 2^53.
const DATE_OID = 1082;
const INT8_OID = 20;
const parseDate = (s: string): string => s;
const parseInt8 = (s: string): number => Number(s);

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPg(options.databaseUrl) : await openPglite(options.dataDir);
  try {
    await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

async function openPg(url: string): Promise<Store> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === DATE_OID ? parseDate : oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server ends while it sits idle (a restart, an administrator, a dropped
  // database) must not take the process down with an unhandled 'error' event: the pool drops
  // it, and the next query gets a new one or fails with the reason.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const where = new URL(url);
  return { db, description: `PostgreSQL at ${where.host}${where.pathname}`, close: () => db.destroy() };
}

async function openPglite(dataDir: string): Promise<Store> {
  const { PGlite } = await import("@electric-sql/pglite");
  await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { parsers: { [DATE_OID]: parseDate, [INT8_OID]: parseInt8 } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    description: `PGlite in ${dataDir}`,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
