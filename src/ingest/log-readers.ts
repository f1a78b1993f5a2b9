// A pool of log-reading worker threads, one per core: parsing is CPU work, and gunzip in each
// worker runs on its own libuv threads.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { IsoDate } from "../domain/types.js";
import type { FileResult } from "../sources/cloudfront-log.js";
import type { LogFile } from "../sources/log-files.js";
import type { LOG_WORKER, LogAnswer, LogJob } from "./log-worker.js";

// The worker beside this module: lib/ingest/log-worker.js. Run from the source (under vitest,
// this module is src/ingest/log-readers.ts), there is no worker to start: Node 20 cannot run a
// .ts file in a thread of its own, and a compiled lib/ would be other code than the code under
// test. Then each reader reads in this thread, with the same jobs and answers (structured
// clones, as a thread gets), so the tests exercise the source and their mocks.
const WORKER = new URL("./log-worker.js", import.meta.url);
const FROM_SOURCE = import.meta.url.endsWith(".ts");

export interface LogReaders {
  readonly size: number;
  read(file: LogFile, first: IsoDate, last: IsoDate): Promise<FileResult>;
  close(): Promise<void>;
}

/** Where one reader reads: a worker thread, or (run from the source) this thread. */
interface LogThread {
  on(event: "message", listener: (a: LogAnswer) => void): void;
  on(event: "error", listener: (e: Error) => void): void;
  postMessage(job: LogJob): void;
  terminate(): Promise<unknown>;
}

function thisThread(): LogThread {
  const worker = import("./log-worker.js"); // loaded now, as a thread would start now
  worker.catch(() => {}); // reported to the jobs, if any come
  const listeners = { message: (_: LogAnswer) => {}, error: (_: Error) => {} };
  return {
    on(event: "message" | "error", listener: never) {
      listeners[event] = listener;
    },
    postMessage(job) {
      worker
        .then((w) => w.answerLogJob(structuredClone(job)))
        .then(
          (a) => listeners.message(structuredClone(a)),
          (e: Error) => listeners.error(e),
        );
    },
    terminate: async () => {},
  };
}

// (The worker's own modules stay out of this thread: the mark is checked, not imported.)
const workerThread = (): LogThread => new Worker(WORKER, { workerData: "webstats log worker" satisfies typeof LOG_WORKER });

export function startLogReaders(size = Math.max(1, Math.min(8, availableParallelism()))): LogReaders {
  const workers = Array.from({ length: size }, FROM_SOURCE ? thisThread : workerThread);
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
