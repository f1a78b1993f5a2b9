import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/categories.js";
import type { IsoDate, PackageName } from "../../src/domain/types.js";
import { htmlAspects } from "../../src/compare/html-aspects.js";
import { escapeHtml, scriptJson } from "../../src/site/escape.js";
import { renderCategoryPage, renderStatsPage } from "../../src/site/render.js";
import { categoryPageView, statsPageView } from "../../src/site/views.js";

const HOSTILE = [`<script>alert(1)</script>`, `a"b'c&d`, `x<img src=x onerror=alert(1)>`, `#frag?q=1%20`];
const bioc = CATEGORIES[0]!;
const validThru = "2025-06-17" as IsoDate;

function elementCount(html: string, tag: string): number {
  let n = 0;
  const parser = new Parser({ onopentag: (name) => void (name === tag && n++) });
  parser.write(html);
  parser.end();
  return n;
}

describe("HTML escaping of hostile package names", () => {
  it("escapes the five HTML metacharacters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  for (const name of HOSTILE) {
    it(`shows ${JSON.stringify(name)} as text on a package page, never as markup`, () => {
      const html = renderStatsPage(
        statsPageView(
          bioc,
          { kind: "package", name: name as PackageName, lastVersion: null },
          [
            { year: 2024, month: 3, ips: 1, downloads: 2 },
            { year: 2024, month: null, ips: 1, downloads: 2 },
          ],
          validThru,
        ),
      );
      const page = htmlAspects(html, "/packages/stats/bioc/x/index.html");
      expect(page.title).toBe(`Download stats for software package ${name}`);
      expect(page.text).toContain(`${name} home page: release version, devel version.`);
      expect(elementCount(html, "script")).toBe(3); // Chart.js, the data, our chart script
      expect(elementCount(html, "img")).toBe(0);
      const release = page.links.find(([text]) => text === "release version")![1]!;
      expect(decodeURIComponent(release)).toBe(`/packages/release/bioc/html/${name}.html`);
    });

    it(`links ${JSON.stringify(name)} safely from the category page`, () => {
      const html = renderCategoryPage(categoryPageView(bioc, [{ name: name as PackageName, score: 3, rank: 1 }], validThru));
      const page = htmlAspects(html, "/packages/stats/index.html");
      expect(elementCount(html, "script")).toBe(0);
      expect(elementCount(html, "img")).toBe(0);
      const link = page.links.find(([text]) => text === `${name} (3)`);
      expect(link).toBeDefined();
      expect(link![1]).toBe(`/packages/stats/bioc/${encodeURIComponent(name)}/`);
    });
  }

  it("keeps </script> out of inline JSON", () => {
    expect(scriptJson({ a: "</script><b>" })).not.toContain("</script>");
    expect(JSON.parse(scriptJson({ a: "</script>" }))).toEqual({ a: "</script>" });
  });
});
