// The explore page's DOM-free rules (assets/explore/state.js): the same name order as the
// category pages, the URL hash, name resolution, the default selection and the table's sort.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as S from "../../assets/explore/state.js";
import { sortByCollation } from "../../src/domain/order.js";
import { FIXTURES, readExpectedFile } from "../helpers/temp.js";

const CATEGORIES = [
  { key: "bioc", db: "bioc", label: "Software", href: "index.html" },
  { key: "data-annotation", db: "annotation", label: "Annotation", href: "data-annotation.html" },
  { key: "data-experiment", db: "experiment", label: "Experiment", href: "data-experiment.html" },
];

function pkg(name: string, category: string, score: number | null, extra: Record<string, unknown> = {}) {
  return {
    name,
    category,
    score,
    rank: null,
    totalDownloads: score === null ? 0 : score * 10,
    last30Days: { downloads: score ?? 0, distinctIPs: 0 },
    inCurrentRelease: true,
    page: `${category}/${name}/`,
    json: `api/v1/packages/${category}/${name}.json`,
    ...extra,
  };
}

const index = S.buildIndex(
  [
    pkg("affy", "bioc", 50),
    pkg("limma", "bioc", 90),
    pkg("affy", "data-experiment", 3),
    pkg("GO.db", "annotation", 70),
    pkg("a4", "bioc", null),
    pkg("zlibbioc", "bioc", 20),
    pkg("BiocGenerics", "bioc", 80),
    pkg("GOstats", "bioc", 60),
  ],
  CATEGORIES,
);

