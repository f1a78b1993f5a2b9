// A render worker: plans the whole tree from the shared data, renders its share of the files
// (the planned entries it takes, one at a time, while the others take theirs; a set of files that share work is one entry) and writes those whose content differs
// from what the slot holds, synchronously: on this job a worker is CPU-bound, and plain sync
// writes cost less than a promise per file.
import { parentPort, workerData } from "node:worker_threads";
import { unpackSiteData, type PackedSiteData } from "./model.js";
import { renderPlanned } from "./site-file.js";
import { planSite, type PlanOptions } from "./tree.js";
import { heldFromKey, writeUnlessHeld } from "./slot-files.js";
import { md5 } from "./tree-slots.js";
import { collectGarbage } from "../collect-garbage.js";

/** The `workerData` of a render worker: this module answers jobs only in a thread started so. */
export const RENDER_WORKER = "webstats render worker";

export interface RenderJob {
  readonly packed: PackedSiteData;
  readonly root: string;
  /** What `root` holds now: path → MD5; files with the same MD5 are not written again. */
  readonly holds: ReadonlyMap<string, string>;
  /** path → the key its held file was made from (tree-slots.ts): a file planned with the same key is not rendered. */
  readonly keys: ReadonlyMap<string, string>;
  readonly shard: number;
  /**
   * The index of the next planned entry to render, one for all the threads (a SharedArrayBuffer):
   * each takes the next entry when it is free, so that none waits on another's longer share.
   */
  readonly next: Int32Array;
  readonly plan: PlanOptions;
}

export type RenderMessage =
  | { readonly kind: "progress"; readonly files: number; readonly bytes: number }
  | {
      readonly kind: "done";
      readonly files: number;
      readonly written: number;
      readonly bytes: number;
      /** path, MD5 of every file of this share. */
      readonly hashes: ReadonlyArray<readonly [string, string]>;
      /** path, key of every file of this share planned with one. */
      readonly keys: ReadonlyArray<readonly [string, string]>;
      readonly skipped: readonly string[];
      readonly timings: ShardTimings;
    }
  /** `code` and `path` of a file-system error (ENOSPC: the disk is full), for the command to say so. */
  | { readonly kind: "failed"; readonly message: string; readonly code?: string | undefined; readonly path?: string | undefined };

/** Where a worker's time went, in seconds: for the benchmark's breakdown. */
export interface ShardTimings {
  readonly plan: number;
  readonly render: number;
  readonly write: number;
}

export function renderShard(job: RenderJob, report: (m: RenderMessage) => void): void {
  const t0 = performance.now();
  const { files, skipped } = planSite(unpackSiteData(job.packed), job.plan);
  collectGarbage(); // what planning left behind, before rendering adds to it
  const t1 = performance.now();
  let render = 0;
  const made = new Set<string>();
  const hashes: Array<readonly [string, string]> = [];
  const keys: Array<readonly [string, string]> = [];
  let written = 0;
  let bytes = 0;
  for (let i = Atomics.add(job.next, 0, 1); i < files.length; i = Atomics.add(job.next, 0, 1)) {
    const file = files[i]!;
    if ("key" in file && file.key !== undefined) {
      keys.push([file.path, file.key]);
      const size = heldFromKey(job.root, job.holds, job.keys, file.path, file.key);
      if (size !== null) {
        hashes.push([file.path, job.holds.get(file.path)!]);
        bytes += size;
        continue;
      }
    }
    let r0 = performance.now();
    // Strings are hashed and written as they are: a Buffer per file (~140 MB a build) would
    // cost a copy and, above all, garbage collections.
    for (const [path, body] of renderPlanned(file)) {
      const hash = md5(body);
      render += performance.now() - r0;
      hashes.push([path, hash]);
      if (hashes.length % 1000 === 0) report({ kind: "progress", files: hashes.length, bytes });
      const size = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.length;
      bytes += size;
      if (writeUnlessHeld(job.root, job.holds, path, body, hash, size, made)) written++;
      r0 = performance.now();
    }
  }
  const all = performance.now() - t1;
  report({
    kind: "done",
    files: hashes.length,
    written,
    bytes,
    hashes,
    keys,
    skipped,
    timings: { plan: (t1 - t0) / 1000, render: render / 1000, write: (all - render) / 1000 },
  });
}

/** Runs one job as a render worker does: every message to `post`, a failure as a "failed" one. */
export function runRenderJob(job: RenderJob, post: (m: RenderMessage) => void): void {
  try {
    renderShard(job, post);
  } catch (e) {
    const { message, code, path } = e as NodeJS.ErrnoException;
    post({ kind: "failed", message, code, path } satisfies RenderMessage);
  }
}

// Imported into a thread that is not a render worker (the pool, run from the source, imports
// this module: see render-site.ts), the thread's port is someone else's.
if (workerData === RENDER_WORKER) parentPort?.once("message", (job: RenderJob) => runRenderJob(job, (m) => parentPort!.postMessage(m)));
