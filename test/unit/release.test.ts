// The one encoding of a Bioconductor release, as the packages table stores it: major × 100 + minor.
import { describe, expect, it } from "vitest";
import { decodeRelease, encodeRelease, formatRelease, releaseParts } from "../../src/domain/release.js";

describe("release encoding", () => {
  it("encodes x.y as major × 100 + minor, as data/packages-history.csv holds releases", () => {
    expect(encodeRelease("3.9")).toBe("309");
    expect(encodeRelease("3.10")).toBe("310");
    expect(encodeRelease("3.20")).toBe("320");
    expect(encodeRelease("1.8")).toBe("108");
    expect(encodeRelease(" 3.22 ")).toBe("322");
  });

  it("gives 10.x four digits, so it never reads as 1.x", () => {
    expect(encodeRelease("10.1")).toBe("1001");
    expect(encodeRelease("10.12")).toBe("1012");
    expect(formatRelease("1001")).toBe("10.1");
    expect(formatRelease("1012")).toBe("10.12");
    expect(releaseParts("1001")).toEqual({ major: 10, minor: 1 });
  });

  it("decodes what it encodes", () => {
    for (const v of ["3.9", "3.10", "3.20", "2.14", "3.0", "10.1", "10.10"]) expect(formatRelease(encodeRelease(v)!)).toBe(v);
  });

  it("reads a two-digit value as major digit, minor digit: 39 is 3.9, the release 309 is", () => {
    expect(formatRelease("39")).toBe("3.9");
    expect(releaseParts("39")).toEqual(releaseParts("309"));
  });

  it("refuses what is not a release, and shows an undecodable value as it is", () => {
    for (const v of ["3", "3.2.1", "v3.9", "", "3.100"]) expect(encodeRelease(v)).toBeNull();
    for (const v of ["", "3", "3a", "abc"]) expect(releaseParts(v)).toBeNull();
    expect(formatRelease("abc")).toBe("abc");
  });

  it("keeps null and empty (in devel) as null", () => {
    expect(decodeRelease(null)).toBeNull();
    expect(decodeRelease("")).toBeNull();
    expect(decodeRelease("320")).toBe("3.20");
  });
});
