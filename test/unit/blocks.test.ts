import { describe, expect, it } from "vitest";
import { fillYearBlock } from "../../src/site/blocks.js";
import { renderStatsTab, renderYearStatsTab } from "../../src/site/tabfiles.js";

const m = (year: number, month: number, ips: number, downloads: number) => ({ year, month, ips, downloads });
const y = (year: number, ips: number, downloads: number) => ({ year, month: null, ips, downloads });

describe("the year/month block filler", () => {
  it("zero-fills every month of every year between the first and the last, newest year first", () => {
    const block = fillYearBlock([m(2023, 11, 1, 2), y(2023, 1, 2), m(2021, 2, 3, 4), y(2021, 3, 4)]);
    expect(block.map((r) => `${r.year}-${r.month ?? "all"}`)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `2023-${i + 1}`),
      "2023-all",
      // 2022 has no rows at all: 12 zero months and no yearly line
      ...Array.from({ length: 12 }, (_, i) => `2022-${i + 1}`),
      ...Array.from({ length: 12 }, (_, i) => `2021-${i + 1}`),
      "2021-all",
    ]);
    expect(block[10]).toEqual(m(2023, 11, 1, 2));
    expect(block[0]).toEqual(m(2023, 1, 0, 0));
    expect(block.filter((r) => r.year === 2022).every((r) => r.ips === 0 && r.downloads === 0)).toBe(true);
  });

  it("gives nothing for a subject without rows", () => {
    expect(fillYearBlock([])).toEqual([]);
  });

  it("formats a .tab file with a header, tabs, month names and no trailing newline", () => {
    const text = renderStatsTab([m(2025, 1, 4, 6), y(2025, 4, 6)]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Year\tMonth\tNb_of_distinct_IPs\tNb_of_downloads");
    expect(lines[1]).toBe("2025\tJan\t4\t6");
    expect(lines[2]).toBe("2025\tFeb\t0\t0");
    expect(lines.at(-1)).toBe("2025\tall\t4\t6");
    expect(lines).toHaveLength(14);
    expect(text.endsWith("\n")).toBe(false);
  });

  it("restricts a year file to that year", () => {
    const text = renderYearStatsTab([m(2025, 1, 4, 6), y(2025, 4, 6), m(2023, 5, 1, 1), y(2023, 1, 1)], 2023);
    expect(
      text
        .split("\n")
        .slice(1)
        .every((l) => l.startsWith("2023\t")),
    ).toBe(true);
    expect(text).toContain("2023\tMay\t1\t1");
  });
});
