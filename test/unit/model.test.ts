// The one packer of the site model: what the loader and the tests hand the render workers.
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/categories.js";
import type { IsoDate, PackageName } from "../../src/domain/types.js";
import { periodRows, packSiteData, SitePacker, unpackSiteData, type DailyRows, type SiteData } from "../../src/site/model.js";

const data: SiteData = {
  validThru: "2025-02-10" as IsoDate,
  packages: [{ name: "affy" as PackageName, category: "bioc", firstVersion: "308", lastVersion: null }],
  dailyMonths: [{ month: "2024-10-01" as IsoDate, revision: "7", records: 8, loaded: true }],
  categories: CATEGORIES.map((category, i) => ({
    category,
    combined: [{ year: 2025, month: 1, ips: i, downloads: 2 * i }],
    packages: new Map([
      [
        `p${i}` as PackageName,
        periodRows([
          { year: 2024, month: null, ips: 1, downloads: 3 },
          { year: 2025, month: 2, ips: 4, downloads: 5 },
        ]),
      ],
    ]),
    last30: new Map([[`p${i}` as PackageName, { ips: 1, downloads: i }]]),
    daily: new Map([
      [`p${i}` as PackageName, Int32Array.of(20000, 3, 2, 20001 + i, 4, 1)],
      [`q${i}` as PackageName, Int32Array.of(20005, 1, 1)],
    ]),
    combinedDaily: Int32Array.of(20000, 3 + i, 2),
  })),
};

