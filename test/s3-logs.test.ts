// Logs in S3, against a real S3 API on loopback (s3rver), not a mock: listing with pagination,
// streaming each object, and a key that cannot be read.
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IsoDate } from "../src/domain/types.js";
import { emptyLogReport, logRows } from "../src/ingest/log-rows.js";
import { listS3Logs } from "../src/sources/s3-logs.js";
import { s3Client } from "../src/sources/aws-clients.js";
import { startS3Server, type S3Server } from "./helpers/s3.js";
import { suiteDir } from "./helpers/temp.js";

const DATA = new URL("./data/cloudfront/", import.meta.url).pathname;
let server: S3Server;
let endpoint: string;
let cleanup: () => void;

beforeAll(async () => {
  let dir: string;
  [dir, cleanup] = suiteDir();
  server = await startS3Server(dir, ["logs"]);
  endpoint = server.endpoint;
  const client = s3Client(endpoint);
  const root = join(DATA, "dated");
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    await client.send(new PutObjectCommand({ Bucket: "logs", Key: `cf/${relative(root, path)}`, Body: readFileSync(path) }));
  }
});

afterAll(async () => {
  await server?.stop();
  cleanup?.();
});

const expected = () => readFileSync(join(DATA, "dated.expected.tsv"), "utf8").trim().split("\n").slice(1).sort();

describe("CloudFront logs in S3", () => {
  it("lists every page and selects exactly the view's rows", async () => {
    const files = await listS3Logs(endpoint, { bucket: "logs", prefix: "cf/" }, "2024-12-29" as IsoDate, "2025-01-03" as IsoDate, 7);
    expect(files).toHaveLength(96);
    expect(files[0]!.name).toMatch(/^s3:\/\/logs\/cf\/E1TVLJONPTUXV3\/2024-12-30\/E1TVLJONPTUXV3\.2024-12-30-\d\d\.\w+\.gz$/);
    const rows: string[] = [];
    const report = emptyLogReport();
    for await (const r of logRows(
      files,
      { first: "2024-12-30" as IsoDate, last: "2025-01-02" as IsoDate, maxBadLines: { count: 0 }, skipBadFiles: false },
      report,
    )) {
      rows.push(...r.trim().split("\n"));
    }
    expect(rows.sort()).toEqual(expected());
    expect(report.files).toBe(96);
  });

  it("names an object that cannot be read", async () => {
    const client = s3Client(endpoint);
    const files = await listS3Logs(endpoint, { bucket: "logs", prefix: "cf/E1TVLJONPTUXV3/2025-01-02/" }, "2025-01-02" as IsoDate, "2025-01-02" as IsoDate);
    const victim = files[3]!.name.replace("s3://logs/", "");
    await client.send(new DeleteObjectCommand({ Bucket: "logs", Key: victim }));
    const rows = logRows(
      files,
      { first: "2025-01-02" as IsoDate, last: "2025-01-02" as IsoDate, maxBadLines: { count: 0 }, skipBadFiles: false },
      emptyLogReport(),
    );
    await expect(
      (async () => {
        for await (const _ of rows);
      })(),
    ).rejects.toThrow(`s3://logs/${victim}: cannot read: NoSuchKey`);
  });
});
