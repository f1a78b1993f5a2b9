// @ts-check
// The chart's numbers, without the DOM: a package file's `monthly` or `daily` series cut into
// days, weeks or months over a range, with the bucket that ValidThru falls inside marked
// partial ("to date"), and ticks a person can read on a log scale. Unit-tested in
// test/unit/explore-series.test.ts.

/** @typedef {import("./state.js").Granularity} Granularity */
/** @typedef {import("./state.js").Range} Range */
/** @typedef {import("./state.js").Metric} Metric */

/**
 * @typedef {object} Counts
 * @property {number} downloads
 * @property {number} distinctIPs
 */
/** @typedef {Counts & {month: string}} MonthCounts */
/** @typedef {Counts & {day: string}} DayCounts */

/**
 * What the chart needs of api/v1/packages/KEY/NAME.json. `daily` (365 days ending at ValidThru,
 * every day) is absent from builds that do not make it; `filtered` (the same counted without
 * crawlers and repeats) from files before schemaVersion 3 and from builds whose filtered
 * counts were not complete (`"filtered": null`).
 * @typedef {object} PackageSeries
 * @property {MonthCounts[]} monthly
 * @property {DayCounts[] | undefined} daily
 * @property {FilteredSeries | undefined} [filtered]
 */

/**
 * A file's `filtered`: its series and K, the number of distinct packages a day above which an
 * IP is taken for a crawler.
 * @typedef {object} FilteredSeries
 * @property {number} crawlerPackages
 * @property {MonthCounts[]} monthly
 * @property {DayCounts[] | undefined} daily
 */

/**
 * One point of the x axis: `key` its label ("2025-06", "2025-06-16" for a day or the Monday
 * of a week), the days it covers, and whether ValidThru ends it early.
 * @typedef {object} Bucket
 * @property {string} key
 * @property {string} from
 * @property {string} to
 * @property {boolean} partial
 */

const DAY_MS = 86_400_000;

/** @param {string} day "YYYY-MM-DD" */
function toTime(day) {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}
/** @param {number} t */
function toDay(t) {
  return new Date(t).toISOString().slice(0, 10);
}
/** @param {string} day @param {number} n */
export function addDays(day, n) {
  return toDay(toTime(day) + n * DAY_MS);
}
/** The Monday of the ISO week (Monday to Sunday) a day is in. @param {string} day */
export function mondayOf(day) {
  const t = toTime(day);
  return toDay(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS);
}
/** @param {string} month "YYYY-MM" */
function lastDayOfMonth(month) {
  return toDay(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));
}

/** The first day a range keeps, or null for all. @param {Range} range @param {string} validThru */
export function rangeStart(range, validThru) {
  return range === "90d" ? addDays(validThru, -89) : range === "1y" ? addDays(validThru, -364) : null;
}

/** @param {unknown} data @returns {data is {daily: DayCounts[]}} */
export function hasDaily(data) {
  return !!data && Array.isArray(/** @type {{daily?: unknown}} */ (data).daily);
}

/**
 * A package file's `filtered`, or undefined when it has none or not in the form this page reads.
 * @param {unknown} data @returns {FilteredSeries | undefined}
 */
export function readFiltered(data) {
  const f = data && typeof data === "object" ? /** @type {{filtered?: any}} */ (data).filtered : undefined;
  if (!f || typeof f !== "object" || !Array.isArray(f.monthly) || !Number.isInteger(f.crawlerPackages) || f.crawlerPackages < 1) return undefined;
  return { crawlerPackages: f.crawlerPackages, monthly: f.monthly, daily: hasDaily(f) ? f.daily : undefined };
}

/**
 * The series the chart and its table show: the filtered ones when the switch asks for them and
 * the file has them, else the legacy ones.
 * @param {PackageSeries} s @param {boolean} filtered @returns {PackageSeries}
 */
export function shownSeries(s, filtered) {
  return filtered && s.filtered ? { monthly: s.filtered.monthly, daily: s.filtered.daily } : s;
}

/** What the switch "without crawlers and repeats" does, in one sentence. @param {number} crawlerPackages */
export function filterNote(crawlerPackages) {
  return (
    "Without crawlers and repeats: an IP that downloads more than " +
    crawlerPackages +
    " packages on one day is left out that day as a crawler or mirror, and repeated downloads of a package by one IP on one day count once."
  );
}

