// The site folder is a symlink to one of two slots, `DIR.slots/a` and `DIR.slots/b`. A build
// brings the slot that is not served up to date, writing only the files whose content differs
// from what that slot holds (its MD5 manifest says), removes the files the new tree no longer
// has, and then points DIR at it with one rename. So the web server and publish never see half
// a site, a failed build leaves the served tree as it was, unchanged files keep their mtime
// (the Last-Modified a web server sends), and no build has to delete a whole previous tree.
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, rmdir, symlink, unlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { LockHeld } from "../errors.js";
import { takeRunLock } from "../nightly/run-lock.js";
import { ForeignOutDir, isEmptyFolder, isWebstatsTree, refuseUnsafeOutDir, type OutDirLimits } from "./out-dir.js";

/** Site path (`/`-separated) → MD5 of its content, hex. */
export type TreeHashes = ReadonlyMap<string, string>;

/**
 * Site path → the key its file was made from (SiteFile.key), for the files planned with one: a
 * slot that holds a file made from the same key holds its bytes, so it is not made again.
 */
export type TreeKeys = ReadonlyMap<string, string>;

/** A file's entry in TreeHashes; also what S3 reports as a single-part upload's ETag. */
export const md5 = (body: string | Uint8Array): string => createHash("md5").update(body).digest("hex");

/** A write that fails once the file is open (ENOSPC) names no file: the writers name it. */
export function naming(e: unknown, path: string): unknown {
  if (e instanceof Error) (e as NodeJS.ErrnoException).path ??= path;
  return e;
}

export interface Slot {
  /** The folder to bring up to date; not served while the build runs. */
  readonly dir: string;
  /** What the folder holds now; empty when unknown (the folder was then emptied). */
  readonly holds: TreeHashes;
  /** The keys of the files it holds that had one; empty when `holds` is. */
  readonly keys: TreeKeys;
}

export interface Replaced<T> {
  readonly result: T;
  /** Files of the previous tree in that slot that the new tree no longer has. */
  readonly removed: number;
}

const SLOTS = [".slots/a", ".slots/b"] as const;

/**
 * Runs `write` against the idle slot; once it returns the slot's new hashes, serves that slot.
 * Throws UnsafeOutDir or ForeignOutDir, before anything is made, when DIR is not ours to replace.
 */
export async function replaceTree<T extends { readonly hashes: TreeHashes; readonly keys: TreeKeys }>(
  outDir: string,
  limits: OutDirLimits,
  write: (slot: Slot) => Promise<T>,
): Promise<Replaced<T>> {
  const target = resolve(outDir);
  await checkOutDir(target, limits); // before DIR.slots is made beside someone else's folder
  await mkdir(`${target}.slots`, { recursive: true });
  const release = await takeRunLock(`${target}.slots/build.lock`);
  if (!release) throw new LockHeld(`build: another build is writing ${target}.slots (its pid is in build.lock)`);
  try {
    const served = await checkOutDir(target, limits); // again: what another build served meanwhile
    const idle = `${target}${idleOf(served)}`;
    const manifest = `${idle}.md5`;
    const holds = await readManifest(manifest);
    const keys = holds.size > 0 ? await readManifest(`${idle}.keys`) : new Map<string, string>();
    // From here on the folder no longer matches a manifest: a crash means "start afresh" next time.
    await rm(manifest, { force: true });
    if (holds.size === 0) await rm(idle, { recursive: true, force: true });
    await mkdir(idle, { recursive: true });

    const result = await write({ dir: idle, holds, keys });
    let removed = 0;
    for (const path of holds.keys()) {
      if (result.hashes.has(path)) continue;
      await unlink(join(idle, path));
      await removeEmptyParents(idle, path);
      removed++;
    }
    // The keys first: they count only beside a manifest.
    await writeManifest(`${idle}.keys`, result.keys);
    await writeManifest(manifest, result.hashes);
    await serve(target, idle, served);
    return { result, removed };
  } finally {
    await release();
  }
}

/** What is at DIR: one of our slots (by symlink), a plain folder, nothing, a symlink elsewhere, or a file. */
type Served = (typeof SLOTS)[number] | "folder" | "none" | "elsewhere" | "other";

// What a build itself leaves in DIR.slots: the slots, their manifests and keys, the lock, a new link.
const SLOTS_ENTRY = /^(?:[ab](?:\.(?:md5|keys)(?:\.tmp)?)?|build\.lock|link-\d+)$/;

