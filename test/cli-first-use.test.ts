// First use without surprises: --version (through bin/webstats.js as a person runs it), a bad
// --runs, and publish without credentials, to a bucket that is not there or cannot be reached,
// or of a folder that holds no built tree (S3 is s3rver on loopback). All but --version run the
// CLI's main() in this process (helpers/cli.ts), with the same environment a spawned one had.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "./helpers/cli.js";
import { startS3Server, type S3Server } from "./helpers/s3.js";
import { suiteDir, tempDir } from "./helpers/temp.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** The environment of a run with no AWS credentials anywhere (an empty home, no instance role) unless `env` gives some. */
function cliEnv(cwd: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "DATABASE_URL"));
  return { ...base, HOME: cwd, AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env };
}
/** The CLI in this process. */
const webstats = (args: string[], cwd: string, env: Record<string, string> = {}) => runCli(args, cwd, cliEnv(cwd, env));
/** bin/webstats.js, a process of its own. */
const spawned = (args: string[], cwd: string) => spawnCli(args, cwd, cliEnv(cwd, {}));

/** A folder holding what a build leaves at its root. */
function builtTree(): string {
  const cwd = tempDir();
  mkdirSync(join(cwd, "dist"));
  writeFileSync(join(cwd, "dist/index.html"), "<title>Bioconductor package download stats</title>");
  return cwd;
}

describe("webstats --version", () => {
  it("prints package.json's version", () => {
    for (const flag of ["--version", "-V"]) expect(spawned([flag], tempDir())).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });
});

describe("--help", () => {
  it("names the configuration's sources in their order, with an example of the legacy deployment's", async () => {
    const r = await webstats(["--help"], tempDir());
    expect(r.stdout).toMatch(/--db-secret <name> [\s\S]*--aws-parameter-path <path>/);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      "Each setting comes from the first source that gives it: flags, then the environment (AWS_PARAMETER_PATH also from a .env in this folder or a parent), then webstats.config.json (database.url, database.secret, aws.parameterPath), then the Parameter Store path",
    );
    expect(r.stdout).toContain("$ webstats --aws-parameter-path /bioc/webstats/prod --db-secret /bioc/rdb/0/login/webstats_runner status");
  });

  it.each([["publish"], ["nightly"], ["status"]])("of %s has examples", async (command) => {
    expect((await webstats([command, "--help"], tempDir())).stdout).toMatch(/Examples[^\n]*:\n {2}\S/);
  });
});

describe("status --runs", () => {
  it.each(["abc", "0", "-1", "2.5"])("refuses --runs %s as a usage error (exit 2), before the database is opened", async (runs) => {
    const cwd = tempDir();
    const r = await webstats(["status", "--runs", runs], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: option '-n, --runs <n>' argument '${runs}' is invalid. want a whole number, 1 or more.`);
    expect(readdir(cwd)).toEqual([]); // no PGlite folder made
  });
});

const readdir = (dir: string) => spawnSync("ls", ["-A", dir], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);

describe("publish", () => {
  let server: S3Server;
  let cleanup: () => void;
  beforeAll(async () => {
    let dir: string;
    [dir, cleanup] = suiteDir();
    server = await startS3Server(dir, ["site"]);
  });
  afterAll(async () => {
    await server?.stop();
    cleanup?.();
  });
  const keys = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

  it("without credentials says where it looked and how to give them (environment, profile, --s3-endpoint)", async () => {
    const r = await webstats(["publish", "--to", "s3://site/packages/stats/", "--dry-run"], builtTree());
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^webstats: publish --dry-run: cannot read s3:\/\/site\/packages\/stats\/ \(S3 at AWS\): no AWS credentials found: looked in the environment \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\), the profile AWS_PROFILE/,
    );
    expect(lines[0]).toMatch(
      /give them in the environment or as a profile \(AWS_PROFILE=NAME\), or, for a local S3-compatible server, --s3-endpoint URL .*; nothing sent$/,
    );
  });

  it("--dry-run says so when the bucket is not there, or its server cannot be reached", async () => {
    const cwd = builtTree();
    const missing = await webstats(["publish", "--to", "s3://no-such-bucket/x/", "--dry-run", "--s3-endpoint", server.endpoint], cwd, keys);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toBe(
      `webstats: publish --dry-run: cannot read s3://no-such-bucket/x/ (S3 at ${server.endpoint}): no bucket no-such-bucket there; nothing sent\n`,
    );
    const unreachable = await webstats(["publish", "--to", "s3://site/x/", "--dry-run", "--s3-endpoint", "http://127.0.0.1:1"], cwd, keys);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^webstats: publish --dry-run: cannot read s3:\/\/site\/x\/ \(S3 at http:\/\/127\.0\.0\.1:1\): the server cannot be reached \(.*ECONNREFUSED.*\); nothing sent\n$/,
    );
    // The same tree, to a bucket that is there: the plan.
    expect(await webstats(["publish", "--to", "s3://site/x/", "--dry-run", "--s3-endpoint", server.endpoint], cwd, keys)).toMatchObject({
      code: 0,
      stdout: "  upload x/index.html (new)\npublish: would upload 1, keep 0, delete 0; dry run, nothing sent\n",
    });
  });

  it.each([
    ["a folder that is not there", (cwd: string) => void cwd],
    ["an empty folder", (cwd: string) => mkdirSync(join(cwd, "dist"))],
    ["a folder of other files", (cwd: string) => (mkdirSync(join(cwd, "dist")), writeFileSync(join(cwd, "dist/notes.txt"), "x"))],
  ])("of %s says to run webstats build first (exit 2)", async (_what, make) => {
    const cwd = tempDir();
    make(cwd);
    const r = await webstats(["publish", "--to", "s3://site/y/", "--delete", "--s3-endpoint", server.endpoint], cwd, keys);
    expect(r).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "webstats: publish: dist holds no built tree (no index.html); run `webstats build --out dist` first\n",
    });
  });
});
