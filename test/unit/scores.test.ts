import { describe, expect, it } from "vitest";
import type { IsoDate, PackageName, PeriodCounts } from "../../src/domain/types.js";
import { periodRows } from "../../src/site/model.js";
import { computeScores, monthIndex, scoreWindow, topByRank } from "../../src/site/scores.js";
import { renderScoresTab } from "../../src/site/tabfiles.js";

const d = (s: string) => s as IsoDate;
const p = (s: string) => s as PackageName;
const month = (year: number, m: number, ips: number): PeriodCounts => ({ year, month: m, ips, downloads: ips * 2 });
const windowOf = (v: string) => {
  const w = scoreWindow(d(v));
  const fmt = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
  return [fmt(w.first), fmt(w.last)];
};

describe("the download score window", () => {
  it("is the 12 complete months before ValidThru's month, across year ends", () => {
    expect(windowOf("2025-01-01")).toEqual(["2024-01", "2024-12"]);
    expect(windowOf("2025-01-31")).toEqual(["2024-01", "2024-12"]);
    expect(windowOf("2024-12-31")).toEqual(["2023-12", "2024-11"]);
    expect(windowOf("2025-06-17")).toEqual(["2024-06", "2025-05"]);
  });
});

describe("download scores", () => {
  const packages = new Map<PackageName, PeriodCounts[]>([
    // 2024-01..2024-12 is the window for ValidThru 2025-01-03
    [p("inside"), [month(2024, 1, 12), month(2024, 12, 13), { year: 2024, month: null, ips: 999, downloads: 999 }]],
    [p("edges"), [month(2023, 12, 500), month(2025, 1, 500), month(2024, 6, 25)]],
    [p("zero"), [month(2024, 3, 0)]],
    [p("outside"), [month(2023, 12, 50)]],
    [p("Tie"), [month(2024, 2, 25)]],
  ]);
  const scores = computeScores(new Map([...packages].map(([n, r]) => [n, periodRows(r)])), d("2025-01-03"));

  it("sums monthly distinct IPs inside the window only, divides by 12 and floors", () => {
    expect(Object.fromEntries(scores.map((s) => [s.name, s.score]))).toEqual({ inside: 2, edges: 2, zero: 0, Tie: 2 });
  });

  it("leaves out packages without a monthly row in the window, keeps a score of 0", () => {
    expect(scores.map((s) => s.name)).not.toContain("outside");
    expect(scores.find((s) => s.name === "zero")?.score).toBe(0);
  });

  it("ranks like SQL rank(): ties share a rank and the next rank skips", () => {
    // sums: inside 25, edges 25, Tie 25, zero 0
    expect(Object.fromEntries(scores.map((s) => [s.name, s.rank]))).toEqual({ inside: 1, edges: 1, Tie: 1, zero: 4 });
  });

  it("lists scores in collation order and the top list by rank, ties in collation order", () => {
    expect(scores.map((s) => s.name)).toEqual(["edges", "inside", "Tie", "zero"]);
    expect(topByRank(scores, 3).map((s) => s.name)).toEqual(["edges", "inside", "Tie"]);
  });

  it("writes the header with its newline when no package is scored", () => {
    expect(renderScoresTab([])).toBe("Package\tDownload_score\n");
    expect(renderScoresTab(scores)).toBe("Package\tDownload_score\nedges\t2\ninside\t2\nTie\t2\nzero\t0");
  });

  it("numbers months so that December and the next January are adjacent", () => {
    expect(monthIndex(2025, 1) - monthIndex(2024, 12)).toBe(1);
  });
});
