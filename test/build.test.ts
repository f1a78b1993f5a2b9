// A build that fails part-way leaves the previous tree in place and no half-written folder.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTreeAtomically } from "../src/site/write-tree.js";
import { tempDir } from "./helpers/temp.js";

describe("writing the tree", () => {
  it("replaces the old tree as a whole", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    mkdirSync(join(out, "gone"), { recursive: true });
    writeFileSync(join(out, "gone", "old.tab"), "old");
    const result = await writeTreeAtomically(out, [{ path: "bioc/a/a_stats.tab", render: () => "new" }, { path: "index.html", render: () => "<p>x</p>" }], []);
    expect(result.files).toBe(2);
    expect(readFileSync(join(out, "bioc/a/a_stats.tab"), "utf8")).toBe("new");
    expect(existsSync(join(out, "gone"))).toBe(false);
    expect(readdirSync(parent)).toEqual(["dist"]);
  });

  it("keeps the previous tree intact when rendering fails part-way", async () => {
    const parent = tempDir();
    const out = join(parent, "dist");
    mkdirSync(out);
    writeFileSync(join(out, "index.html"), "previous");
    const files = Array.from({ length: 2000 }, (_, i) => ({
      path: `bioc/p${i}/p${i}_stats.tab`,
      render: () => {
        if (i === 1500) throw new Error("renderer crashed");
        return "x";
      },
    }));
    await expect(writeTreeAtomically(out, files, [])).rejects.toThrow("renderer crashed");
    expect(readdirSync(parent)).toEqual(["dist"]);
    expect(readdirSync(out)).toEqual(["index.html"]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe("previous");
  });

  it("clears folders a crashed build left behind", async () => {
    const parent = tempDir();
    mkdirSync(join(parent, "dist.partial-12345", "bioc"), { recursive: true });
    await writeTreeAtomically(join(parent, "dist"), [{ path: "index.html", render: () => "x" }], []);
    expect(readdirSync(parent)).toEqual(["dist"]);
  });
});
