import type { GlobalOptions } from "../config.js";
import { parseIsoDate } from "../domain/dates.js";
import { UsageError } from "../errors.js";
import { createProgress } from "../progress.js";
import { rebuildSummaries } from "../summaries/rebuild.js";
import { withStore } from "./with-store.js";

/** Makes every summary again from bioc_web_downloads (from --since's month on), a year per transaction. */
export async function summarize(
  options: GlobalOptions & { readonly since?: string; readonly crawlerPackages?: string },
  out: (line: string) => void,
): Promise<void> {
  const since = options.since === undefined ? null : parseIsoDate(options.since);
  if (options.since !== undefined && !since) throw new UsageError(`--since ${JSON.stringify(options.since)} is not a date (want YYYY-MM-DD)`);
  const k = options.crawlerPackages === undefined ? null : Number(options.crawlerPackages);
  if (k !== null && !(Number.isInteger(k) && k >= 1)) {
    throw new UsageError(`--crawler-packages ${JSON.stringify(options.crawlerPackages)} is not a positive whole number`);
  }
  await withStore(options, "write", async (store) => {
    const progress = createProgress(process.stderr, options.quiet);
    const started = Date.now();
    try {
      const r = await rebuildSummaries(store, since, (text) => progress.update(`${text}, ${((Date.now() - started) / 1000).toFixed(0)} s`), k);
      progress.clear();
      if (!r) out("summarize: no downloads stored yet; nothing to do");
      else
        out(
          `summarize: ${r.resumed ? "went on with an interrupted run and " : ""}made the summaries of ${r.from}..${r.last} again in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
    } finally {
      progress.clear();
    }
  });
}
