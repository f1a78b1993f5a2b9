import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareCollation, groupByLetter, sortByCollation } from "../../src/domain/order.js";
import { seededRandom } from "../../src/sources/synthetic-downloads.js";
import { FIXTURES, readExpectedFile } from "../helpers/temp.js";

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  return items
    .map((x) => ({ x, k: random() }))
    .sort((a, b) => a.k - b.k)
    .map((e) => e.x);
}

describe("collation order", () => {
  it("is the live database's en_US order (the spec's example)", () => {
    const expected = ["a4", "a4Base", "ABAEnrichment", "ABarray", "abseqR", "ABSSeq", "BiocGenerics", "Bioc.gff", "biocGraph"];
    expect(sortByCollation(shuffled(expected, 3), (s) => s)).toEqual(expected);
  });

  it("puts lowercase before uppercase on ties and breaks exact ties by code units", () => {
    expect(sortByCollation(["SeqLogo", "seqLogo"], (s) => s)).toEqual(["seqLogo", "SeqLogo"]);
    expect(compareCollation("a.b", "ab")).not.toBe(0);
    expect(compareCollation("x", "x")).toBe(0);
  });

  for (const fixture of ["small-s1", "medium-s2"]) {
    it(`reproduces bioc_packages.txt of ${fixture} from shuffled names`, () => {
      const dir = join(FIXTURES, fixture);
      const csv = readFileSync(join(dir, "packages.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[0]!);
      const expected = readExpectedFile(fixture, "bioc/bioc_packages.txt").split("\n");
      expect(sortByCollation(shuffled(csv, 7), (s) => s)).toEqual(expected);
    });
  }
});

describe("letter index order", () => {
  it("sorts by the lowercased name in code-unit order, so Bioc.gff precedes BiocGenerics", () => {
    const groups = groupByLetter(shuffled(["biocGraph", "BiocGenerics", "Bioc.gff", "affy", "ABarray", "a4"], 5), (s) => s);
    expect(groups).toEqual([
      ["A", ["a4", "ABarray", "affy"]],
      ["B", ["Bioc.gff", "BiocGenerics", "biocGraph"]],
    ]);
  });

  it("keeps collation order between names equal once lowercased", () => {
    expect(groupByLetter(["SeqLogo", "seqLogo"], (s) => s)).toEqual([["S", ["seqLogo", "SeqLogo"]]]);
  });
});
