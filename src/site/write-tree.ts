// Writes a planned tree into a fresh folder beside the target and swaps it in only once every
// file is written: the web server (and the publish step) never sees half a site.
import { copyFile, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import pLimit from "p-limit";
import type { StaticAsset } from "./assets.js";
import type { SiteFile } from "./tree.js";

export interface WriteResult {
  readonly files: number;
  readonly bytes: number;
}

export interface WriteOptions {
  readonly concurrency?: number;
  readonly onProgress?: (files: number, bytes: number) => void;
}

const PARTIAL = ".partial-";
const OLD = ".old-";

export async function writeTreeAtomically(
  outDir: string,
  files: readonly SiteFile[],
  assets: readonly StaticAsset[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  await removeLeftovers(parent, name);
  const temp = join(parent, `${name}${PARTIAL}${process.pid}`);
  try {
    const result = await writeAll(temp, files, assets, options);
    await swapIn(temp, target);
    return result;
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

/** Folders left by a build that crashed (power loss, kill -9): never served, safe to delete. */
async function removeLeftovers(parent: string, name: string): Promise<void> {
  for (const entry of await readdir(parent)) {
    if (entry.startsWith(name + PARTIAL) || entry.startsWith(name + OLD)) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

async function writeAll(root: string, files: readonly SiteFile[], assets: readonly StaticAsset[], options: WriteOptions): Promise<WriteResult> {
  const limit = pLimit(options.concurrency ?? 64);
  const dirs = new Set<string>([root]);
  for (const f of [...files, ...assets]) dirs.add(dirname(join(root, f.path)));
  await Promise.all([...dirs].map((d) => limit(() => mkdir(d, { recursive: true }))));

  let written = 0;
  let bytes = 0;
  const done = (n: number) => {
    written++;
    bytes += n;
    if (written % 500 === 0) options.onProgress?.(written, bytes);
  };
  await Promise.all([
    ...assets.map((a) => limit(async () => {
      await copyFile(a.source, join(root, a.path));
      done(0);
    })),
    ...files.map((f) => limit(async () => {
      const body = Buffer.from(f.render(), "utf8");
      await writeFile(join(root, f.path), body);
      done(body.length);
    })),
  ]);
  options.onProgress?.(written, bytes);
  return { files: written, bytes };
}

/** Two renames: the old tree is served until the very moment the new one takes its name. */
async function swapIn(temp: string, target: string): Promise<void> {
  const old = `${target}${OLD}${process.pid}`;
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    hadOld = false;
  }
  await rename(temp, target);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
