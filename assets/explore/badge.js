// @ts-check
// The Markdown that embeds a package's download badges in a README, without the DOM. The paths
// come from the package's API file (`badges`, relative to the site root, as `page` is) and are
// made absolute against the site's own address, which the page reads from document.baseURI: the
// site may be served under any prefix, and a README needs full URLs. Unit-tested in
// test/unit/explore-badge.test.ts; badges.js draws it and main.js copies it.
import { safeRelative } from "./state.js";

/**
 * A package's badges, as its API file lists them (src/site/badge-files.ts's BadgePaths).
 * @typedef {object} BadgePaths
 * @property {string} rank
 * @property {string} lastMonth
 * @property {string} total
 */

/** In the order the README lists them: the rank first, the one most asked for. */
export const BADGE_KINDS = /** @type {const} */ (["rank", "lastMonth", "total"]);

/**
 * The `badges` of a package file, or null when it has none (a file before schemaVersion 2) or
 * one that is not a relative path of our own site.
 * @param {unknown} data the parsed API file @returns {BadgePaths | null}
 */
export function readBadges(data) {
  const b = data && typeof data === "object" ? /** @type {Record<string, unknown>} */ (data).badges : undefined;
  if (!b || typeof b !== "object") return null;
  const raw = /** @type {Record<string, unknown>} */ (b);
  const rank = safeRelative(raw.rank);
  const lastMonth = safeRelative(raw.lastMonth);
  const total = safeRelative(raw.total);
  return rank && lastMonth && total ? { rank, lastMonth, total } : null;
}

/**
 * The site root, from the page's address: explore.html is at the root, so its folder, without
 * query or hash. `https://bioconductor.org/packages/stats/explore.html#p=affy` →
 * `https://bioconductor.org/packages/stats/`.
 * @param {string} baseURI document.baseURI
 */
export function siteBase(baseURI) {
  return new URL(".", baseURI).href;
}

/**
 * A path of the site as an absolute URL that Markdown keeps whole: URL() percent-encodes spaces
 * and angle brackets but not parentheses, which would end a Markdown link.
 * @param {string} path relative to the site root @param {string} base siteBase()
 */
export function siteUrl(path, base) {
  return new URL(path, base).href.replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/**
 * The Markdown of a package's three badges, one a line (Markdown joins them into one row), each
 * linking to the package's statistics page, or standing alone when the package has none.
 * @param {BadgePaths} badges @param {string | null} page the package page, relative to the root
 * @param {string} base siteBase()
 */
export function badgeMarkdown(badges, page, base) {
  const href = page === null ? null : siteUrl(page, base);
  return BADGE_KINDS.map((kind) => {
    const image = "![downloads](" + siteUrl(badges[kind], base) + ")";
    return href === null ? image : "[" + image + "](" + href + ")";
  }).join("\n");
}
