import type { GlobalOptions } from "../config.js";
import { ExitError } from "../errors.js";
import { createProgress, rate } from "../progress.js";
import { staticAssets } from "../site/assets.js";
import { planSite } from "../site/tree.js";
import { writeTreeAtomically, type WriteResult } from "../site/write-tree.js";
import { openStore, type Store } from "../store/database.js";
import { loadSiteData } from "../summaries/load.js";

export interface BuildResult extends WriteResult {
  readonly seconds: number;
  readonly skipped: readonly string[];
}

export async function buildSite(store: Store, outDir: string, onProgress?: (files: number, bytes: number) => void): Promise<BuildResult> {
  const started = performance.now();
  const data = await loadSiteData(store.db);
  if (!data) throw new ExitError(`nothing to build: no data ingested yet in ${store.description} (run \`webstats ingest\` first)`, 1);
  const plan = planSite(data);
  const written = await writeTreeAtomically(outDir, plan.files, staticAssets(), { onProgress });
  return { ...written, skipped: plan.skipped, seconds: (performance.now() - started) / 1000 };
}

export async function build(options: GlobalOptions & { readonly out: string }, out: (line: string) => void, warn: (line: string) => void): Promise<BuildResult> {
  const store = await openStore(options);
  const progress = createProgress(process.stderr, options.quiet);
  const started = Date.now();
  try {
    const result = await buildSite(store, options.out, (files, bytes) => progress.update(`build: ${rate(files, "files", started)}, ${(bytes / 1e6).toFixed(0)} MB`));
    progress.clear();
    for (const s of result.skipped) warn(`build: skipped ${s}`);
    if (!options.quiet) {
      out(`build: ${result.files.toLocaleString("en-US")} files, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(2)} s → ${options.out}`);
    }
    return result;
  } finally {
    progress.clear();
    await store.close();
  }
}
