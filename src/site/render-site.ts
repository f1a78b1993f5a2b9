// Renders the whole tree into a folder with one worker thread per core (at most 4): rendering
// and creating ~40,000 files is CPU work, in the renderer and in the kernel alike. Workers are
// started before the data is loaded, so that their start-up overlaps the database queries.
import { copyFile, mkdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { StaticAsset } from "./assets.js";
import type { PackedSiteData } from "./pack.js";
import type { RenderJob, RenderMessage, ShardTimings } from "./render-worker.js";

// Always the compiled worker (lib/site/): from src/site/ under vitest and from lib/site/ alike,
// ../../ is the project root. `npm test` compiles first.
const WORKER = new URL("../../lib/site/render-worker.js", import.meta.url);

type Done = Extract<RenderMessage, { kind: "done" }>;

export interface RenderResult {
  readonly files: number;
  readonly bytes: number;
  readonly skipped: readonly string[];
  /** Per worker. */
  readonly timings: readonly ShardTimings[];
}

export interface RenderPool {
  render(packed: PackedSiteData, assets: readonly StaticAsset[], root: string, onProgress?: (files: number, bytes: number) => void): Promise<RenderResult>;
  close(): Promise<void>;
}

export function startRenderPool(): RenderPool {
  const shards = Math.max(1, Math.min(4, availableParallelism()));
  const workers = Array.from({ length: shards }, () => new Worker(WORKER));
  return {
    async render(packed, assets, root, onProgress) {
      const progress = new Array<[number, number]>(shards).fill([0, 0]);
      const report = () => onProgress?.(progress.reduce((s, p) => s + p[0], 0), progress.reduce((s, p) => s + p[1], 0));
      const results = await Promise.all(
        workers.map(
          (worker, shard) =>
            new Promise<Done>((resolve, reject) => {
              worker.on("message", (m: RenderMessage) => {
                if (m.kind === "failed") return reject(new Error(`rendering the site failed: ${m.message}`));
                progress[shard] = [m.files, m.bytes];
                report();
                if (m.kind === "done") resolve(m);
              });
              worker.on("error", reject);
              worker.on("exit", (code) => reject(new Error(`render worker ${shard} exited with code ${code}`)));
              worker.postMessage({ packed, root, shard, shards } satisfies RenderJob);
            }),
        ),
      );
      for (const a of assets) {
        await mkdir(dirname(join(root, a.path)), { recursive: true });
        await copyFile(a.source, join(root, a.path));
      }
      return {
        files: results.reduce((s, r) => s + r.files, 0) + assets.length,
        bytes: results.reduce((s, r) => s + r.bytes, 0),
        skipped: results[0]!.skipped,
        timings: results.map((r) => r.timings),
      };
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
