import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/categories.js";
import type { IsoDate, PackageName } from "../../src/domain/types.js";
import type { Score } from "../../src/site/scores.js";
import { formatRelease } from "../../src/domain/release.js";
import { categoryPageView, layoutTopRows, splitColumns } from "../../src/site/views.js";
import { formatDataAsOf } from "../../src/domain/dates.js";

const scores = (n: number): Score[] =>
  Array.from({ length: n }, (_, i) => ({ name: `p${String(i).padStart(2, "0")}` as PackageName, score: 100 - i, rank: i + 1 }));

describe("the top list layout", () => {
  it("reads top to bottom in three columns: row i holds top[i], top[i+R], top[i+2R]", () => {
    const rows = layoutTopRows([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows).toEqual([
      [1, 4, 7],
      [2, 5, 8],
      [3, 6, 9],
    ]);
  });

  it("with fewer scored packages than N, shows only whole rows of what there is (as the live server)", () => {
    expect(layoutTopRows(Array.from({ length: 21 }, (_, i) => i))).toHaveLength(7);
    expect(layoutTopRows(Array.from({ length: 20 }, (_, i) => i)).flat()).toEqual([0, 6, 12, 1, 7, 13, 2, 8, 14, 3, 9, 15, 4, 10, 16, 5, 11, 17]);
    expect(layoutTopRows([1, 2])).toEqual([]);
  });

  it("takes the first N by rank for the category's N", () => {
    const bioc = CATEGORIES.find((c) => c.key === "bioc")!;
    const view = categoryPageView(bioc, scores(80), "2025-06-17" as IsoDate);
    expect(view.topRows).toHaveLength(25);
    expect(
      view.topRows
        .flat()
        .map((s) => s.rank)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    const experiment = categoryPageView(
      CATEGORIES.find((c) => c.key === "data-experiment")!,
      scores(10),
      "2025-06-17" as IsoDate,
    );
    expect(experiment.topRows).toHaveLength(3);
  });

  it("has no top list for workflows", () => {
    const view = categoryPageView(
      CATEGORIES.find((c) => c.key === "workflows")!,
      scores(10),
      "2025-06-17" as IsoDate,
    );
    expect(view.topN).toBe(0);
    expect(view.topRows).toEqual([]);
  });
});

describe("small formats", () => {
  it("splits a letter's packages into three columns of ceil(n/3)", () => {
    expect(splitColumns([1, 2, 3, 4])).toEqual([[1, 2], [3, 4], []]);
    expect(splitColumns([1])).toEqual([[1], [], []]);
  });

  it("decodes encoded releases", () => {
    expect(formatRelease("319")).toBe("3.19");
    expect(formatRelease("310")).toBe("3.10");
    expect(formatRelease("39")).toBe("3.9");
    expect(formatRelease("214")).toBe("2.14");
  });

  it("formats 'Data as of' like strftime('%a. %d %b %Y')", () => {
    expect(formatDataAsOf("2025-06-17" as IsoDate)).toBe("Tue. 17 Jun 2025");
    expect(formatDataAsOf("2025-01-03" as IsoDate)).toBe("Fri. 03 Jan 2025");
  });
});
