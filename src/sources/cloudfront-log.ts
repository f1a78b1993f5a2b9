// One CloudFront log file → the download rows the Athena view would select from it. The whole
// file is read before any row is handed on, so a file that breaks half-way (a truncated gzip,
// a dropped connection) contributes nothing rather than half of itself.
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { fieldPositions, selectDownload, type FieldPositions } from "./cloudfront-line.js";
import type { LogFile } from "./log-files.js";

export interface FileResult {
  readonly file: string;
  readonly lines: number;
  readonly rows: DownloadRow[];
  /** Lines dated outside the run's days (a log file may hold a few minutes of the day before). */
  readonly outside: number;
  readonly badLines: number;
  /** The first few, as `file:line: reason`. */
  readonly badSamples: string[];
}

const SAMPLES = 5;

export async function readLogFile(file: LogFile, first: IsoDate, last: IsoDate): Promise<FileResult> {
  const source = await file.open();
  const lines = pipeline(source, createGunzip(), () => {});
  const decoder = new TextDecoder("utf-8");
  const rows: DownloadRow[] = [];
  const badSamples: string[] = [];
  let fields: FieldPositions | null = null;
  let n = 0;
  let dataLines = 0;
  let outside = 0;
  let badLines = 0;
  let rest = "";
  const bad = (reason: string) => {
    badLines++;
    if (badSamples.length < SAMPLES) badSamples.push(`${file.name}:${n}: ${reason}`);
  };
  const take = (line: string) => {
    n++;
    if (line === "") return;
    if (line.startsWith("#")) {
      if (line.startsWith("#Fields:")) {
        const f = fieldPositions(line);
        if (typeof f === "string") throw new Error(`${file.name}:${n}: ${f}`);
        fields = f;
      }
      return;
    }
    dataLines++;
    if (!fields) return bad("data before the #Fields header");
    const r = selectDownload(line, fields);
    if (r === null) return;
    if ("bad" in r) return bad(r.bad);
    if (r.date < first || r.date > last) outside++;
    else rows.push(r);
  };
  try {
    for await (const chunk of lines) {
      const text = rest + decoder.decode(chunk as Buffer, { stream: true });
      const parts = text.split("\n");
      rest = parts.pop()!;
      for (const line of parts) take(line);
    }
  } catch (e) {
    lines.destroy();
    throw new Error(`${file.name}: cannot read: ${(e as Error).message}`);
  }
  rest += decoder.decode();
  if (rest !== "") take(rest);
  return { file: file.name, lines: dataLines, rows, outside, badLines, badSamples };
}
