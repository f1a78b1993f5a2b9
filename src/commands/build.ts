import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { GlobalOptions } from "../config.js";
import { addDays, toIsoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import { ExitError, UsageError } from "../errors.js";
import { checkSourceReadable } from "../ingest/flags.js";
import type { Source } from "../ingest/source.js";
import { readNightlyConfig, type NightlyConfig } from "../nightly/config.js";
import { createProgress, rate } from "../progress.js";
import { staticAssets } from "../site/assets.js";
import { ForeignOutDir, UnsafeOutDir, type OutDirLimits } from "../site/out-dir.js";
import type { PackedSiteData } from "../site/model.js";
import type { PlanOptions } from "../site/tree.js";
import { startRenderPool, type RenderResult } from "../site/render-site.js";
import { checkOutDir, replaceTree } from "../site/tree-slots.js";
import { makeMonthsApart, NOTHING_APART } from "../site/api/daily-export-apart.js";
import { collectGarbage } from "../collect-garbage.js";
import type { Store } from "../store/database.js";
import { withStore } from "./with-store.js";
import { PACKAGES_FIRST } from "./packages-first.js";
import { withSiteSnapshot } from "../summaries/load.js";
import { describeIngest, ingestFrom } from "./ingest.js";
import { SOURCE_FLAGS, sourceFromConfig, sourceFromFlags, sourcesGiven, type SourceFlags } from "./source.js";

export interface BuildResult extends RenderResult {
  /** Files of the slot's previous tree that the new one no longer has. */
  readonly removed: number;
  /** From the first query until the new tree is served. */
  readonly seconds: number;
  /** The last day of the data the tree shows. */
  readonly validThru: IsoDate;
  /** The daily export's months read apart from the model (site/api/daily-export-apart.ts), first days. */
  readonly monthsApart: readonly IsoDate[];
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
    // One snapshot from the first read to the last: the daily export's months outside the
    // model are read (apart, a month at a time) once the slot to write is known and locked.
    return await withSiteSnapshot(store, { warn }, async (data, readMonth) => {
      const packed = checkBuildable(data, store);
      collectGarbage(); // the query results' text, before this thread renders its share
      const { result, removed } = await replaceTree(outDir, limits, async (slot) => {
        // The worker renders its share meanwhile; this thread's share waits for the months.
        // Without the API (the benchmark's baseline), none of its files: these months neither.
        const months = plan?.api === false ? Promise.resolve(NOTHING_APART) : makeMonthsApart(packed, slot, readMonth);
        months.catch(() => {}); // its failure fails the render below
        const rendered = await pool.render(packed, staticAssets(), slot, onProgress, months);
        const apart = await months;
        return {
          ...rendered,
          files: rendered.files + apart.hashes.size,
          written: rendered.written + apart.written,
          bytes: rendered.bytes + apart.bytes,
          hashes: new Map([...rendered.hashes, ...apart.hashes]),
          keys: new Map([...rendered.keys, ...apart.keys]),
          monthsApart: apart.read,
        };
      });
      return { ...result, removed, seconds: (performance.now() - started) / 1000, validThru: packed.validThru };
    });
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
    return new ExitError(
      `build: no space left on device writing ${path ?? "the new tree"}; the served tree is intact (${outDir} still serves the previous build, if any); free some space and build again`,
      1,
    );
  }
  return e;
}

function checkBuildable(data: PackedSiteData | null, store: Store): PackedSiteData {
  if (!data) throw new ExitError(`nothing to build: no data ingested yet in ${store.description} (run \`webstats ingest\` first)`, 1);
  if (data.packages.length === 0) throw new ExitError(`nothing to build: the packages table of ${store.description} is empty; ${PACKAGES_FIRST}`, 1);
  if (data.categories.every((c) => c.packages.length === 0)) {
    throw new ExitError(
      `nothing to build: none of the ${data.packages.length} packages of the packages table has downloads in ${store.description}; ${PACKAGES_FIRST}`,
      1,
    );
  }
  return data;
}

export interface BuildCommandOptions extends GlobalOptions, SourceFlags {
  /** Default: the configuration's `out`, else dist. */
  readonly out?: string | undefined;
  /** False (--no-ingest): render only, whatever source is configured. */
  readonly ingest: boolean;
  /** The nightly configuration; when not given, webstats.config.json is read if the working folder has one. */
  readonly config?: string | undefined;
  /** Days ValidThru may be behind yesterday (UTC) before the build exits 1; "none": no limit. Default 3. */
  readonly maxLag?: string | undefined;
  readonly now?: Date;
}

export const DEFAULT_CONFIG = "webstats.config.json";

