// The shape of the production-scale dataset, computed in TypeScript (cheap, deterministic) and
// handed to PostgreSQL as a small table and a few literals; generator-sql.ts turns it into rows.
//
// Calibration targets (Bioconductor 2025): ~300 k rows on a weekday, 120–190 k on a weekend day;
// the top package (BiocGenerics) 2.65 M downloads from 566,946 distinct IPs in the year, i.e.
// ~2.8% of a ~95 M-row year and 4.67 downloads per distinct IP. Everything scales with --per-day.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isDbCategory } from "../../domain/categories.js";
import { addDays, dateParts } from "../../domain/dates.js";
import type { IsoDate } from "../../domain/types.js";

const DATA = fileURLToPath(new URL("../../../data/", import.meta.url));

/** Bumped whenever the generated rows would change: a cached database of another version is regenerated. */
export const GENERATOR_VERSION = 1;

/** The weekday volume the constants below are stated for; other --per-day values scale them. */
export const REFERENCE_PER_DAY = 300_000;
const ZIPF_EXPONENT = 1.05;
/** Share of the population's rows whose package is not in the packages table. */
const UNKNOWN_SHARE = 0.03;
const UNKNOWN_NAMES = 400;
/** The top package's counted downloads per row of the year, and its downloads per distinct IP. */
const TOP_DOWNLOAD_SHARE = 0.028;
const TOP_DOWNLOADS_PER_IP = 2_650_000 / 566_946;
/** Smaller packages see fewer repeat downloads per IP: λ falls towards 1 with popularity. */
const REPEAT_FALLOFF = 0.35;
/** Heavy hitters (CI machines) and the IP population, at the reference volume. */
const CI_IPS = 2000;
const CI_MAX_PACKAGES = 20;
const POPULATION_IPS = 6_000_000;
/** Crawlers fetch every package of the packages table once a day (at lower volumes, that share of them). */
export const CRAWLER_IPS = ["66.249.66.1", "157.55.39.10", "40.77.167.5", "17.241.75.2"] as const;
const SATURDAY = 0.5;
const SUNDAY = 0.56;

/** Status of a row from 8 hash bits: 200 90.6%, 302 1.6%, 301 0.4%, 304 3.1%, 206 2.3%, 404 2.0%. */
export const STATUS_CUTS: ReadonlyArray<[limit: number, status: number]> = [
  [232, 200],
  [236, 302],
  [237, 301],
  [245, 304],
  [251, 206],
  [256, 404],
];
/** The legacy views count only these. */
export const COUNTED_STATUSES = [200, 301, 302, 307, 308] as const;
const COUNTED_SHARE = 237 / 256;

export interface PickEntry {
  /** Popularity rank, 1 = most downloaded; unknown names come after the known packages. */
  readonly idx: number;
  readonly package: string;
  readonly category: string;
  /** Share of a day's population rows. */
  readonly w: number;
  /** The package's IP pool: positions off .. off+pool-1 (mod the population) of the IP ring. */
  readonly pool: number;
  readonly off: number;
  readonly known: boolean;
}

export interface CiMachine {
  readonly j: number;
  readonly ip: string;
  /** Downloads ranks 1..k once every day. */
  readonly k: number;
}

export interface DayPlan {
  readonly date: IsoDate;
  /** Days since 2000-01-01: the hashes' key. */
  readonly key: number;
  /** All rows of the day (population + CI + crawlers), as planned. */
  readonly total: number;
  /** Rows drawn from the population (the rest: CI machines and crawlers). */
  readonly population: number;
}

export interface ScaleModel {
  readonly years: number;
  readonly perDay: number;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly packages: ReadonlyArray<{ package: string; category: string; first_version: string; last_version: string }>;
  readonly pick: readonly PickEntry[];
  readonly ci: readonly CiMachine[];
  readonly days: readonly DayPlan[];
  /** Size of the population's IP ring. */
  readonly ring: number;
  /** Rows a day of CI machines and crawlers (planDay's fixedRows). */
  readonly fixedRows: number;
  /** Share of the packages each crawler fetches a day (1 at the reference volume and above). */
  readonly crawlerShare: number;
  /** What the calibration aimed at, for the last year of the range. */
  readonly expected: {
    readonly yearRows: number;
    readonly topPackage: string;
    readonly topDownloads: number;
    readonly topDistinctIps: number;
    readonly zipfOffset: number;
    readonly crawlerRowsPerDay: number;
    readonly ciRowsPerDay: number;
  };
}

