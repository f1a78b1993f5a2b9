// The small fixture's downloads with crawlers and CI repeaters planted into them (see
// test/filtered-counts.test.ts): `clean` is the fixture's data with each counted (day, IP,
// package) kept once, plus an IP with exactly K packages on one day (no crawler); `planted` the
// rows the counts without crawlers and repeats must leave out: IPs with more than K packages on
// a day (one of them a fixture IP on a day it is otherwise absent) and fixture IP-days whose
// downloads come back many times.
import { join } from "node:path";
import type { DownloadRow, IsoDate } from "../../src/domain/types.js";
import { ingestRows } from "../../src/ingest/replace-days.js";
import { inBatches } from "../../src/sources/batches.js";
import { readPackagesCsv } from "../../src/sources/packages-csv.js";
import { readRowsFile } from "../../src/sources/rows-file.js";
import { seededRandom } from "../../src/sources/synthetic-downloads.js";
import { upsertPackages } from "../../src/store/packages.js";
import { DEFAULT_CRAWLER_PACKAGES as K } from "../../src/summaries/crawlers.js";
import type { Fill } from "./store-templates.js";
import { FIXTURES } from "./temp.js";

export const DIR = join(FIXTURES, "small-s1");
export const COUNTED = new Set([200, 301, 302, 307, 308]);
export const row = (date: string, ip: string, status: number, category: string, pkg: string): DownloadRow => ({
  date: date as IsoDate,
  ip,
  status,
  category,
  package: pkg,
});

/** n distinct (package, category) pairs: the fixture's packages first, then names not in `packages`. */
function pairs(known: ReadonlyArray<{ name: string; category: string }>, n: number): Array<[string, string]> {
  const out: Array<[string, string]> = known.slice(0, n).map((p) => [p.name, p.category]);
  for (let i = 0; out.length < n; i++) out.push([`Unlisted${i}`, i % 2 ? "bioc" : "annotation"]);
  return out;
}

export async function fixtureData() {
  const packages = await readPackagesCsv(join(DIR, "packages.csv"));
  const raw: DownloadRow[] = [];
  for await (const r of readRowsFile(join(DIR, "downloads.tsv.gz"))) raw.push(r);
  // Clean: each counted (day, IP, package, category) once; rows that do not count stay as they are.
  const seen = new Set<string>();
  const clean = raw.filter((r) => {
    if (!COUNTED.has(r.status)) return true;
    const key = `${r.date}|${r.ip}|${r.category}|${r.package}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const known = packages.map((p) => ({ name: p.name as string, category: p.category as string }));
  // At the limit, not over it: K pairs on one day (a large install), once each.
  clean.push(...pairs(known, K).map(([p, c]) => row("2024-05-20", "198.51.100.7", 200, c, p)));

  const rand = seededRandom(13);
  const planted: DownloadRow[] = [];
  // Crawlers: K+1 pairs on a day, some fetched twice or refused, on days across years.
  for (const day of ["2021-03-02", "2023-06-30", "2023-07-01", "2025-06-16"]) {
    for (const [p, c] of pairs(known, K + 1)) {
      planted.push(row(day, "66.249.66.1", 200, c, p));
      if (rand() < 0.1) planted.push(row(day, "66.249.66.1", rand() < 0.5 ? 302 : 404, c, p));
    }
  }
  // A fixture IP that crawls one day where it has no rows, and downloads normally on others.
  const ipDays = new Set(clean.map((r) => `${r.date}|${r.ip}`));
  const regular = clean[clean.length >> 1]!.ip;
  const crawlDay = ["2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03"].find((d) => !ipDays.has(`${d}|${regular}`))!;
  planted.push(...pairs(known, K + 40).map(([p, c]) => row(crawlDay, regular, 200, c, p)));
  // CI repeaters: every counted download of some fixture IP-days, again 1..9 times, with any counted status.
  const counted = clean.filter((r) => COUNTED.has(r.status) && r.ip !== "198.51.100.7");
  for (let i = 0; i < 16; i++) {
    const { date, ip } = counted[Math.floor(rand() * counted.length)]!;
    for (const r of counted.filter((x) => x.date === date && x.ip === ip)) {
      for (let j = 1 + Math.floor(rand() * 9); j > 0; j--) planted.push({ ...r, status: [200, 301, 302, 307, 308][j % 5]! });
    }
  }
  return { packages, clean, planted, crawlDay, regular };
}

/** A store's content: the fixture's packages, and its clean downloads with the planted ones. */
export const withPlantedRows: Fill = async (store) => {
  const { packages, clean, planted } = await fixtureData();
  await upsertPackages(store.db, packages);
  await ingestRows(store, inBatches([...clean, ...planted]));
};
