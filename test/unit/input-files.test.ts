import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parsePackagesCsv, readPackagesCsv } from "../../src/sources/packages-csv.js";
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
    [`2025-01-02\t${"1".repeat(41)}\t200\tbioc\taffy`, /:3: c-ip longer than 40 characters/],
    ["2025-01-02\t1.2.3\r4\t200\tbioc\taffy", /:3: c-ip holds a tab or a line end/],
    ["2025-13-02\t1.2.3.4\t200\tbioc\taffy", /:3: bad date "2025-13-02"/],
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
    const text = "package,category,first_version,last_version\nok,bioc,301,\n,bioc,301,\nxx,software,301,\ny,bioc,301\n../etc,bioc,301,\nok,bioc,302,\n";
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
      'p.csv:6: package name "../etc" is not a Bioconductor name (want a letter, then letters, digits and dots, not ending in a dot)',
      'p.csv:7: package "ok" already on line 2',
    ]);
  });
});

// Issue 10, defect 5: a name that could not be a Bioconductor package, or that is a file of the
// category folder, blocked every later build.
describe("package names (issue 10)", () => {
  const csv = (...names: string[]) => "package,category,first_version,last_version\n" + names.map((n) => `${n},bioc,301,`).join("\n") + "\n";
  const failure = (text: string) => {
    try {
      parsePackagesCsv(text, "p.csv");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message.split("\n");
    }
    throw new Error("accepted");
  };

  it("a package named index.html is refused", () => {
    expect(failure(csv("affy", "index.html"))).toEqual([expect.stringMatching(/^p\.csv:3: package name "index\.html" .*category folder/)]);
  });

  it.each(["1abc", "abc.", "a_b", "a-b", "a", ".x", "a b", "caf\u00e9"])("a package named %j is refused, by file and line", (name) => {
    expect(failure(csv("affy", name, "limma"))).toEqual([
      expect.stringMatching(new RegExp(`^p\\.csv:3: package name ${JSON.stringify(name).replace(/[.]/g, "\\.")} `)),
    ]);
  });

  it("accepts names that differ only in case (TReNA and trena are two packages)", () => {
    expect(parsePackagesCsv(csv("TReNA", "trena", "GO.db", "BSgenome.Hsapiens.UCSC.hg38"), "p.csv").map((r) => r.name)).toEqual([
      "TReNA",
      "trena",
      "GO.db",
      "BSgenome.Hsapiens.UCSC.hg38",
    ]);
  });

  it("accepts every real package name and every fixture's", () => {
    for (const f of ["../../data/packages-history.csv", "../fixtures/small-s1/packages.csv", "../fixtures/medium-s2/packages.csv"]) {
      expect(parsePackagesCsv(readFileSync(new URL(f, import.meta.url), "utf8"), f).length).toBeGreaterThan(40);
    }
  });
});

// Issue 10, defect 6: bytes that are not UTF-8 were stored as U+FFFD, a NUL reached the
// database, and a 50 MB line was buffered whole and echoed in the message.
describe("text input files (issue 10)", () => {
  const HEAD = Buffer.from("date\tc-ip\tsc-status\tcategory\tpackage\n2025-01-02\t1.2.3.4\t200\tbioc\taffy\n");
  const PKG_HEAD = Buffer.from("package,category,first_version,last_version\naffy,bioc,108,\n");
  const failure = async (read: () => Promise<unknown>) => {
    const error = await read().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  };
  const readers = {
    "rows file": (path: string) => readAll(path),
    "packages CSV": (path: string) => readPackagesCsv(path),
  };
  const heads = { "rows file": HEAD, "packages CSV": PKG_HEAD };

  for (const [kind, read] of Object.entries(readers)) {
    const head = heads[kind as keyof typeof heads];
    const withLine = (line: Buffer, gzip = false) => {
      const path = join(tempDir(), gzip ? "f.gz" : "f.txt");
      const bytes = Buffer.concat([head, line, Buffer.from("\n")]);
      writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
      return path;
    };
    const good = kind === "rows file" ? "2025-01-03\t1.2.3.5\t200\tbioc\tcaf?" : "caf?,bioc,301,";

    it(`${kind}: a line that is not UTF-8 is refused as FILE:LINE: not valid UTF-8`, async () => {
      for (const gzip of [false, true]) {
        const path = withLine(Buffer.from(good.replace("?", "\xe9"), "latin1"), gzip);
        expect(await failure(() => read(path))).toBe(`${path}:3: not valid UTF-8`);
      }
    });

    it(`${kind}: a NUL byte is refused with FILE:LINE`, async () => {
      const path = withLine(Buffer.from(good.replace("?", "\0")));
      expect(await failure(() => read(path))).toMatch(new RegExp(`^${path}:3: .*NUL`));
    });

    it(`${kind}: a 50 MB line is refused quickly, in a short message naming the line, without buffering it`, async () => {
      const path = withLine(Buffer.alloc(50 * 1024 * 1024, "x"));
      const before = process.memoryUsage().rss;
      const message = await failure(() => read(path));
      expect(message).toBe(`${path}:3: line longer than 65536 bytes`);
      expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
    });
  }

  it("keeps messages short: a value is quoted up to about 100 characters", async () => {
    const path = join(tempDir(), "long.tsv");
    writeFileSync(path, Buffer.concat([HEAD, Buffer.from(`2025-01-02\t1.2.3.4\t200\tbioc\t${"x".repeat(20_000)}\n`)]));
    const message = await failure(() => readAll(path));
    expect(message).toMatch(/:3: package longer than 64 characters: "x{100}"…/);
    expect(message.length).toBeLessThan(300);
    await expect(
      failure(async () => parsePackagesCsv(`package,category,first_version,last_version\naffy,${"y".repeat(5000)},301,\n`, "p.csv")),
    ).resolves.toMatch(/^p\.csv:2: unknown category "y{100}"…/);
  });

  it("a line of exactly 65536 bytes is still read", async () => {
    const path = join(tempDir(), "max.tsv");
    const line = `2025-01-02\t1.2.3.4\t200\tbioc\taffy\t`;
    writeFileSync(
      path,
      Buffer.concat([Buffer.from("date\tc-ip\tsc-status\tcategory\tpackage\tpad\n"), Buffer.from(line + "p".repeat(65536 - line.length) + "\n")]),
    );
    expect(await readAll(path)).toHaveLength(1);
  });
});