describe("explore state: names", () => {
  it("orders names exactly as src/domain/order.ts (the category pages' collation)", () => {
    const names = readFileSync(join(FIXTURES, "medium-s2", "packages.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0]!);
    const tricky = ["a4", "a4Base", "ABarray", "abseqR", "Bioc.gff", "biocGraph", "SeqLogo", "seqLogo", "a.b", "ab", "x10", "x9"];
    const all = [...names, ...tricky].reverse();
    expect([...all].sort(S.compareNames)).toEqual(sortByCollation(all, (s) => s));
    // The golden bioc_packages.txt too, which Intl.Collator's numeric or base options would break.
    const golden = readExpectedFile("medium-s2", "bioc/bioc_packages.txt").split("\n");
    expect([...golden].reverse().sort(S.compareNames)).toEqual(golden);
  });

  it("finds categories by key or database name, and refuses a page that is not a relative path", () => {
    const i = S.buildIndex([pkg("x", "annotation", 1, { page: "javascript:alert(1)", json: "//evil.example/x.json" }), { name: 3 }, null], CATEGORIES);
    expect(i.all).toHaveLength(1);
    expect(i.all[0]).toMatchObject({
      id: "data-annotation/x",
      key: "data-annotation",
      categoryLabel: "Annotation",
      page: null,
      json: "api/v1/packages/data-annotation/x.json",
    });
  });

  it("resolves NAME, KEY/NAME and a name typed in another case; shows KEY/NAME only for a name in two categories", () => {
    expect(S.resolve(index, "affy")?.id).toBe("bioc/affy");
    expect(S.resolve(index, "data-experiment/affy")?.id).toBe("data-experiment/affy");
    expect(S.resolve(index, "gostats")?.id).toBe("bioc/GOstats");
    expect(S.resolve(index, "nope")).toBeNull();
    expect(S.hashName(index, index.byId.get("data-experiment/affy")!)).toBe("data-experiment/affy");
    expect(S.displayName(index, index.byId.get("data-experiment/affy")!)).toBe("affy (Experiment)");
    expect(S.hashName(index, index.byId.get("bioc/limma")!)).toBe("limma");
  });
});

describe("explore state: the hash", () => {
  it("reads every field, with defaults for missing or unknown values", () => {
    const defaults = { metric: "downloads", scale: "linear", granularity: "month", range: "all", filtered: false };
    expect(S.parseHash("")).toEqual({ packages: null, ...defaults });
    expect(S.parseHash("#p=&g=hour&r=5y&f=yes")).toEqual({ packages: [], ...defaults });
    expect(S.parseHash("#p=affy,%E0%A4%A,bioc%2Flimma,+&m=ips&s=log&g=week&r=90d&f=1")).toEqual({
      packages: ["affy", "%E0%A4%A", "bioc/limma"],
      metric: "ips",
      scale: "log",
      granularity: "week",
      range: "90d",
      filtered: true,
    });
  });

  it("opens with the top five by score when the hash names no package, and with none for p=", () => {
    const none = S.applyHash(S.initialState(), S.parseHash(""), index);
    expect(none.state.chosen).toEqual(["bioc/limma", "bioc/BiocGenerics", "data-annotation/GO.db", "bioc/GOstats", "bioc/affy"]);
    expect(none.state.explicit).toBe(false);
    expect(S.hashText(none.state, index)).toBe("");
    const empty = S.applyHash(S.initialState(), S.parseHash("p="), index);
    expect(empty.state.chosen).toEqual([]);
    expect(S.hashText(empty.state, index)).toBe("p=");
  });

  it("keeps known names once, at most eight, reports the others, and writes back what it read", () => {
    const names = ["affy", "AFFY", "nope", "limma", "GO.db", "a4", "zlibbioc", "BiocGenerics", "GOstats", "data-experiment/affy"];
    const { state, unknown } = S.applyHash(S.initialState(), S.parseHash("p=" + names.join(",") + "&m=ips&g=day&r=1y&f=1"), index);
    expect(unknown).toEqual(["nope"]);
    expect(state.chosen).toHaveLength(S.MAX_CHOSEN);
    expect(state.chosen[0]).toBe("bioc/affy");
    expect(state.filtered).toBe(true);
    expect(S.hashText(state, index)).toBe("p=bioc/affy,limma,GO.db,a4,zlibbioc,BiocGenerics,GOstats,data-experiment/affy&m=ips&g=day&r=1y&f=1");
    // off by default, and then left out of the hash
    expect(S.initialState().filtered).toBe(false);
    expect(S.hashText({ ...state, filtered: false }, index)).not.toContain("f=");
  });

  it("adds and removes packages, and a change makes the selection explicit", () => {
    let state = S.applyHash(S.initialState(), S.parseHash(""), index).state;
    expect(S.addChosen(state, "bioc/limma").outcome).toBe("already");
    state = S.removeChosen(state, "bioc/limma");
    expect(S.hashText(state, index)).toBe("p=BiocGenerics,GO.db,GOstats,bioc/affy");
    for (const id of ["bioc/a4", "bioc/zlibbioc", "data-experiment/affy", "bioc/limma"]) state = S.addChosen(state, id).state;
    expect(state.chosen).toHaveLength(8);
    expect(S.addChosen(state, "bioc/x").outcome).toBe("full");
  });
});

describe("explore state: the table", () => {
  const names = (rows: readonly S.Package[]) => rows.map((p) => p.id);

  it("sorts by score, highest first, by default; packages without a score stay last either way", () => {
    const state = S.initialState();
    expect(names(S.tableRows(index.all, state))).toEqual([
      "bioc/limma",
      "bioc/BiocGenerics",
      "data-annotation/GO.db",
      "bioc/GOstats",
      "bioc/affy",
      "bioc/zlibbioc",
      "data-experiment/affy",
      "bioc/a4",
    ]);
    const up = S.sortBy(state, "score");
    expect(up.dir).toBe("ascending");
    expect(names(S.tableRows(index.all, up)).slice(0, 2)).toEqual(["data-experiment/affy", "bioc/zlibbioc"]);
    expect(names(S.tableRows(index.all, up)).at(-1)).toBe("bioc/a4");
  });

  it("starts each column in its own direction and breaks ties by name", () => {
    const byName = S.sortBy(S.initialState(), "name");
    expect(byName.dir).toBe("ascending");
    expect(names(S.tableRows(index.all, byName))).toEqual([
      "bioc/a4",
      "bioc/affy",
      "data-experiment/affy",
      "bioc/BiocGenerics",
      "data-annotation/GO.db",
      "bioc/GOstats",
      "bioc/limma",
      "bioc/zlibbioc",
    ]);
    const byCategory = S.sortBy(S.initialState(), "category");
    expect(names(S.tableRows(index.all, byCategory)).slice(-2)).toEqual(["data-annotation/GO.db", "data-experiment/affy"]);
    expect(S.sortBy(S.initialState(), "total").dir).toBe("descending");
    expect(S.sortBy(S.initialState(), "rank").dir).toBe("ascending");
    expect(S.COLUMNS.map((c) => c.key)).toEqual(["name", "category", "score", "rank", "total", "last30"]);
  });

  it("filters by category and part of the name; the search list puts the name itself and prefixes first", () => {
    const state = { ...S.initialState(), query: " GO", category: "" };
    expect(names(S.tableRows(index.all, state))).toEqual(["data-annotation/GO.db", "bioc/GOstats"]);
    expect(names(S.tableRows(index.all, { ...state, category: "bioc" }))).toEqual(["bioc/GOstats"]);
    const q = { ...S.initialState(), query: "a" };
    expect(names(S.searchOptions(index.all, q))).toEqual(["bioc/affy", "data-experiment/affy", "bioc/a4", "bioc/limma", "bioc/GOstats"]);
    expect(S.searchOptions(index.all, { ...q, query: "  " })).toEqual([]);
  });
});
