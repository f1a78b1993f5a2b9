import type { GlobalOptions } from "../config.js";
import { ExitError } from "../errors.js";
import { createProgress, rate } from "../progress.js";
import { staticAssets } from "../site/assets.js";
import type { PackedSiteData } from "../site/pack.js";
import { startRenderPool, type RenderResult } from "../site/render-site.js";
import { writeTreeAtomically } from "../site/write-tree.js";
import type { Store } from "../store/database.js";
import { openStore } from "../store/database.js";
import { loadPackedSiteData } from "../summaries/load.js";

export interface BuildResult extends RenderResult {
  /** From the first query until the new tree is in place. */
  readonly seconds: number;
  /** Removing the previous tree, after the new one is served. */
  readonly cleanupSeconds: number;
}

export async function buildSite(store: Store, outDir: string, onProgress?: (files: number, bytes: number) => void): Promise<BuildResult> {
  const started = performance.now();
  const pool = startRenderPool();
  try {
    const packed = await loadPacked(store);
    const swapped = await writeTreeAtomically(outDir, (temp) => pool.render(packed, staticAssets(), temp, onProgress));
    const seconds = (performance.now() - started) / 1000;
    await swapped.removePrevious();
    return { ...swapped.result, seconds, cleanupSeconds: (performance.now() - started) / 1000 - seconds };
  } finally {
    await pool.close();
  }
}

async function loadPacked(store: Store): Promise<PackedSiteData> {
  const data = await loadPackedSiteData(store.db);
  if (!data) throw new ExitError(`nothing to build: no data ingested yet in ${store.description} (run \`webstats ingest\` first)`, 1);
  return data;
}

export async function build(options: GlobalOptions & { readonly out: string }, out: (line: string) => void, warn: (line: string) => void): Promise<BuildResult> {
  const store = await openStore(options);
  const progress = createProgress(process.stderr, options.quiet);
  const started = Date.now();
  try {
    const result = await buildSite(store, options.out, (files, bytes) => progress.update(`build: ${rate(files, "files", started)}, ${(bytes / 1e6).toFixed(0)} MB`));
    progress.clear();
    for (const s of result.skipped) warn(`build: skipped ${s}`);
    out(describeBuild(result, options.out));
    return result;
  } finally {
    progress.clear();
    await store.close();
  }
}

export function describeBuild(r: BuildResult, outDir: string): string {
  return `build: ${r.files.toLocaleString("en-US")} files, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s → ${outDir}` +
    (r.cleanupSeconds >= 0.05 ? ` (previous tree removed in ${r.cleanupSeconds.toFixed(2)} s)` : "");
}
