// The comparison module must catch every kind of difference the legacy tree could show: each
// case below changes one thing in a copy of a fixture's golden tree.
import { appendFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareTrees, parseAllowList } from "../src/compare/compare-trees.js";
import { editedCopy, goldenTreeForSuite, replaceInFile } from "./helpers/golden-tree.js";

const goldenTree = goldenTreeForSuite("small-s1");
const mutated = (edit: (root: string) => void) => editedCopy(goldenTree(), edit);

describe("comparing trees", () => {
  it("finds a tree identical to itself", async () => {
    const c = await compareTrees(
      goldenTree(),
      mutated(() => {}),
      { chart: true },
    );
    expect(c.differing).toEqual([]);
    expect(c.identical).toBe(c.compared);
  });

  it("treats reformatted HTML with the same content as equal", async () => {
    const copy = mutated((root) => replaceInFile(root, "bioc/a4/index.html", /\n\s+/g, "\n"));
    expect((await compareTrees(goldenTree(), copy, { chart: true })).differing).toEqual([]);
  });

  it.each([
    ["bytes", "bioc/a4/a4_stats.tab", "2024\tall\t64\t99", "2024\tall\t64\t98"],
    ["bytes", "bioc/bioc_pkg_scores.tab", /$/, "\n"],
    ["title", "workflows.html", "<TITLE>Download", "<TITLE>Downloads"],
    ["text", "index.html", "Data as of Tue. 17 Jun 2025.", "Data as of Wed. 18 Jun 2025."],
    ["links", "bioc/goseq/index.html", 'href="goseq_2024_stats.tab"', 'href="goseq_2023_stats.tab"'],
    ["cells", "data-annotation.html", "<H2>Top 30</H2>", "<H2>Top 30</H2><table><tr><td>x</td></tr></table>"],
    ["chart", "bioc/affy/index.html", '"unique_ips": 44', '"unique_ips": 45'],
    ["scripts", "bioc/affy/index.html", "https://cdn.jsdelivr.net/npm/chart.js", "chart.js"],
  ] as const)("catches a change of %s in %s", async (aspect, path, from, to) => {
    const c = await compareTrees(
      goldenTree(),
      mutated((root) => replaceInFile(root, path, from, to)),
      { chart: true },
    );
    expect(c.differing.map((d) => d.path)).toEqual([path]);
    expect(Object.keys(c.differing[0]!.differences)).toContain(aspect);
  });

  it("reports missing and extra files", async () => {
    const copy = mutated((root) => {
      rmSync(join(root, "bioc/bioc_packages.txt"));
      appendFileSync(join(root, "bioc/new.tab"), "x");
    });
    const c = await compareTrees(goldenTree(), copy);
    expect(c.missing).toEqual(["bioc/bioc_packages.txt"]);
    expect(c.extra).toEqual(["bioc/new.tab"]);
  });

  it("allows only the aspects an allow rule names", async () => {
    const allow = parseAllowList("# comment\n\\.html$\tscripts\tour own Chart.js\n");
    const scriptsOnly = mutated((root) => replaceInFile(root, "bioc/affy/index.html", "https://cdn.jsdelivr.net/npm/chart.js", "static/chart.js"));
    const c1 = await compareTrees(goldenTree(), scriptsOnly, { chart: true, allow });
    expect(c1.differing).toEqual([]);
    expect(c1.allowed).toEqual([{ path: "bioc/affy/index.html", reasons: ["our own Chart.js"] }]);
    const alsoText = mutated((root) => {
      replaceInFile(root, "bioc/affy/index.html", "https://cdn.jsdelivr.net/npm/chart.js", "static/chart.js");
      replaceInFile(root, "bioc/affy/index.html", "release version", "release");
    });
    const c2 = await compareTrees(goldenTree(), alsoText, { chart: true, allow });
    expect(c2.differing.map((d) => Object.keys(d.differences).sort())).toEqual([["links", "scripts", "text"]]);
  });
});
