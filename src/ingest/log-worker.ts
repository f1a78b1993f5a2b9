// A log-reading worker: gunzips, parses and filters whole files on its own core, and answers
// with each file's selected rows as one text block (cheap to pass between threads).
import { parentPort } from "node:worker_threads";
import type { IsoDate } from "../domain/types.js";
import { readLogFile, type FileResult } from "../sources/cloudfront-log.js";
import type { LogFile } from "../sources/log-files.js";

export interface LogJob {
  readonly id: number;
  readonly file: LogFile;
  readonly first: IsoDate;
  readonly last: IsoDate;
}

export type LogAnswer = { readonly id: number; readonly result: FileResult } | { readonly id: number; readonly error: string };

parentPort?.on("message", (job: LogJob) => {
  readLogFile(job.file, job.first, job.last).then(
    (result) => parentPort!.postMessage({ id: job.id, result } satisfies LogAnswer),
    (e: Error) => parentPort!.postMessage({ id: job.id, error: e.message } satisfies LogAnswer),
  );
});
