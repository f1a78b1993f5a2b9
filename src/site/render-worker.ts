// A render worker: plans the whole tree from the shared data, renders and writes its share of
// the files (every n-th), synchronously: on this job a worker is CPU-bound, and plain sync
// writes cost less than a promise per file.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parentPort } from "node:worker_threads";
import { unpackSiteData, type PackedSiteData } from "./pack.js";
import { planSite } from "./tree.js";

export interface RenderJob {
  readonly packed: PackedSiteData;
  readonly root: string;
  readonly shard: number;
  readonly shards: number;
}

export type RenderMessage =
  | { readonly kind: "progress"; readonly files: number; readonly bytes: number }
  | { readonly kind: "done"; readonly files: number; readonly bytes: number; readonly skipped: readonly string[]; readonly timings: ShardTimings }
  | { readonly kind: "failed"; readonly message: string };

/** Where a worker's time went, in seconds: for the benchmark's breakdown. */
export interface ShardTimings {
  readonly plan: number;
  readonly render: number;
  readonly write: number;
}

export function renderShard(job: RenderJob, report: (m: RenderMessage) => void): void {
  const t0 = performance.now();
  const { files, skipped } = planSite(unpackSiteData(job.packed));
  const t1 = performance.now();
  let render = 0;
  const made = new Set<string>();
  let count = 0;
  let bytes = 0;
  for (let i = job.shard; i < files.length; i += job.shards) {
    const file = files[i]!;
    const path = join(job.root, file.path);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const r0 = performance.now();
    const body = Buffer.from(file.render(), "utf8");
    render += performance.now() - r0;
    writeFileSync(path, body);
    count++;
    bytes += body.length;
    if (count % 1000 === 0) report({ kind: "progress", files: count, bytes });
  }
  const all = performance.now() - t1;
  report({ kind: "done", files: count, bytes, skipped, timings: { plan: (t1 - t0) / 1000, render: render / 1000, write: (all - render) / 1000 } });
}

parentPort?.once("message", (job: RenderJob) => {
  try {
    renderShard(job, (m) => parentPort!.postMessage(m));
  } catch (e) {
    parentPort!.postMessage({ kind: "failed", message: (e as Error).message } satisfies RenderMessage);
  }
});
