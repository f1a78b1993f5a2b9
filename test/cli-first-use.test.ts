// A new user's first commands (issue 14): a usage error comes before the database is opened (no
// PGlite folder made for it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/temp.js";

const BIN = new URL("../bin/webstats.js", import.meta.url).pathname;

function webstats(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.DATABASE_URL; // these runs use the embedded default
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
    [["ingest", "--rows", "rows.csv", "--since", "2025-01-01"], 2, /^webstats: --since\/--until choose the days for --athena or --logs; a rows file always covers its own dates$/],
    [["ingest", "--rows", "missing.csv"], 1, /^webstats: missing\.csv: cannot read: ENOENT: no such file or directory/],
    [["ingest", "--rows", "logs"], 1, /^webstats: logs: cannot read: not a file$/],
  ])("webstats --data-dir NEW %j: exit %i, one line, and NEW is not created", (args, code, message) => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "logs"));
    writeFileSync(join(cwd, "rows.csv"), ROWS_HEADER + "2025-01-02,1.1.1.1,200,bioc,affy\n");
    const r = webstats(["--data-dir", "new", ...args], cwd);
    expect(r.code).toBe(code);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(cwd, "new"))).toBe(false);
  });
});
