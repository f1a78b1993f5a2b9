// The pure parts of the JSON API: release decoding, zero-filled series, paging, gzip pieces.
import { gunzipSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { IsoDate, PeriodCounts } from "../../src/domain/types.js";
import { csvField, exportOrder, pageRanges, renderNdjsonPage, type ExportEntry } from "../../src/site/api/exports.js";
import { gzipPieces } from "../../src/site/api/gzip.js";
import { seriesJson } from "../../src/site/api/series.js";
import { monthlySeries, totalDownloads, yearlySeries } from "../../src/site/api/series.js";
import { scoreWindowLabels } from "../../src/site/api/summaries.js";
import { decodeRelease } from "../../src/domain/release.js";

const d = (s: string) => s as IsoDate;
const m = (year: number, month: number, ips: number, downloads: number): PeriodCounts => ({ year, month, ips, downloads });
const y = (year: number, ips: number, downloads: number): PeriodCounts => ({ year, month: null, ips, downloads });

describe("release decoding", () => {
  it("turns the packages table's encoding into x.y", () => {
    expect(decodeRelease("319")).toBe("3.19");
    expect(decodeRelease("321")).toBe("3.21");
    expect(decodeRelease("308")).toBe("3.8");
    expect(decodeRelease("211")).toBe("2.11");
    expect(decodeRelease("300")).toBe("3.0");
    expect(decodeRelease(null)).toBeNull();
  });
});

describe("monthly series", () => {
  it("fills every month from the first row through ValidThru's month, across year ends", () => {
    const rows = [m(2024, 11, 1, 2), y(2024, 1, 2), m(2025, 2, 3, 4), y(2025, 3, 4)];
    expect(monthlySeries(rows, d("2025-03-05"))).toEqual([
      { month: "2024-11", downloads: 2, distinctIPs: 1 },
      { month: "2024-12", downloads: 0, distinctIPs: 0 },
      { month: "2025-01", downloads: 0, distinctIPs: 0 },
      { month: "2025-02", downloads: 4, distinctIPs: 3 },
      { month: "2025-03", downloads: 0, distinctIPs: 0 },
    ]);
  });

  it("does not depend on the rows' order and is empty without rows", () => {
    const rows = [m(2025, 1, 5, 6), m(2024, 12, 7, 8)];
    expect(monthlySeries(rows, d("2025-01-31")).map((p) => p.month)).toEqual(["2024-12", "2025-01"]);
    expect(monthlySeries([...rows].reverse(), d("2025-01-31"))).toEqual(monthlySeries(rows, d("2025-01-31")));
    expect(monthlySeries([], d("2025-01-31"))).toEqual([]);
  });

  it("keeps a row after ValidThru's month rather than dropping it", () => {
    expect(monthlySeries([m(2025, 2, 1, 1)], d("2025-01-31")).map((p) => p.month)).toEqual(["2025-02"]);
  });
});

describe("yearly series", () => {
  it("uses the yearly rows (distinct over the year) and zero-fills years without rows through ValidThru's year", () => {
    const rows = [m(2021, 12, 9, 9), y(2021, 10, 20), m(2023, 1, 1, 1), y(2023, 1, 1)];
    expect(yearlySeries(rows, d("2025-01-01"))).toEqual([
      { year: 2021, downloads: 20, distinctIPs: 10 },
      { year: 2022, downloads: 0, distinctIPs: 0 },
      { year: 2023, downloads: 1, distinctIPs: 1 },
      { year: 2024, downloads: 0, distinctIPs: 0 },
      { year: 2025, downloads: 0, distinctIPs: 0 },
    ]);
    expect(yearlySeries([], d("2025-01-01"))).toEqual([]);
    expect(totalDownloads(rows)).toBe(21);
  });
});

describe("the score window as months", () => {
  it("is the 12 months before ValidThru's month", () => {
    expect(scoreWindowLabels(d("2025-01-15"))).toEqual({ from: "2024-01", to: "2024-12" });
    expect(scoreWindowLabels(d("2025-06-17"))).toEqual({ from: "2024-06", to: "2025-05" });
  });
});

describe("export pages", () => {
  it("hold pageSize records each, the last one the rest", () => {
    expect(pageRanges(0, 10)).toEqual([]);
    expect(pageRanges(10, 10)).toEqual([{ start: 0, count: 10 }]);
    expect(pageRanges(25, 10)).toEqual([
      { start: 0, count: 10 },
      { start: 10, count: 10 },
      { start: 20, count: 5 },
    ]);
    expect(() => pageRanges(5, 0)).toThrow(RangeError);
  });

  it("run month by month, so that a new month only adds records at the end", () => {
    // months as indices (year * 12 + month - 1): 2024-01 = 24288
    const entry = (name: string, months: number[]): ExportEntry => ({
      name,
      category: "bioc",
      months: Int32Array.from(months.flatMap((m, i) => [m, i + 1, 1])),
    });
    const page = (entries: ExportEntry[], start: number, count: number) => renderNdjsonPage({ entries, order: exportOrder(entries) }, { start, count });
    const before = [entry("affy", [24288, 24289]), entry("limma", [24288, 24290])];
    expect(
      page(before, 0, 4)
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as { package: string; month: string })
        .map((r) => `${r.month} ${r.package}`),
    ).toEqual(["2024-01 affy", "2024-01 limma", "2024-02 affy", "2024-03 limma"]);
    expect(page(before, 2, 1)).toBe('{"package":"affy","category":"bioc","month":"2024-02","downloads":2,"distinctIPs":1}\n');
    const after = [entry("affy", [24288, 24289, 24291]), entry("limma", [24288, 24290, 24291])];
    expect(page(after, 0, 4)).toBe(page(before, 0, 4));
    expect(page(after, 4, 2)).toMatch(/^\{"package":"affy",.*"month":"2024-04".*\n\{"package":"limma",.*"month":"2024-04"/);
  });

  it("quote CSV fields only when needed", () => {
    expect(csvField("affy")).toBe("affy");
    expect(csvField('a,"b')).toBe('"a,""b"');
  });
});

describe("gzip from pieces", () => {
  it("is one gzip member whose content is the pieces joined", () => {
    const pieces = ["héllo\n", "", "x".repeat(100_000), "\nlast"];
    const gz = gzipPieces(pieces);
    expect(gunzipSync(gz).toString("utf8")).toBe(pieces.join(""));
    expect(gunzipSync(gzipPieces([])).length).toBe(0);
    // one member: a 10-byte header, one deflate stream, the 8-byte trailer (CRC32, size)
    expect(inflateRawSync(gz.subarray(10, gz.length - 8)).toString("utf8")).toBe(pieces.join(""));
    expect(Buffer.from(gz.subarray(gz.length - 4)).readUInt32LE(0)).toBe(Buffer.byteLength(pieces.join("")));
  });
});

describe("series as JSON", () => {
  it("is the text JSON.stringify gives", () => {
    const rows = [m(2024, 11, 1, 2), y(2024, 1, 2), m(2025, 2, 3, 4), y(2025, 3, 4)];
    for (const points of [monthlySeries(rows, d("2025-03-05")), yearlySeries(rows, d("2025-03-05")), []]) {
      expect(seriesJson(points)).toBe(JSON.stringify(points));
    }
  });
});