/**
 * What cron runs: the days after ValidThru ingested from the configured source (the same run as
 * `ingest`: writer lock, run record, a month per transaction), then the tree rendered from the
 * same store. Exit 1 after the tree is written when the data is more than --max-lag days old.
 */
export async function build(options: BuildCommandOptions, out: (line: string) => void, warn: (line: string) => void): Promise<BuildResult> {
  const maxLag = parseMaxLag(options.maxLag);
  const config = await configFor(options);
  const source = sourceOf(options, config);
  // Files it names that cannot be read fail before the database is opened, as for ingest.
  if (source) await checkSourceReadable(source, {});
  const outName = options.out ?? config?.out ?? "dist";
  const outDir = resolve(options.cwd, outName);
  const now = options.now ?? new Date();
  await checkBuildOut(outDir, options);
  const { built, ingested } = await withStore(options, source ? "write" : "read", async (store) => {
    const progress = createProgress(process.stderr, options.quiet);
    try {
      const ingested = source ? await ingestFrom(store, { source, allowGap: false, now }, (text) => progress.update(text)) : null;
      progress.clear();
      const started = Date.now();
      const built = await buildSite(
        store,
        outDir,
        options,
        (files, bytes) => progress.update(`build: ${rate(files, "files", started)}, ${(bytes / 1e6).toFixed(0)} MB`),
        undefined,
        warn,
      );
      return { built, ingested };
    } finally {
      progress.clear();
    }
  });
  for (const s of built.skipped) warn(`build: skipped a package: ${s}`);
  const rendered = describeBuild(built, outName, now).replace(/^build: /, "");
  const unsourced = options.ingest ? `no source configured (no --athena, --logs, --rows or ${DEFAULT_CONFIG})` : "--no-ingest";
  // One line, for cron mail: what was ingested, what was written, and how old the data is.
  if (!source) out(`build: ${rendered}; ${unsourced}: rendered what the database holds`);
  else out(`build: ${ingested ? describeIngest(ingested).replace(/^ingest: /, "ingested ") : "nothing new to ingest (ValidThru is yesterday)"}; ${rendered}`);
  const lag = lagDays(built.validThru, now);
  if (maxLag !== null && lag > maxLag) {
    // A feed that stopped delivering must show in cron mail, once the tree is written and the summary printed.
    throw new ExitError(
      `build: wrote ${outName}, but its data is ${lag} days behind yesterday (UTC), more than --max-lag ${maxLag} (data through ${built.validThru}): has the source stopped delivering? (a historical dataset: --max-lag none)`,
      1,
    );
  }
  return built;
}

/** The configuration named, or the working folder's webstats.config.json when there is one. */
async function configFor(options: BuildCommandOptions): Promise<NightlyConfig | null> {
  if (options.config !== undefined) return readNightlyConfig(resolve(options.cwd, options.config));
  const standard = resolve(options.cwd, DEFAULT_CONFIG);
  return existsSync(standard) ? readNightlyConfig(standard) : null;
}

/** Flags first, then the configuration; none with --no-ingest. */
function sourceOf(options: BuildCommandOptions, config: NightlyConfig | null): Source | null {
  const given = sourcesGiven(options);
  if (!options.ingest) {
    if (given > 0) throw new UsageError("--no-ingest renders only: leave out --athena, --logs and --rows");
    return null;
  }
  if (given > 1) throw new UsageError(`build ingests from one source: ${SOURCE_FLAGS}`);
  return sourceFromFlags(options) ?? (config ? sourceFromConfig(config.source, options.s3Endpoint) : null);
}

/** --max-lag: a count of days, or "none". */
function parseMaxLag(value: string | undefined): number | null {
  if (value === undefined) return 3;
  if (value === "none") return null;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-lag ${JSON.stringify(value)}: want a number of days (3) or none`);
  return Number(value);
}

/** Days from ValidThru to yesterday (UTC); 0 when the data reaches yesterday or later. */
function lagDays(validThru: IsoDate, now: Date): number {
  const yesterday = addDays(toIsoDate(now), -1);
  return Math.max(0, Math.round((Date.parse(yesterday) - Date.parse(validThru)) / 86_400_000));
}

export function describeLag(validThru: IsoDate, now: Date): string {
  const lag = lagDays(validThru, now);
  return `data through ${validThru}, ${lag === 0 ? "up to date" : `${lag} day${lag === 1 ? "" : "s"} behind`}`;
}

export function describeBuild(r: BuildResult, outDir: string, now: Date = new Date()): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `build: ${n(r.files)} files, ${(r.bytes / 1e6).toFixed(1)} MB (${n(r.written)} written, ${n(r.removed)} removed, the rest unchanged) in ${r.seconds.toFixed(2)} s → ${outDir}; ${describeLag(r.validThru, now)}`;
}
