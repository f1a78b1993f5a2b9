import { resolve } from "node:path";
import type { GlobalOptions } from "../config.js";
import { ExitError } from "../errors.js";
import { createProgress, rate } from "../progress.js";
import { staticAssets } from "../site/assets.js";
import { ForeignOutDir, UnsafeOutDir, type OutDirLimits } from "../site/out-dir.js";
import type { PackedSiteData } from "../site/pack.js";
import type { PlanOptions } from "../site/tree.js";
import { startRenderPool, type RenderResult } from "../site/render-site.js";
import { checkOutDir, replaceTree } from "../site/tree-slots.js";
import type { Store } from "../store/database.js";
import { withStore } from "./with-store.js";
import { PACKAGES_FIRST } from "./packages-first.js";
import { loadPackedSiteData } from "../summaries/load.js";

export interface BuildResult extends RenderResult {
  /** Files of the slot's previous tree that the new one no longer has. */
  readonly removed: number;
  /** From the first query until the new tree is served. */
  readonly seconds: number;
}

/** `limits`: the folders the site must never replace (GlobalOptions has them). */
export async function buildSite(
  store: Store,
  outDir: string,
  limits: OutDirLimits,
  onProgress?: (files: number, bytes: number) => void,
  plan?: PlanOptions,
  warn: (line: string) => void = () => {},
): Promise<BuildResult> {
  const started = performance.now();
  const pool = startRenderPool(plan);
  try {
    const packed = await loadPacked(store, warn);
    const { result, removed } = await replaceTree(outDir, limits, (slot) => pool.render(packed, staticAssets(), slot, onProgress));
    return { ...result, removed, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    throw asExitError(e, outDir);
  } finally {
    await pool.close();
  }
}

/**
 * Refuses an unusable site folder before any work: build, demo and nightly call it first, so
 * that nothing is ingested, locked or rendered for a site that could not be served.
 */
export async function checkBuildOut(outDir: string, limits: OutDirLimits): Promise<void> {
  try {
    await checkOutDir(outDir, limits);
  } catch (e) {
    throw asExitError(e, outDir);
  }
}

/** The site modules' typed errors as exit codes, in one line saying what to do. */
function asExitError(e: unknown, outDir: string): unknown {
  if (e instanceof UnsafeOutDir || e instanceof ForeignOutDir) return new ExitError(`build: ${e.message}`, 2);
  const { code, path } = e as NodeJS.ErrnoException;
  // replaceTree serves the new slot only once it is complete: a full disk leaves DIR as it was.
  if (code === "ENOSPC") {
    return new ExitError(`build: no space left on device writing ${path ?? "the new tree"}; the served tree is intact (${outDir} still serves the previous build, if any); free some space and build again`, 1);
  }
  return e;
}

async function loadPacked(store: Store, warn: (line: string) => void): Promise<PackedSiteData> {
  const data = await loadPackedSiteData(store, { warn });
  if (!data) throw new ExitError(`nothing to build: no data ingested yet in ${store.description} (run \`webstats ingest\` first)`, 1);
  if (data.packages.length === 0) throw new ExitError(`nothing to build: the packages table of ${store.description} is empty; ${PACKAGES_FIRST}`, 1);
  if (data.categories.every((c) => c.packages.length === 0)) {
    throw new ExitError(`nothing to build: none of the ${data.packages.length} packages of the packages table has downloads in ${store.description}; ${PACKAGES_FIRST}`, 1);
  }
  return data;
}

export async function build(options: GlobalOptions & { readonly out: string }, out: (line: string) => void, warn: (line: string) => void): Promise<BuildResult> {
  const outDir = resolve(options.cwd, options.out);
  await checkBuildOut(outDir, options);
  return withStore(options, "read", async (store) => {
    const progress = createProgress(process.stderr, options.quiet);
    const started = Date.now();
    try {
      const result = await buildSite(store, outDir, options, (files, bytes) => progress.update(`build: ${rate(files, "files", started)}, ${(bytes / 1e6).toFixed(0)} MB`), undefined, warn);
      progress.clear();
      for (const s of result.skipped) warn(`build: skipped a package: ${s}`);
      out(describeBuild(result, options.out));
      return result;
    } finally {
      progress.clear();
    }
  });
}

export function describeBuild(r: BuildResult, outDir: string): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `build: ${n(r.files)} files, ${(r.bytes / 1e6).toFixed(1)} MB (${n(r.written)} written, ${n(r.removed)} removed, the rest unchanged) in ${r.seconds.toFixed(2)} s → ${outDir}`;
}
