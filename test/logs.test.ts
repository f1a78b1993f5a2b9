// CloudFront logs → download rows, proved against datasets from docs/tools/gen_cloudfront.py
// (copied into test/data/cloudfront): its *.expected.tsv holds the rows the production Athena
// view selects from the same logs.
import { readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { DownloadRow, IsoDate } from "../src/domain/types.js";
import { runIngest } from "../src/commands/ingest.js";
import { emptyLogReport, logRows } from "../src/ingest/log-rows.js";
import { listLocalLogs } from "../src/sources/log-files.js";
import { parseBlock } from "../src/sources/batches.js";
import { parsePackagesCsv } from "../src/sources/packages-csv.js";
import { latestRuns } from "../src/store/ingest-runs.js";
import { getValidThru } from "../src/store/info.js";
import type { Store } from "../src/store/database.js";
import { addDays } from "../src/domain/dates.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { FIXTURES, tempDir } from "./helpers/temp.js";

const DATA = new URL("./data/cloudfront/", import.meta.url).pathname;
const key = (r: { date: string; ip: string; status: number | string; category: string; package: string }) =>
  [r.date, r.ip, r.status, r.category, r.package].join("\t");

function expectedRows(dataset: string): string[] {
  return readFileSync(join(DATA, `${dataset}.expected.tsv`), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .sort();
}

async function select(dataset: string, first: string, last: string, skipBadFiles = false) {
  const report = emptyLogReport();
  const rows: DownloadRow[] = [];
  const files = await listLocalLogs(join(DATA, dataset), first as IsoDate, last as IsoDate);
  for await (const r of logRows(files, { first: first as IsoDate, last: last as IsoDate, maxBadLines: { count: 10 }, skipBadFiles }, report))
    rows.push(...parseBlock(r));
  return { rows: rows.map(key).sort(), report };
}

describe("selecting downloads from CloudFront logs", () => {
  it("selects exactly the Athena view's rows from flat logs", async () => {
    const { rows, report } = await select("flat", "2025-03-30", "2025-04-01");
    expect(rows).toEqual(expectedRows("flat"));
    expect(report.files).toBe(72);
    expect(report.lines).toBe(4500);
    expect(report.badLines).toBe(0);
  });

  it("selects exactly the Athena view's rows from logs in dated folders, across a year end", async () => {
    const { rows } = await select("dated", "2024-12-30", "2025-01-02");
    expect(rows).toEqual(expectedRows("dated"));
  });

  it("takes only the days asked for, by file name and by line date", async () => {
    const { rows } = await select("dated", "2024-12-31", "2025-01-01");
    expect(rows).toEqual(expectedRows("dated").filter((r) => r.startsWith("2024-12-31") || r.startsWith("2025-01-01")));
  });

  it("fails on a truncated gzip file, naming it", async () => {
    await expect(select("bad", "2025-06-01", "2025-06-02")).rejects.toThrow(
      /E1TVLJONPTUXV3\.2025-06-01-01\.cutcutcu\.gz: cannot read: unexpected end of file \(nothing from this run was stored/,
    );
  });

  it("with --skip-bad-files, leaves the file out, lists it, and counts malformed lines with file:line", async () => {
    const { rows, report } = await select("bad", "2025-06-01", "2025-06-02", true);
    expect(rows).toEqual(expectedRows("bad"));
    expect(report.skippedFiles).toEqual([expect.stringMatching(/cutcutcu\.gz: cannot read/)]);
    expect(report.badLines).toBe(5);
    expect(report.badSamples[0]).toMatch(/badbadba\.gz:3: 1 fields, want 33$/);
    expect(report.badSamples).toContainEqual(expect.stringMatching(/badbadba\.gz:8: bad sc-status "notanumber"$/));
  });

  it("fails when malformed lines pass the limit", async () => {
    const files = await listLocalLogs(join(DATA, "bad"), "2025-06-01" as IsoDate, "2025-06-02" as IsoDate);
    const rows = logRows(
      files,
      { first: "2025-06-01" as IsoDate, last: "2025-06-02" as IsoDate, maxBadLines: { share: 0.001 }, skipBadFiles: true },
      emptyLogReport(),
    );
    await expect(
      (async () => {
        for await (const _ of rows);
      })(),
    ).rejects.toThrow(/^5 malformed lines of \d+ \(more than the 1 allowed by --max-bad-lines\); first: .*badbadba\.gz:3/);
  });
});

// Issue 10, defect 6: a line that is not UTF-8, holds a NUL or is longer than 64 KiB is a bad
// line (counted against --max-bad-lines, with its file:line), never a row.
describe("lines no log should have (issue 10)", () => {
  const HEADER = "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent)\n";
  const line = (ip: string, referer = "-") =>
    `2025-06-01\t02:48:09\tIAD89-C1\t2171309\t${ip}\tGET\th\t/packages/3.18/bioc/src/contrib/affyio_2.16.2.tar.gz\t200\t${referer}\tcurl/8.5.0\n`;

  async function selectFrom(body: Buffer) {
    const dir = tempDir();
    writeFileSync(join(dir, "E1TVLJONPTUXV3.2025-06-01-02.d3d4ac41.gz"), gzipSync(Buffer.concat([Buffer.from(HEADER), body])));
    const files = await listLocalLogs(dir, "2025-06-01" as IsoDate, "2025-06-01" as IsoDate);
    const report = emptyLogReport();
    const rows: DownloadRow[] = [];
    for await (const r of logRows(
      files,
      { first: "2025-06-01" as IsoDate, last: "2025-06-01" as IsoDate, maxBadLines: { count: 10 }, skipBadFiles: false },
      report,
    ))
      rows.push(...parseBlock(r));
    return { rows: rows.map((r) => r.ip), report, file: files[0]!.name };
  }

  it("counts a line that is not UTF-8 and a line with a NUL as bad lines, with samples", async () => {
    const body = Buffer.concat([
      Buffer.from(line("1.1.1.1")),
      Buffer.from(line("1.1.1.\xe9"), "latin1"),
      Buffer.from(line("1.1.1.\0")),
      Buffer.from(line("1.1.1.4")),
    ]);
    const { rows, report, file } = await selectFrom(body);
    expect(rows).toEqual(["1.1.1.1", "1.1.1.4"]);
    expect(report.badLines).toBe(2);
    expect(report.badSamples).toEqual([`${file}:4: not valid UTF-8`, `${file}:5: holds a NUL byte`]);
  });

  it("counts a line longer than 64 KiB as a bad line, however long, and reads on", async () => {
    const body = [line("1.1.1.1"), line("1.1.1.2", "r".repeat(70_000)), line("1.1.1.3", "r".repeat(20 * 1024 * 1024)), line("1.1.1.4")].join("");
    const { rows, report, file } = await selectFrom(Buffer.from(body));
    expect(rows).toEqual(["1.1.1.1", "1.1.1.4"]);
    expect(report.badSamples).toEqual([`${file}:4: line longer than 65536 bytes`, `${file}:5: line longer than 65536 bytes`]);
    expect(report.lines).toBe(4);
  });
});

const PACKAGES = parsePackagesCsv(readFileSync(join(FIXTURES, "small-s1", "packages.csv"), "utf8"), "packages.csv");

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`ingesting logs on ${backend.name}`, () => {
    const current = freshStorePerTest(backend, PACKAGES);

    const stored = async () =>
      (
        await sql<{ date: string; ip: string; status: number; category: string; package: string }>`
        select date, "c-ip" as ip, "sc-status" as status, category, package from bioc_web_downloads`.execute(current().store.db)
      ).rows
        .map(key)
        .sort();
    const options = (extra: object) => ({
      ...current(),
      databaseUrl: current().url,
      dataDir: current().dataDir,
      quiet: true,
      cwd: DATA,
      home: homedir(),
      logs: join(DATA, "dated"),
      now: new Date("2025-01-03T05:00:00Z"),
      ...extra,
    });

    it("stores the view's rows, records the run, and is idempotent", async () => {
      const first = await runIngest(current().store, options({ since: "2024-12-30" }));
      expect(first).toMatchObject({ first: "2024-12-30", last: "2025-01-02", validThru: "2025-01-02" });
      expect(await stored()).toEqual(expectedRows("dated"));
      const again = await runIngest(current().store, options({ since: "2024-12-30" }));
      expect(again?.replaced).toBe(expectedRows("dated").length);
      expect(await stored()).toEqual(expectedRows("dated"));
      const runs = await latestRuns(current().store.db, 5);
      expect(runs.map((r) => [r.outcome, Number(r.files), Number(r.rows_kept)])).toEqual([
        ["ok", 96, expectedRows("dated").length],
        ["ok", 96, expectedRows("dated").length],
      ]);
    });

    it("continues from ValidThru by default, and says when there is nothing to do", async () => {
      await runIngest(current().store, options({ since: "2024-12-30", until: "2024-12-31" }));
      const next = await runIngest(current().store, options({}));
      expect(next).toMatchObject({ first: "2025-01-01", last: "2025-01-02" });
      expect(await stored()).toEqual(expectedRows("dated"));
      expect(await runIngest(current().store, options({}))).toBeNull();
    });

    it("refuses a day without a single log file (missing data, not zero downloads)", async () => {
      await expect(runIngest(current().store, options({ since: "2024-12-30", until: "2025-01-03" }))).rejects.toThrow(
        /^no log files for 2025-01-03 in .*dated; nothing was stored \(end the run before it with --until 2025-01-02\)$/,
      );
      expect(await stored()).toEqual([]);
      expect(await getValidThru(current().store.db)).toBeNull();
    });

    it("refuses a gap after ValidThru unless allowed", async () => {
      await runIngest(current().store, options({ since: "2024-12-30", until: "2024-12-30" }));
      await expect(runIngest(current().store, options({ since: "2025-01-01" }))).rejects.toThrow(
        /would leave 2024-12-31\.\.2024-12-31 missing after ValidThru 2024-12-30/,
      );
      await runIngest(current().store, options({ since: "2025-01-01", allowGap: true }));
      expect(await getValidThru(current().store.db)).toBe("2025-01-02");
    });

    it("stores nothing from a run that fails, and records the failure", async () => {
      await runIngest(current().store, options({ since: "2024-12-30" }));
      const before = await stored();
      await expect(runIngest(current().store, options({ logs: join(DATA, "bad"), since: "2025-06-01", until: "2025-06-02", allowGap: true }))).rejects.toThrow(
        /cutcutcu/,
      );
      expect(await stored()).toEqual(before);
      const [last] = await latestRuns(current().store.db, 1);
      expect(last).toMatchObject({ outcome: "failed", message: expect.stringMatching(/cutcutcu\.gz: cannot read/) });
    });
  });
}

// Issue 11: a backfill of many months commits a month at a time, and the same command run again
// after it stopped part-way goes on from the first month not committed: nothing counted twice.
describe.each(BACKENDS.filter((b) => b.available))("a backfill from logs in month chunks on $name", (backend) => {
  const current = freshStorePerTest(backend, parsePackagesCsv(readFileSync(join(FIXTURES, "small-s1/packages.csv"), "utf8"), "packages.csv"));
  const HEADER = readFileSync(join(DATA, "flat/E1TVLJONPTUXV3.2025-03-30-00.290e339f.gz"));

  /** One log file a day from `first` to `last`, each line a download of a fixture package from one of a few IPs. */
  function writeLogs(dir: string, first: IsoDate, last: IsoDate): string[] {
    const [version, fields, template] = gunzipSync(HEADER).toString().split("\n") as [string, string, string];
    const cells = template.split("\t");
    const rows: string[] = [];
    let n = 0;
    for (let day = first; day <= last; day = addDays(day, 1)) {
      const lines = [version, fields];
      for (let i = 0; i < 3 + (n % 4); i++, n++) {
        const ip = `10.0.${n % 7}.${i}`;
        const pkg = ["affy", "limma", "GO.db"][n % 3]!;
        const category = pkg === "GO.db" ? "annotation" : "bioc";
        const path = pkg === "GO.db" ? `/packages/3.21/data/annotation/src/contrib/${pkg}_1.0.tar.gz` : `/packages/3.21/bioc/src/contrib/${pkg}_1.0.tar.gz`;
        lines.push([day, ...cells.slice(1, 4), ip, cells[5], cells[6], path, ...cells.slice(8)].join("\t"));
        rows.push([day, ip, "200", category, pkg].join("\t"));
      }
      writeFileSync(join(dir, `E1TEST.${day}-12.00000000.gz`), gzipSync(lines.join("\n") + "\n"));
    }
    return rows.sort();
  }

  it("commits each month, and goes on after a failure from the month that failed", async () => {
    const dir = tempDir();
    const want = writeLogs(dir, "2024-11-20" as IsoDate, "2025-01-10" as IsoDate);
    const options = {
      databaseUrl: current().url,
      dataDir: current().dataDir,
      quiet: true,
      cwd: dir,
      home: homedir(),
      logs: dir,
      since: "2024-11-20",
      until: "2025-01-10",
      now: new Date("2025-01-11T05:00:00Z"),
    };
    // December's last file is cut short: November is committed, December fails, nothing of it is stored.
    const broken = join(dir, "E1TEST.2024-12-31-12.00000000.gz");
    const whole = readFileSync(broken);
    writeFileSync(broken, whole.subarray(0, 30));
    await expect(runIngest(current().store, options)).rejects.toThrow(/E1TEST\.2024-12-31-12\.00000000\.gz: cannot read/);
    const firstRun = (await latestRuns(current().store.db, 1))[0]!;
    expect([firstRun.outcome, firstRun.done_through]).toEqual(["failed", "2024-11-30"]);
    expect(await getValidThru(current().store.db)).toBe("2024-11-30");
    expect(await stored(current().store)).toEqual(want.filter((r) => r < "2024-12"));

    writeFileSync(broken, whole);
    const progress: string[] = [];
    const second = await runIngest(current().store, options, (t) => progress.push(t));
    expect(progress[0]).toBe(`ingest: going on from 2024-12-01, after run #${firstRun.id} stopped`);
    expect(second).toMatchObject({ first: "2024-11-20", last: "2025-01-10", validThru: "2025-01-10" });
    expect(await stored(current().store)).toEqual(want);
    // And the same range again, from scratch: the same table (each month replaced, not added to).
    await runIngest(current().store, options);
    expect(await stored(current().store)).toEqual(want);
    const { rows } = await sql<{ n: number }>`select sum(download_count)::int as n from stats where is_monthly`.execute(current().store.db);
    expect(rows[0]!.n).toBe(want.filter((r) => !r.endsWith("\tlimma")).length); // limma is not in this fixture's packages
  });
});

async function stored(store: Store): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`select concat_ws(E'\\t', date, "c-ip", "sc-status", category, package) as line from bioc_web_downloads`.execute(
    store.db,
  );
  return rows.map((r) => r.line).sort();
}