/** fmix32 of MurmurHash3 over (seed, i): a deterministic uniform 32-bit value. */
export function hash32(seed: number, i: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
const unit = (seed: number, i: number) => hash32(seed, i) / 4294967296;

/** Days since 2000-01-01 (UTC). */
export function dayKey(d: IsoDate): number {
  const { year, month, day } = dateParts(d);
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(2000, 0, 1)) / 86_400_000);
}

/** Weekday volume × weekend factor × mild seasonality (spring high, late-summer low, a dip over the holidays) × ±6% noise. */
export function dayTotal(d: IsoDate, perDay: number): number {
  const { year, month, day } = dateParts(d);
  const t = Date.UTC(year, month - 1, day);
  const weekday = new Date(t).getUTCDay();
  const doy = (t - Date.UTC(year, 0, 1)) / 86_400_000;
  const week = weekday === 6 ? SATURDAY : weekday === 0 ? SUNDAY : 1;
  const season = 1 + 0.08 * Math.cos((2 * Math.PI * (doy - 74)) / 365.25);
  const holidays = (month === 12 && day >= 22) || (month === 1 && day <= 2) ? 0.82 : 1;
  const noise = 0.94 + 0.12 * unit(11, dayKey(d));
  return Math.round(perDay * week * season * holidays * noise);
}

/** A day's plan: its rows in all, and those drawn from the population after the CI machines' and crawlers'. */
export function planDay(d: IsoDate, perDay: number, fixedRows: number): DayPlan {
  const total = dayTotal(d, perDay);
  return { date: d, key: dayKey(d), total, population: Math.max(0, Math.round(total - fixedRows)) };
}

interface PackageLine {
  package: string;
  category: string;
  first_version: string;
  last_version: string;
}

/** data/packages-history.csv, by its header's column names. */
export function realPackages(): PackageLine[] {
  const [header, ...lines] = readFileSync(DATA + "packages-history.csv", "utf8")
    .trim()
    .split("\n");
  const names = header!.split(",").map((s) => s.trim());
  const col = (n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`data/packages-history.csv has no column ${n}`);
    return i;
  };
  const [p, c, f, l] = [col("package"), col("category"), col("first_version"), col("last_version")];
  return lines.map((line) => {
    const x = line.split(",");
    const row = { package: x[p]!.trim(), category: x[c]!.trim(), first_version: x[f]!.trim(), last_version: (x[l] ?? "").trim() };
    if (!isDbCategory(row.category)) throw new Error(`data/packages-history.csv: ${row.package} has category ${row.category}`);
    return row;
  });
}

/** Popularity order: BiocGenerics (the brief's reference) first, then the real score sample, then packages still in devel, then removed ones. */
function rankPackages(all: readonly PackageLine[]): PackageLine[] {
  const scores = new Map(
    readFileSync(DATA + "bioc-scores-2026-02-sample.tsv", "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => {
        const [name, score] = l.split("\t");
        return [name!, Number(score)] as const;
      }),
  );
  const key = (p: PackageLine) =>
    p.package === "BiocGenerics"
      ? [0, 0]
      : scores.has(p.package)
        ? [1, -scores.get(p.package)!]
        : [p.last_version === "" ? 2 : 3, hash32(5, hashString(p.package))];
  return [...all].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0]! - kb[0]! || ka[1]! - kb[1]! || (a.package < b.package ? -1 : 1);
  });
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function ipv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The ring position's IP, as generator-sql.ts computes it in SQL (kept in step by a check at generation). */
export function ringIp(pos: number): string {
  if (pos % 16 === 0) return `2001:db8:${Math.floor(pos / 65536).toString(16)}:${(pos % 65536).toString(16)}::1`;
  return ipv4(16777216 + Number((BigInt(pos) * 2654435761n) % 3741319168n));
}