/** The slot a build writes while `served` is served. */
const idleOf = (served: Served): (typeof SLOTS)[number] => (served === SLOTS[0] ? SLOTS[1] : SLOTS[0]);

/**
 * Whether a build may replace what is at DIR (issue 10): nothing, an empty folder, a symlink to
 * one of our slots, or a plain folder an older webstats built. Anything else is left alone.
 */
export async function checkOutDir(outDir: string, limits: OutDirLimits): Promise<Served> {
  const target = resolve(outDir);
  await refuseUnsafeOutDir(target, limits);
  const served = await servedSlot(target);
  if (served === "elsewhere") throw new ForeignOutDir(target, `is a symlink to ${await readlink(target)}`);
  if (served === "other") throw new ForeignOutDir(target, "is a file");
  if (served === "folder" && !(await isEmptyFolder(target)) && !(await isWebstatsTree(target)))
    throw new ForeignOutDir(target, "is a folder holding other files");
  const slots = await lstat(`${target}.slots`).catch(() => null);
  if (slots && !slots.isDirectory()) throw new ForeignOutDir(`${target}.slots`, "is a file");
  if (slots && (await readdir(`${target}.slots`)).some((e) => !SLOTS_ENTRY.test(e))) throw new ForeignOutDir(`${target}.slots`, "holds other files");
  return served;
}

/**
 * The folder served now, to read from while later builds go on (a build never writes the
 * served slot), and what it holds by its manifest: null when `outDir` is a plain folder.
 */
export async function servedTree(outDir: string): Promise<{ readonly dir: string; readonly hashes: TreeHashes | null }> {
  const target = resolve(outDir);
  const served = await servedSlot(target);
  if (served !== SLOTS[0] && served !== SLOTS[1]) return { dir: target, hashes: null };
  const hashes = await readManifest(`${target}${served}.md5`);
  return { dir: `${target}${served}`, hashes: hashes.size > 0 ? hashes : null };
}

async function servedSlot(target: string): Promise<Served> {
  let stat;
  try {
    stat = await lstat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "none";
    throw e;
  }
  if (stat.isSymbolicLink()) {
    const link = await readlink(target);
    return SLOTS.find((s) => resolve(dirname(target), link) === `${target}${s}`) ?? "elsewhere";
  }
  return stat.isDirectory() ? "folder" : "other"; // a plain folder: an older webstats, or a copy
}

/** `md5sum` format, so that `md5sum -c` can check a slot by hand (the keys file: the same, a key for the hash). */
async function readManifest(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw e;
  }
  const hashes = new Map<string, string>();
  for (const line of text.split("\n")) {
    const gap = line.indexOf("  ");
    if (gap > 0) hashes.set(line.slice(gap + 2), line.slice(0, gap));
  }
  return hashes;
}

/** Written to PATH.tmp, then renamed: a reader sees the old file or the new one. */
async function writeManifest(path: string, entries: ReadonlyMap<string, string>): Promise<void> {
  await writeFile(`${path}.tmp`, [...entries].map(([p, h]) => `${h}  ${p}\n`).join("")).catch((e: unknown) => Promise.reject(naming(e, `${path}.tmp`)));
  await rename(`${path}.tmp`, path);
}

async function removeEmptyParents(root: string, path: string): Promise<void> {
  for (let dir = dirname(path); dir !== "."; dir = dirname(dir)) {
    try {
      await rmdir(join(root, dir));
    } catch {
      return; // not empty: nor are its parents
    }
  }
}

async function serve(target: string, slot: string, served: Served): Promise<void> {
  const link = `${target}.slots/link-${process.pid}`;
  await rm(link, { force: true });
  await symlink(relative(dirname(target), slot), link);
  if (served === "folder") {
    // Once, from the plain folder an older webstats wrote: it becomes the other slot (without
    // a manifest, so the next build rewrites it). DIR is missing between the two renames.
    const other = `${target}${slot.endsWith(SLOTS[0]) ? SLOTS[1] : SLOTS[0]}`;
    await rm(other, { recursive: true, force: true });
    await rm(`${other}.md5`, { force: true });
    await rm(`${other}.keys`, { force: true });
    await rename(target, other);
    try {
      await rename(link, target);
    } catch (e) {
      await rename(other, target); // the old folder stays served: a failed build changes nothing
      throw e;
    }
    return;
  }
  await rename(link, target);
}
