// webstats installed as a tool (issue 14): `npm pack`, `npm install -g` of the tarball into a
// temporary prefix, and the installed command run from another folder, with no TypeScript, no
// source and none of this repository's node_modules within reach. `npm test` has compiled lib/
// first, so the pack skips `prepare` (a second tsc while other tests run lib/).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type S3Server } from "./helpers/s3.js";
import { suiteDir } from "./helpers/temp.js";

const ROOT = new URL("../", import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let dir: string;
let cleanup: () => void;
let files: string[];
let installed: string;
let s3: S3Server;

/** npm as a user runs it: without the npm_* variables `npm test` sets for its own script. */
function npm(args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync("npm", args, { cwd: dir, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The installed command, from a folder of its own, in an environment with nothing of this repository. */
function webstats(args: string[], cwd: string) {
  const env = {
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: join(dir, "home"),
    TMPDIR: dir,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(join(dir, "prefix/bin/webstats"), args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  [dir, cleanup] = suiteDir("webstats-pack-");
  mkdirSync(join(dir, "home"));
  const [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir, ROOT])) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = packed!.files.map((f) => f.path);
  // From npm's cache when it holds every package (after `npm ci`), else from the registry.
  npm(["install", "--global", "--prefix", join(dir, "prefix"), "--prefer-offline", "--no-audit", "--no-fund", join(dir, packed!.filename)]);
  installed = join(dir, "prefix/lib/node_modules/webstats");
  s3 = await startS3Server(join(dir, "s3"), ["site"]);
}, 120_000);

afterAll(async () => {
  await s3?.stop();
  cleanup?.();
});

describe("npm pack, then npm install -g of the tarball", () => {
  it("packs the compiled CLI and every file it reads at run time, and no source", () => {
    for (const f of [
      "bin/webstats.js",
      "lib/cli.js",
      "lib/site/render-worker.js",
      "lib/ingest/log-worker.js",
      "sql/001_legacy_tables.sql",
      "sql/athena/002_v_bioc_web_downloads.sql",
      "templates/layout.eta",
      "assets/explore/main.js",
      "assets/api/v1/packages.schema.json",
      "data/packages-history.csv",
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|scripts|docs|lib\/bench)\/|\.ts$|\.map$/.test(f))).toEqual([]);
  });

  it("installs without TypeScript or the test tools: only the runtime dependencies", () => {
    const resolveFrom = createRequire(join(installed, "package.json")).resolve;
    expect(resolveFrom("kysely")).toContain(join(installed, "node_modules"));
    for (const dev of ["typescript", "vitest"]) expect(() => resolveFrom(dev)).toThrow(/Cannot find module/);
  });

  it("runs webstats --help", async () => {
    const r = await webstats(["--help"], dir);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^Usage: webstats /);
    expect(r.stdout).toMatch(/Examples:[\s\S]*Exit codes:/);
  });

  it("runs webstats --version", async () => {
    const r = await webstats(["--version"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(VERSION);
  });

  it("makes the demo in the folder it runs in (migrations, templates, assets and data found in the package), then publish --dry-run shows no AWS SDK notice", async () => {
    const work = join(dir, "work");
    mkdirSync(work);
    const demo = await webstats(["demo", "--out", "site"], work);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/^build: [\d,]+ files/m);
    expect(demo.stdout).toMatch(/explore\.html/);
    for (const f of [
      "index.html",
      "bioc/index.html",
      "explore.html",
      "static/chart.umd.min.js",
      "static/bootstrap.min.css",
      "api/v1/packages.json",
      "api/v1/schemas/packages.schema.json",
    ]) {
      expect(existsSync(join(work, "site", f)), f).toBe(true);
    }
    expect(existsSync(join(work, ".webstats/demo"))).toBe(true);
    expect(existsSync(join(installed, ".webstats"))).toBe(false);

    const publish = await webstats(["publish", "--to", "s3://site/packages/stats/", "--out", "site", "--dry-run", "--s3-endpoint", s3.endpoint], work);
    expect(publish.code).toBe(0);
    expect(publish.stdout).toMatch(/^publish: would upload [1-9]\d*, keep 0, delete 0; dry run, nothing sent$/m);
    expect(publish.stdout + publish.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
  });
});
