// The store on a PostgreSQL server survives the server ending its idle connections; PGlite runs
// with the shared buffers webstats sets, and makes a new folder from the build's template.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openStore, PGLITE_SHARED_BUFFERS, PGLITE_TEMPLATE_SETTINGS } from "../src/store/database.js";
import { makePgliteTemplate, pgliteTemplateFile, pgliteVersion } from "../src/store/pglite-template.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { tempDir } from "./helpers/temp.js";

const server = BACKENDS.find((b) => b.name === "PostgreSQL")!;

describe.skipIf(!server.available)("the store on PostgreSQL", () => {
  const current = freshStorePerTest(server, []);

  it("lives on when the server terminates its idle connections (regression: an unhandled 'error' event crashed the process)", async () => {
    const { store, url } = current();
    const pid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0]!.pid;
    const before = await pid();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query("select pg_terminate_backend($1) as ok", [before]);
      expect(rows[0].ok).toBe(true);
    } finally {
      await admin.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // the FATAL reaches the idle client
    expect(await pid()).not.toBe(before);
  });
});

describe("the store on PGlite", () => {
  it("runs with 32 MB of shared buffers, set once in a folder that had PGlite's default (regression: 128 MB were most of an ingest's peak memory)", async () => {
    const dataDir = migratedPglite(join(mkdtempSync(join(tmpdir(), "webstats-buffers-")), "db"));
    // As a folder made before the setting: PGlite's initdb wrote no such line.
    const auto = join(dataDir, "postgresql.auto.conf");
    writeFileSync(auto, readFileSync(auto, "utf8").replace(/^shared_buffers.*$/m, ""));
    const shown = async () => {
      const store = await openStore({ dataDir });
      try {
        return (await sql<{ s: string }>`select current_setting('shared_buffers') as s`.execute(store.db)).rows[0]!.s;
      } finally {
        await store.close();
      }
    };
    expect(PGLITE_SHARED_BUFFERS).toBe("32MB");
    expect(await shown()).toBe("32MB");
    expect(readFileSync(auto, "utf8")).toMatch(/^shared_buffers = '32MB'$/m);
    expect(await shown()).toBe("32MB");
  });

  it("makes a new data folder from the build's template of a fresh folder, not by PGlite's initdb (which peaked at ~900 MB), migrated as any other", async () => {
    const template = await makePgliteTemplate(PGLITE_TEMPLATE_SETTINGS);
    expect(template).toBe(pgliteTemplateFile(pgliteVersion()));
    const dir = tempDir("webstats-new-folder-");
    const identity = async (dataDir: string) => {
      const store = await openStore({ dataDir });
      try {
        const { rows } = await sql<{ id: string; buffers: string; migrated: number }>`select (select system_identifier::text from pg_control_system()) as id,
          current_setting('shared_buffers') as buffers, (select count(*)::int from information_schema.tables where table_name = 'webstats_year_pairs') as migrated`.execute(
          store.db,
        );
        return rows[0]!;
      } finally {
        await store.close();
      }
    };
    // A folder left half-made by a killed run is made again; a missing folder and an empty one are new.
    mkdirSync(join(dir, "a.webstats-template-partial", "base"), { recursive: true });
    writeFileSync(join(dir, "a.webstats-template-partial", "PG_VERSION"), "junk");
    mkdirSync(join(dir, "b"));
    const [a, b] = [await identity(join(dir, "a")), await identity(join(dir, "b"))];
    expect(existsSync(join(dir, "a.webstats-template-partial"))).toBe(false);
    expect(a).toEqual({ id: a.id, buffers: "32MB", migrated: 1 });
    // initdb gives every cluster its own system identifier; copies of one template share it.
    expect(b.id).toBe(a.id);
    // A folder that exists is opened as it is: its data kept.
    const store = await openStore({ dataDir: join(dir, "a") });
    await sql`create table kept (x int)`.execute(store.db);
    await store.close();
    const again = await openStore({ dataDir: join(dir, "a") });
    try {
      expect((await sql<{ n: number }>`select count(*)::int as n from kept`.execute(again.db)).rows[0]!.n).toBe(0);
    } finally {
      await again.close();
    }
  });
});
