import type { GlobalOptions } from "../config.js";
import { ExitError } from "../errors.js";
import { describeChange, planPackagesUpdate } from "../packages/plan-update.js";
import { fetchManifest, type Manifest } from "../sources/bioc-manifests.js";
import { applyPackageChanges, readPackages } from "../store/apply-package-changes.js";
import type { Store } from "../store/database.js";
import { withStore } from "./with-store.js";
import { summariesFollowPackages } from "../summaries/package-changes.js";

/** More changes than this in one run smells of a broken manifest, not of a release: refused without --force. */
export const MAX_CHANGES = 50;

export interface PackagesUpdateOptions extends GlobalOptions {
  readonly baseUrl: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

export async function packagesUpdate(options: PackagesUpdateOptions, out: (line: string) => void): Promise<number> {
  const manifest = await fetchManifest(options.baseUrl);
  return withStore(options, options.dryRun ? "read" : "write", (store) => applyManifest(store, manifest, options, out));
}

/** The plan from the manifest against the packages table, printed, and applied unless a dry run. */
export async function applyManifest(store: Store, manifest: Manifest, options: PackagesUpdateOptions, out: (line: string) => void): Promise<number> {
  const { changes, refused } = planPackagesUpdate(await readPackages(store.db), manifest);
  const counts = ["add", "remove", "reinstate"].map(
    (k) => `${changes.filter((c) => c.kind === k).length} ${k === "add" ? "added" : k === "remove" ? "removed" : "reinstated"}`,
  );
  if (refused.length > 0) counts.push(`${refused.length} not added (bad names)`);
  // Shown even with --quiet: the manifest holds something an operator should hear about.
  for (const r of refused) out(`packages update: not added: ${r}`);
  if (!options.quiet || options.dryRun) for (const c of changes) out(`  ${describeChange(c)}`);
  const summary = `packages update: ${counts.join(", ")} (release ${manifest.release}, devel ${manifest.devel}, ${manifest.packages.size} packages in devel)`;
  if (options.dryRun) {
    out(`${summary}; dry run, nothing written`);
    return changes.length;
  }
  if (changes.length > MAX_CHANGES && !options.force) {
    throw new ExitError(
      `packages update: ${changes.length} changes is more than ${MAX_CHANGES}; nothing written (check the manifests, then rerun with --force)`,
      1,
    );
  }
  await store.lockWriter();
  await applyPackageChanges(store.db, changes);
  await summariesFollowPackages(store);
  out(summary);
  return changes.length;
}
