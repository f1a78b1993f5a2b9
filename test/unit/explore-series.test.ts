// The explore chart's numbers (assets/explore/series.js): days, weeks and months over a range,
// the bucket ValidThru cuts short marked partial, log-scale ticks that read, and the switch to
// the counts without crawlers and repeats.
import { describe, expect, it } from "vitest";
import { bucketsOf, filterNote, logTicks, mondayOf, rangeStart, readFiltered, shownSeries, valuesOf, type PackageSeries } from "../../assets/explore/series.js";

const addDays = (day: string, n: number) => new Date(Date.parse(day + "T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10);

/** 365 days ending at `validThru`, day i with i downloads and 1 distinct IP. */
function daily(validThru: string) {
  return Array.from({ length: 365 }, (_, i) => ({ day: addDays(validThru, i - 364), downloads: i, distinctIPs: 1 }));
}

const monthly = [
  { month: "2024-11", downloads: 5, distinctIPs: 2 },
  { month: "2024-12", downloads: 7, distinctIPs: 3 },
  { month: "2025-01", downloads: 1, distinctIPs: 1 },
];

describe("explore series: months", () => {
  const s: PackageSeries = { monthly, daily: undefined };

  it("marks the month ValidThru is inside as partial, and no month when ValidThru ends one", () => {
    expect(bucketsOf([s], "month", "all", "2025-01-17").map((b) => [b.key, b.partial])).toEqual([
      ["2024-11", false],
      ["2024-12", false],
      ["2025-01", true],
    ]);
    expect(bucketsOf([s], "month", "all", "2025-01-31").map((b) => b.partial)).toEqual([false, false, false]);
  });

  it("keeps every month with a day in the range, over the months of all packages, zeros before a package's first", () => {
    const later: PackageSeries = { monthly: monthly.slice(1), daily: undefined };
    const buckets = bucketsOf([s, later], "month", "90d", "2025-01-31");
    // 90 days back from 2025-01-31 is 2024-11-03: November has days in it.
    expect(rangeStart("90d", "2025-01-31")).toBe("2024-11-03");
    expect(buckets.map((b) => b.key)).toEqual(["2024-11", "2024-12", "2025-01"]);
    expect(bucketsOf([s], "month", "90d", "2025-03-01").map((b) => b.key)).toEqual(["2024-12", "2025-01"]);
    expect(valuesOf(later, buckets, "month", "downloads")).toEqual([0, 7, 1]);
    expect(valuesOf(s, buckets, "month", "ips")).toEqual([2, 3, 1]);
  });
});

describe("explore series: days and weeks", () => {
  // 2025-06-17 is a Tuesday; the 365 days start on Tuesday 2024-06-18.
  const s: PackageSeries = { monthly: [], daily: daily("2025-06-17") };

  it("finds the Monday of a day's week", () => {
    expect(["2025-06-16", "2025-06-17", "2025-06-22", "2025-06-23"].map(mondayOf)).toEqual(["2025-06-16", "2025-06-16", "2025-06-16", "2025-06-23"]);
    expect(mondayOf("2025-01-01")).toBe("2024-12-30");
  });

  it("has every day in the range, none partial", () => {
    const all = bucketsOf([s], "day", "all", "2025-06-17");
    expect(all).toHaveLength(365);
    expect(all.some((b) => b.partial)).toBe(false);
    const last90 = bucketsOf([s], "day", "90d", "2025-06-17");
    expect(last90.map((b) => b.key)).toEqual(s.daily!.slice(-90).map((d) => d.day));
    expect(valuesOf(s, last90, "day", "downloads")).toEqual(s.daily!.slice(-90).map((d) => d.downloads));
  });

  it("sums whole Monday-to-Sunday weeks, leaves out the first week cut by the data, and marks the last partial", () => {
    const weeks = bucketsOf([s], "week", "all", "2025-06-17");
    expect(weeks[0]).toEqual({ key: "2024-06-24", from: "2024-06-24", to: "2024-06-30", partial: false });
    expect(weeks.at(-1)).toEqual({ key: "2025-06-16", from: "2025-06-16", to: "2025-06-22", partial: true });
    expect(weeks).toHaveLength(52);
    // Day index i has i downloads: the first whole week is days 6..12, the last days 363 and 364.
    const values = valuesOf(s, weeks, "week", "downloads");
    expect(values[0]).toBe(6 + 7 + 8 + 9 + 10 + 11 + 12);
    expect(values.at(-1)).toBe(363 + 364);
    expect(
      valuesOf(s, weeks, "week", "ips")
        .slice(0, 1)
        .concat(valuesOf(s, weeks, "week", "ips").slice(-1)),
    ).toEqual([7, 2]);
  });

  it("has no partial week when ValidThru is a Sunday", () => {
    const sunday: PackageSeries = { monthly: [], daily: daily("2025-06-22") };
    expect(bucketsOf([sunday], "week", "1y", "2025-06-22").at(-1)).toMatchObject({ key: "2025-06-16", partial: false });
  });

  it("has no days or weeks without daily numbers", () => {
    expect(bucketsOf([{ monthly, daily: undefined }], "week", "all", "2025-01-17")).toEqual([]);
  });
});

describe("explore series: without crawlers and repeats", () => {
  const filteredMonthly = monthly.map((m) => ({ ...m, downloads: m.distinctIPs }));
  const file = {
    schemaVersion: 3,
    monthly,
    daily: daily("2025-01-17"),
    filtered: { crawlerPackages: 500, rule: "…", monthly: filteredMonthly, yearly: [], daily: undefined },
  };

  it("reads a file's filtered series and K, and nothing from a file without them or with them malformed", () => {
    expect(readFiltered(file)).toEqual({ crawlerPackages: 500, monthly: filteredMonthly, daily: undefined });
    const days = daily("2025-01-17");
    expect(readFiltered({ ...file, filtered: { ...file.filtered, daily: days } })!.daily).toBe(days);
    for (const filtered of [
      null,
      undefined,
      3,
      { ...file.filtered, monthly: "x" },
      { ...file.filtered, crawlerPackages: 0 },
      { ...file.filtered, crawlerPackages: "500" },
    ]) {
      expect(readFiltered({ ...file, filtered }), JSON.stringify(filtered)).toBeUndefined();
    }
    expect(readFiltered(null)).toBeUndefined();
  });

  it("shows the filtered numbers only when the switch is on and the file has them", () => {
    const s: PackageSeries = { monthly, daily: undefined, filtered: readFiltered(file) };
    const buckets = bucketsOf([s], "month", "all", "2025-01-17");
    expect(valuesOf(shownSeries(s, false), buckets, "month", "downloads")).toEqual([5, 7, 1]);
    expect(valuesOf(shownSeries(s, true), buckets, "month", "downloads")).toEqual([2, 3, 1]);
    expect(shownSeries({ monthly, daily: undefined }, true).monthly).toBe(monthly);
  });

  it("says what the switch does, with K", () => {
    expect(filterNote(300)).toMatch(
      /^Without crawlers and repeats: an IP that downloads more than 300 packages on one day is left out that day .* count once\.$/,
    );
  });
});

describe("explore series: log ticks", () => {
  it("spans at least a decade with 1, 2, 5 steps for a few downloads", () => {
    expect(logTicks([1, 2, 6])).toEqual({ min: 1, max: 10, ticks: [1, 2, 5, 10] });
    expect(logTicks([1])).toEqual({ min: 1, max: 10, ticks: [1, 2, 5, 10] });
    expect(logTicks([])).toEqual({ min: 1, max: 10, ticks: [1, 2, 5, 10] });
    expect(logTicks([3, 40])).toEqual({ min: 1, max: 50, ticks: [1, 2, 5, 10, 20, 50] });
    expect(logTicks([150, 900])).toEqual({ min: 100, max: 1000, ticks: [100, 200, 500, 1000] });
  });

  it("ticks only powers of ten past four decades", () => {
    expect(logTicks([1, 250_000])).toEqual({ min: 1, max: 1_000_000, ticks: [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] });
  });
});
