// Compares one file of two trees: bytes for .tab/.txt (and anything not HTML), aspects for HTML.
// Each failing aspect comes with a one-paragraph description of the first difference.
import { isDeepStrictEqual } from "node:util";
import { htmlAspects, type HtmlAspects } from "./html-aspects.js";

export type Aspect = "bytes" | "title" | "text" | "links" | "cells" | "chart" | "scripts";
export type Differences = Partial<Record<Aspect, string>>;

export function compareContents(expected: Buffer, actual: Buffer, relPath: string, base = "/packages/stats/"): Differences {
  if (expected.equals(actual)) return {};
  if (!/\.html?$/.test(relPath)) return { bytes: firstLineDifference(expected, actual) };
  const url = base.replace(/\/$/, "") + "/" + relPath;
  const e = htmlAspects(expected.toString("utf8"), url);
  const a = htmlAspects(actual.toString("utf8"), url);
  const out: Differences = {};
  if (e.title !== a.title) out.title = `title: expected ${JSON.stringify(e.title)}, actual ${JSON.stringify(a.title)}`;
  if (e.text !== a.text) out.text = textDifference(e.text, a.text);
  for (const aspect of ["links", "cells", "scripts", "chart"] as const) {
    const d = sequenceDifference(aspect, e[aspect] as HtmlAspects[typeof aspect], a[aspect] as HtmlAspects[typeof aspect]);
    if (d) out[aspect] = d;
  }
  return out;
}

function firstLineDifference(expected: Buffer, actual: Buffer): string {
  const el = expected.toString("utf8").split("\n");
  const al = actual.toString("utf8").split("\n");
  let i = 0;
  while (i < el.length && i < al.length && el[i] === al[i]) i++;
  if (i === el.length || i === al.length) {
    return `line counts differ: expected ${el.length} lines, actual ${al.length} (trailing newline: expected ${expected.at(-1) === 10 ? "yes" : "no"}, actual ${actual.at(-1) === 10 ? "yes" : "no"})`;
  }
  return `line ${i + 1}: expected ${JSON.stringify(el[i])}, actual ${JSON.stringify(al[i])}`;
}

function textDifference(e: string, a: string): string {
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const from = Math.max(0, i - 40);
  return `visible text, character ${i + 1}: expected …${JSON.stringify(e.slice(from, i + 40))}, actual …${JSON.stringify(a.slice(from, i + 40))}`;
}

function sequenceDifference(name: string, e: readonly unknown[], a: readonly unknown[]): string | null {
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n; i++) {
    if (!isDeepStrictEqual(e[i], a[i])) {
      return `${name}, item ${i + 1} of ${e.length} expected / ${a.length} actual: expected ${short(e[i])}, actual ${short(a[i])}`;
    }
  }
  return null;
}

function short(v: unknown): string {
  const s = v === undefined ? "nothing" : JSON.stringify(v);
  return s.length > 200 ? s.slice(0, 200) + "…" : s;
}
