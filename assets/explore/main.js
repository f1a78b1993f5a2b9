// @ts-check
// explore.html: search every package, sort them, and chart the numbers of up to 8 by day, week
// or month. Native ES modules, no bundler. Data comes from api/v1/ relative to this page, so the
// site works under any prefix. Every change goes through one render(state); the rules live in
// state.js, series.js and badge.js, without the DOM.
import { readBadges, siteBase } from "./badge.js";
import { badgeRows, FALLBACK_FIELD, renderBadges } from "./badges.js";
import { COLORS, renderChart } from "./chart.js";
import { byId, el } from "./dom.js";
import { filterNote, hasDaily, readFiltered } from "./series.js";
import * as S from "./state.js";
import { renderSearchList, renderTable, renderTableHeader } from "./table.js";

/** @typedef {import("./state.js").State} State */
/** @typedef {import("./chart.js").Detail} Detail */
/** @typedef {import("./badges.js").CopyResult} CopyResult */

/** @type {S.Category[]} */
let categories = [];
try {
  categories = JSON.parse(byId("explore-categories").textContent || "[]");
} catch {
  categories = [];
}

/** @type {S.PackageIndex} */
let index = { all: [], byId: new Map(), byName: new Map() };
let state = S.initialState();
let validThru = "";
/** @type {Map<string, Detail>} */
const details = new Map();
// The search list's own state: open or not, and the highlighted option.
let listOpen = false;
let active = -1;
/** @type {S.Package[]} */
let options = [];
/** @type {CopyResult | null} */
let copyResult = null;
// The badges' Markdown needs full URLs: the site root is this page's folder, whatever the prefix.
const base = siteBase(document.baseURI);

/** @param {string} key */
function categoryLabel(key) {
  const c = categories.find((x) => x.key === key);
  return c ? c.label : key;
}

// --- loading -------------------------------------------------------------------------------

/** @param {string} message */
function fail(message) {
  byId("explore-loading").hidden = true;
  const box = byId("explore-error");
  box.textContent = "";
  box.appendChild(el("strong", null, "The package list could not be loaded. "));
  box.appendChild(document.createTextNode(message + " The category pages still work: "));
  categories.forEach((c, i) => {
    const a = el("a", "alert-link", c.label);
    a.href = S.safeRelative(c.href) || "#";
    box.appendChild(a);
    box.appendChild(document.createTextNode(i < categories.length - 1 ? ", " : "."));
  });
  box.hidden = false;
}

/** @param {string} url @returns {Promise<any>} */
async function fetchJson(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(url + " answered HTTP " + r.status + ".");
  return r.json().catch(() => {
    throw new Error(url + " is not valid JSON.");
  });
}

/** @param {unknown} e */
function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}

async function start() {
  byId("explore-loading").hidden = false;
  try {
    const data = await fetchJson("api/v1/packages.json");
    // Version 2 adds fields (lastDay, lastWeek, lastMonth) to those this page reads.
    if (!data || (data.schemaVersion !== 1 && data.schemaVersion !== 2) || !Array.isArray(data.packages)) {
      throw new Error("api/v1/packages.json has an unknown format (schemaVersion " + (data && data.schemaVersion) + ").");
    }
    init(data);
  } catch (e) {
    fail(messageOf(e));
  }
}

/** @param {any} data packages.json */
function init(data) {
  index = S.buildIndex(data.packages, categories);
  validThru = typeof data.lastUpdatedOn === "string" ? data.lastUpdatedOn : "";
  const windows = [];
  if (data.scoreWindow) windows.push("Score: the average number of distinct IPs a month, " + data.scoreWindow.from + " to " + data.scoreWindow.to + ".");
  if (data.last30Days) windows.push("Last 30 days: " + data.last30Days.from + " to " + data.last30Days.to + ".");
  byId("explore-windows").textContent = windows.join(" ");
  byId("explore-loading").hidden = true;
  byId("explore-app").hidden = false;
  renderTableHeader();
  wire();
  readHash();
  render();
}

