import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** A temporary folder deleted when the current test finishes. */
export function tempDir(prefix = "webstats-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temporary folder that lives for a whole file (for beforeAll); remove it with the returned function. */
export function suiteDir(prefix = "webstats-suite-"): [string, () => void] {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return [dir, () => rmSync(dir, { recursive: true, force: true })];
}

export function extractTarGz(archive: string, into: string): void {
  execFileSync("tar", ["-xzf", archive, "-C", into]);
}

/** What the CLI passes a build as the folders it must never replace: these tests build under tmp. */
export const outLimits = (dataDir: string) => ({ cwd: process.cwd(), home: homedir(), dataDir });

export const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

/** One file of a fixture's golden tree (the legacy server's output). */
export function readExpectedFile(fixture: string, path: string): string {
  return execFileSync("tar", ["-xzOf", join(FIXTURES, fixture, "expected.tar.gz"), `./${path}`], { encoding: "utf8" });
}
