// The nightly run end to end on the embedded database: CloudFront logs → build → publish to a
// real S3 API on loopback; then "nothing to do", a held lock, and a bad configuration.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nightly } from "../src/commands/nightly.js";
import { ExitError, UsageError } from "../src/errors.js";
import { readPackagesCsv } from "../src/sources/packages-csv.js";
import { listRemote } from "../src/publish/s3-sync.js";
import { openStore } from "../src/store/database.js";
import { upsertPackages } from "../src/store/packages.js";
import { S3Client } from "@aws-sdk/client-s3";
import { migratedPglite } from "./helpers/store-templates.js";
import { startS3Server, type S3Server } from "./helpers/s3.js";
import { FIXTURES, suiteDir } from "./helpers/temp.js";

const LOGS = new URL("./data/cloudfront/dated/", import.meta.url).pathname;
let dir: string;
let cleanup: () => void;
let server: S3Server;

beforeAll(async () => {
  [dir, cleanup] = suiteDir();
  mkdirSync(join(dir, "s3"));
  server = await startS3Server(join(dir, "s3"), ["site"]);
  const store = await openStore({ dataDir: migratedPglite(join(dir, "db")) });
  await upsertPackages(store.db, await readPackagesCsv(join(FIXTURES, "small-s1", "packages.csv")));
  // The first days come from a backfill; the nightly continues from ValidThru.
  await store.close();
  writeFileSync(
    join(dir, "webstats.config.json"),
    JSON.stringify({ source: { logs: LOGS }, out: "site", publish: { to: "s3://site/packages/stats/", delete: true }, packages: { update: false } }),
  );
});
afterAll(async () => {
  await server?.stop();
  cleanup?.();
});

const options = (extra: object = {}) => ({
  databaseUrl: undefined,
  dataDir: join(dir, "db"),
  quiet: true,
  cwd: dir,
  home: homedir(),
  config: "webstats.config.json",
  packages: true,
  now: new Date("2025-01-03T01:30:00Z"),
  s3Endpoint: server.endpoint,
  ...extra,
});

describe("webstats nightly", () => {
  it("ingests, builds and publishes, and says so in one line", async () => {
    const store = await openStore({ dataDir: join(dir, "db") });
    await store.db.insertInto("webstats_info").values({ key: "ValidThru", value: "2024-12-29" }).execute();
    await store.close();
    const lines: string[] = [];
    await nightly(options(), (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^nightly: 2,433 download rows for 2024-12-30\.\.2025-01-02 from 96 files.*; built [\d,]+ files.*; published [\d,]+ files \(0 unchanged, 0 deleted\)$/,
    );
    const keys = (await listRemote(new S3Client({ region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true }), "site", "packages/stats/")).map(
      (o) => o.key,
    );
    expect(keys).toContain("packages/stats/bioc/bioc_pkg_scores.tab");
    expect(readFileSync(join(dir, "site", "index.html"), "utf8")).toContain("Data as of Thu. 02 Jan 2025.");
  });

  it("exits 2 when there is nothing to do", async () => {
    await expect(nightly(options(), () => {})).rejects.toMatchObject({ code: 2, message: expect.stringMatching(/already up to date/) });
  });

  it("exits 2 while another nightly holds the lock", async () => {
    writeFileSync(join(dir, "site.lock"), String(process.pid));
    try {
      const error = await nightly(options({ now: new Date("2025-01-04T01:30:00Z") }), () => {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExitError);
      expect(error).toMatchObject({ code: 2, message: expect.stringMatching(/another run holds .*site\.lock/) });
    } finally {
      writeFileSync(join(dir, "site.lock"), "999999999"); // a dead owner: taken over next time
    }
  });

  it("exits 2 for an out folder webstats did not make, before taking a lock or ingesting (issue 10)", async () => {
    mkdirSync(join(dir, "theirs"));
    writeFileSync(join(dir, "theirs", "other.html"), "theirs");
    writeFileSync(join(dir, "theirs.json"), JSON.stringify({ source: { logs: LOGS }, out: "theirs", packages: { update: false } }));
    const error = await nightly(options({ config: "theirs.json", now: new Date("2025-01-04T01:30:00Z") }), () => {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2, message: expect.stringMatching(/theirs is a folder holding other files.*remove it yourself$/) });
    expect(
      readdirSync(dir)
        .filter((n) => n.startsWith("theirs"))
        .sort(),
    ).toEqual(["theirs", "theirs.json"]);
    expect(readdirSync(join(dir, "theirs"))).toEqual(["other.html"]);
  });

  it("names the key of a bad configuration", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ source: { logs: LOGS }, publish: { to: "https://example.org/" } }));
    const error = await nightly(options({ config: "bad.json" }), () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/bad\.json: publish\.to: want s3:\/\/bucket\/prefix$/);
  });
});
