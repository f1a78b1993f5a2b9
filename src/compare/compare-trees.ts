// Compares two site trees (the legacy server's and ours) file by file, with the allowed
// deviations of an allow list (test/fixtures/allowed.tsv format). The operators' `diff`
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
function allowedBy(rules: readonly AllowRule[], path: string, failing: ReadonlySet<string>): string[] | null {
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

/** A comparison's files as they are judged; TreeComparison without `compared`. */
export interface Tally {
  identical: number;
  readonly missing: string[];
  readonly extra: string[];
  readonly differing: Array<{ path: string; differences: Differences }>;
  readonly allowed: Array<{ path: string; reasons: string[] }>;
}

export const emptyTally = (): Tally => ({ identical: 0, missing: [], extra: [], differing: [], allowed: [] });

/**
 * The one rule of `diff` and the conformance tests: a file with no failing aspect is identical;
 * one whose failing aspects (or being missing, or extra) the allow list allows is allowed, with
 * the rules' reasons; any other is a difference.
 */
export function judgeFile(tally: Tally, allow: readonly AllowRule[], path: string, found: Differences | "missing" | "extra"): void {
  const failing = typeof found === "string" ? [found] : Object.keys(found);
  if (failing.length === 0) return void tally.identical++;
  const reasons = allowedBy(allow, path, new Set(failing));
  if (reasons) tally.allowed.push({ path, reasons });
  else if (found === "missing") tally.missing.push(path);
  else if (found === "extra") tally.extra.push(path);
  else tally.differing.push({ path, differences: found });
}

export async function compareTrees(expectedRoot: string, actualRoot: string, options: CompareOptions = {}): Promise<TreeComparison> {
  const allow = options.allow ?? [];
  const [expected, actual] = await Promise.all([listTree(expectedRoot, options.ignore), listTree(actualRoot, options.ignore)]);
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
  const tally = emptyTally();
  for (const { path, differences } of results) judgeFile(tally, allow, path, differences);
  for (const path of [...expected].filter((p) => !actual.has(p)).sort()) judgeFile(tally, allow, path, "missing");
  for (const path of [...actual].filter((p) => !expected.has(p)).sort()) judgeFile(tally, allow, path, "extra");
  return { compared: both.length, ...tally };
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
