const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes a value for HTML text or a double- or single-quoted attribute. */
export function escapeHtml(value: unknown): string {
  if (typeof value === "number") return String(value); // most values on a page are counts
  const s = String(value);
  return NEEDS_ESCAPE.test(s) ? s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : s;
}

const NEEDS_ESCAPE = /[&<>"']/;

/** One path segment of a relative URL: a package name with `#`, `?` or `%` must not change the link. */
export function urlSegment(name: string): string {
  return encodeURIComponent(name);
}

/** JSON safe to place inside a <script> element. */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  return /[<\u2028\u2029]/.test(json) ? json.replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
}
