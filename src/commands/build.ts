import type { GlobalOptions } from "../config.js";
import { ExitError } from "../errors.js";
import { createProgress, rate } from "../progress.js";
import { staticAssets } from "../site/assets.js";
import type { PackedSiteData } from "../site/pack.js";
import type { PlanOptions } from "../site/tree.js";
import { startRenderPool, type RenderResult } from "../site/render-site.js";
import { replaceTree } from "../site/tree-slots.js";
import type { Store } from "../store/database.js";
import { openStore } from "../store/database.js";
import { loadPackedSiteData } from "../summaries/load.js";

export interface BuildResult extends RenderResult {
  /** Files of the slot's previous tree that the new one no longer has. */
  readonly removed: number;
  /** From the first query until the new tree is served. */
  readonly seconds: number;
}

export async function buildSite(store: Store, outDir: string, onProgress?: (files: number, bytes: number) => void, plan?: PlanOptions): Promise<BuildResult> {
  const started = performance.now();
  const pool = startRenderPool(plan);
  try {
    const packed = await loadPacked(store);
    const { result, removed } = await replaceTree(outDir, (slot) => pool.render(packed, staticAssets(), slot, onProgress));
    return { ...result, removed, seconds: (performance.now() - started) / 1000 };
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
    for (const s of result.skipped) warn(`build: skipped a package: ${s}`);
    out(describeBuild(result, options.out));
    return result;
  } finally {
    progress.clear();
    await store.close();
  }
}

export function describeBuild(r: BuildResult, outDir: string): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `build: ${n(r.files)} files, ${(r.bytes / 1e6).toFixed(1)} MB (${n(r.written)} written, ${n(r.removed)} removed, the rest unchanged) in ${r.seconds.toFixed(2)} s → ${outDir}`;
}