/** @param {string} id */
function load(id) {
  const p = index.byId.get(id);
  if (details.has(id) || !p) return;
  details.set(id, { status: "loading" });
  fetchJson(p.json)
    .then((data) => {
      if (!data || !Array.isArray(data.monthly)) throw new Error(p.json + " has no monthly numbers.");
      details.set(id, {
        status: "ok",
        data: { monthly: data.monthly, daily: hasDaily(data) ? data.daily : undefined, filtered: readFiltered(data) },
        badges: readBadges(data),
      });
    })
    .catch((e) => {
      details.set(id, { status: "failed", error: messageOf(e) });
      announce(S.displayName(index, p) + " could not be loaded.");
    })
    .then(render);
}

// --- rendering -----------------------------------------------------------------------------

/** Day and week need `daily`: offered once a chosen package's file has it. */
function dailyAvailable() {
  return state.chosen.some((id) => {
    const d = details.get(id);
    return d !== undefined && d.status === "ok" && d.data.daily !== undefined;
  });
}

/**
 * K of the counts without crawlers and repeats, when every loaded chosen package's file has
 * them (all files of a build have them, or none); null hides the switch.
 * @returns {number | null}
 */
function filteredK() {
  let k = null;
  for (const id of state.chosen) {
    const d = details.get(id);
    if (!d || d.status !== "ok") continue;
    if (!d.data.filtered) return null;
    k ??= d.data.filtered.crawlerPackages;
  }
  return k;
}

/** A selector for the focused button of the table or the chips, which render() rebuilds. */
function focusedButton() {
  const a = document.activeElement;
  if (!(a instanceof HTMLElement)) return null;
  if (a.dataset.id && a.closest("#packages-table")) return '#packages-table tbody button[data-id="' + CSS.escape(a.dataset.id) + '"]';
  if (a.dataset.remove) return '#chosen button[data-remove="' + CSS.escape(a.dataset.remove) + '"]';
  if (a.dataset.copy) return '#badge-list button[data-copy="' + CSS.escape(a.dataset.copy) + '"]';
  return null;
}

function render() {
  const focused = focusedButton();
  state.chosen.forEach(load);
  const daily = dailyAvailable();
  const granularity = daily ? state.granularity : "month";
  const k = filteredK();
  renderControls(daily, granularity, k);
  renderTable(index, state, S.tableRows(index.all, state), categoryLabel);
  options = renderSearchList(index, state, listOpen, active);
  renderChosen();
  if (state.chosen.length) renderChart(index, state, details, granularity, validThru, state.filtered && k !== null);
  renderBadges(badgeRows(index, state, details, base), copyResult);
  // The button had the focus before its row was drawn again (a package loaded, a toggle).
  const again = focused && document.activeElement === document.body ? /** @type {HTMLElement | null} */ (document.querySelector(focused)) : null;
  if (again) again.focus();
}

/** @param {boolean} daily @param {S.Granularity} granularity @param {number | null} k see filteredK */
function renderControls(daily, granularity, k) {
  /** @type {Record<string, string>} */
  const checked = { metric: state.metric, scale: state.scale, granularity, range: state.range };
  document.querySelectorAll("input[name=metric], input[name=scale], input[name=granularity], input[name=range]").forEach((r) => {
    const input = /** @type {HTMLInputElement} */ (r);
    input.checked = checked[input.name] === input.value;
  });
  document.querySelectorAll("[data-needs-daily]").forEach((e) => {
    /** @type {HTMLElement} */ (e).hidden = !daily;
  });
  /** @type {HTMLInputElement} */ (byId("filtered")).checked = state.filtered;
  byId("filtered-help").textContent = k === null ? "" : filterNote(k);
  document.querySelectorAll("[data-needs-filtered]").forEach((e) => {
    /** @type {HTMLElement} */ (e).hidden = k === null;
  });
}

