// Issue 10: `build --out DIR` replaces what is at DIR by a symlink to one of two slots. It
// used to move any existing folder into DIR.slots/b (the next build deleted it), and `--out .`
// moved the project itself. Now only a site webstats made is taken over; anything else at DIR,
// and the folders no site may replace, are refused with exit 2 and left as they were.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { suiteDir, tempDir } from "./helpers/temp.js";

let template: string;
let cleanup: () => void;

/** The CLI on the embedded database, in this process (helpers/cli.ts), with HOME set to a folder of the test's own. */
function webstats(args: string[], cwd: string, home = join(cwd, "..", "home")) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.DATABASE_URL;
  env.WEBSTATS_MAX_LAG = "none"; // their rows are of 2025, deliberately: a build's lag limit is tested in build-ingest.test.ts
  return runCli(args, cwd, env);
}

// One project with data ingested, copied for each test: a refused build must not be refused
// merely because there is nothing to build, and a test that moves the project (as the defect
// did) must not take the others' with it.
beforeAll(async () => {
  let root: string;
  [root, cleanup] = suiteDir();
  template = join(root, "project");
  mkdirSync(template);
  migratedPglite(join(template, ".webstats/db"));
  writeFileSync(join(template, "p.csv"), "package,category,first_version,last_version\naffy,bioc,108,\n");
  writeFileSync(join(template, "rows.csv"), "date,c-ip,sc-status,category,package\n2025-01-02,1.1.1.1,200,bioc,affy\n");
  expect((await webstats(["packages", "import", "p.csv"], template)).code).toBe(0);
  expect((await webstats(["ingest", "--rows", "rows.csv", "--quiet"], template)).code).toBe(0);
});
afterAll(() => cleanup?.());

/** A copy of the project at TEMP/parent/project, and an empty TEMP/parent/home. */
function project(): { cwd: string; home: string } {
  const cwd = join(tempDir(), "parent", "project");
  cpSync(template, cwd, { recursive: true });
  const home = join(cwd, "..", "home");
  mkdirSync(home);
  return { cwd, home };
}

