// Downloads count only for packages in the packages table (the legacy views' rule): a store
// without them makes a site of empty pages. ingest warns, build refuses, both saying what to do.
import type { IsoDate } from "../domain/types.js";
import type { Store } from "../store/database.js";
import { knownPackagesIn } from "../store/packages.js";

export const PACKAGES_FIRST =
  "run `webstats packages import FILE.csv` or `webstats packages update` first (the downloads already stored then count at once: nothing needs ingesting again)";

/** The warning an ingest of first..last deserves, or null when some of its downloads count. */
export async function unknownPackagesWarning(store: Store, first: IsoDate, last: IsoDate): Promise<string | null> {
  const { packages, downloads, known } = await knownPackagesIn(store.db, first, last);
  if (packages === 0) return `ingest: warning: the packages table is empty, so no download counts on the site; ${PACKAGES_FIRST}`;
  if (downloads && !known) {
    return `ingest: warning: no download of ${first}..${last} is of a package in the packages table (${packages} packages), so none counts on the site; ${PACKAGES_FIRST}`;
  }
  return null;
}
