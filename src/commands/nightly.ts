// What cron runs: packages update, ingest, build, publish, one summary line. Each step is the
// command of the same name; a failure stops the run (nothing half-done: every step is atomic).
import { resolve } from "node:path";
import type { GlobalOptions } from "../config.js";
import { ExitError } from "../errors.js";
import { readNightlyConfig } from "../nightly/config.js";
import { takeRunLock } from "../nightly/run-lock.js";
import { buildSite, checkBuildOut, describeBuild } from "./build.js";
import { describeIngest, ingestFrom } from "./ingest.js";
import { sourceFromConfig } from "./source.js";
import { applyManifest } from "./packages-update.js";
import { publish } from "./publish.js";
import { fetchManifest } from "../sources/bioc-manifests.js";
import { withStore } from "./with-store.js";

export interface NightlyOptions extends GlobalOptions {
  readonly config: string;
  readonly packages: boolean;
  readonly now?: Date;
  readonly s3Endpoint?: string | undefined;
}

/** Exit 0 done, 2 nothing to do or already running (thrown as ExitError), 1 failed. */
export async function nightly(options: NightlyOptions, out: (line: string) => void): Promise<void> {
  const now = options.now ?? new Date();
  const config = await readNightlyConfig(resolve(options.cwd, options.config));
  const outDir = resolve(options.cwd, config.out);
  await checkBuildOut(outDir, options); // before OUT.lock is made beside it
  const release = await takeRunLock(`${outDir}.lock`);
  if (!release) throw new ExitError(`nightly: another run holds ${outDir}.lock; nothing done`, 2);
  const summary: string[] = [];
  try {
    const manifest = options.packages && config.packages.update ? await fetchManifest(config.packages.baseUrl) : null;
    // One store and one writer lock for the whole chain: no other writer slips in between steps.
    await withStore(options, "write", async (store) => {
      let packageChanges = 0;
      if (manifest) {
        packageChanges = await applyManifest(store, manifest, { ...options, quiet: true, baseUrl: config.packages.baseUrl }, () => {});
        summary.push(`${packageChanges} package changes`);
      }
      const ingested = await ingestFrom(store, { source: sourceFromConfig(config.source, options.s3Endpoint), allowGap: false, now });
      if (!ingested && packageChanges === 0)
        throw new ExitError("nightly: already up to date (ValidThru is yesterday) and no package changes; nothing done", 2);
      if (ingested) summary.push(describeIngest(ingested).replace(/^ingest: /, ""));
      const built = await buildSite(store, outDir, options);
      // No --max-lag here: a nightly that gets this far has data through yesterday (its ingest reached it, or had nothing to do).
      summary.push(describeBuild(built, config.out, now).replace(/^build: /, "built "));
    });
    if (config.publish) {
      const published = await publish(
        { ...options, quiet: true, to: config.publish.to, delete: config.publish.delete, out: outDir, concurrency: 16 },
        () => {},
      );
      summary.push(`published ${published.uploaded} files (${published.unchanged} unchanged, ${published.deleted} deleted)`);
    }
    out(`nightly: ${summary.join("; ")}`);
  } finally {
    await release();
  }
}