/** Every entry under `root`: files by content, symlinks by target, folders by name. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    const key = relative(root, path);
    entries[key] = e.isSymbolicLink() ? `-> ${readlinkSync(path)}` : e.isDirectory() ? "dir" : readFileSync(path).toString("base64");
  }
  return entries;
}

const REFUSED = /^webstats: build: .*; choose [^\n]*$/;

describe("build --out refuses what webstats did not make (issue 10)", () => {
  it("a foreign folder survives two builds byte for byte", async () => {
    const { cwd } = project();
    const www = join(cwd, "www");
    mkdirSync(join(www, "sub"), { recursive: true });
    writeFileSync(join(www, "other.html"), "<p>someone else's page</p>");
    writeFileSync(join(www, "sub", "notes.txt"), "keep me");
    const before = snapshot(www);
    for (let build = 0; build < 2; build++) {
      const r = await webstats(["build", "--out", "www"], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(REFUSED);
      expect(r.stderr).toContain(www);
      expect(r.stderr).toMatch(/choose an empty or new folder, or remove it yourself/);
    }
    expect(lstatSync(www).isDirectory()).toBe(true);
    expect(snapshot(www)).toEqual(before);
    expect(readdirSync(cwd).filter((n) => n.startsWith("www"))).toEqual(["www"]);
  });

  it.each([
    [".", "the working folder"],
    ["..", "the working folder"],
    ["HOME", "the home folder"],
    [".webstats/db", "the PGlite data folder"],
    [".webstats", "the PGlite data folder"],
    [".webstats/db/site", "the PGlite data folder"],
  ])("refuses --out %s (%s) and moves nothing", async (out, named) => {
    const { cwd, home } = project();
    const dir = out === "HOME" ? home : resolve(cwd, out);
    const parent = resolve(dir, "..");
    const before = { parent: readdirSync(parent).sort(), cwd: readdirSync(cwd).sort() };
    const r = await webstats(["build", "--out", out === "HOME" ? home : out], cwd, home);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(REFUSED);
    expect(r.stderr).toContain(named);
    expect(readdirSync(parent).sort()).toEqual(before.parent);
    expect(readdirSync(cwd).sort()).toEqual(before.cwd);
    expect(existsSync(`${dir}.slots`)).toBe(false);
    expect(lstatSync(cwd).isDirectory()).toBe(true);
  });

  it("refuses --out / (the root folder)", async () => {
    const { cwd } = project();
    const r = await webstats(["build", "--out", "/"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(REFUSED);
    expect(r.stderr).toContain("the root folder");
    expect(existsSync("/.slots")).toBe(false);
  });

  it("refuses a file, a symlink to another folder, and a DIR.slots holding other files", async () => {
    const { cwd } = project();
    writeFileSync(join(cwd, "file"), "a file");
    mkdirSync(join(cwd, "elsewhere"));
    writeFileSync(join(cwd, "elsewhere", "x.html"), "x");
    symlinkSync("elsewhere", join(cwd, "link"));
    mkdirSync(join(cwd, "fresh.slots"));
    writeFileSync(join(cwd, "fresh.slots", "mine.txt"), "mine");
    const before = snapshot(cwd);
    for (const out of ["file", "link", "fresh"]) {
      const r = await webstats(["build", "--out", out], cwd);
      expect(r.code, out).toBe(2);
      expect(r.stderr.trim(), out).toMatch(REFUSED);
    }
    const after = snapshot(cwd);
    for (const key of Object.keys(after)) if (key.startsWith(".webstats")) delete after[key];
    for (const key of Object.keys(before)) if (key.startsWith(".webstats")) delete before[key];
    expect(after).toEqual(before);
  });
});

describe("build --out still takes what is ours (issue 10)", () => {
  it("takes over, once, a plain folder an older webstats built", async () => {
    const { cwd } = project();
    expect((await webstats(["build", "--out", "site"], cwd)).code).toBe(0);
    // What webstats wrote before the slots: the same tree, as a plain folder.
    cpSync(realpathSync(join(cwd, "site")), join(cwd, "old"), { recursive: true });
    const old = snapshot(join(cwd, "old"));
    expect(Object.keys(old)).toContain("static/webstats.css");
    expect((await webstats(["build", "--out", "old"], cwd)).code).toBe(0);
    expect(readlinkSync(join(cwd, "old"))).toBe("old.slots/a");
    expect(snapshot(join(cwd, "old.slots/b"))).toEqual(old);
    expect((await webstats(["build", "--out", "old"], cwd)).code).toBe(0);
    expect(readlinkSync(join(cwd, "old"))).toBe("old.slots/b");
  });

  it("keeps building behind a symlink into its slots, relative or absolute", async () => {
    const { cwd } = project();
    expect((await webstats(["build", "--out", "site"], cwd)).code).toBe(0);
    expect((await webstats(["build", "--out", "site"], cwd)).code).toBe(0);
    expect(readlinkSync(join(cwd, "site"))).toBe("site.slots/b");
    rmSync(join(cwd, "site"));
    symlinkSync(join(cwd, "site.slots/a"), join(cwd, "site"));
    expect((await webstats(["build", "--out", "site"], cwd)).code).toBe(0);
    expect(readlinkSync(join(cwd, "site"))).toBe("site.slots/b");
  });

  it("accepts an empty folder", async () => {
    const { cwd } = project();
    mkdirSync(join(cwd, "www"));
    expect((await webstats(["build", "--out", "www"], cwd)).code).toBe(0);
    expect(readlinkSync(join(cwd, "www"))).toBe("www.slots/a");
    expect(existsSync(join(cwd, "www", "index.html"))).toBe(true);
  });

  it("says so in build --help", async () => {
    const r = await webstats(["build", "--help"], project().cwd);
    expect(r.stdout).toMatch(/refuse/i);
    expect(r.stdout).toMatch(/empty/);
  });
});

/** Root may mount a tiny tmpfs: a real full disk, not a simulated one. */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "webstats-mount-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a full disk (issue 10)", () => {
  it.skipIf(!canMount())("fails the build in one line naming the file, and the served tree stays as it was", async () => {
    const { cwd } = project();
    const disk = join(cwd, "disk");
    mkdirSync(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", disk]);
    try {
      expect((await webstats(["build", "--out", "disk/www"], cwd)).code).toBe(0);
      const served = snapshot(join(disk, "www"));
      // Room for a few more files only: the second build writes slot b from scratch.
      const { bsize, blocks, bfree } = statfsSync(disk);
      execFileSync("mount", ["-o", `remount,size=${(blocks - bfree + 8) * bsize}`, disk]);
      const r = await webstats(["build", "--out", "disk/www"], cwd);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^webstats: build: no space left on device writing \/\S*\/disk\/www\.slots\/b\/\S+; the served tree is intact \(\S*\/disk\/www still serves the previous build[^\n]*$/,
      );
      expect(readlinkSync(join(disk, "www"))).toBe("www.slots/a");
      expect(snapshot(join(disk, "www"))).toEqual(served);
    } finally {
      execFileSync("umount", [disk]);
    }
  });
});
