import { describe, expect, it } from "vitest";
import { fieldPositions, selectDownload, selectDownloadBytes, type FieldPositions } from "../../src/sources/cloudfront-line.js";

const FIELDS = "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer)";
const f = fieldPositions(FIELDS) as FieldPositions;
const line = (uri: string, status = "200", ip = "1.2.3.4", date = "2025-01-02") => [date, "00:00:01", "IAD", "10", ip, "GET", "h", uri, status, "-"].join("\t");
const pick = (uri: string, status?: string, ip?: string) => {
  const r = selectDownload(line(uri, status, ip), f);
  return r && !("bad" in r) ? `${r.category}/${r.package}` : r;
};

describe("the Athena view's rules for one log line", () => {
  it.each([
    ["/packages/3.20/bioc/src/contrib/affy_1.2.3.tar.gz", "bioc/affy"],
    ["/packages/release/data/annotation/src/contrib/GO.db_3.20.0.tar.gz", "annotation/GO.db"],
    ["/packages/devel/data/experiment/bin/windows/contrib/4.4/ALL_1.0.zip", "experiment/ALL"],
    ["/packages/3.19/workflows/bin/macosx/big-sur-arm64/contrib/4.4/rnaseqGene_1.0.tgz", "workflows/rnaseqGene"],
    ["//packages//3.20//bioc//src//contrib//affy_1.2.3.tar.gz", "bioc/affy"],
    ["/packages/3.20/bioc/src/contrib/Archive/affy/affy_1.0.tar.gz", "bioc/affy"],
    ["/packages/3.20/data//experiment/src/contrib/ALL_1.0.tar.gz", "/experiment/ALL"],
  ])("selects %s as %s", (uri, expected) => {
    expect(pick(uri)).toBe(expected);
  });

  it.each([
    ["/packages/3.20/bioc/src/contrib/affy_1.2.3.tar.gz.md5"],
    ["/packages/3.20/bioc/html/affy.html"],
    ["/packages/3.20/bioc/src/contrib/PACKAGES.gz"],
    ["/packages/3.20/src/contrib/affy_1.0.tar.gz"],
    ["/packages/3.20/bioc/src/contrib/_1.0.tar.gz"],
  ])("ignores %s", (uri) => {
    expect(pick(uri)).toBeNull();
  });

  it("selects exactly what the view's pattern selects, around its anchors (the lines the bytes rule out make no string)", () => {
    // The view's pattern, typed again here: the oracle for the byte checks in front of the source's.
    const view = /^\/+packages\/+[^/]*\/+(bioc|workflows|data\/+experiment|data\/+annotation)\/+(?:bin|src)\/+(?:[^/]*\/+)*([^_]*)_.*\.(?:tar|gz|zip|tgz)$/;
    const base = "/packages/3.20/bioc/src/contrib/affy_1.0";
    const ends = [".tar", ".gz", ".zip", ".tgz", ".tar.gz", ".GZ", ".Tar", ".tar.gz.md5", ".tgzx", "tgz", "_tgz", ".gzip", ".tar ", ".z", "gz", ""];
    const uris = [
      ...ends.map((e) => base + e),
      "packages/3.20/bioc/src/contrib/affy_1.0.tar.gz",
      "/.gz",
      "/_.gz",
      "/a.tgz",
      ".tgz",
      "//packages/x/bioc/bin/a_b.zip",
    ];
    const got = uris.map((u) => pick(u) !== null);
    expect(got).toEqual(uris.map((u) => view.test(u)));
    expect(got.filter(Boolean).length).toBe(6); // affy with .tar, .gz, .zip, .tgz, .tar.gz; the //packages zip
  });

  it("reads each line's date, whatever the line before held", () => {
    const uri = "/packages/3.20/bioc/src/contrib/affy_1.0.tar.gz";
    const dates = ["2025-01-02", "2025-01-02", "2025-02-30", "2025-02-30", "2025-01-03", "2025-01-02", "2025-1-02", "2025-01-02"];
    expect(dates.map((d) => selectDownload(line(uri, "200", "1.2.3.4", d), f))).toEqual(
      dates.map((d) =>
        d === "2025-02-30" || d === "2025-1-02" ? { bad: `bad date "${d}"` } : { date: d, ip: "1.2.3.4", status: 200, category: "bioc", package: "affy" },
      ),
    );
  });

  it("counts only 200, 301, 302, 307 and 308", () => {
    const uri = "/packages/3.20/bioc/src/contrib/affy_1.2.3.tar.gz";
    expect(["200", "206", "301", "302", "304", "307", "308", "404"].map((s) => pick(uri, s) !== null)).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it("drops values too long for bioc_web_downloads", () => {
    expect(pick("/packages/3.20/bioc/src/contrib/affy_1.tar.gz", "200", "x".repeat(41))).toBeNull();
    expect(pick(`/packages/3.20/bioc/src/contrib/${"a".repeat(65)}_1.tar.gz`)).toBeNull();
  });

  it("reports malformed lines", () => {
    expect(selectDownload("garbage", f)).toEqual({ bad: "1 fields, want 10" });
    expect(selectDownload(line("/x", "200", "1.1.1.1", "2025-02-30"), f)).toEqual({ bad: 'bad date "2025-02-30"' });
    expect(selectDownload(line("/x", "OK"), f)).toEqual({ bad: 'bad sc-status "OK"' });
    const latin1 = Buffer.from(line("/packages/3.20/bioc/src/contrib/caf\xe9_1.0.tar.gz"), "latin1");
    expect(selectDownloadBytes(latin1, 0, latin1.length, f)).toEqual({ bad: "not valid UTF-8" });
    expect(selectDownload(line("/packages/3.20/bioc/src/contrib/affy_1.0.tar.gz", "200", "1.1.1.\0"), f)).toEqual({ bad: "holds a NUL byte" });
    expect(pick("/packages/3.20/bioc/src/contrib/caf\u00e9_1.0.tar.gz")).toBe("bioc/caf\u00e9"); // valid UTF-8 is read as such
    expect(fieldPositions("#Fields: date time")).toBe("#Fields lacks c-ip, cs-uri-stem, sc-status");
  });
});
