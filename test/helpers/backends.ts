// The two stores every database test runs on: embedded PGlite, and the PostgreSQL server that
// `npm test` starts (scripts/with-postgres.mjs, C.UTF-8 collation) or that DATABASE_URL names.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { PackageRecord } from "../../src/sources/packages-csv.js";
import { openStore, type Store } from "../../src/store/database.js";
import { upsertPackages } from "../../src/store/packages.js";
import { filledDatabase, filledPglite, type Fill, migratedPglite, onServer, smallS1 } from "./store-templates.js";

export interface Backend {
  readonly name: string;
  /** False when no server is configured (vitest run directly, without `npm test`). */
  readonly available: boolean;
  /** A fresh, empty, migrated store; `drop` removes it. */
  create(): Promise<CreatedStore>;
  /** A fresh store holding what `fill` wrote into an empty one: a copy of the store filled once per run under `name`. */
  createFilled(name: string, fill: Fill): Promise<CreatedStore>;
}

export interface CreatedStore {
  store: Store;
  url: string | undefined;
  dataDir: string;
  drop: () => Promise<void>;
}

const serverUrl = process.env.DATABASE_URL;

export const BACKENDS: readonly Backend[] = [
  {
    name: "PGlite",
    available: true,
    create: async () => openPglite(migratedPglite(newPgliteFolder())),
    createFilled: async (name, fill) => openPglite(await filledPglite(name, fill, newPgliteFolder())),
  },
  {
    name: "PostgreSQL",
    available: Boolean(serverUrl),
    create: () => openDatabase(),
    createFilled: async (name, fill) => openDatabase(await filledDatabase(serverUrl!, name, fill)),
  },
];

const newPgliteFolder = () => mkdtempSync(join(tmpdir(), "webstats-pglite-"));

/** A new database on the server, empty or a copy of `template`, and a store on it. */
async function openDatabase(template?: string): Promise<CreatedStore> {
  const name = `webstats_test_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl!, `create database ${name}${template ? ` template ${template}` : ""}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), "webstats-unused-"));
  const store = await openStore({ databaseUrl: url.href, dataDir });
  return {
    store,
    url: url.href,
    dataDir,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await onServer(serverUrl!, `drop database if exists ${name} with (force)`);
    },
  };
}

async function openPglite(dataDir: string): Promise<CreatedStore> {
  const store = await openStore({ dataDir });
  return { store, url: undefined, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A PGlite store of its own holding small-s1's packages and downloads (a copy of one ingested once per run). */
export const smallS1Store = (): Promise<CreatedStore> => BACKENDS[0]!.createFilled("small-s1", smallS1);

/** A fresh store with these packages for each test of the enclosing describe; read it through the getter. */
export function freshStorePerTest(backend: Backend, packages: readonly PackageRecord[]): () => CreatedStore {
  let created: CreatedStore;
  beforeEach(async () => {
    created = await backend.create();
    await upsertPackages(created.store.db, packages);
  });
  afterEach(async () => {
    await created.store.close();
    await created.drop();
  });
  return () => created;
}
