// Once per `vitest run`: a migrated, empty PGlite data folder, which every test that needs an
// embedded store copies (see store-templates.ts) instead of running PGlite's initdb (WASM, a few
// seconds of CPU) and the migrations again. At the end, the template databases the run's tests
// made on the server are dropped with the folder.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openStore } from "../../src/store/database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated, empty PGlite data folder to copy. */
    pgliteTemplate: string;
  }
}

/** The prefix of the names of the template databases (store-templates.ts) of the run whose folder is `root`. */
export const templatePrefix = (root: string) => `webstats_tpl_${createHash("sha256").update(root).digest("hex").slice(0, 10)}_`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = mkdtempSync(join(tmpdir(), "webstats-template-"));
  const dataDir = join(root, "db");
  const store = await openStore({ dataDir });
  await store.close();
  project.provide("pgliteTemplate", dataDir);
  return async () => {
    rmSync(root, { recursive: true, force: true });
    if (process.env.DATABASE_URL) await dropTemplates(process.env.DATABASE_URL, templatePrefix(root));
  };
}

async function dropTemplates(serverUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await client.query(`drop database ${datname} with (force)`);
  } finally {
    await client.end();
  }
}
