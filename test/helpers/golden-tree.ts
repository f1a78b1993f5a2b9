// A fixture's golden tree (the legacy server's output) and edited copies of it, for tests that
// must see every kind of difference caught.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { extractTarGz, FIXTURES, suiteDir, tempDir } from "./temp.js";

/** Extracts the fixture's expected tree once for the file; read its path through the getter. */
export function goldenTreeForSuite(fixture: string): () => string {
  let golden = "";
  let cleanup = () => {};
  beforeAll(() => {
    let dir: string;
    [dir, cleanup] = suiteDir();
    golden = join(dir, "golden");
    mkdirSync(golden);
    extractTarGz(join(FIXTURES, fixture, "expected.tar.gz"), golden);
  });
  afterAll(() => cleanup());
  return () => golden;
}

/** A copy of `tree` (deleted with the test), changed by `edit`. */
export function editedCopy(tree: string, edit: (root: string) => void): string {
  const copy = join(tempDir(), "copy");
  cpSync(tree, copy, { recursive: true });
  edit(copy);
  return copy;
}

/** Replaces `from` in one file of `root`; fails the test if that changed nothing. */
export function replaceInFile(root: string, path: string, from: string | RegExp, to: string): void {
  const file = join(root, path);
  const before = readFileSync(file, "utf8");
  const after = before.replace(from, to);
  expect(after, `${path} must contain ${from}`).not.toBe(before);
  writeFileSync(file, after);
}