/** Bisection for an increasing (sign = 1) or decreasing (sign = -1) function. */
function solve(f: (x: number) => number, target: number, lo: number, hi: number, sign: 1 | -1): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if ((f(mid) - target) * sign < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function scaleModel(years: number, perDay: number): ScaleModel {
  const to = "2025-12-31" as IsoDate;
  const from = `${2026 - years}-01-01` as IsoDate;
  const scale = perDay / REFERENCE_PER_DAY;
  const packages = realPackages();
  const ranked = rankPackages(packages);
  const crawlerShare = Math.min(1, scale);
  const ci: CiMachine[] = [];
  const ring = Math.max(1000, Math.round(POPULATION_IPS * scale));
  const ciCount = Math.max(1, Math.round(CI_IPS * scale));
  for (let j = 0; j < ciCount; j++) ci.push({ j, ip: ringIp(ring + j), k: 1 + (hash32(3, j) % CI_MAX_PACKAGES) });
  const ciRowsPerDay = ci.reduce((s, c) => s + c.k, 0);
  const crawlerRowsPerDay = CRAWLER_IPS.length * packages.length * crawlerShare;

  const days: DayPlan[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(planDay(d, perDay, ciRowsPerDay + crawlerRowsPerDay));
  // Calibrate on the last year of the range.
  const lastYear = days.filter((d) => d.date >= "2025-01-01");
  const yearRows = lastYear.reduce((s, d) => s + d.total, 0);
  const yearPopulation = lastYear.reduce((s, d) => s + d.population, 0);
  const n = lastYear.length;
  // top counted downloads = counted share × (w1 × population + one CI download per machine and day) + crawlers
  const topDownloads = TOP_DOWNLOAD_SHARE * yearRows;
  const w1 = (topDownloads - CRAWLER_IPS.length * crawlerShare * n) / COUNTED_SHARE / yearPopulation - (ciCount * n) / yearPopulation;
  const known = ranked.length;
  const zipf = (q: number) => {
    let sum = 0;
    for (let r = 1; r <= known; r++) sum += (r + q) ** -ZIPF_EXPONENT;
    return sum;
  };
  const q = solve((x) => ((1 - UNKNOWN_SHARE) * (1 + x) ** -ZIPF_EXPONENT) / zipf(x), w1, 0, 1000, -1);
  const zsum = zipf(q);
  const weights = ranked.map((_, i) => ((1 - UNKNOWN_SHARE) * (i + 1 + q) ** -ZIPF_EXPONENT) / zsum);
  // The top package's population pool: distinct IPs = CI machines + crawlers + S (1 - e^(-E/S)).
  const e1 = COUNTED_SHARE * weights[0]! * yearPopulation;
  const wantPopulationIps = topDownloads / TOP_DOWNLOADS_PER_IP - ciCount - CRAWLER_IPS.length;
  const s1 = solve((s) => s * (1 - Math.exp(-e1 / s)), wantPopulationIps, 1, e1 * 50, 1);
  const lambda1 = e1 / s1;
  const poolOf = (w: number) => {
    const e = COUNTED_SHARE * w * yearPopulation;
    const lambda = 1 + (lambda1 - 1) * (e / e1) ** REPEAT_FALLOFF;
    return Math.max(1, Math.round(e / lambda));
  };
  const pick: PickEntry[] = ranked.map((p, i) => ({
    idx: i + 1,
    package: p.package,
    category: p.category,
    w: weights[i]!,
    pool: poolOf(weights[i]!),
    off: hash32(7, i + 1) % ring,
    known: true,
  }));
  // Names asked for but not in the packages table: lower-cased or suffixed spellings of popular ones.
  const names = new Set(packages.map((p) => p.package));
  const unknown: Array<{ package: string; category: string }> = [];
  for (const p of ranked) {
    if (unknown.length === UNKNOWN_NAMES) break;
    const name = p.package.toLowerCase() !== p.package ? p.package.toLowerCase() : `${p.package}.1`;
    if (!names.has(name)) {
      names.add(name);
      unknown.push({ package: name, category: p.category });
    }
  }
  const usum = unknown.reduce((s, _, i) => s + (i + 1 + q) ** -ZIPF_EXPONENT, 0);
  unknown.forEach((u, i) => {
    const w = (UNKNOWN_SHARE * (i + 1 + q) ** -ZIPF_EXPONENT) / usum;
    pick.push({ idx: known + i + 1, ...u, w, pool: poolOf(w), off: hash32(7, known + i + 1) % ring, known: false });
  });
  return {
    years,
    perDay,
    from,
    to,
    packages,
    pick,
    ci,
    days,
    ring,
    fixedRows: ciRowsPerDay + crawlerRowsPerDay,
    crawlerShare,
    expected: {
      yearRows,
      topPackage: ranked[0]!.package,
      topDownloads: Math.round(topDownloads),
      topDistinctIps: Math.round(topDownloads / TOP_DOWNLOADS_PER_IP),
      zipfOffset: q,
      crawlerRowsPerDay: Math.round(crawlerRowsPerDay),
      ciRowsPerDay,
    },
  };
}
