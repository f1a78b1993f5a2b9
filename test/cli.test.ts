// The command line as an operator meets it: help with examples, exit codes, one-line errors.
// main() runs in this process (helpers/cli.ts), except where a test is about the process:
// bin's exit code, the AWS SDK's notice, a crash.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openStore } from "../src/store/database.js";
import { runCli, spawnCli } from "./helpers/cli.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { tempDir } from "./helpers/temp.js";

/** A working folder whose default PGlite data folder (.webstats/db) is a migrated, empty store. */
function project(): string {
  const cwd = tempDir();
  migratedPglite(join(cwd, ".webstats/db"));
  return cwd;
}

function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL; // these runs use the embedded default
  env.WEBSTATS_MAX_LAG = "none"; // their rows are of 2025, deliberately: a build's lag limit is tested in build-ingest.test.ts
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED; // set for the test run (vitest.config.ts): the CLI must silence the SDK's notice itself
  return env;
}

/** The CLI in this process. */
const webstats = (args: string[], cwd = tempDir()) => runCli(args, cwd, cliEnv());
/** bin/webstats.js, a process of its own. */
const spawned = (args: string[], cwd = tempDir()) => spawnCli(args, cwd, cliEnv());

describe("webstats CLI", () => {
  it.each([[[]], [["packages", "import"]], [["ingest"]], [["build"]], [["demo"]], [["summarize"]], [["status"]]])(
    "has --help with an example: %j",
    async (args) => {
      const r = await webstats([...args, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Example/);
    },
  );

  // The SDK prints its notice only on Node.js < 22: there this test can fail.
  it.skipIf(Number(process.versions.node.split(".")[0]) >= 22)(
    "prints one error line and no AWS SDK notice about Node.js versions, with --quiet or without",
    () => {
      const cwd = tempDir();
      writeFileSync(join(cwd, "index.html"), "a built tree");
      // No credentials, nothing on port 1: the publish fails, and says so in one line.
      const publish = ["publish", "--to", "s3://site/x/", "--out", ".", "--s3-endpoint", "http://127.0.0.1:1"];
      for (const args of [["--quiet", ...publish], publish]) {
        const r = spawned(args, cwd);
        expect(r.code).toBe(1);
        expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^webstats: /)]);
        expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
      }
    },
  );

  it("exits 1 with one line naming a rows file that is not there (regression: an unhandled stream error crashed with a stack trace)", () => {
    const r = spawned(["ingest", "--rows", "missing.tsv"], project());
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^webstats: missing\.tsv: cannot read: ENOENT: no such file or directory[^\n]*$/);
  });

  it("lists the exit codes in the main help", () => {
    expect(spawned(["--help"]).stdout).toMatch(/Exit codes:[\s\S]*0 +success[\s\S]*1 +failed[\s\S]*2 +usage/);
  });

  it("exits 2 on a usage error", () => {
    const r = spawned(["build", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it("exits 1 with a one-line error naming file, line and value for a bad rows file", async () => {
    const cwd = project();
    writeFileSync(join(cwd, "rows.tsv"), "date\tc-ip\tsc-status\tcategory\tpackage\n2025-13-01\t1.1.1.1\t200\tbioc\taffy\n");
    const r = await webstats(["ingest", "--rows", "rows.tsv"], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('webstats: rows.tsv:2: bad date "2025-13-01" (want YYYY-MM-DD)');
  });

  it("imports packages, ingests, builds; refuses to build an empty database", async () => {
    const cwd = tempDir(); // no data folder yet: the first command makes it
    expect(await webstats(["build"], cwd)).toMatchObject({ code: 1, stderr: expect.stringMatching(/nothing to build: no data ingested yet/) });
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\n");
    writeFileSync(join(cwd, "rows.csv"), "date,c-ip,sc-status,category,package\n2025-01-02,1.1.1.1,200,bioc,affy\n");
    expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    const quiet = await webstats(["ingest", "--rows", "rows.csv", "--quiet"], cwd);
    expect(quiet).toMatchObject({ code: 0, stderr: "" });
    expect(quiet.stdout).toMatch(/^ingest: 1 download rows for 2025-01-02\.\.2025-01-02 from rows\.csv .*ValidThru 2025-01-02\n$/);
    const built = await webstats(["build", "--out", "site"], cwd);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^build: \d+ files/);
  });

  it("a backfill (rows of more than 31 days after ValidThru) says how long storing its rows and its one summarize took; a month's ingest does not", async () => {
    const cwd = project();
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\n");
    expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    const header = "date,c-ip,sc-status,category,package\n";
    writeFileSync(join(cwd, "two.csv"), header + "2025-01-02,1.1.1.1,200,bioc,affy\n2025-02-20,1.1.1.2,200,bioc,affy\n2025-02-21,1.1.1.2,200,bioc,affy\n");
    const text = await webstats(["ingest", "--rows", "two.csv", "--quiet"], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ingest: 3 download rows for 2025-01-02\.\.2025-02-21 from two\.csv \(replaced 0 earlier rows of those days\) in \d+\.\d s \(rows stored in \d+\.\d s, [\d,]+ rows\/s; then summarized in \d+\.\d s\); ValidThru 2025-02-21\n$/,
    );
    writeFileSync(join(cwd, "next.csv"), header + "2025-02-22,1.1.1.1,200,bioc,affy\n2025-04-10,1.1.1.3,200,bioc,affy\n");
    const json = JSON.parse((await webstats(["ingest", "--rows", "next.csv", "--json"], cwd)).stdout) as { seconds: number; summarizeSeconds: number };
    expect(json.summarizeSeconds).toBeGreaterThan(0);
    expect(json.summarizeSeconds).toBeLessThanOrEqual(json.seconds);
    writeFileSync(join(cwd, "day.csv"), header + "2025-04-11,1.1.1.1,200,bioc,affy\n");
    const day = await webstats(["ingest", "--rows", "day.csv", "--json"], cwd);
    expect(JSON.parse(day.stdout)).not.toHaveProperty("summarizeSeconds");
  });

  it("ingests logs with --json and shows the run in status", async () => {
    const cwd = project();
    const data = new URL("./data/cloudfront/", import.meta.url).pathname;
    writeFileSync(join(cwd, "p.csv"), readFileSync(new URL("./fixtures/small-s1/packages.csv", import.meta.url), "utf8"));
    expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    const r = await webstats(["ingest", "--logs", join(data, "flat"), "--since", "2025-03-30", "--until", "2025-04-01", "--json"], cwd);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { rows: number; first: string; last: string; log: { files: number; badLines: number } };
    expect(summary).toMatchObject({ first: "2025-03-30", last: "2025-04-01", log: { files: 72, badLines: 0 } });
    expect(summary.rows).toBe(readFileSync(join(data, "flat.expected.tsv"), "utf8").trim().split("\n").length - 1);
    const status = await webstats(["status"], cwd);
    expect(status.stdout).toMatch(/ValidThru: 2025-04-01\nsummaries: up to date with the stored rows\n/);
    expect(status.stdout).toMatch(/#1 ok +2025-03-30\.\.2025-04-01 .*flat — 72 files, 4500 lines/);
  });

  it("exits 1 naming a truncated log file, and exits 2 on a gap", async () => {
    const cwd = project();
    const data = new URL("./data/cloudfront/", import.meta.url).pathname;
    const bad = await webstats(["ingest", "--logs", join(data, "bad"), "--since", "2025-06-01", "--until", "2025-06-02"], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cutcutcu\.gz: cannot read: unexpected end of file/);
    expect((await webstats(["ingest", "--logs", join(data, "flat"), "--since", "2025-03-30", "--until", "2025-03-30"], cwd)).code).toBe(0);
    const gap = await webstats(["ingest", "--logs", join(data, "flat"), "--since", "2025-04-01", "--until", "2025-04-01"], cwd);
    expect(gap.code).toBe(2);
    expect(gap.stderr).toMatch(/would leave 2025-03-31\.\.2025-03-31 missing after ValidThru 2025-03-30; .* --allow-gap/);
  });

  // Issue 10, defect 5.
  it("a package named index.html is refused by packages import, with every other bad name, and nothing is written", async () => {
    const cwd = project();
    const names = ["affy", "index.html", "1abc", "abc.", "a_b", "a-b", "TReNA", "trena"];
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\n" + names.map((n) => `${n},bioc,301,`).join("\n") + "\n");
    const r = await webstats(["packages", "import", "p.csv"], cwd);
    expect(r.code).toBe(1);
    expect(
      r.stderr
        .trim()
        .split("\n")
        .map((l) => l.replace(/^webstats: /, "").replace(/^(p\.csv:\d+: package name "[^"]*").*/, "$1")),
    ).toEqual([
      'p.csv:3: package name "index.html"',
      'p.csv:4: package name "1abc"',
      'p.csv:5: package name "abc."',
      'p.csv:6: package name "a_b"',
      'p.csv:7: package name "a-b"',
    ]);
    expect(await query(cwd, "select count(*)::int as n from packages")).toEqual([{ n: 0 }]);
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\nTReNA,bioc,306,306\ntrena,bioc,306,\n");
    expect(await webstats(["packages", "import", "p.csv"], cwd)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^packages: 2 added/) });
    expect(await query(cwd, 'select package from packages order by package collate "C"')).toEqual([{ package: "TReNA" }, { package: "trena" }]);
  });

  it("a bad name already in the packages table is skipped by build with one warning line; the rest of the tree is as usual", async () => {
    const cwd = project();
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\nlimma,bioc,108,\n");
    const rows = ["affy", "limma", "index.html", "a_b", "../up"].map((p, i) => `2025-01-02,1.1.1.${i},200,bioc,${p}`);
    writeFileSync(join(cwd, "rows.csv"), "date,c-ip,sc-status,category,package\n" + rows.join("\n") + "\n");
    expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    expect((await webstats(["ingest", "--rows", "rows.csv"], cwd)).code).toBe(0);
    expect(await webstats(["build", "--out", "clean"], cwd)).toMatchObject({ code: 0, stderr: "" });
    // The legacy table may hold anything: other tools fill it.
    await query(
      cwd,
      "insert into packages values ('index.html', 'bioc', '301', null), ('a_b', 'bioc', '301', null), ('../up', 'bioc', '301', null), ('bad.', 'annotation', '301', null)",
    );
    expect((await webstats(["summarize"], cwd)).code).toBe(0);
    const built = await webstats(["build", "--out", "site"], cwd);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^build: \d+ files/);
    const warnings = built.stderr.trim().split("\n");
    expect(warnings).toHaveLength(4);
    for (const [i, name] of ["../up", "a_b", "bad.", "index.html"].entries())
      expect(warnings[i]).toMatch(new RegExp(`^build: skipped .*"${name.replace(/[.]/g, "\\.")}"`));
    // Only the combined counts of the category see the skipped packages' downloads.
    const files = (dir: string) => readdirSync(join(cwd, dir), { recursive: true, encoding: "utf8" }).sort();
    expect(files("site")).toEqual(files("clean"));
    const api = JSON.parse(readFileSync(join(cwd, "site/api/v1/packages.json"), "utf8")) as { packages: Array<{ name: string }> };
    expect(api.packages.map((p) => p.name)).toEqual(["affy", "limma"]);
    expect(readFileSync(join(cwd, "site/bioc/bioc_packages.txt"), "utf8")).toBe(readFileSync(join(cwd, "clean/bioc/bioc_packages.txt"), "utf8"));
  });

  // Issue 10, defect 6.
  it("exits 1 with FILE:LINE on a rows file that is not UTF-8 or holds a NUL, and stores nothing", async () => {
    const cwd = project();
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\n");
    expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    for (const [bad, reason] of [
      ["1.1.1.\xe9", "not valid UTF-8"],
      ["1.1.1.\0", "NUL"],
    ]) {
      writeFileSync(
        join(cwd, "rows.tsv"),
        Buffer.from(`date\tc-ip\tsc-status\tcategory\tpackage\n2025-01-02\t1.1.1.1\t200\tbioc\taffy\n2025-01-02\t${bad}\t200\tbioc\taffy\n`, "latin1"),
      );
      const r = await webstats(["ingest", "--rows", "rows.tsv"], cwd);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^webstats: rows\\.tsv:3: [^\\n]*${reason}[^\\n]*$`));
    }
    writeFileSync(join(cwd, "p.csv"), Buffer.from("package,category,first_version,last_version\ncaf\xe9,bioc,108,\n", "latin1"));
    expect(await webstats(["packages", "import", "p.csv"], cwd)).toMatchObject({ code: 1, stderr: "webstats: p.csv:2: not valid UTF-8\n" });
    expect(await query(cwd, "select count(*)::int as n from bioc_web_downloads")).toEqual([{ n: 0 }]);
    expect(await query(cwd, "select package from packages")).toEqual([{ package: "affy" }]);
  });
});

/** Runs SQL on the embedded database the CLI runs in `cwd` used. */
async function query(cwd: string, text: string): Promise<unknown[]> {
  const store = await openStore({ dataDir: join(cwd, ".webstats/db") });
  try {
    return (await sql.raw(text).execute(store.db)).rows;
  } finally {
    await store.close();
  }
}