describe("the site model, packed and unpacked", () => {
  it("gives back what was packed, every category's rows and days", () => {
    const packed = packSiteData(data);
    expect(packed.days.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(packed.narrowDays.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The packages' days in 16 bits, the categories' in 32.
    expect([packed.narrowDays.length, packed.days.length]).toEqual([4 * (6 + 3), 4 * 3]);
    expect(withInt32Days(unpackSiteData(packed))).toEqual(data);
  });

  it("gives back the counts without crawlers and repeats beside the legacy ones, their stats rows still packed", () => {
    const withFiltered: SiteData = {
      ...data,
      crawlerPackages: 500,
      categories: data.categories.map((c, i) => ({
        ...c,
        filtered: {
          combined: Int32Array.of(2025, 1, i, i),
          packages: new Map([[`p${i}` as PackageName, Int32Array.of(2024, 0, 1, 1, 2025, 2, 3, 3)]]),
          daily: new Map([[`p${i}` as PackageName, Int32Array.of(20001 + i, 1, 1)]]),
          combinedDaily: Int32Array.of(20000, 1 + i, 1),
        },
      })),
    };
    const packed = packSiteData(withFiltered);
    expect(packed.crawlerPackages).toBe(500);
    expect([packed.narrowDays.length, packed.days.length]).toEqual([4 * (6 + 3 + 3), 4 * (3 + 3)]);
    const model = withInt32Days(unpackSiteData(packed));
    expect(model).toEqual(withFiltered);
    // the legacy rows did not move for them
    expect(model.categories.map((c) => c.packages)).toEqual(data.categories.map((c) => c.packages));
    expect(unpackSiteData(packed).categories[0]!.daily.get("p0" as PackageName)).toEqual(Uint16Array.of(20000, 3, 2, 20001, 4, 1));
    // without a K, nothing filtered is handed on, whatever was packed
    const packer = new SitePacker();
    packer.packageRows("bioc", "affy", [2025, 1, 1, 1], "filtered");
    const plain = unpackSiteData(packer.finish(data.validThru, [], []));
    expect(plain.crawlerPackages).toBeUndefined();
    expect(plain.categories.every((c) => c.filtered === undefined)).toBe(true);
  });

  it("takes a package's days in parts, and refuses more or fewer than reserved", () => {
    const packer = new SitePacker();
    packer.reservePackageDays("bioc", "affy", 2);
    packer.packageDays("bioc", "affy", [20000, 1, 1]);
    expect(() => packer.finish(data.validThru, [], [])).toThrow(/fewer rows for bioc\/affy/);
    packer.packageDays("bioc", "affy", [20001, 2, 2]);
    expect(() => packer.packageDays("bioc", "affy", [20002, 3, 3])).toThrow(/more rows for bioc\/affy/);
    expect(() => packer.reservePackageDays("bioc", "limma", 1)).toThrow(/reserved after/);
    const model = unpackSiteData(packer.finish(data.validThru, [], []));
    expect([...model.categories[0]!.daily.get("affy" as PackageName)!]).toEqual([20000, 1, 1, 20001, 2, 2]);
  });

  it("keeps a package's days in 32 bits once one of them passes 16, whichever part brings it", () => {
    const packer = new SitePacker();
    packer.reservePackageDays("bioc", "BiocGenerics", 3);
    packer.reservePackageDays("bioc", "affy", 1);
    packer.reservePackageDays("bioc", "limma", 1, "filtered");
    packer.packageDays("bioc", "BiocGenerics", [20010, 65535, 60000]); // the most 16 bits hold
    packer.packageDays("bioc", "affy", [20003, 1, 1]);
    packer.packageDays("bioc", "BiocGenerics", [20011, 65536, 60001, 20001, 9, 9]); // a later part, one past it
    packer.packageDays("bioc", "limma", [20002, 70000, 70000], "filtered");
    const packed = packer.finish(data.validThru, [], [], 500);
    expect(packed.days.buffer).toBeInstanceOf(SharedArrayBuffer);
    const model = unpackSiteData(packed).categories[0]!;
    expect(model.daily.get("BiocGenerics" as PackageName)).toEqual(Int32Array.of(20001, 9, 9, 20010, 65535, 60000, 20011, 65536, 60001));
    expect(model.daily.get("affy" as PackageName)).toEqual(Uint16Array.of(20003, 1, 1));
    expect(model.filtered!.daily.get("limma" as PackageName)).toEqual(Int32Array.of(20002, 70000, 70000));
    expect([...model.daily.keys()]).toEqual(["BiocGenerics", "affy"]);
    expect(() => packer.packageDays("bioc", "BiocGenerics", [20012, 1, 1])).toThrow(/more rows for bioc\/BiocGenerics/);
  });

  it("gives each package's days ascending, in whatever order its parts came", () => {
    const packer = new SitePacker();
    packer.reservePackageDays("bioc", "affy", 4);
    packer.reservePackageDays("bioc", "limma", 2);
    packer.packageDays("bioc", "affy", [20010, 5, 5, 20002, 2, 1]); // a range read out of order
    packer.packageDays("bioc", "limma", [20001, 7, 7, 20003, 8, 8]);
    packer.packageDays("bioc", "affy", [19990, 1, 1, 20011, 6, 4]); // and an earlier range after a later one
    const model = unpackSiteData(packer.finish(data.validThru, [], []));
    expect([...model.categories[0]!.daily.get("affy" as PackageName)!]).toEqual([19990, 1, 1, 20002, 2, 1, 20010, 5, 5, 20011, 6, 4]);
    expect([...model.categories[0]!.daily.get("limma" as PackageName)!]).toEqual([20001, 7, 7, 20003, 8, 8]);
  });
});

/** The model with every package's DailyRows as an Int32Array, as the test data gives them (the packer keeps most in 16 bits). */
function withInt32Days(model: SiteData): SiteData {
  const wide = (daily: ReadonlyMap<PackageName, DailyRows>) => new Map([...daily].map(([name, rows]) => [name, Int32Array.from(rows)]));
  return {
    ...model,
    categories: model.categories.map((c) => ({
      ...c,
      daily: wide(c.daily),
      ...(c.filtered ? { filtered: { ...c.filtered, daily: wide(c.filtered.daily) } } : {}),
    })),
  };
}
