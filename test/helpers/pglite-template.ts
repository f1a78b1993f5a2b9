// A migrated, empty PGlite data folder in a moment: a copy of the one test/helpers/global-setup.ts
// made for this run. A copy opens as the folder it was copied from (its migrations are recorded
// in webstats_migrations); its lock file, DIR.lock, is the copy's own.
import { cpSync, mkdirSync } from "node:fs";
import { inject } from "vitest";

/** Fills `dataDir` (new, or an empty folder) with an empty migrated store; returns `dataDir`. */
export function migratedPglite(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  cpSync(inject("pgliteTemplate"), dataDir, { recursive: true });
  return dataDir;
}
