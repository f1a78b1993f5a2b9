// Opens the store: a PostgreSQL server through `pg` when a URL is given, else embedded PGlite
// in a data folder. Both get the same migrations and the same kysely code.
//
// One writer per database: every command that writes takes the writer lock (a session advisory
// lock, the same SQL on both stores) and a second writer gets LockHeld at once. PGlite is one
// process's WASM instance, so its advisory locks cannot see another process: its data folder
// also gets a lock file for as long as the store is open, whatever the command.
import type { PGlite as PGliteType } from "@electric-sql/pglite";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import type { Secret } from "../config/secret.js";
import { LockHeld } from "../errors.js";
import { takeLock } from "../nightly/run-lock.js";
import { migrate } from "./migrate.js";
import { PGliteDialect } from "./pglite-dialect.js";
import { makeFolderFromTemplate } from "./pglite-template.js";
import type { Database } from "./schema.js";

export interface Store {
  readonly db: Kysely<Database>;
  /** For messages: "PostgreSQL at host:port/db" or "PGlite in DIR". */
  readonly description: string;
  /**
   * Takes this database's one writer lock for as long as the store is open (again: a no-op).
   * LockHeld when another process holds it.
   */
  lockWriter(): Promise<void>;
  /** Runs `read` in one REPEATABLE READ READ ONLY transaction: every query sees one state. */
  readSnapshot<T>(read: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction on one connection, which can also COPY rows in: committed
   * when it returns, rolled back when it throws.
   */
  writeTransaction<T>(work: (trx: Kysely<Database>, copyIn: CopyIn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * COPY … FROM STDIN into `table` (columns in that order): blocks of text-format lines (tab
 * between fields, a line end after each row; no field holds a tab, a line end or a backslash).
 * Resolves to the rows copied.
 */
export type CopyIn = (table: string, columns: readonly string[], blocks: AsyncIterable<string>) => Promise<number>;

const copySql = (table: string, columns: readonly string[], from: string) => `copy ${table} (${columns.map((c) => `"${c}"`).join(", ")}) from ${from}`;

export interface StoreOptions {
  /** postgres://… ; absent = embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /** The login secret's password: handed to the driver alone (in the connection string it holds), never put in `databaseUrl`. */
  readonly databasePassword?: Secret | undefined;
  readonly dataDir: string;
}

// Dates stay `YYYY-MM-DD` strings and counts plain numbers on both drivers: a JS Date would
// drag a time zone into calendar dates, and counts never approach 2^53.
const DATE_OID = 1082;
const INT8_OID = 20;
const parseDate = (s: string): string => s;
const parseInt8 = (s: string): number => Number(s);

// Any fixed number, other than the migrations' (store/migrate.ts): the session advisory lock of the one writer.
const WRITER_LOCK = 7_420_003;
const tryWriterLock = sql<{ locked: boolean }>`select pg_try_advisory_lock(${sql.lit(WRITER_LOCK)}) as locked`;

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPg(options.databaseUrl, options.databasePassword) : await openPglite(options.dataDir);
  try {
    await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

function snapshotReader(db: Kysely<Database>): Store["readSnapshot"] {
  return (read) => db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(read);
}

/** `host:port/db` of a URL, without the user or password. */
export function serverName(url: string): string {
  const where = new URL(url);
  return `${where.hostname}:${where.port || "5432"}${where.pathname}`;
}

function withPassword(url: string, password: Secret): string {
  const where = new URL(url);
  where.password = encodeURIComponent(password.reveal());
  return where.href;
}

async function openPg(url: string, password: Secret | undefined): Promise<Store> {
  const { default: pg } = await import("pg");
  const config = {
    // pg takes the password from the connection string over a `password` option (an empty one
    // too), so the secret's goes into the string the driver holds, and nowhere else.
    connectionString: password ? withPassword(url, password) : url,
    application_name: "webstats",
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === DATE_OID ? parseDate : oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool({ ...config, max: 4 });
  // A connection the server ends while it sits idle (a restart, an administrator, a dropped
  // database) must not take the process down with an unhandled 'error' event: the pool drops
  // it, and the next query gets a new one or fails with the reason.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const description = `PostgreSQL at ${serverName(url)}`;
  // The writer lock lives in a session of its own, outside the pool, so it is held exactly as
  // long as this store and leaves the pool's connections to the work.
  let lockSession: InstanceType<typeof pg.Client> | null = null;
  return {
    db,
    description,
    readSnapshot: snapshotReader(db),
    async writeTransaction(work) {
      const client = await pool.connect();
      // Kysely over this one connection: it "releases" it after every query, which must not
      // hand it back to the pool in the middle of the transaction.
      const pinned = new Proxy(client, {
        get: (target, key) => (key === "release" ? () => {} : Reflect.get(target, key, target)),
      });
      const session = new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => pinned, end: async () => {} } as never }) });
      const { from: copyFrom } = await import("pg-copy-streams");
      const copyIn: CopyIn = async (table, columns, blocks) => {
        const stream = client.query(copyFrom(copySql(table, columns, "stdin")));
        const done = new Promise<void>((resolve, reject) => {
          stream.on("finish", resolve);
          stream.on("error", reject);
        });
        try {
          for await (const block of blocks) {
            if (!stream.write(block)) await new Promise((r) => stream.once("drain", r));
          }
        } catch (e) {
          stream.destroy(e as Error); // the server aborts the COPY, and with it the transaction
          await done.catch(() => {});
          throw e;
        }
        stream.end();
        await done;
        return stream.rowCount;
      };
      let failed: unknown = null;
      try {
        await client.query("begin");
        const result = await work(session, copyIn);
        await client.query("commit");
        return result;
      } catch (e) {
        failed = e;
        await client.query("rollback").catch(() => {});
        throw e;
      } finally {
        // A connection whose COPY or transaction broke is not given back for reuse.
        client.release(failed ? true : undefined);
      }
    },
    async lockWriter() {
      if (lockSession) return;
      const session = new pg.Client({ ...config, application_name: `webstats writer (pid ${process.pid})` });
      session.on("error", () => {});
      await session.connect();
      const { rows } = await session.query<{ locked: boolean }>(tryWriterLock.compile(db).sql);
      if (!rows[0]?.locked) {
        const holder = await session
          .query<{ application_name: string }>(
            `select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and l.objid = ${WRITER_LOCK} and l.granted limit 1`,
          )
          .then(
            (r) => r.rows[0]?.application_name,
            () => undefined,
          );
        await session.end();
        throw new LockHeld(
          `another webstats command is writing to ${description}${holder ? ` (${holder})` : ""}; nothing done, try again when it has finished`,
        );
      }
      lockSession = session;
    },
    async close() {
      await db.destroy();
      await lockSession?.end().catch(() => {});
    },
  };
}

/**
 * PGlite's shared buffers, set in the folder's postgresql.auto.conf. Its default, 128 MB, was most
 * of an ingest's memory (medium-s2 through the CLI: 460–495 MB peak, 352–378 MB at 32 MB, in the
 * same time): it is one session over files the OS caches already, in a WASM memory that never shrinks.
 */
export const PGLITE_SHARED_BUFFERS = "32MB";

/** What a PGlite folder made by the build's template already has set (pglite-template.ts). */
export const PGLITE_TEMPLATE_SETTINGS = { shared_buffers: PGLITE_SHARED_BUFFERS } as const;

/**
 * PGlite on `dataDir`, with PGLITE_SHARED_BUFFERS: a new folder is made from the build's
 * template where there is one; a folder without the setting gets it, and starts again (once).
 */
async function startPglite(dataDir: string): Promise<PGliteType> {
  const { PGlite } = await import("@electric-sql/pglite");
  makeFolderFromTemplate(dataDir);
  const start = () => PGlite.create(dataDir, { parsers: { [DATE_OID]: parseDate, [INT8_OID]: parseInt8 } });
  const pglite = await start();
  const { rows } = await pglite.query<{ setting: string }>("select current_setting('shared_buffers') as setting");
  if (rows[0]?.setting === PGLITE_SHARED_BUFFERS) return pglite;
  await pglite.exec(`alter system set shared_buffers = '${PGLITE_SHARED_BUFFERS}'`);
  await pglite.close();
  return start();
}

async function openPglite(dataDir: string): Promise<Store> {
  await mkdir(dirname(dataDir), { recursive: true });
  const lock = await takeLock(`${dataDir}.lock`);
  if ("heldBy" in lock) {
    throw new LockHeld(
      `the PGlite data folder ${dataDir} is in use by another webstats (pid ${lock.heldBy.pid}); nothing done, try again when it has finished`,
    );
  }
  try {
    await mkdir(dataDir, { recursive: true });
    const pglite = await startPglite(dataDir);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    let locked = false;
    return {
      db,
      description: `PGlite in ${dataDir}`,
      readSnapshot: snapshotReader(db),
      async writeTransaction(work) {
        // PGlite is one session: kysely's transaction is on it, and so is COPY.
        return db.transaction().execute((trx) =>
          work(trx, async (table, columns, blocks) => {
            let rows = 0;
            for await (const block of blocks) {
              const r = await pglite.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([block]) });
              rows += r.affectedRows ?? 0;
            }
            return rows;
          }),
        );
      },
      async lockWriter() {
        // Always granted (the folder's lock keeps other processes out); the same SQL as on a server.
        if (!locked) locked = Boolean((await tryWriterLock.execute(db)).rows[0]?.locked);
      },
      async close() {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

const LOST = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "57P01", "57P02", "57P03", "08000", "08003", "08006"]);

/** True for errors that mean the server went away or cannot be reached, not that a statement failed. */
export function isConnectionLost(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (typeof err?.code === "string" && LOST.has(err.code)) return true;
  return typeof err?.message === "string" && /Connection terminated|not queryable|connection error/i.test(err.message);
}
