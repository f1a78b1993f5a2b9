// Runs the CLI in this process and, as it exits, writes "SECONDS MAX_RSS_KB" to REPORT: the
// measurement measure.ts uses where GNU time is not installed.
// Usage: node lib/bench/scale/rss-wrapper.js REPORT bin/webstats.js ARGS...
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [report, bin, ...args] = process.argv.slice(2);
const started = performance.now();
process.on("exit", () => {
  writeFileSync(report!, `${((performance.now() - started) / 1000).toFixed(2)} ${process.resourceUsage().maxRSS}\n`);
});
process.argv = [process.argv[0]!, bin!, ...args];
await import(pathToFileURL(bin!).href);
