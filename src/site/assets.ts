// static/: our stylesheet and scripts, and Chart.js and Bootstrap's CSS copied from
// node_modules, so that no page depends on a third-party CDN.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ASSETS = fileURLToPath(new URL("../../assets/", import.meta.url));

export interface StaticAsset {
  /** Path under the site root. */
  readonly path: string;
  /** Absolute path of the file to copy. */
  readonly source: string;
}

export function staticAssets(): StaticAsset[] {
  const require = createRequire(import.meta.url);
  return [
    { path: "static/webstats.css", source: ASSETS + "webstats.css" },
    { path: "static/barchart.js", source: ASSETS + "barchart.js" },
    // explore.html's ES modules, every one of the folder, so that a new module cannot be left out.
    ...exploreModules().map((name) => ({ path: "static/explore/" + name, source: ASSETS + "explore/" + name })),
    // Bootstrap 5's stylesheet for explore.html (no Bootstrap JavaScript is used).
    { path: "static/bootstrap.min.css", source: require.resolve("bootstrap/dist/css/bootstrap.min.css") },
    // chart.js's "exports" hides dist/; its package entry lives in that same folder.
    { path: "static/chart.umd.min.js", source: dirname(require.resolve("chart.js")) + "/chart.umd.min.js" },
  ];
}

function exploreModules(): string[] {
  return readdirSync(ASSETS + "explore")
    .filter((name) => name.endsWith(".js"))
    .sort();
}
