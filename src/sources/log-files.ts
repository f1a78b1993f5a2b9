// Where CloudFront standard logs are: a folder (flat, or in dated sub-folders) or an S3 prefix.
// Files are chosen by the date in their name, DISTRIBUTION.YYYY-MM-DD-HH.ID.gz.
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import type { IsoDate } from "../domain/types.js";
import { UsageError } from "../errors.js";

const LOG_NAME = /(?:^|\/)[^/]+\.(\d{4}-\d{2}-\d{2})-\d{2}\.[^/.]+\.gz$/;

/** Where one log file is: plain data, so that a worker thread can open it too. */
export type LogLocation =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly endpoint?: string | undefined };

export interface LogFile {
  /** What messages name: the path, or s3://bucket/key. */
  readonly name: string;
  /** The date in the file name (the hour the log was delivered for, UTC). */
  readonly date: IsoDate;
  readonly location: LogLocation;
}

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new UsageError(`not an s3:// URL: ${url}`);
  return { bucket: m[1]!, prefix: m[2]! };
}

export function logDateOf(name: string): IsoDate | null {
  const m = LOG_NAME.exec(name);
  return m ? (m[1] as IsoDate) : null;
}

/** Log files in a folder, dated first..last (inclusive), in name order. */
export async function listLocalLogs(dir: string, first: IsoDate, last: IsoDate): Promise<LogFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    throw new UsageError(`cannot read the logs folder ${dir}: ${(e as Error).message}`);
  }
  const files: LogFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    const date = logDateOf(relative(dir, path));
    if (date && date >= first && date <= last) files.push({ name: path, date, location: { kind: "local", path } });
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : 1));
}
