import type { GlobalOptions } from "../config.js";
import { readPackagesCsv } from "../sources/packages-csv.js";
import { openStore } from "../store/database.js";
import { upsertPackages } from "../store/packages.js";

export async function packagesImport(options: GlobalOptions & { readonly file: string }, out: (line: string) => void): Promise<void> {
  const records = await readPackagesCsv(options.file);
  const store = await openStore(options);
  try {
    const { added, updated } = await upsertPackages(store.db, records);
    out(`packages: ${added} added, ${updated} updated from ${options.file} (${store.description})`);
  } finally {
    await store.close();
  }
}
