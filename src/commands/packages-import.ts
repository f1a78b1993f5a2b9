import type { GlobalOptions } from "../config.js";
import { readPackagesCsv } from "../sources/packages-csv.js";
import { withStore } from "./with-store.js";
import { upsertPackages } from "../store/packages.js";
import { summariesFollowPackages } from "../summaries/package-changes.js";

export async function packagesImport(options: GlobalOptions & { readonly file: string }, out: (line: string) => void): Promise<void> {
  const records = await readPackagesCsv(options.file);
  await withStore(options, "write", async (store) => {
    const { added, updated } = await upsertPackages(store.db, records);
    await summariesFollowPackages(store);
    out(`packages: ${added} added, ${updated} updated from ${options.file} (${store.description})`);
  });
}
