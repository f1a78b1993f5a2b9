// Renders the whole tree into a slot with a thread per core (at most 4; this one and workers): rendering
// and creating ~40,000 files is CPU work, in the renderer and in the kernel alike. Workers are
// started before the data is loaded, so that their start-up overlaps the database queries.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { collectGarbage } from "../collect-garbage.js";
import { codeUnitCompare } from "../domain/order.js";
import type { StaticAsset } from "./assets.js";
import type { PackedSiteData } from "./model.js";
import type { RENDER_WORKER, RenderJob, RenderMessage, ShardTimings } from "./render-worker.js";
import { md5, naming, type Slot, type TreeHashes, type TreeKeys } from "./tree-slots.js";
import type { PlanOptions } from "./tree.js";

// The worker beside this module: lib/site/render-worker.js. Run from the source (under vitest,
// this module is src/site/render-site.ts), there is no worker to start: Node 20 cannot run a
// .ts file in a thread of its own, and a compiled lib/ would be other code than the code under
// test. Then each shard runs in this thread, on the same job (a structured clone, as a thread
// gets) and through the same messages, so the tests exercise the source and their mocks.
const WORKER = new URL("./render-worker.js", import.meta.url);
const FROM_SOURCE = import.meta.url.endsWith(".ts");

type Done = Extract<RenderMessage, { kind: "done" }>;

/** A render worker failed; `code` and `path` are its file-system error's, when it was one. */
export class RenderFailed extends Error {
  override readonly name = "RenderFailed";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly path: string | undefined,
  ) {
    super(`rendering the site failed: ${message}`);
  }
}

export interface RenderResult {
  readonly files: number;
  /** Files whose content changed (or were new), and so were written. */
  readonly written: number;
  readonly bytes: number;
  readonly hashes: TreeHashes;
  readonly keys: TreeKeys;
  readonly skipped: readonly string[];
  /** Per worker. */
  readonly timings: readonly ShardTimings[];
}

export interface RenderPool {
  /** `thisThreadAfter`: this thread's share starts once it settles (the worker threads' at once), so that other work of this thread overlaps theirs. */
  render(
    packed: PackedSiteData,
    assets: readonly StaticAsset[],
    slot: Slot,
    onProgress?: (files: number, bytes: number) => void,
    thisThreadAfter?: Promise<unknown>,
  ): Promise<RenderResult>;
  close(): Promise<void>;
}

/** Where one shard runs: a worker thread, or (run from the source) this thread. */
interface RenderThread {
  /** Posts the job (in this thread: once `after` resolves); `onMessage` gets the shard's messages, `onError` whatever else ends it. */
  run(job: RenderJob, onMessage: (m: RenderMessage) => void, onError: (e: Error) => void, after: Promise<unknown>): void;
  terminate(): Promise<unknown>;
}

function workerThread(): RenderThread {
  // (The worker's own modules stay out of this thread: the mark is checked, not imported.)
  // A young generation of 8 MB instead of V8's 48: a worker's garbage is short-lived text (each
  // file's body, hashed, written and dropped), and a larger nursery only adds to the peak
  // (measured: 320 → 300 MB a build on the 6 M-row benchmark database, time within its noise).
  const worker = new Worker(WORKER, { workerData: "webstats render worker" satisfies typeof RENDER_WORKER, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  return {
    run(job, onMessage, onError) {
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", (code) => onError(new Error(`render worker ${job.shard} exited with code ${code}`)));
      worker.postMessage(job);
    },
    terminate: () => worker.terminate(),
  };
}

/** `asThread`: the job and messages cloned, as they would cross to a thread and back. */
function thisThread(asThread: boolean): RenderThread {
  const worker = import("./render-worker.js"); // loaded now, as a thread would start now
  worker.catch(() => {}); // reported to the job, if one comes
  const cross = asThread ? <T>(value: T): T => structuredClone(value) : <T>(value: T): T => value;
  return {
    run(job, onMessage, onError, after) {
      // A microtask later at the earliest: after the workers were handed their jobs.
      Promise.all([worker, after]).then(([w]) => {
        w.runRenderJob(cross(job), (m) => onMessage(cross(m)));
        // The share's plan and the files' text are garbage now, while the worker may go on
        // for seconds: V8 would keep this heap at its peak until then.
        collectGarbage();
      }, onError);
    },
    terminate: async () => {},
  };
}

export function startRenderPool(plan: PlanOptions = { api: true }): RenderPool {
  const shards = Math.max(1, Math.min(4, availableParallelism()));
  // The last shard runs in this thread, which would only wait otherwise: a V8 heap less (on two
  // cores, one worker beside it instead of two; ~100 MB of a build's peak memory).
  const workers = Array.from({ length: shards }, (_, i) => (FROM_SOURCE ? thisThread(true) : i < shards - 1 ? workerThread() : thisThread(false)));
  return {
    async render(packed, assets, slot, onProgress, thisThreadAfter = Promise.resolve()) {
      const progress = new Array<[number, number]>(shards).fill([0, 0]);
      const report = () =>
        onProgress?.(
          progress.reduce((s, p) => s + p[0], 0),
          progress.reduce((s, p) => s + p[1], 0),
        );
      const next = new Int32Array(new SharedArrayBuffer(4));
      const results = await Promise.all(
        workers.map(
          (worker, shard) =>
            new Promise<Done>((resolve, reject) => {
              worker.run(
                { packed, root: slot.dir, holds: slot.holds, keys: slot.keys, shard, next, plan },
                (m) => {
                  if (m.kind === "failed") return reject(new RenderFailed(m.message, m.code, m.path));
                  progress[shard] = [m.files, m.bytes];
                  report();
                  if (m.kind === "done") resolve(m);
                },
                reject,
                thisThreadAfter,
              );
            }),
        ),
      );
      // In path order: which thread rendered a file differs from build to build, the manifest does not.
      const inOrder = (entries: Array<readonly [string, string]>) => new Map(entries.sort(([a], [b]) => codeUnitCompare(a, b)));
      const hashes = inOrder(results.flatMap((r) => r.hashes));
      const keys = inOrder(results.flatMap((r) => r.keys));
      let written = results.reduce((s, r) => s + r.written, 0);
      let bytes = results.reduce((s, r) => s + r.bytes, 0);
      for (const a of assets) {
        const body = await readFile(a.source);
        const hash = md5(body);
        hashes.set(a.path, hash);
        bytes += body.length;
        if (slot.holds.get(a.path) === hash) continue;
        const path = join(slot.dir, a.path);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, body).catch((e: unknown) => Promise.reject(naming(e, path)));
        written++;
      }
      return { files: hashes.size, written, bytes, hashes, keys, skipped: results[0]!.skipped, timings: results.map((r) => r.timings) };
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
