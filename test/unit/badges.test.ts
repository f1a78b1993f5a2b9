import { parseDocument, DomUtils } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/categories.js";
import type { IsoDate, PackageName, PeriodCounts } from "../../src/domain/types.js";
import type { PackageRecord } from "../../src/sources/packages-csv.js";
import { periodRows, type SiteData } from "../../src/site/model.js";
import { badgeMessage, formatCount, renderBadge } from "../../src/site/badges.js";
import { releaseRanks } from "../../src/site/release-ranks.js";

const p = (s: string) => s as PackageName;
const month = (year: number, m: number, ips: number): PeriodCounts => ({ year, month: m, ips, downloads: ips * 3 });

describe("badge numbers", () => {
  it("are cranlogs' counts: plain below 10,000, K below a million, M with one decimal above", () => {
    const cases: Array<[number, string]> = [
      [0, "0"],
      [9_999, "9999"],
      [10_000, "10K"],
      [12_345, "12K"],
      [12_500, "13K"],
      [999_499, "999K"],
      [999_500, "1M"], // cranlogs says 1000K
      [1_000_000, "1M"],
      [1_234_567, "1.2M"],
      [1_250_000, "1.3M"],
      [12_340_000, "12.3M"],
    ];
    expect(cases.map(([n]) => formatCount(n))).toEqual(cases.map(([, s]) => s));
  });

  it("say rank R / N, R/month and the total as the kinds of badge want", () => {
    expect(badgeMessage({ kind: "rank", releaseRank: { rank: 3, of: 2310 } })).toBe("rank 3 / 2310");
    expect(badgeMessage({ kind: "not-in-release", lastVersion: "3.19" })).toBe("removed after 3.19");
    expect(badgeMessage({ kind: "last-month", downloads: 56_789 })).toBe("57K/month");
    expect(badgeMessage({ kind: "total", downloads: 2_650_000 })).toBe("2.7M");
  });
});

describe("a badge's SVG", () => {
  const parse = (svg: string) => {
    const doc = parseDocument(svg, { xmlMode: true });
    const root = DomUtils.getElementsByTagName("svg", doc);
    expect(root.length).toBe(1);
    return {
      title: DomUtils.textContent(DomUtils.getElementsByTagName("title", doc)),
      fills: DomUtils.getElementsByTagName("rect", doc).map((r) => r.attribs.fill),
    };
  };

  it("is a shields badge, blue, labelled downloads", () => {
    const svg = parse(renderBadge({ kind: "last-month", downloads: 12_345 }));
    expect(svg.title).toBe("downloads: 12K/month");
    expect(svg.fills).toContain("#007ec6");
  });

  it("is grey for a package no longer in the release, with its text escaped", () => {
    const raw = renderBadge({ kind: "not-in-release", lastVersion: `</text><script>"'&` });
    expect(raw).not.toContain("<script");
    const svg = parse(raw);
    expect(svg.title).toBe(`downloads: removed after </text><script>"'&`);
    expect(svg.fills).not.toContain("#007ec6");
  });
});

describe("rank in the current release", () => {
  const validThru = "2025-01-03" as IsoDate; // score window 2024-01 .. 2024-12
  const pkg = (name: string, category: PackageRecord["category"], lastVersion: string | null = null): PackageRecord => ({
    name: p(name),
    category,
    firstVersion: "318",
    lastVersion,
  });
  const bioc = new Map<PackageName, PeriodCounts[]>([
    [p("Tied1"), [month(2024, 2, 20), month(2024, 3, 10)]],
    [p("Tied2"), [month(2024, 5, 30)]],
    [p("Third"), [month(2024, 1, 12), month(2024, 12, 13)]],
    [p("Zero"), [month(2024, 4, 0)]],
    [p("Gone"), [month(2024, 6, 999)]], // removed: above every live package, yet not counted
    [p("Outside"), [month(2023, 12, 500), month(2025, 1, 500)]], // rows, none in the window
  ]);
  const data: SiteData = {
    validThru,
    packages: [
      pkg("Tied1", "bioc"),
      pkg("Tied2", "bioc"),
      pkg("Third", "bioc"),
      pkg("Zero", "bioc"),
      pkg("Gone", "bioc", "319"),
      pkg("Outside", "bioc"),
      pkg("New", "bioc"),
      pkg("Other", "experiment"),
    ],
    dailyMonths: [],
    categories: CATEGORIES.map((category) => ({
      category,
      combined: [],
      packages: new Map([...(category.key === "bioc" ? bioc : new Map([[p("Other"), [month(2024, 1, 1)]]]))].map(([n, r]) => [n, periodRows(r)])),
      last30: new Map(),
      daily: new Map(),
      combinedDaily: new Int32Array(0),
    })),
  };
  const ranks = releaseRanks(data);

  it("ranks by the window's sum as the category page does, ties sharing a rank, without removed packages", () => {
    expect(Object.fromEntries(ranks.get("bioc")!)).toEqual({
      Tied1: { rank: 1, of: 6 },
      Tied2: { rank: 1, of: 6 },
      Third: { rank: 3, of: 6 },
      Zero: { rank: 4, of: 6 },
      Outside: { rank: 5, of: 6 }, // without a score: tied last
      New: { rank: 5, of: 6 },
    });
    expect(Object.fromEntries(ranks.get("data-experiment")!)).toEqual({ Other: { rank: 1, of: 1 } });
    expect(ranks.get("workflows")!.size).toBe(0);
  });
});
