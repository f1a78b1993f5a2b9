// A new PGlite data folder is made from a tarball of a fresh one (PGlite's dumpDataDir), made
// once for the installed PGlite version by the build (scripts/pglite-template.mjs), instead of by
// PGlite's initdb. That initdb runs a second WASM instance beside the first: a new folder's first
// command peaked at ~910 MB (5.7 s of `status` here), where a folder made from the tarball opens as
// an existing one does (~270 MB).
// Without a tarball for this version (a PGlite updated after the build), initdb makes the folder.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const DIR = fileURLToPath(new URL("../../data/pglite/", import.meta.url));

/** The installed PGlite's version, from its package.json (the package exports no such path). */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite"); // …/dist/index.cjs
  return (JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as { version: string }).version;
}

/** Where the tarball of a fresh folder for PGlite `version` is. */
export const pgliteTemplateFile = (version = pgliteVersion()): string => join(DIR, `${version}.tar.gz`);

/**
 * Makes `dataDir` from the tarball for the installed PGlite when the folder is new (missing or
 * empty) and there is one; otherwise leaves it to PGlite. The files go to a sibling folder first,
 * renamed to `dataDir` once complete, so that a run killed on the way leaves no half-made folder.
 */
export function makeFolderFromTemplate(dataDir: string): void {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return;
  const file = pgliteTemplateFile();
  if (!existsSync(file)) return;
  const partial = `${dataDir}.webstats-template-partial`;
  rmSync(partial, { recursive: true, force: true });
  extractTar(gunzipSync(readFileSync(file)), partial, file);
  if (existsSync(dataDir)) rmdirSync(dataDir);
  renameSync(partial, dataDir);
}

/**
 * Writes the entries of `tar` (a ustar archive as PGlite's dumpDataDir makes it: folders and
 * regular files, named from the data folder's root) under `dir`. Loading it with PGlite's own
 * `loadDataDir` instead peaked at ~400 MB, as high as reopening the folder made is low (~270 MB).
 */
function extractTar(tar: Buffer, dir: string, file: string): void {
  mkdirSync(dir, { recursive: true });
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("latin1")
        .replace(/\0[^]*$/, "");
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const path = resolve(dir, `./${name}`);
    if (!Number.isInteger(size) || size < 0 || !path.startsWith(`${resolve(dir)}/`) || (type !== "0" && type !== "5")) {
      throw new Error(`${file}: entry ${JSON.stringify(name)} (type ${type}, size ${field(124, 12)}) is not a file or a folder of the data folder`);
    }
    if (type === "5") mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, tar.subarray(at + 512, at + 512 + size));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/**
 * Makes the tarball for the installed PGlite unless it exists: a fresh folder with `settings`
 * applied (ALTER SYSTEM), dumped, written under a temporary name and renamed. Returns its path.
 */
export async function makePgliteTemplate(settings: Readonly<Record<string, string>>): Promise<string> {
  const file = pgliteTemplateFile();
  if (existsSync(file)) return file;
  const { PGlite } = await import("@electric-sql/pglite");
  const work = mkdtempSync(join(tmpdir(), "webstats-pglite-template-"));
  try {
    const pglite = await PGlite.create(join(work, "db"));
    for (const [name, value] of Object.entries(settings)) await pglite.exec(`alter system set ${name} = '${value}'`);
    const dump = await pglite.dumpDataDir("gzip");
    await pglite.close();
    await mkdir(DIR, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return file;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
