// Stores made once per `vitest run` and copied by the tests that start from them. A migrated, empty
// PGlite data folder, made by test/helpers/global-setup.ts; and stores holding some data (the
// small fixture's downloads, the planted data of helpers/planted.ts), each made by the first test
// file that asks for it while the others wait: a PGlite data folder, or on the server a database
// that later ones are created from (`create database … template …`). A copied folder opens as the
// folder it was copied from (its migrations are recorded in webstats_migrations); its lock file,
// DIR.lock, is the copy's own.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { ingestRows } from "../../src/ingest/replace-days.js";
import { inBatches } from "../../src/sources/batches.js";
import { readPackagesCsv } from "../../src/sources/packages-csv.js";
import { readRowsFile } from "../../src/sources/rows-file.js";
import { openStore, type Store } from "../../src/store/database.js";
import { upsertPackages } from "../../src/store/packages.js";
import { templatePrefix } from "./global-setup.js";
import { FIXTURES } from "./temp.js";

/** What a filled store holds: written by `fill` into a fresh migrated store. */
export type Fill = (store: Store) => Promise<void>;

/** Fills `dataDir` (new, or an empty folder) with an empty migrated store; returns `dataDir`. */
export function migratedPglite(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  cpSync(inject("pgliteTemplate"), dataDir, { recursive: true });
  return dataDir;
}

/** small-s1's packages.csv and downloads.tsv.gz. */
export const smallS1: Fill = async (store) => {
  await upsertPackages(store.db, await readPackagesCsv(join(FIXTURES, "small-s1", "packages.csv")));
  await ingestRows(store, inBatches(readRowsFile(join(FIXTURES, "small-s1", "downloads.tsv.gz"))));
};

/** Fills `dataDir` (new, or an empty folder) with a copy of the PGlite store `fill` made once for the run under `name`; returns `dataDir`. */
export async function filledPglite(name: string, fill: Fill, dataDir: string): Promise<string> {
  const ready = await madeOnce(`${name}.pglite`, async (work) => {
    migratedPglite(work);
    const store = await openStore({ dataDir: work });
    try {
      await fill(store);
    } finally {
      await store.close();
    }
  });
  mkdirSync(dataDir, { recursive: true });
  cpSync(ready, dataDir, { recursive: true });
  return dataDir;
}

/**
 * The name of the database on `serverUrl` that `fill` made once for the run under `name`, to create
 * others from. Nobody connects to it once made: a template with a session open cannot be copied.
 */
export async function filledDatabase(serverUrl: string, name: string, fill: Fill): Promise<string> {
  const database = templatePrefix(dirname(inject("pgliteTemplate"))) + name.replace(/[^a-z0-9]/gi, "_").toLowerCase();
  await madeOnce(`${name}.postgresql`, async () => {
    await onServer(serverUrl, `drop database if exists ${database} with (force)`, `create database ${database}`); // a failed try's is dropped
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const store = await openStore({ databaseUrl: url.href, dataDir: join(dirname(inject("pgliteTemplate")), "unused") });
    try {
      await fill(store);
    } finally {
      await store.close();
    }
  });
  return database;
}

/** Runs `statements` in turn on the server's default database. */
export async function onServer(serverUrl: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/**
 * The folder `ROOT/name`, made once for the run by `make` (which fills the empty folder it is
 * given) in whichever test file asks first, while the others wait for it; a failure is tried again
 * by the next to ask.
 */
async function madeOnce(name: string, make: (work: string) => Promise<void>): Promise<string> {
  const root = dirname(inject("pgliteTemplate"));
  const ready = join(root, name);
  const making = join(root, `${name}.making`);
  const deadline = Date.now() + 170_000;
  while (!existsSync(ready)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for another test file to make ${ready}`);
    if (takeFolder(making)) {
      try {
        const work = join(root, `${name}.tmp`);
        rmSync(work, { recursive: true, force: true }); // what a failed try left
        mkdirSync(work);
        await make(work);
        renameSync(work, ready);
      } finally {
        rmSync(making, { recursive: true, force: true });
      }
    } else {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return ready;
}

/** Makes `dir`, unless another process made it first (the lock of the one making the store). */
function takeFolder(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}
