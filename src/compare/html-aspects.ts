// What makes two HTML pages "functionally identical" for this site: the title, the visible
// text, the links (resolved), the table cells, the chart data and the script sources. The rules
// are those of docs/tools/compare.py, so that our tests and the operators' diff agree with it:
// whitespace collapsed (U+00A0 included), block boundaries count as whitespace, text inside
// <head>, <script>, <style> and comments is not visible, a cell's text goes to the innermost
// open cell, and `x/index.html` is the same resource as `x/`.
import { Parser } from "htmlparser2";

export interface HtmlAspects {
  readonly title: string;
  readonly text: string;
  readonly links: ReadonlyArray<readonly [text: string, href: string | null]>;
  readonly cells: readonly string[];
  /** Parsed `var data_table = …;` of each inline script that has one. */
  readonly chart: readonly unknown[];
  readonly scripts: readonly string[];
}

const INLINE = new Set(
  "a abbr acronym b bdi bdo big cite code data dfn em font i kbd label mark q s samp small span strike strong sub sup time tt u var nobr".split(" "),
);
const VOID = new Set("area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr".split(" "));
const HIDDEN = new Set(["script", "style"]);
const DATA_TABLE = /var\s+data_table\s*=\s*([\s\S]*?);[^\S\n]*$/m;
const PLACEHOLDER = "http://page.invalid";

export const collapse = (s: string): string => s.replace(/\s+/g, " ").trim();

/** A link target as the tree sees it: same-site URLs as paths (`x/index.html` → `x/`), others absolute. */
export function resolveHref(href: string, pageUrl: string): string {
  let url: URL;
  try {
    url = new URL(href.trim(), PLACEHOLDER + pageUrl);
  } catch {
    return href.trim();
  }
  if (url.origin !== PLACEHOLDER) return url.href;
  const path = url.pathname.endsWith("/index.html") ? url.pathname.slice(0, -"index.html".length) : url.pathname;
  return path + url.search + url.hash;
}

export function htmlAspects(html: string, pageUrl: string): HtmlAspects {
  const stack: string[] = [];
  const text: string[] = [];
  const titles: string[] = [];
  let title: string[] | null = null;
  const links: Array<[string | null, string[]]> = [];
  const openLinks: number[] = [];
  const cells: string[][] = [];
  const openCells: number[] = [];
  const scripts: Array<[string | null, string[]]> = [];
  let hidden: string | null = null;
  let inHead = false;

  const boundary = () => {
    text.push(" ");
    for (const i of openLinks) links[i]![1].push(" ");
    if (openCells.length) cells[openCells[openCells.length - 1]!]!.push(" ");
  };
  const closeTop = () => {
    const tag = stack.pop()!;
    if (tag === "td" || tag === "th") openCells.pop();
    else if (tag === "a") openLinks.pop();
    else if (tag === "title" && title) {
      titles.push(title.join(""));
      title = null;
    } else if (tag === "head") inHead = false;
    else if (HIDDEN.has(tag)) hidden = null;
    if (!INLINE.has(tag)) boundary();
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (hidden) return;
        if (!INLINE.has(name)) boundary();
        if (name === "head") inHead = true;
        else if (name === "body") inHead = false;
        if (name === "title") title = [];
        else if (HIDDEN.has(name)) {
          hidden = name;
          if (name === "script") scripts.push([attribs.src ?? null, []]);
        } else if (name === "a") {
          links.push([attribs.href ?? null, []]);
          openLinks.push(links.length - 1);
        } else if (name === "td" || name === "th") {
          cells.push([]);
          openCells.push(cells.length - 1);
        }
        if (!VOID.has(name)) stack.push(name);
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        const at = stack.lastIndexOf(name);
        if (at < 0) {
          if (name === "p" && !hidden) boundary();
          return;
        }
        while (stack.length > at) closeTop();
      },
      ontext(data) {
        if (hidden === "script") scripts[scripts.length - 1]?.[1].push(data);
        if (hidden) return;
        if (title) {
          title.push(data);
          return;
        }
        if (inHead) return;
        text.push(data);
        for (const i of openLinks) links[i]![1].push(data);
        if (openCells.length) cells[openCells[openCells.length - 1]!]!.push(data);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  while (stack.length) closeTop();

  const chart: unknown[] = [];
  for (const [, parts] of scripts) {
    const m = DATA_TABLE.exec(parts.join(""));
    if (!m) continue;
    try {
      chart.push(JSON.parse(m[1]!));
    } catch {
      chart.push({ unparsed: collapse(m[1]!) });
    }
  }
  return {
    title: collapse(titles.join(" ")),
    text: collapse(text.join("")),
    links: links.map(([href, parts]) => [collapse(parts.join("")), href === null ? null : resolveHref(href, pageUrl)] as const),
    cells: cells.map((c) => collapse(c.join(""))),
    chart,
    scripts: scripts.filter(([src]) => src !== null).map(([src]) => resolveHref(src!, pageUrl)),
  };
}