/**
 * The buckets of a granularity over the packages' data and a range, oldest first: months from
 * `monthly`, days and weeks from `daily`. A week or month is kept when any of its days is in
 * the range; a week that starts before the first day of `daily` is left out (it would be a
 * drop that is not in the data); the bucket that ends after ValidThru is partial.
 * @param {readonly PackageSeries[]} series @param {Granularity} granularity @param {Range} range @param {string} validThru
 * @returns {Bucket[]}
 */
export function bucketsOf(series, granularity, range, validThru) {
  const start = rangeStart(range, validThru);
  /** @type {Set<string>} */
  const keys = new Set();
  let firstDay = null;
  for (const s of series) {
    if (granularity === "month") s.monthly.forEach((m) => keys.add(m.month));
    else
      for (const d of s.daily || []) {
        if (firstDay === null || d.day < firstDay) firstDay = d.day;
        keys.add(granularity === "week" ? mondayOf(d.day) : d.day);
      }
  }
  /** @type {Bucket[]} */
  const out = [];
  for (const key of [...keys].sort()) {
    const from = granularity === "month" ? key + "-01" : key;
    const to = granularity === "month" ? lastDayOfMonth(key) : granularity === "week" ? addDays(key, 6) : key;
    if (granularity === "week" && firstDay !== null && from < firstDay) continue;
    if (start !== null && to < start) continue;
    if (from > validThru) continue;
    out.push({ key, from, to, partial: to > validThru });
  }
  return out;
}

/**
 * A package's numbers in the buckets: 0 where it has none (before its first month). Weeks add
 * up days, so their distinct IPs are a sum of each day's distinct IPs.
 * @param {PackageSeries} s @param {readonly Bucket[]} buckets @param {Granularity} granularity @param {Metric} metric
 * @returns {number[]}
 */
export function valuesOf(s, buckets, granularity, metric) {
  const field = metric === "ips" ? "distinctIPs" : "downloads";
  /** @type {Map<string, number>} */
  const sums = new Map();
  if (granularity === "month") for (const m of s.monthly) sums.set(m.month, m[field]);
  else
    for (const d of s.daily || []) {
      const key = granularity === "week" ? mondayOf(d.day) : d.day;
      sums.set(key, (sums.get(key) || 0) + d[field]);
    }
  return buckets.map((b) => sums.get(b.key) || 0);
}

/**
 * A log axis for values up to `max`: from the power of ten at or below the smallest value to
 * the 1-2-5 step at or above the largest, at least one decade, ticked at 1, 2, 5 × 10ⁿ (only
 * at powers of ten past four decades). Chart.js's own log ticks label a chart of packages with
 * a few downloads with a single "1".
 * @param {readonly number[]} values @returns {{min: number, max: number, ticks: number[]}}
 */
export function logTicks(values) {
  const positive = values.filter((v) => v > 0);
  const lowest = positive.length ? Math.min(...positive) : 1;
  const highest = positive.length ? Math.max(...positive) : 1;
  const low = Math.floor(Math.log10(lowest) + 1e-9);
  const top = Math.max(highest, Math.pow(10, low + 1));
  /** @type {number[]} */
  const ticks = [];
  if (Math.log10(top) - low > 4) {
    for (let n = low; ticks.length === 0 || /** @type {number} */ (ticks[ticks.length - 1]) < top; n++) ticks.push(decimal(1, n));
  } else {
    for (let n = low; ticks.length === 0 || /** @type {number} */ (ticks[ticks.length - 1]) < top; n++)
      for (const f of [1, 2, 5]) if (ticks.length === 0 || /** @type {number} */ (ticks[ticks.length - 1]) < top) ticks.push(decimal(f, n));
  }
  return { min: /** @type {number} */ (ticks[0]), max: /** @type {number} */ (ticks[ticks.length - 1]), ticks };
}

/** f × 10ⁿ without floating-point noise (0.1, not 0.10000000000000002). @param {number} f @param {number} n */
function decimal(f, n) {
  return n >= 0 ? f * Math.pow(10, n) : f / Math.pow(10, -n);
}
