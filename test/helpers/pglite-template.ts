// A migrated, empty PGlite data folder in a moment: a copy of the one test/helpers/global-setup.ts
// made for this run. A copy opens as the folder it was copied from (its migrations are recorded
// in webstats_migrations); its lock file, DIR.lock, is the copy's own. The same for a store that
// holds small-s1's packages and downloads, which four test files start from: ingested once per
// run, by the first file that asks for it, while the others wait.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { inject } from "vitest";
import { ingestRows } from "../../src/ingest/replace-days.js";
import { inBatches } from "../../src/sources/batches.js";
import { readPackagesCsv } from "../../src/sources/packages-csv.js";
import { readRowsFile } from "../../src/sources/rows-file.js";
import { openStore } from "../../src/store/database.js";
import { upsertPackages } from "../../src/store/packages.js";
import { FIXTURES } from "./temp.js";

/** Fills `dataDir` (new, or an empty folder) with an empty migrated store; returns `dataDir`. */
export function migratedPglite(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  cpSync(inject("pgliteTemplate"), dataDir, { recursive: true });
  return dataDir;
}

/** Fills `dataDir` (new, or an empty folder) with a store holding small-s1's packages.csv and downloads.tsv.gz; returns `dataDir`. */
export async function smallS1Pglite(dataDir: string): Promise<string> {
  const root = dirname(inject("pgliteTemplate"));
  const ready = join(root, "small-s1");
  const making = join(root, "small-s1.making");
  const deadline = Date.now() + 170_000;
  while (!existsSync(ready)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for another test file to make ${ready}`);
    if (takeFolder(making)) {
      try {
        const work = join(root, "small-s1.tmp");
        rmSync(work, { recursive: true, force: true }); // what a failed try left
        migratedPglite(work);
        const store = await openStore({ dataDir: work });
        try {
          await upsertPackages(store.db, await readPackagesCsv(join(FIXTURES, "small-s1", "packages.csv")));
          await ingestRows(store, inBatches(readRowsFile(join(FIXTURES, "small-s1", "downloads.tsv.gz"))));
        } finally {
          await store.close();
        }
        renameSync(work, ready);
      } finally {
        rmSync(making, { recursive: true, force: true }); // made or failed: a failure is tried again by the next
      }
    } else {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  mkdirSync(dataDir, { recursive: true });
  cpSync(ready, dataDir, { recursive: true });
  return dataDir;
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
