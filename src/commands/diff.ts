import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { GlobalOptions } from "../config.js";
import { compareContents } from "../compare/compare-files.js";
import {
  compareTrees,
  emptyTally,
  formatComparison,
  judgeFile,
  listTree,
  parseAllowList,
  type AllowRule,
  type TreeComparison,
} from "../compare/compare-trees.js";
import { politeFetcher } from "../compare/fetch-base.js";
import { UsageError } from "../errors.js";
import { createProgress } from "../progress.js";

/** Our one deliberate deviation: Chart.js and the chart script come from the site itself. */
const BUILT_IN_ALLOW = "\\.html$\tscripts\tChart.js and the chart script are served from the site itself\n";

export interface DiffOptions extends GlobalOptions {
  readonly base: string;
  readonly out: string;
  readonly only?: string | undefined;
  readonly allow?: string | undefined;
  readonly concurrency: number;
  readonly rate: number;
  readonly timeout: number;
}

/** Compares our tree with BASE (a folder, or the legacy server's URL); returns whether they agree. */
export async function diff(options: DiffOptions, out: (line: string) => void): Promise<boolean> {
  const allow = parseAllowList(BUILT_IN_ALLOW + (options.allow ? await readFile(options.allow, "utf8") : ""));
  const only = options.only ? new RegExp(options.only) : null;
  // static/, explore.html, the JSON API (api/) and the badges are ours alone: the legacy server has none of them.
  const ignore = [/^static\//, /^explore\.html$/, /^api\//, /^badges\//, ...(only ? [new RegExp(`^(?!.*(?:${options.only}))`)] : [])];
  const result = /^https?:\/\//.test(options.base) ? await diffAgainstServer(options, allow, ignore) : await diffAgainstFolder(options, allow, ignore);
  for (const line of formatComparison(result, options.quiet ? 10 : 200)) out(line);
  return result.differing.length === 0 && result.missing.length === 0 && result.extra.length === 0;
}

async function diffAgainstFolder(options: DiffOptions, allow: readonly AllowRule[], ignore: RegExp[]): Promise<TreeComparison> {
  if (!(await stat(options.base).catch(() => null))?.isDirectory()) throw new UsageError(`BASE ${options.base} is neither a folder nor an http(s) URL`);
  return compareTrees(options.base, options.out, { allow, ignore, chart: true });
}

/** Every file of our tree, fetched from the server: what we have and it lacks is `extra`. */
async function diffAgainstServer(options: DiffOptions, allow: readonly AllowRule[], ignore: RegExp[]): Promise<TreeComparison> {
  const base = options.base.endsWith("/") ? options.base : options.base + "/";
  const ours = [...(await listTree(options.out, ignore))].sort();
  const get = politeFetcher({ concurrency: options.concurrency, rate: options.rate, timeoutMs: options.timeout * 1000, retries: 3 });
  const progress = createProgress(process.stderr, options.quiet);
  let done = 0;
  let absent = 0; // files the server does not have: not compared
  const tally = emptyTally();
  await Promise.all(
    ours.map(async (path) => {
      const theirs = await get(base + path.split("/").map(encodeURIComponent).join("/"));
      progress.update(`diff: ${++done}/${ours.length} files`);
      if (theirs.status === "missing") return void (absent++, judgeFile(tally, allow, path, "extra"));
      // A file the server would not give us is a difference we could not rule out.
      if (theirs.status === "error") return void tally.differing.push({ path, differences: { bytes: `could not fetch: ${theirs.message}` } });
      judgeFile(tally, allow, path, compareContents(theirs.body, await readFile(join(options.out, path)), path, new URL(base).pathname));
    }),
  );
  progress.clear();
  const byPath = <T extends { path: string }>(xs: T[]) => xs.sort((a, b) => (a.path < b.path ? -1 : 1));
  // Requests end in any order; the report is by path.
  const { identical, missing, extra, differing, allowed } = tally;
  return { compared: ours.length - absent, identical, missing, extra: extra.sort(), differing: byPath(differing), allowed: byPath(allowed) };
}