function renderChosen() {
  const ul = byId("chosen");
  ul.textContent = "";
  state.chosen.forEach((id, i) => {
    const p = index.byId.get(id);
    if (!p) return;
    const name = S.displayName(index, p);
    const li = el("li", "chip");
    const swatch = el("span", "swatch");
    swatch.style.background = COLORS[i % COLORS.length] || "";
    swatch.setAttribute("aria-hidden", "true");
    li.appendChild(swatch);
    li.appendChild(el("span", null, name));
    const d = details.get(id);
    if (d && d.status === "loading") li.appendChild(el("span", "text-body-secondary small", "loading…"));
    if (d && d.status === "failed") li.appendChild(el("span", "text-danger small", "could not be loaded"));
    const b = el("button", "btn-close btn-sm");
    b.type = "button";
    b.dataset.remove = id;
    b.setAttribute("aria-label", "Remove " + name + " from the chart");
    li.appendChild(b);
    ul.appendChild(li);
  });
  byId("chosen-count").textContent = String(state.chosen.length);
  byId("chosen-default").hidden = state.explicit || state.chosen.length === 0;
  byId("chart-empty").hidden = state.chosen.length > 0;
  byId("chart-box").hidden = state.chosen.length === 0;
  byId("chart-data").hidden = state.chosen.length === 0;
}

/** @param {string} text */
function announce(text) {
  const a = byId("announce");
  a.textContent = "";
  // A new text node each time, so that the same message is announced again.
  window.setTimeout(() => {
    a.textContent = text;
  }, 50);
}

// --- changes -------------------------------------------------------------------------------

/** @param {State} next */
function update(next) {
  state = next;
  writeHash();
  render();
}

/** @param {S.Package} p */
function choose(p) {
  const { state: next, outcome } = S.addChosen(state, p.id);
  const name = S.displayName(index, p);
  if (outcome === "already") return announce(name + " is already in the chart.");
  if (outcome === "full") return announce("At most " + S.MAX_CHOSEN + " packages: remove one from the chart first.");
  announce(name + " added to the chart; " + next.chosen.length + " of " + S.MAX_CHOSEN + ".");
  update(next);
}

/** @param {string} id */
function unchoose(id) {
  const p = index.byId.get(id);
  announce((p ? S.displayName(index, p) : id) + " removed from the chart.");
  update(S.removeChosen(state, id));
}

/**
 * Copies a package's badge Markdown; where the clipboard is missing (a page not served over
 * HTTPS or from localhost) or refused, shows it selected in a read-only field instead.
 * @param {string} id
 */
async function copyBadges(id) {
  const row = badgeRows(index, state, details, base).find((r) => r.id === id);
  if (!row) return;
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
    await navigator.clipboard.writeText(row.markdown);
    copyResult = { id, outcome: "copied" };
    announce("The badge Markdown of " + row.name + " is copied to the clipboard.");
    render();
  } catch {
    copyResult = { id, outcome: "shown" };
    render();
    const field = /** @type {HTMLTextAreaElement} */ (byId(FALLBACK_FIELD));
    field.focus();
    field.select();
    announce("The clipboard cannot be used here: the badge Markdown of " + row.name + " is selected in a field, copy it with Control+C or Command+C.");
  }
}

function readHash() {
  const { state: next, unknown } = S.applyHash(state, S.parseHash(location.hash), index);
  state = next;
  const box = byId("explore-error");
  if (unknown.length) {
    box.textContent = "Not found, left out of the chart: " + unknown.join(", ") + ".";
    box.className = "alert alert-warning";
    box.hidden = false;
  } else box.hidden = true;
}

