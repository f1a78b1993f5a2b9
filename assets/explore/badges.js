// @ts-check
// "Badges for a README": for each chosen package whose file lists its badges, the badges
// themselves and a button that copies their Markdown (main.js does the copying). When the
// clipboard cannot be used, the Markdown is shown in a read-only field for the user to copy.
import { badgeMarkdown, BADGE_KINDS } from "./badge.js";
import { byId, el } from "./dom.js";
import { displayName } from "./state.js";

/** @typedef {import("./state.js").State} State */
/** @typedef {import("./state.js").PackageIndex} PackageIndex */
/** @typedef {import("./chart.js").Detail} Detail */
/** What the last click on a copy button did: copied, or showed the field to copy from. @typedef {{id: string, outcome: "copied" | "shown"}} CopyResult */

/** The id of the read-only field, when it is shown. */
export const FALLBACK_FIELD = "badge-markdown";

/**
 * The chosen packages that have badges, with their Markdown.
 * @param {PackageIndex} index @param {State} state @param {Map<string, Detail>} details @param {string} base siteBase()
 */
export function badgeRows(index, state, details, base) {
  return state.chosen.flatMap((id) => {
    const d = details.get(id);
    const p = index.byId.get(id);
    if (!p || !d || d.status !== "ok" || !d.badges) return [];
    return [{ id, name: displayName(index, p), badges: d.badges, markdown: badgeMarkdown(d.badges, p.page, base) }];
  });
}

let drawn = "";

/**
 * Drawn again only when what it shows changes, so that a package loading elsewhere leaves the
 * field and its selection alone.
 * @param {ReturnType<typeof badgeRows>} rows @param {CopyResult | null} result
 */
export function renderBadges(rows, result) {
  const key = JSON.stringify([rows.map((r) => [r.id, r.name, r.markdown]), result]);
  if (key === drawn) return;
  drawn = key;
  byId("badges").hidden = rows.length === 0;
  const ul = byId("badge-list");
  ul.textContent = "";
  for (const r of rows) {
    const li = el("li", "d-flex flex-wrap align-items-center gap-2 mb-2");
    li.appendChild(el("span", "fw-semibold", r.name));
    for (const kind of BADGE_KINDS) {
      const img = el("img");
      img.src = r.badges[kind];
      img.alt = ""; // the numbers are in the table; the Markdown is what the row is for
      img.height = 20;
      li.appendChild(img);
    }
    const b = el("button", "btn btn-sm btn-outline-secondary", "Copy badge Markdown");
    b.type = "button";
    b.dataset.copy = r.id;
    b.setAttribute("aria-label", "Copy the badge Markdown of " + r.name);
    li.appendChild(b);
    if (result && result.id === r.id && result.outcome === "copied") li.appendChild(el("span", "text-success small", "Copied."));
    if (result && result.id === r.id && result.outcome === "shown") li.appendChild(fallbackField(r.name, r.markdown));
    ul.appendChild(li);
  }
}

/** @param {string} name @param {string} markdown */
function fallbackField(name, markdown) {
  const box = el("div", "w-100");
  const label = el(
    "label",
    "form-label small mb-1",
    "The clipboard cannot be used here: copy the badge Markdown of " + name + " from this field (it is selected).",
  );
  label.htmlFor = FALLBACK_FIELD;
  const field = el("textarea", "form-control form-control-sm font-monospace");
  field.id = FALLBACK_FIELD;
  field.readOnly = true;
  field.rows = 3;
  field.value = markdown;
  box.appendChild(label);
  box.appendChild(field);
  return box;
}
