// Where a build may put the site. A build replaces whatever is at DIR by a symlink to one of two
// slots beside it, and a plain folder it takes over ends up deleted a build later (issue 10: a
// foreign `www` lost its files, `--out .` moved the project). So some folders are never a site,
// whatever they hold, and anything else at DIR must be a site webstats made, or empty.
import { lstat, readdir, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from "node:path";

/** Folders no build may replace; given by the command (resolved once), never read from globals here. */
export interface OutDirLimits {
  readonly cwd: string;
  readonly home: string;
  /** The PGlite data folder. */
  readonly dataDir: string;
}

/** DIR is, holds, or lies inside a folder no build may replace. */
export class UnsafeOutDir extends Error {
  override readonly name = "UnsafeOutDir";
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`${dir} ${reason}: refused; choose a folder of its own for the site, e.g. dist`);
  }
}

/** Something that is not a site webstats built is at DIR (or at DIR.slots). */
export class ForeignOutDir extends Error {
  override readonly name = "ForeignOutDir";
  constructor(
    readonly dir: string,
    what: string,
  ) {
    super(`${dir} ${what}, not a site webstats built: refused; choose an empty or new folder, or remove it yourself`);
  }
}

export async function refuseUnsafeOutDir(target: string, limits: OutDirLimits): Promise<void> {
  // By real paths: `--out ../x` through a symlinked folder is still that folder. DIR itself is
  // not followed: a symlink there is judged as what it is (ours or not) by the caller.
  const dir = join(await canonical(dirname(target)), basename(target));
  if (dir === parse(dir).root) throw new UnsafeOutDir(target, "is the root folder");
  const guarded: ReadonlyArray<readonly [string, string]> = [
    [limits.cwd, "the working folder"],
    [limits.dataDir, "the PGlite data folder"],
    [limits.home, "the home folder"],
  ];
  for (const [folder, name] of guarded) {
    if (!folder) continue; // no PGlite folder with --db in some callers
    const real = await canonical(folder);
    if (real === dir) throw new UnsafeOutDir(target, `is ${name}`);
    if (isInside(real, dir)) throw new UnsafeOutDir(target, `holds ${name} (${folder})`);
  }
  if (limits.dataDir && isInside(dir, await canonical(limits.dataDir))) throw new UnsafeOutDir(target, `is inside the PGlite data folder (${limits.dataDir})`);
  // DIR.slots/a is a slot of DIR: building into it would move the served tree into itself.
  if (/\.slots$/.test(dirname(dir)) && /^[ab]$/.test(basename(dir)))
    throw new UnsafeOutDir(target, `is a slot of ${dirname(target).slice(0, -".slots".length)} (build that)`);
}

// In every tree webstats has built, since the first version: how a plain folder an older
// webstats wrote (before the slots) is told from someone else's. No marker file is added to
// new trees: they are slots behind a symlink, and the legacy tree must stay as it is.
const OUR_ASSETS = ["static/webstats.css", "static/barchart.js", "static/chart.umd.min.js"];

export async function isWebstatsTree(dir: string): Promise<boolean> {
  for (const path of OUR_ASSETS) {
    const stat = await lstat(join(dir, path)).catch(() => null);
    if (!stat?.isFile()) return false;
  }
  return true;
}

export async function isEmptyFolder(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}

/** Real path of the longest existing prefix, plus the rest as given. */
async function canonical(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
  }
  const parent = dirname(abs);
  return parent === abs ? abs : join(await canonical(parent), basename(abs));
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r !== "" && r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r);
}
