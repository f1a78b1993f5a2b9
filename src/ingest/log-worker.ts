// A log-reading worker: gunzips, parses and filters whole files on its own core, and answers
// with each file's selected rows as one text block (cheap to pass between threads).
import { parentPort, workerData } from "node:worker_threads";
import type { IsoDate } from "../domain/types.js";
import { readLogFile, type FileResult } from "../sources/cloudfront-log.js";
import type { LogFile } from "../sources/log-files.js";

/** The `workerData` of a log-reading worker: this module answers jobs only in a thread started so. */
export const LOG_WORKER = "webstats log worker";

export interface LogJob {
  readonly id: number;
  readonly file: LogFile;
  readonly first: IsoDate;
  readonly last: IsoDate;
}

export type LogAnswer = { readonly id: number; readonly result: FileResult } | { readonly id: number; readonly error: string };

/** Reads one file as a log-reading worker does: its answer, a failure as its message. */
export function answerLogJob(job: LogJob): Promise<LogAnswer> {
  return readLogFile(job.file, job.first, job.last).then(
    (result) => ({ id: job.id, result }),
    (e: Error) => ({ id: job.id, error: e.message }),
  );
}

// Imported into a thread that is not a log worker (the readers, run from the source, import
// this module: see log-readers.ts), the thread's port is someone else's.
if (workerData === LOG_WORKER) parentPort?.on("message", (job: LogJob) => answerLogJob(job).then((a) => parentPort!.postMessage(a)));
