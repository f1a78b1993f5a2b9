// A pool of log-reading worker threads, one per core: parsing is CPU work, and gunzip in each
// worker runs on its own libuv threads.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { IsoDate } from "../domain/types.js";
import type { FileResult } from "../sources/cloudfront-log.js";
import type { LogFile } from "../sources/log-files.js";
import type { LogAnswer, LogJob } from "./log-worker.js";

// Always the compiled worker: ../../ is the project root from src/ingest/ and lib/ingest/ alike.
const WORKER = new URL("../../lib/ingest/log-worker.js", import.meta.url);

export interface LogReaders {
  readonly size: number;
  read(file: LogFile, first: IsoDate, last: IsoDate): Promise<FileResult>;
  close(): Promise<void>;
}

export function startLogReaders(size = Math.max(1, Math.min(8, availableParallelism()))): LogReaders {
  const workers = Array.from({ length: size }, () => new Worker(WORKER));
  const waiting = new Map<number, { resolve: (r: FileResult) => void; reject: (e: Error) => void }>();
  const load = new Array<number>(size).fill(0);
  let nextId = 0;
  workers.forEach((w, i) => {
    w.on("message", (a: LogAnswer) => {
      load[i]!--;
      const p = waiting.get(a.id);
      waiting.delete(a.id);
      if ("error" in a) p?.reject(new Error(a.error));
      else p?.resolve(a.result);
    });
    w.on("error", (e) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
  });
  return {
    size,
    read(file, first, last) {
      const i = load.indexOf(Math.min(...load));
      load[i]!++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[i]!.postMessage({ id, file, first, last } satisfies LogJob);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
