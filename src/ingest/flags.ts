// An ingest's days and the files its source names, checked before the database is opened: a
// usage error must come at once, not after PGlite has made (and migrated) a data folder for nothing.
import { stat } from "node:fs/promises";
import { InputError, UsageError } from "../errors.js";
import { parseS3Url } from "../sources/log-files.js";
import { checkRangeFlags } from "./range.js";
import type { Source } from "./source.js";

/** UsageError (exit 2) for flags that cannot make a run, InputError (exit 1) for a rows file that cannot be read. */
export async function checkSourceReadable(source: Source, days: { readonly since?: string | undefined; readonly until?: string | undefined }): Promise<void> {
  checkRangeFlags(days.since, days.until);
  if (source.kind === "rows") return checkRowsFile(source.path);
  if (source.kind === "athena") {
    if (source.settings.outputLocation !== undefined) parseS3Url(source.settings.outputLocation);
    return;
  }
  if (source.location.startsWith("s3://")) parseS3Url(source.location);
  else await checkLogsFolder(source.location);
}

async function checkRowsFile(path: string): Promise<void> {
  const s = await stat(path).catch((e: Error) => {
    throw new InputError(path, null, `cannot read: ${e.message}`);
  });
  if (!s.isFile()) throw new InputError(path, null, "cannot read: not a file");
}

async function checkLogsFolder(dir: string): Promise<void> {
  const s = await stat(dir).catch((e: Error) => {
    throw new UsageError(`cannot read the logs folder ${dir}: ${e.message}`);
  });
  if (!s.isDirectory()) throw new UsageError(`--logs ${dir} is not a folder (want a folder of CloudFront logs or s3://bucket/prefix)`);
}
