// Puts a new tree in place of the old one only once it is complete: it is written into a
// fresh folder beside the target, then swapped in by two renames. The web server and the
// publish step never see half a site; a failed build leaves the previous tree as it was.
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

const PARTIAL = ".partial-";
const OLD = ".old-";

export interface Swapped<T> {
  readonly result: T;
  /** Removes the previous tree (slow on some disks: ~35,000 unlinks); the new tree is already served. */
  removePrevious(): Promise<void>;
}

export async function writeTreeAtomically<T>(outDir: string, write: (tempDir: string) => Promise<T>): Promise<Swapped<T>> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  const leftovers = (await readdir(parent)).filter((e) => e.startsWith(name + PARTIAL) || e.startsWith(name + OLD));
  const temp = join(parent, `${name}${PARTIAL}${process.pid}`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  let result: T;
  try {
    result = await write(temp);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  const old = await swapIn(temp, target);
  return {
    result,
    // Folders of builds that crashed (never served) go too.
    removePrevious: async () => {
      for (const dir of [...(old ? [old] : []), ...leftovers.map((e) => join(parent, e))]) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Returns where the previous tree went, if there was one. */
async function swapIn(temp: string, target: string): Promise<string | null> {
  const old = `${target}${OLD}${process.pid}`;
  await rm(old, { recursive: true, force: true }); // only there if a crashed build had our pid
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    hadOld = false;
  }
  await rename(temp, target);
  return hadOld ? old : null;
}
