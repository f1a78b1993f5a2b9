// Issue 14: `webstats build` is what cron runs. With a source configured it ingests the days
// after ValidThru first; --no-ingest renders only; its summary line says how far the data is
// behind yesterday (UTC), and past --max-lag it exits 1 once the tree is written. The CLI as cron
// runs it, on the embedded database, with days counted back from today.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { tempDir } from "./helpers/temp.js";

const LOG_HEADER = new URL("./data/cloudfront/flat/E1TVLJONPTUXV3.2025-03-30-00.290e339f.gz", import.meta.url).pathname;

/** The UTC day `n` days before today. */
const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function webstats(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.DATABASE_URL; // the embedded default, in cwd/.webstats/db
  delete env.WEBSTATS_MAX_LAG;
  delete env.WEBSTATS_CONFIG;
  return runCli(args, cwd, env);
}

/** A working folder with a migrated store, affy and limma in its packages table, and one row of `day` ingested. */
async function project(day: string): Promise<string> {
  const cwd = tempDir();
  migratedPglite(join(cwd, ".webstats/db"));
  writeFileSync(join(cwd, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\nlimma,bioc,108,\n");
  writeFileSync(join(cwd, "rows.csv"), `date,c-ip,sc-status,category,package\n${day},1.1.1.1,200,bioc,affy\n`);
  expect((await webstats(["packages", "import", "p.csv"], cwd)).code).toBe(0);
  expect((await webstats(["ingest", "--rows", "rows.csv"], cwd)).code).toBe(0);
  return cwd;
}

/** One CloudFront log file per day of `days` (two downloads each), in cwd/logs; the nightly configuration reading them. */
function configureLogs(cwd: string, days: readonly string[]): number {
  const [version, fields, template] = gunzipSync(readFileSync(LOG_HEADER)).toString().split("\n") as [string, string, string];
  const cells = template.split("\t");
  mkdirSync(join(cwd, "logs"));
  for (const day of days) {
    const lines = ["affy", "limma"].map((pkg, i) =>
      [day, ...cells.slice(1, 4), `10.0.0.${i}`, cells[5], cells[6], `/packages/3.21/bioc/src/contrib/${pkg}_1.0.tar.gz`, ...cells.slice(8)].join("\t"),
    );
    writeFileSync(join(cwd, "logs", `E1TEST.${day}-12.00000000.gz`), gzipSync([version, fields, ...lines].join("\n") + "\n"));
  }
  writeFileSync(join(cwd, "webstats.config.json"), JSON.stringify({ source: { logs: join(cwd, "logs") }, out: "site", packages: { update: false } }));
  return days.length * 2;
}

const servedThrough = (cwd: string, out: string) =>
  (JSON.parse(readFileSync(join(cwd, out, "api/v1/packages.json"), "utf8")) as { lastUpdatedOn: string }).lastUpdatedOn;

describe("webstats build, as cron runs it", () => {
  it("with the nightly configuration's source, ingests the days after ValidThru first, then renders them", async () => {
    const cwd = await project(daysAgo(4));
    const rows = configureLogs(cwd, [daysAgo(3), daysAgo(2), daysAgo(1)]);
    const r = await webstats(["--quiet", "build"], cwd);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(
      new RegExp(
        `^build: ingested ${rows} download rows for ${daysAgo(3)}\\.\\.${daysAgo(1)} from 3 files, .*; \\d+ files, [\\d.]+ MB .* → site; data through ${daysAgo(1)}, up to date\\n$`,
      ),
    );
    expect(servedThrough(cwd, "site")).toBe(daysAgo(1));
    // The same run as `ingest`: recorded, and the next build has nothing new to ingest.
    const status = (await webstats(["status"], cwd)).stdout;
    expect(status).toMatch(new RegExp(`ValidThru: ${daysAgo(1)}`));
    expect(status).toMatch(new RegExp(`#2 ok +${daysAgo(3)}\\.\\.${daysAgo(1)} .*logs — 3 files`));
    expect((await webstats(["build"], cwd)).stdout).toMatch(
      new RegExp(`^build: nothing new to ingest \\(ValidThru is yesterday\\); \\d+ files, .*; data through ${daysAgo(1)}, up to date\n$`),
    );
  });

  it("with --no-ingest renders what the database holds, and ingests nothing even with a source configured", async () => {
    const cwd = await project(daysAgo(4));
    configureLogs(cwd, [daysAgo(3), daysAgo(2), daysAgo(1)]);
    const r = await webstats(["build", "--no-ingest"], cwd);
    // Three days behind is still within the default --max-lag 3.
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(
      new RegExp(`^build: \\d+ files, .* → site; data through ${daysAgo(4)}, 3 days behind; --no-ingest: rendered what the database holds\\n$`),
    );
    expect(servedThrough(cwd, "site")).toBe(daysAgo(4));
    expect(await webstats(["build", "--no-ingest", "--rows", "rows.csv"], cwd)).toMatchObject({
      code: 2,
      stderr: "webstats: --no-ingest renders only: leave out --athena, --logs and --rows\n",
    });
  });

  it("without any source renders what the database holds, and says so", async () => {
    const cwd = await project(daysAgo(2));
    const r = await webstats(["build", "--out", "www"], cwd);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(
      new RegExp(
        `^build: \\d+ files, .* → www; data through ${daysAgo(2)}, 1 day behind; no source configured \\(no --athena, --logs, --rows or webstats\\.config\\.json\\): rendered what the database holds\\n$`,
      ),
    );
  });

  it("exits 1 after writing the tree when the data is more than --max-lag days behind, and 0 within it", async () => {
    const cwd = await project(daysAgo(9));
    writeFileSync(join(cwd, "later.csv"), `date,c-ip,sc-status,category,package\n${daysAgo(8)},1.1.1.2,200,bioc,limma\n`);
    // --rows as ingest takes it: ingested first, then the build finds the feed a week behind.
    const late = await webstats(["build", "--rows", "later.csv", "--out", "late"], cwd);
    expect(late.code).toBe(1);
    expect(late.stdout).toMatch(
      new RegExp(
        `^build: ingested 1 download rows for ${daysAgo(8)}\\.\\.${daysAgo(8)} from later\\.csv .*; \\d+ files, .* → late; data through ${daysAgo(8)}, 7 days behind\\n$`,
      ),
    );
    expect(late.stderr).toBe(
      `webstats: build: wrote late, but its data is 7 days behind yesterday (UTC), more than --max-lag 3 (data through ${daysAgo(8)}): has the source stopped delivering? (a historical dataset: --max-lag none)\n`,
    );
    expect(servedThrough(cwd, "late")).toBe(daysAgo(8));
    expect(existsSync(join(cwd, "late", "bioc", "limma", "index.html"))).toBe(true);

    expect((await webstats(["build", "--max-lag", "6", "--out", "late"], cwd)).code).toBe(1);
    expect(await webstats(["build", "--max-lag", "7", "--out", "late"], cwd)).toMatchObject({ code: 0, stderr: "" });
    expect(await webstats(["build", "--max-lag", "none", "--out", "late"], cwd)).toMatchObject({ code: 0, stderr: "" });
    expect(await webstats(["build", "--max-lag", "a week"], cwd)).toMatchObject({
      code: 2,
      stderr: 'webstats: --max-lag "a week": want a number of days (3) or none\n',
    });
  });
});
