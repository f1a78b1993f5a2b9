// @ts-check
// The two DOM helpers of every view. Text from the data only ever goes through textContent,
// setAttribute or createElement, never innerHTML.

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error("explore.html has no #" + id);
  return e;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {string | null} [className] @param {string | number | null} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
