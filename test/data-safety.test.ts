// Issue 10's defects, each pinned by a regression test named after it: one writer per database
// on both stores, one snapshot per build, runs that died marked as such, stale locks, strict
// dates, and a lost server named.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withStore } from "../src/commands/with-store.js";
import { addDays } from "../src/domain/dates.js";
import type { IsoDate } from "../src/domain/types.js";
import { ExitError, GapAfterValidThru, InputError } from "../src/errors.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { takeLock } from "../src/nightly/run-lock.js";
import { parsePackagesCsv } from "../src/sources/packages-csv.js";
import { readRowsFileBlocks } from "../src/sources/rows-file.js";
import { openStore, type Store } from "../src/store/database.js";
import { loadPackedSiteData } from "../src/summaries/load.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { BIN, runCli } from "./helpers/cli.js";
import { oracle, summaries } from "./helpers/oracle.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { tempDir } from "./helpers/temp.js";

const HEADER = "date\tc-ip\tsc-status\tcategory\tpackage";
const PACKAGES_CSV = "package,category,first_version,last_version\naffy,bioc,108,\nGO.db,annotation,108,\n";
const PACKAGES = parsePackagesCsv(PACKAGES_CSV, "p.csv");

function rowsFile(dir: string, lines: readonly string[], name = "rows.tsv"): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER, ...lines].join("\n") + "\n");
  return path;
}

/** A rows file large enough that its ingest runs for several seconds (some ten starts of node). */
function bigRowsFile(dir: string): { path: string; rows: number } {
  const lines: string[] = [];
  for (let i = 0; i < 60_000; i++)
    lines.push(`2025-01-${String((i % 28) + 1).padStart(2, "0")}\t10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\t200\tbioc\taffy`);
  return { path: rowsFile(dir, lines, "big.tsv"), rows: lines.length };
}

const rowsOf = (path: string) => readRowsFileBlocks(path);

function cli(args: readonly string[], cwd: string, databaseUrl: string | undefined): ChildProcess {
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string; stdout: string }> {
  let stderr = "";
  let stdout = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.on("data", (d) => (stdout += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr, stdout })));
}

