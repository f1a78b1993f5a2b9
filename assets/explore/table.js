// @ts-check
// The package table and the search list, drawn from the state. The header comes from COLUMNS,
// so a column is defined once; events are wired in main.js.
import { byId, el } from "./dom.js";
import { COLUMNS, displayName, formatCount, searchOptions, TABLE_PAGE } from "./state.js";

/** @typedef {import("./state.js").State} State */
/** @typedef {import("./state.js").Package} Package */
/** @typedef {import("./state.js").PackageIndex} PackageIndex */

/** The header row, once: a sort button per column, and the chart column. */
export function renderTableHeader() {
  const tr = /** @type {HTMLElement} */ (document.querySelector("#packages-table thead tr"));
  tr.textContent = "";
  for (const c of COLUMNS) {
    const th = el("th", c.numeric ? "text-end" : null);
    th.scope = "col";
    th.dataset.sort = c.key;
    const b = el("button", "sort-button", c.label);
    b.type = "button";
    const indicator = el("span", "sort-indicator");
    indicator.setAttribute("aria-hidden", "true");
    b.appendChild(indicator);
    th.appendChild(b);
    tr.appendChild(th);
  }
  const th = el("th");
  th.scope = "col";
  th.appendChild(el("span", "visually-hidden", "Chart"));
  tr.appendChild(th);
}

/** @param {PackageIndex} index @param {State} state @param {Package} p */
function toggleButton(index, state, p) {
  const on = state.chosen.includes(p.id);
  const b = el("button", "btn btn-sm " + (on ? "btn-primary" : "btn-outline-primary"), on ? "In chart" : "Compare");
  b.type = "button";
  b.dataset.id = p.id;
  b.setAttribute("aria-pressed", on ? "true" : "false");
  b.setAttribute("aria-label", "Compare " + displayName(index, p) + " in the chart");
  return b;
}

/** @param {PackageIndex} index @param {State} state @param {Package} p */
function row(index, state, p) {
  const tr = el("tr");
  tr.dataset.id = p.id;
  for (const c of COLUMNS) {
    if (c.key === "name") {
      const th = el("th");
      th.scope = "row";
      if (p.page) {
        const a = el("a", null, p.name);
        a.href = p.page;
        th.appendChild(a);
      } else th.textContent = p.name;
      if (!p.inCurrentRelease) th.appendChild(el("span", "badge text-bg-secondary ms-2", "not in release"));
      tr.appendChild(th);
    } else tr.appendChild(el("td", c.numeric ? "text-end" : null, c.text(p)));
  }
  const td = el("td", "text-end");
  td.appendChild(toggleButton(index, state, p));
  tr.appendChild(td);
  return tr;
}

/**
 * @param {PackageIndex} index @param {State} state @param {readonly Package[]} rows the state's table rows
 * @param {(id: string) => string} categoryLabel
 */
export function renderTable(index, state, rows, categoryLabel) {
  const tbody = /** @type {HTMLElement} */ (document.querySelector("#packages-table tbody"));
  const fragment = document.createDocumentFragment();
  for (const p of rows.slice(0, state.shown)) fragment.appendChild(row(index, state, p));
  tbody.textContent = "";
  tbody.appendChild(fragment);

  document.querySelectorAll("#packages-table th[data-sort]").forEach((h) => {
    const th = /** @type {HTMLElement} */ (h);
    const sorted = th.dataset.sort === state.sort;
    if (sorted) th.setAttribute("aria-sort", state.dir);
    else th.removeAttribute("aria-sort");
    const indicator = th.querySelector(".sort-indicator");
    if (indicator) indicator.textContent = sorted ? (state.dir === "ascending" ? "▲" : "▼") : "";
  });

  const more = byId("show-more");
  const rest = rows.length - state.shown;
  more.hidden = rest <= 0;
  more.textContent = "Show " + Math.min(rest, TABLE_PAGE) + " more of " + formatCount(rest);

  const q = state.query.trim();
  const count = rows.length === 1 ? "1 package" : formatCount(rows.length) + " packages";
  const cat = state.category ? " in " + categoryLabel(state.category) : "";
  byId("result-count").textContent = q ? count + cat + " match \u201c" + q + "\u201d." : count + cat + ".";
}

/**
 * The search box's listbox. Returns the packages it lists, in order.
 * @param {PackageIndex} index @param {State} state @param {boolean} open @param {number} active
 */
export function renderSearchList(index, state, open, active) {
  const list = byId("search-results");
  const input = byId("search");
  const options = open ? searchOptions(index.all, state) : [];
  list.textContent = "";
  options.forEach((p, i) => {
    const li = el("li", "list-group-item list-group-item-action d-flex justify-content-between" + (i === active ? " active-option" : ""));
    li.id = "search-option-" + i;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", i === active ? "true" : "false");
    li.dataset.index = String(i);
    li.appendChild(el("span", null, p.name));
    const score = p.score !== null ? " · score " + formatCount(p.score) : "";
    li.appendChild(el("span", "text-body-secondary small", p.categoryLabel + score + (state.chosen.includes(p.id) ? " · in chart" : "")));
    list.appendChild(li);
  });
  list.hidden = options.length === 0;
  input.setAttribute("aria-expanded", options.length ? "true" : "false");
  const item = active >= 0 ? document.getElementById("search-option-" + active) : null;
  if (item) {
    input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  } else input.removeAttribute("aria-activedescendant");
  return options;
}
