// The store on a PostgreSQL server survives the server ending its idle connections; PGlite runs
// with the shared buffers webstats sets.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openStore, PGLITE_SHARED_BUFFERS } from "../src/store/database.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { migratedPglite } from "./helpers/store-templates.js";

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
});