/** The CLI in this process (helpers/cli.ts), for the runs that need not overlap another. */
function cliHere(args: readonly string[], cwd: string, databaseUrl: string | undefined) {
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return runCli(args, cwd, env);
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function counts(store: Store) {
  const q = async (text: string) => (await sql.raw(text).execute(store.db)).rows[0] as Record<string, number>;
  return {
    ...(await q("select count(*)::int as downloads from bioc_web_downloads")),
    ...(await q("select coalesce(sum(download_count), 0)::int as monthly from stats where is_monthly")),
    ...(await q("select count(*)::int as runs from webstats_ingest_runs where outcome = 'ok'")),
  };
}

describe("one writer per PGlite data folder (regression: two commands on one folder corrupted it)", () => {
  it("two concurrent ingests on one folder: the second exits 2 at once, the folder opens afterwards holding exactly the first run's result", async () => {
    const dir = tempDir();
    const dataDir = migratedPglite(join(dir, "db"));
    writeFileSync(join(dir, "packages.csv"), PACKAGES_CSV);
    expect((await cliHere(["--data-dir", dataDir, "packages", "import", "packages.csv"], dir, undefined)).code).toBe(0);
    const big = bigRowsFile(dir);
    const first = cli(["--data-dir", dataDir, "--quiet", "ingest", "--rows", big.path], dir, undefined);
    const firstDone = finished(first);
    await until(() => existsSync(`${dataDir}.lock`), "the first ingest to lock the folder");
    // Both started at once, so that the first ingest need only outlast one start of node.
    const [second, summarize] = await Promise.all([
      finished(cli(["--data-dir", dataDir, "ingest", "--rows", big.path], dir, undefined)),
      finished(cli(["--data-dir", dataDir, "summarize"], dir, undefined)),
    ]);
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toMatch(
      new RegExp(`^webstats: the PGlite data folder ${dataDir} is in use by another webstats \\(pid ${first.pid}\\); nothing done`),
    );
    expect(first.exitCode).toBe(null); // they did not wait for the first to finish
    expect(summarize.code).toBe(2);
    expect((await firstDone).code).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const store = await openStore({ dataDir });
    try {
      expect(await counts(store)).toEqual({ downloads: big.rows, monthly: big.rows, runs: 1 });
    } finally {
      await store.close();
    }
  });

  it("takes over a lock whose process is gone, or whose pid now belongs to another process (a restarted container)", async () => {
    const dir = tempDir();
    const path = join(dir, "x.lock");
    const boot = spawnSync("cat", ["/proc/sys/kernel/random/boot_id"], { encoding: "utf8" }).stdout.trim() || null;
    // pid 1 is alive, but it started long before this lock's "owner" did.
    writeFileSync(path, JSON.stringify({ pid: 1, start: "999999999999", boot, host: hostname() }));
    const a = await takeLock(path);
    expect("release" in a).toBe(true);
    // A live owner's lock is never taken.
    const b = await takeLock(path);
    expect(b).toEqual({ heldBy: { pid: process.pid, host: hostname() } });
    if ("release" in a) await a.release();
    // A pid that no longer exists (the bare-pid format of older webstats).
    writeFileSync(path, "2147483000");
    const c = await takeLock(path);
    expect("release" in c).toBe(true);
    if ("release" in c) await c.release();
    expect(existsSync(path)).toBe(false);
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`data safety on ${backend.name}`, () => {
    const current = freshStorePerTest(backend, PACKAGES);

    it.runIf(backend.name === "PostgreSQL")(
      "every command that writes exits 2 while another holds the writer lock (regression: summarize and ingest interleaved, stats_pkey violated)",
      async () => {
        const { url, dataDir } = current();
        const dir = tempDir();
        writeFileSync(join(dir, "packages.csv"), PACKAGES_CSV);
        const rows = rowsFile(dir, ["2025-01-01\t1.1.1.1\t200\tbioc\taffy"]);
        const before = await counts(current().store);
        const ingest = await openStore({ databaseUrl: url, dataDir });
        try {
          await ingest.lockWriter(); // what a running ingest holds from its start to its end
          for (const args of [["summarize"], ["packages", "import", "packages.csv"], ["ingest", "--rows", rows], ["demo", "--out", "site"]]) {
            const r = await cliHere(args, dir, url);
            expect({ args, code: r.code }).toEqual({ args, code: 2 });
            expect(r.stderr.trim()).toMatch(
              /^webstats: another webstats command is writing to PostgreSQL at 127\.0\.0\.1:\d+\/webstats_test_\w+ \(webstats writer \(pid \d+\)\); nothing done, try again when it has finished$/,
            );
          }
          expect(await counts(current().store)).toEqual(before);
        } finally {
          await ingest.close();
        }
        // Released with its store: the next writer goes ahead.
        expect((await cliHere(["summarize"], dir, url)).code).toBe(0);
      },
    );

    it.runIf(backend.name === "PostgreSQL")("a build reads one snapshot (regression: 'Data as of 17 Jun' with 18 June's downloads)", async () => {
      const { store, url, dataDir } = current();
      const dir = tempDir();
      const writer = await openStore({ databaseUrl: url, dataDir });
      let committed = false;
      try {
        await ingestRows(writer, rowsOf(rowsFile(dir, ["2025-06-16\t1.1.1.1\t200\tbioc\taffy", "2025-06-17\t2.2.2.2\t200\tbioc\taffy"])));
        const before = await loadPackedSiteData(store);
        const during = await loadPackedSiteData(store, {
          betweenReads: async (read) => {
            if (read !== "ValidThru") return;
            await ingestRows(writer, rowsOf(rowsFile(dir, ["2025-06-18\t3.3.3.3\t200\tbioc\taffy", "2025-06-18\t4.4.4.4\t200\tannotation\tGO.db"], "day.tsv")));
            committed = true;
          },
        });
        expect(committed).toBe(true);
        expect(during).toEqual(before);
        // The ingest did commit: the next build sees it (so the equality above could have failed).
        expect((await loadPackedSiteData(store))!.validThru).toBe("2025-06-18");
      } finally {
        await writer.close();
      }
    });

    it("marks a run whose process died as abandoned, and status shows it (regression: it stayed 'running' forever)", async () => {
      const { store } = current();
      await store.db.insertInto("webstats_ingest_runs").values({ source: "killed.tsv", first_date: "2025-01-01", last_date: "2025-01-01" }).execute();
      const dir = tempDir();
      const path = rowsFile(dir, ["2025-01-01\t1.1.1.1\t200\tbioc\taffy"]);
      const { runIngest } = await import("../src/commands/ingest.js");
      await runIngest(store, { ...globalsFor(current()), rows: path });
      const runs = await store.db.selectFrom("webstats_ingest_runs").select(["source", "outcome", "message"]).orderBy("id").execute();
      expect(runs).toEqual([
        { source: "killed.tsv", outcome: "abandoned", message: "its process ended before the run finished (killed or crashed); nothing of it was stored" },
        { source: path, outcome: "ok", message: null },
      ]);
      const { status } = await import("../src/commands/status.js");
      await store.close();
      const lines: string[] = [];
      await status({ ...globalsFor(current()), runs: 5 }, (l) => lines.push(l));
      expect(lines.join("\n")).toMatch(/#1 abandoned 2025-01-01\.\.2025-01-01 killed\.tsv .* — its process ended before the run finished/);
      current().store = await openStore({ databaseUrl: current().url, dataDir: current().dataDir });
    });

    it("refuses rows dated after tomorrow (regression: one row of 2099-12-31 moved ValidThru there for good)", async () => {
      const { store } = current();
      const dir = tempDir();
      await ingestRows(store, rowsOf(rowsFile(dir, ["2025-01-01\t1.1.1.1\t200\tbioc\taffy"])));
      const error = await ingestRows(
        store,
        rowsOf(rowsFile(dir, ["2025-01-02\t1.1.1.1\t200\tbioc\taffy", "2099-12-31\t1.1.1.1\t200\tbioc\taffy"], "future.tsv")),
        {
          latest: "2025-01-03" as never,
          source: "future.tsv",
        },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe("future.tsv: rows dated up to 2099-12-31, after 2025-01-03 (tomorrow, UTC): a wrong date or clock; nothing stored");
      expect(await counts(store)).toMatchObject({ downloads: 1 });
      expect((await loadPackedSiteData(store))!.validThru).toBe("2025-01-01");
    });

    it("refuses a rows file that leaves days missing after ValidThru unless allowed, as the other sources do", async () => {
      const { store } = current();
      const dir = tempDir();
      await ingestRows(store, rowsOf(rowsFile(dir, ["2025-01-01\t1.1.1.1\t200\tbioc\taffy"])));
      const later = rowsFile(dir, ["2025-01-05\t1.1.1.1\t200\tbioc\taffy"], "later.tsv");
      const error = await ingestRows(store, rowsOf(later), { source: "later.tsv" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GapAfterValidThru);
      expect((error as Error).message).toBe(
        "later.tsv starts on 2025-01-05, which would leave 2025-01-02..2025-01-04 missing after ValidThru 2025-01-01; ingest those days first, or pass --allow-gap",
      );
      expect(await counts(store)).toMatchObject({ downloads: 1 });
      await ingestRows(store, rowsOf(later), { allowGap: true });
      expect(await counts(store)).toMatchObject({ downloads: 2 });
      // An older day is a backfill, never a gap.
      await ingestRows(store, rowsOf(rowsFile(dir, ["2024-12-01\t1.1.1.1\t200\tbioc\taffy"], "old.tsv")));
      expect(await counts(store)).toMatchObject({ downloads: 3 });
    });

    it.runIf(backend.name === "PostgreSQL")("names the server that went away and says nothing of the transaction was written", async () => {
      const { url, dataDir } = current();
      const error = await withStore({ databaseUrl: url, dataDir }, "write", async (store) => {
        await sql`select pg_terminate_backend(pg_backend_pid())`.execute(store.db);
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExitError);
      expect((error as ExitError).code).toBe(1);
      expect((error as Error).message).toMatch(
        /^lost the connection to PostgreSQL at 127\.0\.0\.1:\d+\/webstats_test_\w+ \(terminating connection due to administrator command\); the transaction open then was rolled back, so nothing of it was written$/,
      );
      const unreachable = await withStore({ databaseUrl: "postgres://webstats@127.0.0.1:1/x", dataDir }, "read", async () => {}).catch((e: unknown) => e);
      expect((unreachable as Error).message).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1\/x \(.*ECONNREFUSED.*\); nothing done$/);
    });
  });
}

function globalsFor(created: { url: string | undefined; dataDir: string }) {
  return { databaseUrl: created.url, dataDir: created.dataDir, quiet: true, cwd: created.dataDir, home: homedir() };
}

describe.skipIf(!BACKENDS[1]!.available)("a rows file of many months, killed part-way (issue 11: resumable backfill)", () => {
  const current = freshStorePerTest(BACKENDS[1]!, PACKAGES);

  it("kill -9 after its first month: the same command goes on from the next month and makes the summaries, nothing counted twice", async () => {
    const { url, dataDir } = current();
    const dir = tempDir();
    const lines: string[] = [];
    // Three months, shuffled: a rows file need not be sorted.
    for (let i = 0; i < 240_000; i++) {
      const month = ["2024-11", "2024-12", "2025-01"][i % 3]!;
      lines.push(
        `${month}-${String((i % 28) + 1).padStart(2, "0")}\t10.${i % 251}.${(i >> 8) % 256}.${i % 7}\t${i % 10 === 0 ? 304 : 200}\t${i % 2 ? "bioc" : "annotation"}\t${i % 2 ? "affy" : "GO.db"}`,
      );
    }
    const path = rowsFile(dir, lines);
    const child = cli(["--quiet", "ingest", "--rows", path], dir, url);
    const killed = finished(child);
    await until(async () => {
      const r = await current().store.db.selectFrom("webstats_ingest_runs").select("done_through").executeTakeFirst();
      return Boolean(r?.done_through) || child.exitCode !== null;
    }, "the first month to be committed");
    child.kill("SIGKILL");
    await killed;
    const after = await current().store.db.selectFrom("webstats_ingest_runs").select(["id", "done_through", "outcome"]).execute();
    expect(after).toEqual([{ id: 1, done_through: "2024-11-30", outcome: "running" }]);
    expect(await counts(current().store)).toMatchObject({ downloads: 80_000 });
    // A run of three months into a new database stores rows only, and makes the summaries at its end.
    expect((await cliHere(["status"], dir, url)).stdout).toMatch(/\nsummaries: being made again from 2024-11-01 /);
    expect((await cliHere(["build", "--no-ingest", "--out", join(dir, "site")], dir, url)).code).toBe(2);

    const again = await cliHere(["ingest", "--rows", path], dir, url);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/240,000 download rows for 2024-11-01\.\.2025-01-28/);
    const runs = await current().store.db.selectFrom("webstats_ingest_runs").select(["id", "outcome"]).orderBy("id").execute();
    expect(runs).toEqual([
      { id: 1, outcome: "abandoned" },
      { id: 2, outcome: "ok" },
    ]);
    const counted = lines.filter((l) => !l.includes("\t304\t")).length;
    expect(await counts(current().store)).toEqual({ downloads: 240_000, monthly: counted, runs: 1 });
    // Its stage is gone once the file is in.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_class where relname like 'webstats_stage_%'`.execute(current().store.db);
    expect(rows[0]!.n).toBe(0);
    void dataDir;
  });
});

describe.skipIf(!BACKENDS[1]!.available)(
  "summarize on a database that has only the legacy tables (issue 11: it works on the legacy production database as it is)",
  () => {
    const current = freshStorePerTest(BACKENDS[1]!, PACKAGES);

    it("ingest refuses until summarize filled webstats' tables; a summarize killed part-way is gone on with; the result is the legacy views' recount", async () => {
      const { url, store } = current();
      // Rows the legacy ETL loaded: straight into bioc_web_downloads, three years of them.
      await sql`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package)
      select d::date, '10.0.' || (i % 200) || '.' || (i % 13), case when i % 9 = 0 then 304 else 200 end,
        case when i % 2 = 0 then 'bioc' else 'annotation' end, case when i % 2 = 0 then 'affy' else 'GO.db' end
      from generate_series('2022-01-01'::date, '2024-12-31'::date, '1 day') d, generate_series(1, 300) i`.execute(store.db);
      await sql`update webstats_info set value = 'missing' where key = 'SummaryTables'`.execute(store.db);
      await sql`insert into webstats_info (key, value) values ('ValidThru', '2024-12-31')`.execute(store.db);
      const dir = tempDir();
      const day = rowsFile(dir, ["2025-01-01\t1.1.1.1\t200\tbioc\taffy"]);
      const refused = await cliHere(["ingest", "--rows", day], dir, url);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/summary tables are not filled yet .* run `webstats summarize` once first/);

      const child = cli(["summarize"], dir, url);
      const killed = finished(child);
      await until(
        async () =>
          (await sql<{ v: string | null }>`select value as v from webstats_info where key = 'SummarizeFrom'`.execute(store.db)).rows[0]?.v === "2023-01-01" ||
          child.exitCode !== null,
        "the first year to be committed",
      );
      child.kill("SIGKILL");
      await killed;
      expect((await cliHere(["ingest", "--rows", day], dir, url)).stderr).toMatch(/a summarize was interrupted; run `webstats summarize` to finish it/);
      const again = await cliHere(["summarize"], dir, url);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^summarize: went on with an interrupted run and made the summaries of 202[34]-01-01\.\.2024-12-31 again/);
      expect(await summaries(store)).toEqual(await oracle(store));
      expect((await cliHere(["ingest", "--rows", day], dir, url)).code).toBe(0);
      expect(await summaries(store)).toEqual(await oracle(store));
    });

    it("a backfill of more than a month past ValidThru on such a database makes every summary at its end, the legacy rows' too", async () => {
      const { url, store } = current();
      await sql`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package)
      select d::date, '10.0.' || (i % 50) || '.' || (i % 7), 200, 'bioc', case when i % 3 = 0 then 'GO.db' else 'affy' end
      from generate_series('2023-11-01'::date, '2024-12-31'::date, '1 day') d, generate_series(1, 40) i`.execute(store.db);
      await sql`update webstats_info set value = 'missing' where key = 'SummaryTables'`.execute(store.db);
      await sql`insert into webstats_info (key, value) values ('ValidThru', '2024-12-31')`.execute(store.db);
      const dir = tempDir();
      const lines: string[] = [];
      for (let d = 0; d < 45; d++) {
        const date = addDays("2025-01-01" as IsoDate, d);
        for (let i = 0; i < 20; i++) lines.push(`${date}\t10.1.${i % 9}.${d % 5}\t200\t${i % 2 ? "bioc" : "annotation"}\t${i % 2 ? "affy" : "GO.db"}`);
      }
      const r = await cliHere(["ingest", "--rows", rowsFile(dir, lines)], dir, url);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect((await cliHere(["status"], dir, url)).stdout).toMatch(/\nsummaries: up to date with the stored rows\n/);
      const got = await summaries(store);
      expect(got.stats.some((s) => (s as { date: string }).date === "2023-11-01")).toBe(true);
      expect(got).toEqual(await oracle(store));
    });
  },
);
