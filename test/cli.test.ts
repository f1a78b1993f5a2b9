// The command line as an operator meets it: help with examples, exit codes, one-line errors.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/temp.js";

const BIN = new URL("../bin/webstats.js", import.meta.url).pathname;

function webstats(args: string[], cwd = tempDir()) {
  const env = { ...process.env };
  delete env.DATABASE_URL; // these runs use the embedded default
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("webstats CLI", () => {
  it.each([[[]], [["packages", "import"]], [["ingest"]], [["build"]], [["demo"]], [["summarize"]]])("has --help with an example: %j", (args) => {
    const r = webstats([...args, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example/);
  });

  it("lists the exit codes in the main help", () => {
    expect(webstats(["--help"]).stdout).toMatch(/Exit codes:[\s\S]*0 +success[\s\S]*1 +failed[\s\S]*2 +usage/);
  });

  it("exits 2 on a usage error", () => {
    const r = webstats(["build", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it("exits 1 with a one-line error naming file, line and value for a bad rows file", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "rows.tsv"), "date\tc-ip\tsc-status\tcategory\tpackage\n2025-13-01\t1.1.1.1\t200\tbioc\taffy\n");
    const r = webstats(["ingest", "--rows", "rows.tsv"], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('webstats: rows.tsv:2: bad date "2025-13-01" (want YYYY-MM-DD)');
  });

  it("imports packages, ingests, builds; refuses to build an empty database", () => {
    const cwd = tempDir();
    expect(webstats(["build"], cwd)).toMatchObject({ code: 1, stderr: expect.stringMatching(/nothing to build: no data ingested yet/) });
    writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\n");
    writeFileSync(join(cwd, "rows.csv"), "date,c-ip,sc-status,category,package\n2025-01-02,1.1.1.1,200,bioc,affy\n");
    expect(webstats(["packages", "import", "p.csv"], cwd).code).toBe(0);
    expect(webstats(["ingest", "--rows", "rows.csv", "--quiet"], cwd)).toMatchObject({ code: 0, stdout: "" });
    const built = webstats(["build", "--out", "site"], cwd);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^build: \d+ files/);
  });
});
