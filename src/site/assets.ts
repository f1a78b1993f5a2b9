// static/: our stylesheet and chart script, and Chart.js copied from node_modules, so that no
// page depends on a third-party CDN.
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
    // chart.js's "exports" hides dist/; its package entry lives in that same folder.
    { path: "static/chart.umd.min.js", source: dirname(require.resolve("chart.js")) + "/chart.umd.min.js" },
  ];
}
