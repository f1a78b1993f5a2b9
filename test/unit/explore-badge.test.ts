// The explore page's badge Markdown (assets/explore/badge.js): the site root from the page's own
// address under any prefix, and the Markdown the README documents, from a package file's badges.
import { describe, expect, it } from "vitest";
import { badgeMarkdown, readBadges, siteBase, siteUrl } from "../../assets/explore/badge.js";
import { badgePaths } from "../../src/site/badge-files.js";

const LIMMA = { rank: "badges/bioc/limma/rank.svg", lastMonth: "badges/bioc/limma/last-month.svg", total: "badges/bioc/limma/total.svg" };

describe("explore badges: the site root", () => {
  it("is the folder of explore.html, without its query or hash, under any prefix", () => {
    expect(siteBase("https://bioconductor.org/packages/stats/explore.html#p=limma&s=log")).toBe("https://bioconductor.org/packages/stats/");
    expect(siteBase("https://bioconductor.org/packages/stats/explore.html?x=1")).toBe("https://bioconductor.org/packages/stats/");
    expect(siteBase("http://127.0.0.1:8080/explore.html")).toBe("http://127.0.0.1:8080/");
    expect(siteBase("https://mirror.example.org/a/b/c/explore.html")).toBe("https://mirror.example.org/a/b/c/");
    // A page reached by its folder (an index document) is at the root too.
    expect(siteBase("https://example.org/stats/")).toBe("https://example.org/stats/");
  });

  it("makes absolute URLs that a Markdown link keeps whole", () => {
    const base = "https://example.org/packages/stats/";
    expect(siteUrl("badges/bioc/limma/rank.svg", base)).toBe("https://example.org/packages/stats/badges/bioc/limma/rank.svg");
    // A parenthesis would end the link, a space the URL.
    expect(siteUrl("badges/bioc/a(b) c/rank.svg", base)).toBe("https://example.org/packages/stats/badges/bioc/a%28b%29%20c/rank.svg");
  });
});

describe("explore badges: the Markdown", () => {
  it("is the README's Markdown: each badge linking to the package page", () => {
    expect(badgeMarkdown(LIMMA, "bioc/limma/", "https://bioconductor.org/packages/stats/")).toBe(
      [
        "[![downloads](https://bioconductor.org/packages/stats/badges/bioc/limma/rank.svg)](https://bioconductor.org/packages/stats/bioc/limma/)",
        "[![downloads](https://bioconductor.org/packages/stats/badges/bioc/limma/last-month.svg)](https://bioconductor.org/packages/stats/bioc/limma/)",
        "[![downloads](https://bioconductor.org/packages/stats/badges/bioc/limma/total.svg)](https://bioconductor.org/packages/stats/bioc/limma/)",
      ].join("\n"),
    );
  });

  it("shows the badges without a link for a package without a page", () => {
    expect(badgeMarkdown(LIMMA, null, "https://example.org/").split("\n")).toEqual([
      "![downloads](https://example.org/badges/bioc/limma/rank.svg)",
      "![downloads](https://example.org/badges/bioc/limma/last-month.svg)",
      "![downloads](https://example.org/badges/bioc/limma/total.svg)",
    ]);
  });

  it("reads the badges of a package file as the build writes them", () => {
    const paths = badgePaths("data-annotation", "org.Hs.eg.db");
    expect(readBadges({ schemaVersion: 2, badges: paths })).toEqual({
      rank: "badges/data-annotation/org.Hs.eg.db/rank.svg",
      lastMonth: "badges/data-annotation/org.Hs.eg.db/last-month.svg",
      total: "badges/data-annotation/org.Hs.eg.db/total.svg",
    });
  });

  it("refuses badges that are missing, incomplete or not paths of this site", () => {
    expect(readBadges({ schemaVersion: 1, monthly: [] })).toBeNull();
    expect(readBadges(null)).toBeNull();
    expect(readBadges({ badges: "badges/bioc/limma/rank.svg" })).toBeNull();
    expect(readBadges({ badges: { ...LIMMA, total: undefined } })).toBeNull();
    expect(readBadges({ badges: { ...LIMMA, rank: "https://evil.example/x.svg" } })).toBeNull();
    expect(readBadges({ badges: { ...LIMMA, lastMonth: "//evil.example/x.svg" } })).toBeNull();
    expect(readBadges({ badges: { ...LIMMA, total: "javascript:alert(1)" } })).toBeNull();
  });
});
