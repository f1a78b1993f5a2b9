// The store on a PostgreSQL server survives the server ending its idle connections.
import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";

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
