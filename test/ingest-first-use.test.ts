// A new user's first commands (issue 14): a usage error comes before the database is opened (no
// PGlite folder made for it), and a store without its packages table says so instead of
// building empty pages.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { tempDir } from "./helpers/temp.js";

/** The CLI in this process (helpers/cli.ts). */
function webstats(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.DATABASE_URL; // these runs use the embedded default
  env.WEBSTATS_MAX_LAG = "none"; // their rows are of 2025, deliberately: the lag limit is tested in build-ingest.test.ts
  return runCli(args, cwd, env);
}

const ROWS_HEADER = "date,c-ip,sc-status,category,package\n";

describe("usage errors come before the database is opened", () => {
  it.each([
    [["ingest"], 2, /^webstats: ingest needs one source: --athena, --logs PATH\|s3:\/\/bucket\/prefix or --rows FILE$/],
    [["ingest", "--rows", "rows.csv", "--logs", "logs"], 2, /^webstats: ingest needs one source: /],
    [["ingest", "--logs", "logs", "--since", "2025-13-01"], 2, /^webstats: --since "2025-13-01" is not a date \(want YYYY-MM-DD\)$/],
    [["ingest", "--logs", "logs", "--since", "2025-02-01", "--until", "yesterday"], 2, /^webstats: --until "yesterday" is not a date \(want YYYY-MM-DD\)$/],
    [["ingest", "--logs", "logs", "--since", "2025-02-01", "--until", "2025-01-31"], 2, /^webstats: --until 2025-01-31 is before --since 2025-02-01$/],
    [["ingest", "--logs", "logs", "--max-bad-lines", "some"], 2, /^webstats: --max-bad-lines "some": want a count \(25\) or a share of all lines \(0\.1%\)$/],
    [["ingest", "--logs", "no-such-folder"], 2, /^webstats: cannot read the logs folder no-such-folder: ENOENT: no such file or directory/],
    [["ingest", "--logs", "rows.csv"], 2, /^webstats: --logs rows\.csv is not a folder /],
    [["ingest", "--athena", "--athena-output", "bucket/results/"], 2, /^webstats: not an s3:\/\/ URL: bucket\/results\/$/],
    [
      ["ingest", "--rows", "rows.csv", "--since", "2025-01-01"],
      2,
      /^webstats: --since\/--until choose the days for --athena or --logs; a rows file always covers its own dates$/,
    ],
    [["ingest", "--rows", "missing.csv"], 1, /^webstats: missing\.csv: cannot read: ENOENT: no such file or directory/],
    [["ingest", "--rows", "logs"], 1, /^webstats: logs: cannot read: not a file$/],
    [["build", "--rows", "missing.csv"], 1, /^webstats: missing\.csv: cannot read: ENOENT: no such file or directory/],
    [["build", "--logs", "no-such-folder"], 2, /^webstats: cannot read the logs folder no-such-folder: ENOENT: no such file or directory/],
  ])("webstats --data-dir NEW %j: exit %i, one line, and NEW is not created", async (args, code, message) => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "logs"));
    writeFileSync(join(cwd, "rows.csv"), ROWS_HEADER + "2025-01-02,1.1.1.1,200,bioc,affy\n");
    const r = await webstats(["--data-dir", "new", ...args], cwd);
    expect(r.code).toBe(code);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(cwd, "new"))).toBe(false);
  });
});

describe("a store without its packages", () => {
  /** A project whose default data folder is migrated, with `packages` lines imported (none: the table stays empty). */
  async function project(packages: string[]): Promise<string> {
    const cwd = tempDir();
    migratedPglite(join(cwd, ".webstats/db"));
    writeFileSync(join(cwd, "rows.csv"), ROWS_HEADER + "2025-01-02,1.1.1.1,200,bioc,affy\n2025-01-03,1.1.1.2,200,bioc,limma\n");
    if (packages.length) {
      writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\n" + packages.map((p) => `${p},bioc,108,\n`).join(""));
      expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    }
    return cwd;
  }
  const hint =
    /; run `webstats packages import FILE\.csv` or `webstats packages update` first \(the downloads already stored then count at once: nothing needs ingesting again\)$/;

  it("ingest into an empty packages table stores the rows and warns (even with --quiet) that packages come first; build refuses and writes no tree", async () => {
    const cwd = await project([]);
    const ingest = await webstats(["ingest", "--rows", "rows.csv", "--quiet"], cwd);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/^ingest: 2 download rows for 2025-01-02\.\.2025-01-03 /);
    expect(ingest.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^ingest: warning: the packages table is empty, so no download counts on the site; /),
    ]);
    expect(ingest.stderr.trim()).toMatch(hint);

    const build = await webstats(["build", "--out", "site"], cwd);
    expect(build.code).toBe(1);
    expect(build.stderr.trim()).toMatch(/^webstats: nothing to build: the packages table of PGlite in \S+ is empty; /);
    expect(build.stderr.trim()).toMatch(hint);
    expect(existsSync(join(cwd, "site"))).toBe(false);
  });

  it("ingest of rows none of whose packages is in the table warns, naming the days; build refuses; once the packages are imported, both go ahead without a word", async () => {
    const cwd = await project(["ABarray"]);
    const ingest = await webstats(["ingest", "--rows", "rows.csv", "--json"], cwd);
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ rows: 2, first: "2025-01-02", last: "2025-01-03" });
    expect(ingest.stderr.trim()).toMatch(
      /^ingest: warning: no download of 2025-01-02\.\.2025-01-03 is of a package in the packages table \(1 packages\), so none counts on the site; /,
    );
    expect(ingest.stderr.trim()).toMatch(hint);

    const build = await webstats(["build", "--out", "site"], cwd);
    expect(build.code).toBe(1);
    expect(build.stderr.trim()).toMatch(/^webstats: nothing to build: none of the 1 packages of the packages table has downloads in PGlite in \S+; /);
    expect(existsSync(join(cwd, "site"))).toBe(false);

    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\n");
    expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
    expect(await webstats(["build", "--out", "site"], cwd)).toMatchObject({ code: 0, stderr: "" });
    writeFileSync(join(cwd, "day.csv"), ROWS_HEADER + "2025-01-04,1.1.1.3,200,bioc,affy\n");
    expect(await webstats(["ingest", "--rows", "day.csv"], cwd)).toMatchObject({ code: 0, stderr: "" });
  });
});
