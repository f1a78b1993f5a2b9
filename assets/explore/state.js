// @ts-check
// The explore page's state and the rules over it, without the DOM: the package index and name
// resolution, the URL hash, search matching, the table's columns and their sort. Unit-tested in
// test/unit/explore-state.test.ts; the views (table.js, search.js, chart.js) only draw it.

export const MAX_CHOSEN = 8;
export const TABLE_PAGE = 100;
export const SEARCH_LIMIT = 12;
/** How many packages the chart shows when the URL names none. */
export const DEFAULT_CHOSEN = 5;

/** @typedef {"ascending" | "descending"} Direction */
/** @typedef {"downloads" | "ips"} Metric */
/** @typedef {"linear" | "log"} Scale */
/** @typedef {"day" | "week" | "month"} Granularity */
/** @typedef {"90d" | "1y" | "all"} Range */

/**
 * @typedef {object} Category
 * @property {string} key  URL folder and the API's `category` (`bioc`, `data-annotation`, …)
 * @property {string} db   the database's name for it (`annotation`, …), accepted as well
 * @property {string} label
 * @property {string} href the category page
 */

/**
 * A package of packages.json with what the page adds: its category, a unique id "KEY/NAME".
 * @typedef {object} Package
 * @property {string} name
 * @property {string} key
 * @property {string} id
 * @property {string} lower
 * @property {string} categoryLabel
 * @property {number} categoryOrder
 * @property {number | null} score
 * @property {number | null} rank
 * @property {number | null} totalDownloads
 * @property {number | null} last30
 * @property {boolean} inCurrentRelease
 * @property {string | null} page  the package page, when it is a relative path
 * @property {string} json         its API file, relative to the page
 */

/**
 * @typedef {object} PackageIndex
 * @property {Package[]} all
 * @property {Map<string, Package>} byId     "KEY/NAME" → package
 * @property {Map<string, Package[]>} byName "NAME" → packages, in category order
 */

/**
 * Everything the views draw. `explicit` says whether `chosen` came from the URL or the user
 * (written to the hash) or is the default top five (not written, so the link stays short).
 * @typedef {object} State
 * @property {string} query
 * @property {string} category
 * @property {string} sort
 * @property {Direction} dir
 * @property {number} shown
 * @property {string[]} chosen
 * @property {boolean} explicit
 * @property {Metric} metric
 * @property {Scale} scale
 * @property {Granularity} granularity
 * @property {Range} range
 * @property {boolean} filtered  the counts without crawlers and repeats instead of the legacy ones
 */

/** @returns {State} */
export function initialState() {
  return {
    query: "",
    category: "",
    sort: "score",
    dir: "descending",
    shown: TABLE_PAGE,
    chosen: [],
    explicit: false,
    metric: "downloads",
    scale: "linear",
    granularity: "month",
    range: "all",
    filtered: false,
  };
}

// --- names ---------------------------------------------------------------------------------

// The same order as src/domain/order.ts's compareCollation (the live database's en_US order),
// so that the table lists names as the category pages do.
const collator = new Intl.Collator("en-US", { ignorePunctuation: true });

