// Deterministic synthetic download rows for the demo and the benchmark: real package names and
// release spans, popularity drawn from a sample of real download scores (so a few packages
// dominate, as they do), repeat visitors, seasonal dips, and the rows the legacy views must
// not count (unknown packages, 304/404/206 statuses).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CATEGORIES } from "../domain/categories.js";
import { addDays, dateParts } from "../domain/dates.js";
import { releaseParts } from "../domain/release.js";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { parsePackagesCsv, type PackageRecord } from "./packages-csv.js";

const DATA = fileURLToPath(new URL("../../data/", import.meta.url));

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function realPackageHistory(): PackageRecord[] {
  return parsePackagesCsv(readFileSync(DATA + "packages-history.csv", "utf8"), "data/packages-history.csv");
}

function realScores(): number[] {
  return readFileSync(DATA + "bioc-scores-2026-02-sample.tsv", "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => Number(l.split("\t")[1]));
}

/** Approximate release date of an encoded Bioconductor release (`314` = 3.14, Oct 2021). */
export function releaseDate(encoded: string): IsoDate {
  const parts = releaseParts(encoded);
  if (!parts) throw new Error(`not an encoded release: ${JSON.stringify(encoded)}`);
  const { major, minor } = parts;
  const [year, month] = major >= 3 ? [2014, 10] : major === 2 ? [2007, 4] : [2002, 5];
  const months = month - 1 + minor * 6;
  return `${year + Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, "0")}-15` as IsoDate;
}

export interface SyntheticPlan {
  readonly packages: readonly PackageRecord[];
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly seed: number;
  /** Roughly how many rows to make in all. */
  readonly targetRows: number;
}

/** Picks `count` packages active in from..to, spread over the categories like the real list. */
export function pickPackages(all: readonly PackageRecord[], count: number, from: IsoDate, seed: number): PackageRecord[] {
  const random = seededRandom(seed);
  const candidates = all.filter((p) => p.lastVersion === null || releaseDate(p.lastVersion) > from);
  const picked = candidates
    .map((p) => ({ p, key: random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map((x) => x.p);
  // Every category appears, even in a tiny demo.
  for (const c of CATEGORIES) {
    if (!picked.some((p) => p.category === c.db)) {
      const extra = candidates.find((p) => p.category === c.db);
      if (extra) picked.push(extra);
    }
  }
  return picked;
}

interface Active {
  readonly p: PackageRecord;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly weight: number;
  readonly ipPool: number;
  readonly ipBase: number;
}

function poisson(lambda: number, random: () => number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

function ipOf(n: number): string {
  const x = Math.imul(n ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
  return `${((x >>> 24) % 223) + 1}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
}

const STATUSES: ReadonlyArray<readonly [number, number]> = [
  [200, 0.86],
  [302, 0.04],
  [304, 0.03],
  [404, 0.02],
  [301, 0.01],
  [307, 0.01],
  [308, 0.01],
  [206, 0.01],
  [403, 0.005],
  [500, 0.005],
];

function drawStatus(random: () => number): number {
  let x = random();
  for (const [status, p] of STATUSES) {
    if ((x -= p) < 0) return status;
  }
  return 200;
}

/** Yields rows day by day, from..to inclusive. */
export function* syntheticDownloads(plan: SyntheticPlan): Generator<DownloadRow> {
  const random = seededRandom(plan.seed);
  const scores = realScores();
  const active: Active[] = plan.packages.map((p, i) => ({
    p,
    start: maxDate(releaseDate(p.firstVersion), plan.from),
    end: p.lastVersion === null ? plan.to : minDate(addDays(releaseDate(p.lastVersion), 180), plan.to),
    weight: 0.2 + scores[Math.floor(random() * scores.length)]!,
    ipPool: 0,
    ipBase: i * 1_000_003,
  }));
  const expected = active.reduce((sum, a) => sum + a.weight * Math.max(0, daysBetween(a.start, a.end) + 1), 0);
  const perWeight = plan.targetRows / Math.max(expected, 1);
  const withPools = active.map((a) => ({ ...a, ipPool: Math.max(3, Math.round(a.weight * perWeight * 40)) }));
  for (let day = plan.from; day <= plan.to; day = addDays(day, 1)) {
    const { month } = dateParts(day);
    const season = month === 8 || month === 12 ? 0.7 : 1; // summer and year-end dips
    for (const a of withPools) {
      if (day < a.start || day > a.end) continue;
      const n = poisson(a.weight * perWeight * season, random);
      for (let k = 0; k < n; k++) {
        const ip = ipOf(a.ipBase + Math.floor(random() * random() * a.ipPool));
        const unknown = random() < 0.01;
        yield { date: day, ip, status: drawStatus(random), category: a.p.category, package: unknown ? `${a.p.name}Xtra` : a.p.name };
      }
    }
  }
}

function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}
const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);
const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);
