import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parsePackagesCsv } from "../../src/sources/packages-csv.js";
import { readRowsFile } from "../../src/sources/rows-file.js";
import { tempDir } from "../helpers/temp.js";

async function readAll(path: string) {
  const rows = [];
  for await (const r of readRowsFile(path)) rows.push(r);
  return rows;
}

const TSV = "date\tc-ip\tsc-status\tcategory\tpackage\n2025-01-02\t1.2.3.4\t200\tbioc\taffy\n2025-01-03\t1.2.3.5\t304\tbioc\tlimma\n";

describe("download rows files", () => {
  it("reads TSV, CSV and gzipped files alike", async () => {
    const dir = tempDir();
    const csv = TSV.replace(/\t/g, ",");
    writeFileSync(join(dir, "a.tsv"), TSV);
    writeFileSync(join(dir, "a.csv"), csv);
    writeFileSync(join(dir, "a.tsv.gz"), gzipSync(TSV));
    writeFileSync(join(dir, "noext"), gzipSync(csv));
    const expected = [
      { date: "2025-01-02", ip: "1.2.3.4", status: 200, category: "bioc", package: "affy" },
      { date: "2025-01-03", ip: "1.2.3.5", status: 304, category: "bioc", package: "limma" },
    ];
    for (const f of ["a.tsv", "a.csv", "a.tsv.gz", "noext"]) expect(await readAll(join(dir, f))).toEqual(expected);
  });

  it.each([
    ["2025-02-30\t1.2.3.4\t200\tbioc\taffy", /:3: bad date "2025-02-30"/],
    ["2025-01-02\t1.2.3.4\tOK\tbioc\taffy", /:3: bad sc-status "OK"/],
    ["2025-01-02\t1.2.3.4\t200\tbioc", /:3: 4 fields, want 5/],
    ["2025-01-02\t\t200\tbioc\taffy", /:3: empty c-ip/],
    [`2025-01-02\t1.2.3.4\t200\tbioc\t${"x".repeat(65)}`, /:3: package longer than 64 characters/],
  ])("names the file, line and value of a bad row: %s", async (bad, message) => {
    const dir = tempDir();
    const path = join(dir, "bad.tsv");
    writeFileSync(path, TSV.split("\n").slice(0, 2).join("\n") + "\n" + bad + "\n");
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(path)).toBe(true);
    expect((error as Error).message).not.toContain("\n");
  });

  it("names a truncated gzip file", async () => {
    const dir = tempDir();
    const path = join(dir, "cut.tsv.gz");
    const whole = gzipSync(TSV + "2025-01-04\t1.2.3.6\t200\tbioc\taffy\n".repeat(2000));
    writeFileSync(path, whole.subarray(0, whole.length - 20));
    await expect(readAll(path)).rejects.toThrow(new RegExp(`^${path}:\\d+: cannot read`));
  });

  it("refuses a header without the needed columns", async () => {
    const dir = tempDir();
    const path = join(dir, "h.tsv");
    writeFileSync(path, "date\tip\tstatus\n");
    await expect(readAll(path)).rejects.toThrow(/h\.tsv:1: header .* lacks c-ip, sc-status, category, package/);
  });
});

describe("packages CSV", () => {
  it("reads rows, empty last_version as NULL, quoted empties too", () => {
    const records = parsePackagesCsv('package,category,first_version,last_version\naffy,bioc,108,""\nABAData,experiment,211,314\n', "p.csv");
    expect(records).toEqual([
      { name: "affy", category: "bioc", firstVersion: "108", lastVersion: null },
      { name: "ABAData", category: "experiment", firstVersion: "211", lastVersion: "314" },
    ]);
  });

  it("reports every bad line by number, and fails the whole file", () => {
    const text = "package,category,first_version,last_version\nok,bioc,301,\n,bioc,301,\nx,software,301,\ny,bioc,301\n../etc,bioc,301,\nok,bioc,302,\n";
    let message = "";
    try {
      parsePackagesCsv(text, "p.csv");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "p.csv:3: empty package name",
      'p.csv:4: unknown category "software" (want bioc, annotation, experiment or workflows)',
      "p.csv:5: 3 fields, want 4",
      'p.csv:6: package name not usable as a folder: "../etc"',
      'p.csv:7: package "ok" already on line 2',
    ]);
  });
});
