// Compares two site trees (the legacy server's and ours) file by file, with the allowed
// deviations of an allow list (shared/fixtures/allowed.tsv format). The operators' `diff`
// command and the conformance tests both use this.
import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import pLimit from "p-limit";
import { compareContents, type Aspect, type Differences } from "./compare-files.js";

export interface AllowRule {
  readonly pattern: RegExp;
  /** Aspects this rule allows; "any" = all; "missing"/"extra" for whole files. */
  readonly aspects: ReadonlySet<Aspect | "any" | "missing" | "extra">;
  readonly reason: string;
}

const ASPECT_NAMES = new Set(["any", "missing", "extra", "bytes", "title", "text", "links", "cells", "chart", "scripts"]);

/** `REGEX<TAB>[ASPECT,…<TAB>]DESCRIPTION` per line, `#` comments. */
export function parseAllowList(text: string): AllowRule[] {
  const rules: AllowRule[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const parts = line.split("\t");
    const listed = parts.length >= 3 && parts[1]!.split(",").every((a) => ASPECT_NAMES.has(a.trim()));
    rules.push({
      pattern: new RegExp(parts[0]!),
      aspects: new Set(listed ? (parts[1]!.split(",").map((a) => a.trim()) as Array<Aspect | "any">) : ["any"]),
      reason: (listed ? parts.slice(2) : parts.slice(1)).join("\t").trim(),
    });
  }
  return rules;
}

export interface TreeComparison {
  readonly compared: number;
  readonly identical: number;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  readonly differing: ReadonlyArray<{ readonly path: string; readonly differences: Differences }>;
  readonly allowed: ReadonlyArray<{ readonly path: string; readonly reasons: readonly string[] }>;
}

export interface CompareOptions {
  readonly ignore?: readonly RegExp[];
  readonly allow?: readonly AllowRule[];
  readonly base?: string;
  /** Compare the chart data and script sources too (compare.py --chart-data). */
  readonly chart?: boolean;
}

const ALWAYS_IGNORED = [/^manifest\.tsv$/, /^oracle-info\.json$/];

export async function listTree(root: string, ignore: readonly RegExp[] = []): Promise<Set<string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const out = new Set<string>();
  for (const e of entries) {
    if (!e.isFile()) continue;
    const rel = relative(root, join(e.parentPath, e.name)).split(sep).join("/");
    if (![...ALWAYS_IGNORED, ...ignore].some((rx) => rx.test(rel))) out.add(rel);
  }
  return out;
}

/** The reasons that allow every failing aspect of a file, or null when some aspect is not allowed. */
export function allowedBy(rules: readonly AllowRule[], path: string, failing: ReadonlySet<string>): string[] | null {
  const remaining = new Set(failing);
  const reasons: string[] = [];
  for (const rule of rules) {
    if (!rule.pattern.test(path)) continue;
    const hit = [...remaining].filter((a) => rule.aspects.has("any") || rule.aspects.has(a as Aspect));
    if (hit.length === 0) continue;
    reasons.push(rule.reason || rule.pattern.source);
    for (const a of hit) remaining.delete(a);
  }
  return remaining.size === 0 ? reasons : null;
}

export async function compareTrees(expectedRoot: string, actualRoot: string, options: CompareOptions = {}): Promise<TreeComparison> {
  const allow = options.allow ?? [];
  const [expected, actual] = await Promise.all([listTree(expectedRoot, options.ignore), listTree(actualRoot, options.ignore)]);
  const missing: string[] = [];
  const extra: string[] = [];
  const differing: Array<{ path: string; differences: Differences }> = [];
  const allowed: Array<{ path: string; reasons: string[] }> = [];
  let identical = 0;
  const both = [...expected].filter((p) => actual.has(p)).sort();
  const limit = pLimit(16);
  const results = await Promise.all(
    both.map((path) =>
      limit(async () => {
        const [e, a] = await Promise.all([readFile(join(expectedRoot, path)), readFile(join(actualRoot, path))]);
        const differences = compareContents(e, a, path, options.base);
        if (!options.chart) {
          delete differences.chart;
          delete differences.scripts;
        }
        return { path, differences };
      }),
    ),
  );
  for (const { path, differences } of results) {
    const failing = Object.keys(differences);
    if (failing.length === 0) {
      identical++;
      continue;
    }
    const reasons = allowedBy(allow, path, new Set(failing));
    if (reasons) allowed.push({ path, reasons });
    else differing.push({ path, differences });
  }
  for (const path of [...expected].filter((p) => !actual.has(p)).sort()) {
    const reasons = allowedBy(allow, path, new Set(["missing"]));
    if (reasons) allowed.push({ path, reasons });
    else missing.push(path);
  }
  for (const path of [...actual].filter((p) => !expected.has(p)).sort()) {
    const reasons = allowedBy(allow, path, new Set(["extra"]));
    if (reasons) allowed.push({ path, reasons });
    else extra.push(path);
  }
  return { compared: both.length, identical, missing, extra, differing, allowed };
}

/** One line per problem, then a summary line: what an operator reads. */
export function formatComparison(c: TreeComparison, maxDetails = 25): string[] {
  const lines: string[] = [];
  for (const p of c.missing) lines.push(`MISSING ${p}`);
  for (const d of c.differing) lines.push(`DIFFERS ${d.path}: ${Object.values(d.differences).join("; ")}`);
  for (const p of c.extra) lines.push(`EXTRA   ${p}`);
  const shown = lines.slice(0, maxDetails);
  if (lines.length > maxDetails) shown.push(`… ${lines.length - maxDetails} more not shown`);
  shown.push(
    `files compared: ${c.compared}, identical: ${c.identical}, differing: ${c.differing.length}, allowed: ${c.allowed.length}, ` +
      `missing: ${c.missing.length}, extra: ${c.extra.length}`,
  );
  return shown;
}
