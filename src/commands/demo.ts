import { join, relative, resolve } from "node:path";
import type { GlobalOptions } from "../config.js";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { createProgress, rate } from "../progress.js";
import { pickPackages, realPackageHistory, syntheticDownloads } from "../sources/synthetic-downloads.js";
import { withStore } from "./with-store.js";
import { inBatches } from "../sources/batches.js";
import { upsertPackages } from "../store/packages.js";
import { buildSite, checkBuildOut, describeBuild } from "./build.js";
import { monthChunks } from "../ingest/chunks.js";
import { ingestRows } from "../ingest/replace-days.js";
import { rebuildSummaries } from "../summaries/rebuild.js";

const FROM = "2019-01-01" as IsoDate;
const TO = "2025-11-15" as IsoDate;

/** A few hundred real package names over seven years, ingested and built: what a newcomer runs first. */
export async function demo(options: GlobalOptions & { readonly out: string; readonly dataDirGiven: boolean }, out: (line: string) => void): Promise<void> {
  const dataDir = options.dataDirGiven ? options.dataDir : join(options.cwd, ".webstats/demo");
  const outDir = resolve(options.cwd, options.out);
  const limits = { ...options, dataDir };
  await checkBuildOut(outDir, limits); // before seconds of ingesting
  await withStore({ ...options, dataDir }, "write", async (store) => {
    const progress = createProgress(process.stderr, options.quiet);
    try {
      const packages = pickPackages(realPackageHistory(), 300, FROM, 1);
      await upsertPackages(store.db, packages);
      const started = Date.now();
      // As `ingest --rows` stores a file of many months into an empty database: a month per
      // transaction, rows only, then one summarize: the whole demo 11.1 → 8.8 s (medians of four), the
      // same tree.
      const rows = syntheticDownloads({ packages, from: FROM, to: TO, seed: 1, targetRows: 250_000 });
      let next = rows.next();
      function* through(last: IsoDate): Generator<DownloadRow> {
        for (; !next.done && next.value.date <= last; next = rows.next()) yield next.value;
      }
      let stored = 0;
      for (const chunk of monthChunks(FROM, TO)) {
        const month = await ingestRows(store, inBatches(through(chunk[1])), {
          days: chunk,
          summarizeAfter: true,
          onProgress: (n) => progress.update(`demo ingest: ${rate(stored + n, "rows", started)}`),
        });
        stored += month.rows;
      }
      await rebuildSummaries(store, null, (text) => progress.update(`demo ingest: ${text}`));
      progress.clear();
      out(`ingest: ${stored.toLocaleString("en-US")} rows for ${FROM}..${TO} (${packages.length} packages) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const built = await buildSite(store, outDir, limits, (files) => progress.update(`demo build: ${rate(files, "files", started)}`));
      progress.clear();
      out(describeBuild(built, options.out));
      const shown = relative(options.cwd, join(options.cwd, options.out)) || ".";
      out(`\nLook at it:  python3 -m http.server --bind 127.0.0.1 --directory ${shown} 8080`);
      out(`             then open http://127.0.0.1:8080/ (the legacy pages) and http://127.0.0.1:8080/explore.html (search, compare)`);
      out(`Database:    ${store.description}`);
    } finally {
      progress.clear();
    }
  });
}
