// Once per `vitest run`: a migrated, empty PGlite data folder, which every test that needs an
// embedded store copies (see pglite-template.ts) instead of running PGlite's initdb (WASM, a few
// seconds of CPU) and the migrations again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openStore } from "../../src/store/database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated, empty PGlite data folder to copy. */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), "webstats-template-"));
  const dataDir = join(root, "db");
  const store = await openStore({ dataDir });
  await store.close();
  project.provide("pgliteTemplate", dataDir);
  return () => rmSync(root, { recursive: true, force: true });
}
