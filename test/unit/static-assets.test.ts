// static/: every module the explore page imports is copied, under the path it is imported by,
// and `publish` sends each asset with a type a browser accepts (a module script must be served
// as JavaScript, never application/octet-stream).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contentTypeOf } from "../../src/publish/plan.js";
import { staticAssets } from "../../src/site/assets.js";

describe("static assets", () => {
  const assets = staticAssets();
  const byPath = new Map(assets.map((a) => [a.path, a.source]));

  it("copy explore.html's entry module and every module it imports, transitively", () => {
    const template = readFileSync(new URL("../../templates/explore.eta", import.meta.url), "utf8");
    const entry = /<script type="module" src="([^"]+)">/.exec(template)?.[1];
    expect(entry).toBe("static/explore/main.js");
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const source = byPath.get(path);
      expect(source, `${path} is copied to static/`).toBeDefined();
      for (const [, spec] of readFileSync(source!, "utf8").matchAll(/^\s*(?:import|export)\b[^"']*?from\s*["']([^"']+)["']/gm)) {
        visit(new URL(spec!, "http://x/" + path).pathname.slice(1));
      }
    };
    visit(entry!);
    expect([...seen].sort()).toEqual([
      "static/explore/badge.js",
      "static/explore/badges.js",
      "static/explore/chart.js",
      "static/explore/dom.js",
      "static/explore/main.js",
      "static/explore/series.js",
      "static/explore/state.js",
      "static/explore/table.js",
    ]);
  });

  it("have content types publish knows", () => {
    for (const a of assets) expect(contentTypeOf(a.path), a.path).not.toBe("application/octet-stream");
    expect(contentTypeOf("static/explore/main.js")).toBe("text/javascript");
  });
});