/** @param {string} a @param {string} b */
export function compareNames(a, b) {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

const numberFormat = new Intl.NumberFormat("en-US");

/** @param {number | null | undefined} n */
export function formatCount(n) {
  return n === null || n === undefined ? "–" : numberFormat.format(n);
}

/** A relative path from our own API, or null: anything with a scheme or starting with // is refused. */
export function safeRelative(/** @type {unknown} */ path) {
  return typeof path === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[\\/]{2}/.test(path) ? path : null;
}

/** @param {unknown} v */
function countOrNull(v) {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/**
 * The index of packages.json's `packages`, with categories found by key or database name.
 * @param {readonly unknown[]} packages
 * @param {readonly Category[]} categories
 * @returns {PackageIndex}
 */
export function buildIndex(packages, categories) {
  /** @type {Map<string, {c: Category, order: number}>} */
  const byAny = new Map();
  categories.forEach((c, order) => {
    byAny.set(c.key, { c, order });
    byAny.set(c.db, { c, order });
  });
  /** @type {Package[]} */
  const all = [];
  const byId = new Map();
  /** @type {Map<string, Package[]>} */
  const byName = new Map();
  for (const raw of packages) {
    if (!raw || typeof raw !== "object") continue;
    const p = /** @type {Record<string, any>} */ (raw);
    if (typeof p.name !== "string" || !p.name) continue;
    const cat = String(p.category);
    const found = byAny.get(cat);
    const key = found ? found.c.key : cat;
    const id = key + "/" + p.name;
    /** @type {Package} */
    const pkg = {
      name: p.name,
      key,
      id,
      lower: p.name.toLowerCase(),
      categoryLabel: found ? found.c.label : cat,
      categoryOrder: found ? found.order : 99,
      score: countOrNull(p.score),
      rank: countOrNull(p.rank),
      totalDownloads: countOrNull(p.totalDownloads),
      last30: countOrNull(p.last30Days && p.last30Days.downloads),
      inCurrentRelease: p.inCurrentRelease !== false,
      page: safeRelative(p.page),
      json: safeRelative(p.json) || "api/v1/packages/" + encodeURIComponent(key) + "/" + encodeURIComponent(p.name) + ".json",
    };
    if (byId.has(id)) continue;
    all.push(pkg);
    byId.set(id, pkg);
    const list = byName.get(pkg.name);
    if (list) list.push(pkg);
    else byName.set(pkg.name, [pkg]);
  }
  for (const list of byName.values()) list.sort((a, b) => a.categoryOrder - b.categoryOrder);
  return { all, byId, byName };
}

/** NAME, or KEY/NAME when the name is in two categories. @param {PackageIndex} index @param {Package} p */
export function hashName(index, p) {
  return (index.byName.get(p.name) || []).length > 1 ? p.id : p.name;
}

/** NAME, or "NAME (Category)" when the name is in two categories. @param {PackageIndex} index @param {Package} p */
export function displayName(index, p) {
  return (index.byName.get(p.name) || []).length > 1 ? p.name + " (" + p.categoryLabel + ")" : p.name;
}

/**
 * KEY/NAME, NAME (the first category that has it), or a name in another case (typed by hand).
 * @param {PackageIndex} index @param {string} token @returns {Package | null}
 */
export function resolve(index, token) {
  const exact = index.byId.get(token) || (index.byName.get(token) || [])[0];
  if (exact) return exact;
  const lower = token.toLowerCase();
  return index.all.find((p) => p.lower === lower || p.id.toLowerCase() === lower) || null;
}

/** The packages with the highest scores, for a page whose URL names none. @param {PackageIndex} index */
export function topByScore(index, n = DEFAULT_CHOSEN) {
  return index.all
    .filter((p) => p.score !== null)
    .sort((a, b) => /** @type {number} */ (b.score) - /** @type {number} */ (a.score) || compareNames(a.name, b.name) || a.categoryOrder - b.categoryOrder)
    .slice(0, n)
    .map((p) => p.id);
}

// --- the hash ------------------------------------------------------------------------------

/**
 * What the hash says: `p=affy,bioc/limma&m=ips&s=log&g=week&r=1y&f=1` (`f=1`: without crawlers
 * and repeats). `packages` is null when the hash has no `p`, an empty list for `p=` (the user
 * removed every package).
 * @typedef {object} HashState
 * @property {string[] | null} packages
 * @property {Metric} metric
 * @property {Scale} scale
 * @property {Granularity} granularity
 * @property {Range} range
 * @property {boolean} filtered
 */

/** @param {string} s */
function decode(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** @param {string} hash location.hash, with or without its "#" @returns {HashState} */
export function parseHash(hash) {
  /** @type {Record<string, string>} */
  const h = {};
  for (const part of hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0) h[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return {
    packages:
      h.p === undefined
        ? null
        : h.p
            .split(",")
            .map((raw) => decode(raw).trim())
            .filter(Boolean),
    metric: h.m === "ips" ? "ips" : "downloads",
    scale: h.s === "log" ? "log" : "linear",
    granularity: h.g === "day" || h.g === "week" ? h.g : "month",
    range: h.r === "90d" || h.r === "1y" ? h.r : "all",
    filtered: h.f === "1",
  };
}

/**
 * The state the hash gives, with its names resolved: at most MAX_CHOSEN known packages, the top
 * five by score when it names none, and the names it gave that are not packages.
 * @param {State} state @param {HashState} hash @param {PackageIndex} index
 * @returns {{state: State, unknown: string[]}}
 */
export function applyHash(state, hash, index) {
  /** @type {string[]} */
  const chosen = [];
  /** @type {string[]} */
  const unknown = [];
  for (const token of hash.packages || []) {
    const p = resolve(index, token);
    if (!p) unknown.push(token);
    else if (!chosen.includes(p.id) && chosen.length < MAX_CHOSEN) chosen.push(p.id);
  }
  const explicit = hash.packages !== null;
  return {
    state: {
      ...state,
      chosen: explicit ? chosen : topByScore(index),
      explicit,
      metric: hash.metric,
      scale: hash.scale,
      granularity: hash.granularity,
      range: hash.range,
      filtered: hash.filtered,
    },
    unknown,
  };
}

/** The hash for a state; the defaults are left out. @param {State} state @param {PackageIndex} index */
export function hashText(state, index) {
  const parts = [];
  if (state.explicit) {
    const names = state.chosen.map((id) => {
      const p = index.byId.get(id);
      return (p ? hashName(index, p) : id).split("/").map(encodeURIComponent).join("/");
    });
    parts.push("p=" + names.join(","));
  }
  if (state.metric === "ips") parts.push("m=ips");
  if (state.scale === "log") parts.push("s=log");
  if (state.granularity !== "month") parts.push("g=" + state.granularity);
  if (state.range !== "all") parts.push("r=" + state.range);
  if (state.filtered) parts.push("f=1");
  return parts.join("&");
}

// --- choosing ------------------------------------------------------------------------------

/**
 * @param {State} state @param {string} id
 * @returns {{state: State, outcome: "added" | "already" | "full"}}
 */
export function addChosen(state, id) {
  if (state.chosen.includes(id)) return { state, outcome: "already" };
  if (state.chosen.length >= MAX_CHOSEN) return { state, outcome: "full" };
  return { state: { ...state, chosen: [...state.chosen, id], explicit: true }, outcome: "added" };
}

/** @param {State} state @param {string} id @returns {State} */
export function removeChosen(state, id) {
  return { ...state, chosen: state.chosen.filter((c) => c !== id), explicit: true };
}

// --- matching and sorting ------------------------------------------------------------------

/** 0 the name itself, 1 a prefix, 2 a part of it, -1 no match. @param {Package} p @param {string} q lowercase */
export function matchRank(p, q) {
  if (!q) return 0;
  const i = p.lower.indexOf(q);
  if (i < 0) return -1;
  return p.lower === q ? 0 : i === 0 ? 1 : 2;
}

/**
 * One definition per column of the table: its header, the value it sorts by (null: none, always
 * last), its first sort direction and how its cell reads.
 * @typedef {object} Column
 * @property {string} key
 * @property {string} label
 * @property {boolean} numeric
 * @property {Direction} first
 * @property {(p: Package) => number | string | null} value
 * @property {(p: Package) => string} text
 */

/** @type {readonly Column[]} */
export const COLUMNS = [
  { key: "name", label: "Package", numeric: false, first: "ascending", value: (p) => p.name, text: (p) => p.name },
  { key: "category", label: "Category", numeric: false, first: "ascending", value: (p) => p.categoryOrder, text: (p) => p.categoryLabel },
  { key: "score", label: "Score", numeric: true, first: "descending", value: (p) => p.score, text: (p) => formatCount(p.score) },
  { key: "rank", label: "Rank", numeric: true, first: "ascending", value: (p) => p.rank, text: (p) => formatCount(p.rank) },
  { key: "total", label: "Total downloads", numeric: true, first: "descending", value: (p) => p.totalDownloads, text: (p) => formatCount(p.totalDownloads) },
  { key: "last30", label: "Last 30 days", numeric: true, first: "descending", value: (p) => p.last30, text: (p) => formatCount(p.last30) },
];

/** @param {string} key */
export function columnOf(key) {
  return COLUMNS.find((c) => c.key === key) || /** @type {Column} */ (COLUMNS[0]);
}

/** By name, then category: the tie-break of every sort. @param {Package} a @param {Package} b */
export function compareByName(a, b) {
  return compareNames(a.name, b.name) || a.categoryOrder - b.categoryOrder;
}

/**
 * The packages in the state's category matching its query, in its sort order.
 * @param {readonly Package[]} all @param {State} state @returns {Package[]}
 */
export function tableRows(all, state) {
  const q = state.query.trim().toLowerCase();
  const column = columnOf(state.sort);
  const sign = state.dir === "ascending" ? 1 : -1;
  return all
    .filter((p) => (!state.category || p.key === state.category) && matchRank(p, q) >= 0)
    .sort((a, b) => {
      const va = column.value(a);
      const vb = column.value(b);
      // Packages without a value (no score yet) stay at the bottom in either direction.
      if ((va === null) !== (vb === null)) return va === null ? 1 : -1;
      const c = va === null || vb === null ? 0 : typeof va === "string" && typeof vb === "string" ? compareNames(va, vb) : Number(va) - Number(vb);
      return sign * c || compareByName(a, b);
    });
}

/** A header click: the same column turns the other way, another starts in its first direction. @param {State} state @param {string} key @returns {State} */
export function sortBy(state, key) {
  if (state.sort === key) return { ...state, dir: state.dir === "ascending" ? "descending" : "ascending" };
  return { ...state, sort: key, dir: columnOf(key).first };
}

/**
 * The search list: the best matches first (the name itself, a prefix, a part), then by score.
 * @param {readonly Package[]} all @param {State} state @returns {Package[]}
 */
export function searchOptions(all, state) {
  const q = state.query.trim().toLowerCase();
  if (!q) return [];
  return all
    .filter((p) => (!state.category || p.key === state.category) && matchRank(p, q) >= 0)
    .sort((a, b) => matchRank(a, q) - matchRank(b, q) || (b.score ?? -Infinity) - (a.score ?? -Infinity) || compareByName(a, b))
    .slice(0, SEARCH_LIMIT);
}
