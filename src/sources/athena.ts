// Download rows from Athena: the view v_bioc_web_downloads over the CloudFront logs, queried
// for a range of days. Start, poll with backoff until the query ends, then stream the result
// CSV from S3 (large results) or page through GetQueryResults; rows are never all in memory.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
} from "@aws-sdk/client-athena";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { parse } from "csv-parse";
import type { Readable } from "node:stream";
import type { DownloadRow, IsoDate } from "../domain/types.js";
import { AthenaQueryFailed, InputError } from "../errors.js";
import { parseS3Url } from "./log-files.js";
import { parseDownloadFields, ROW_COLUMNS } from "./rows-file.js";

export interface AthenaSettings {
  readonly database: string;
  readonly workgroup?: string | undefined;
  /** s3://bucket/prefix/ for the query results; the workgroup's own when absent. */
  readonly outputLocation?: string | undefined;
}

export interface PollOptions {
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function downloadsQuery(first: IsoDate, last: IsoDate): string {
  return `SELECT "date", "c-ip", "sc-status", category, package FROM v_bioc_web_downloads WHERE "date" BETWEEN DATE '${first}' AND DATE '${last}'`;
}

const THROTTLED = new Set(["ThrottlingException", "TooManyRequestsException"]);

/** Retries a call Athena throttled, with the same backoff as the polling. */
async function withRetry<T>(call: () => Promise<T>, poll: Required<PollOptions>): Promise<T> {
  let delay = poll.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!THROTTLED.has((e as Error).name) || attempt >= 8) throw e;
      await poll.sleep(delay);
      delay = Math.min(delay * 2, poll.maxDelayMs);
    }
  }
}

/** Runs the query to its end; returns the execution id and the result object's location. */
export async function runAthenaQuery(
  athena: AthenaClient,
  settings: AthenaSettings,
  query: string,
  options: PollOptions = {},
): Promise<{ id: string; output: string | undefined }> {
  const poll = { firstDelayMs: 500, maxDelayMs: 10_000, sleep: sleepMs, ...options };
  const started = await withRetry(
    () =>
      athena.send(
        new StartQueryExecutionCommand({
          QueryString: query,
          QueryExecutionContext: { Database: settings.database },
          WorkGroup: settings.workgroup,
          ResultConfiguration: settings.outputLocation ? { OutputLocation: settings.outputLocation } : undefined,
        }),
      ),
    poll,
  );
  const id = started.QueryExecutionId!;
  let delay = poll.firstDelayMs;
  for (;;) {
    const { QueryExecution: q } = await withRetry(() => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })), poll);
    const state = q?.Status?.State;
    if (state === "SUCCEEDED") return { id, output: q?.ResultConfiguration?.OutputLocation };
    if (state === "FAILED" || state === "CANCELLED") {
      throw new AthenaQueryFailed(`Athena query ${id} ${state.toLowerCase()}: ${q?.Status?.StateChangeReason ?? "no reason given"}`);
    }
    await poll.sleep(delay);
    delay = Math.min(delay * 2, poll.maxDelayMs);
  }
}

function toRow(fields: readonly string[], where: string): DownloadRow {
  const row = parseDownloadFields(fields);
  if (typeof row === "string") throw new InputError(where, null, row);
  return row;
}

/** The result CSV in S3: header, then one quoted row per download. */
export async function* athenaCsvRows(s3: S3Client, output: string): AsyncGenerator<DownloadRow> {
  const { bucket, prefix: key } = parseS3Url(output);
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const records = (got.Body as Readable).pipe(parse({ relax_column_count: false }));
  let n = 0;
  let positions: number[] = [];
  for await (const record of records as AsyncIterable<string[]>) {
    n++;
    if (n === 1) {
      positions = ROW_COLUMNS.map((c) => record.indexOf(c));
      if (positions.some((p) => p < 0)) throw new InputError(output, 1, `unexpected header ${JSON.stringify(record)}`);
      continue;
    }
    yield toRow(
      positions.map((p) => record[p] ?? ""),
      `${output}:${n}`,
    );
  }
}

/** Paged GetQueryResults (1,000 rows a page): no S3 read access needed. */
export async function* athenaPagedRows(athena: AthenaClient, id: string, options: PollOptions = {}): AsyncGenerator<DownloadRow> {
  const poll = { firstDelayMs: 500, maxDelayMs: 10_000, sleep: sleepMs, ...options };
  let token: string | undefined;
  let positions: number[] | null = null;
  let page = 0;
  do {
    page++;
    const result: GetQueryResultsCommandOutput = await withRetry(
      () => athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 })),
      poll,
    );
    const rows = result.ResultSet?.Rows ?? [];
    for (const [i, r] of rows.entries()) {
      const values = (r.Data ?? []).map((d) => d.VarCharValue ?? "");
      if (!positions) {
        // The first row of the first page is the header.
        positions = ROW_COLUMNS.map((c) => values.indexOf(c));
        if (positions.some((p) => p < 0)) throw new InputError(`Athena query ${id}`, null, `unexpected header ${JSON.stringify(values)}`);
        continue;
      }
      yield toRow(
        positions.map((p) => values[p] ?? ""),
        `Athena query ${id}, page ${page}, row ${i + 1}`,
      );
    }
    token = result.NextToken;
  } while (token);
}