function writeHash() {
  const text = S.hashText(state, index);
  if (location.hash.replace(/^#/, "") === text) return;
  history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
}

/** @param {number} i */
function chooseOption(i) {
  const p = options[i];
  if (!p) return;
  const input = /** @type {HTMLInputElement} */ (byId("search"));
  input.value = "";
  state = { ...state, query: "", shown: S.TABLE_PAGE };
  listOpen = false;
  active = -1;
  choose(p);
  render();
}

/** Opens or closes the search list, highlighting option `to` (wrapping around), or none. @param {boolean} open @param {number | null} [to] */
function setList(open, to = null) {
  listOpen = open;
  const count = open ? S.searchOptions(index.all, state).length : 0;
  active = to === null || count === 0 ? -1 : (to + count) % count;
  options = renderSearchList(index, state, listOpen, active);
}

// --- events --------------------------------------------------------------------------------

function wire() {
  const input = /** @type {HTMLInputElement} */ (byId("search"));
  input.addEventListener("input", () => {
    state = { ...state, query: input.value, shown: S.TABLE_PAGE };
    listOpen = true;
    active = -1;
    render();
  });
  input.addEventListener("keydown", (e) => {
    const open = options.length > 0;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setList(true, active + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setList(true, active < 0 ? -1 : active - 1); // from none, the last
    } else if (e.key === "Enter") {
      if (open) {
        e.preventDefault();
        chooseOption(active < 0 ? 0 : active);
      }
    } else if (e.key === "Escape") {
      if (open) setList(false);
      else if (input.value) {
        input.value = "";
        state = { ...state, query: "" };
        render();
      }
    } else if ((e.key === "Home" || e.key === "End") && open && active >= 0) {
      e.preventDefault();
      setList(true, e.key === "Home" ? 0 : options.length - 1);
    }
  });
  input.addEventListener("blur", () => setList(false));
  input.addEventListener("focus", () => {
    if (state.query.trim()) setList(true);
  });
  const list = byId("search-results");
  // mousedown would blur the input (and close the list) before the click.
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("click", (e) => {
    const li = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("[role=option]"));
    if (li) chooseOption(Number(li.dataset.index));
  });

  byId("category-filter").addEventListener("change", (e) => {
    state = { ...state, category: /** @type {HTMLSelectElement} */ (e.target).value, shown: S.TABLE_PAGE };
    render();
  });
  byId("packages-table").addEventListener("click", (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const th = /** @type {HTMLElement | null} */ (target.closest("th[data-sort]"));
    if (th && target.closest("button")) {
      state = S.sortBy(state, th.dataset.sort || "name");
      return render();
    }
    const b = /** @type {HTMLElement | null} */ (target.closest("tbody button[data-id]"));
    const p = b && index.byId.get(b.dataset.id || "");
    if (!p) return;
    b.focus(); // render() gives it back to the same package's new button
    if (state.chosen.includes(p.id)) unchoose(p.id);
    else choose(p);
  });
  byId("show-more").addEventListener("click", () => {
    state = { ...state, shown: state.shown + S.TABLE_PAGE };
    render();
  });
  byId("chosen").addEventListener("click", (e) => {
    const b = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("button[data-remove]"));
    if (!b) return;
    const li = b.closest("li");
    const next = li && (li.nextElementSibling || li.previousElementSibling);
    const nextButton = next && /** @type {HTMLElement | null} */ (next.querySelector("button[data-remove]"));
    const nextId = nextButton ? nextButton.dataset.remove : null;
    unchoose(b.dataset.remove || "");
    const focus = nextId && /** @type {HTMLElement | null} */ (document.querySelector('#chosen button[data-remove="' + CSS.escape(nextId) + '"]'));
    (focus || input).focus();
  });
  byId("badge-list").addEventListener("click", (e) => {
    const b = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("button[data-copy]"));
    if (b) copyBadges(b.dataset.copy || "");
  });
  document.querySelectorAll("input[name=metric], input[name=scale], input[name=granularity], input[name=range]").forEach((r) => {
    const radio = /** @type {HTMLInputElement} */ (r);
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      const v = radio.value;
      if (radio.name === "metric") update({ ...state, metric: v === "ips" ? "ips" : "downloads" });
      else if (radio.name === "scale") update({ ...state, scale: v === "log" ? "log" : "linear" });
      else if (radio.name === "granularity") update({ ...state, granularity: v === "day" || v === "week" ? v : "month" });
      else update({ ...state, range: v === "90d" || v === "1y" ? v : "all" });
    });
  });
  const filtered = /** @type {HTMLInputElement} */ (byId("filtered"));
  filtered.addEventListener("change", () => update({ ...state, filtered: filtered.checked }));
  window.addEventListener("hashchange", () => {
    if (location.hash.replace(/^#/, "") === S.hashText(state, index)) return;
    readHash();
    render();
  });
}

start();
