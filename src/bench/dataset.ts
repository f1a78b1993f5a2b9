// The benchmark's dataset: ≥ 3,000 real package names over 15 years, ≥ 3 million rows,
// deterministic, written once as a gzipped rows file and reused by later runs.
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { rowLine } from "../sources/batches.js";
import { gzipTextWriter } from "./gzip-text.js";
import type { IsoDate } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";
import { pickPackages, realPackageHistory, syntheticDownloads } from "../sources/synthetic-downloads.js";

export const BENCH_FROM = "2011-01-01" as IsoDate;
export const BENCH_TO = "2025-12-31" as IsoDate;
export const BENCH_PACKAGES = 3200;
export const BENCH_ROWS = 3_200_000;
const SEED = 42;

export function benchPackages(): PackageRecord[] {
  return pickPackages(realPackageHistory(), BENCH_PACKAGES, BENCH_FROM, SEED);
}

export async function ensureBenchDataset(dir: string): Promise<{ rowsFile: string; packagesFile: string; generated: boolean }> {
  const tag = `${BENCH_FROM}_${BENCH_TO}_${BENCH_PACKAGES}_${BENCH_ROWS}_${SEED}`;
  const rowsFile = `${dir}/rows-${tag}.tsv.gz`;
  const packagesFile = `${dir}/packages-${tag}.csv`;
  const packages = benchPackages();
  writeFileSync(
    packagesFile,
    ["package,category,first_version,last_version", ...packages.map((p) => `${p.name},${p.category},${p.firstVersion},${p.lastVersion ?? ""}`)].join("\n") +
      "\n",
  );
  if (existsSync(rowsFile)) return { rowsFile, packagesFile, generated: false };
  const partial = `${rowsFile}.partial`;
  const out = gzipTextWriter(partial);
  await out.write("date\tc-ip\tsc-status\tcategory\tpackage\n");
  for (const r of syntheticDownloads({ packages, from: BENCH_FROM, to: BENCH_TO, seed: SEED, targetRows: BENCH_ROWS })) await out.write(rowLine(r));
  await out.close();
  renameSync(partial, rowsFile);
  return { rowsFile, packagesFile, generated: true };
}
