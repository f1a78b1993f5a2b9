// Applies a publish plan to S3: uploads with bounded concurrency (the SDK retries 5xx and
// throttling with backoff), and deletes only once every upload has succeeded, so that a failed
// run leaves the previous site whole and the next run finishes the job.
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { listTree } from "../compare/compare-trees.js";
import { cacheControlOf, contentTypeOf, type LocalFile, type PublishStep, type RemoteObject } from "./plan.js";

export async function hashTree(root: string): Promise<LocalFile[]> {
  const limit = pLimit(16);
  const paths = [...(await listTree(root))].sort();
  return Promise.all(
    paths.map((path) =>
      limit(async () => {
        const body = await readFile(join(root, path));
        return { path, md5: createHash("md5").update(body).digest("hex"), size: body.length };
      }),
    ),
  );
}

export async function listRemote(client: S3Client, bucket: string, prefix: string): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, etag: (o.ETag ?? "").replace(/"/g, "") });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export interface ApplyResult {
  readonly uploaded: number;
  readonly bytes: number;
  readonly deleted: number;
}

export async function applyPublish(
  client: S3Client,
  bucket: string,
  root: string,
  steps: readonly PublishStep[],
  options: { readonly concurrency: number; readonly onProgress?: (done: number, total: number) => void },
): Promise<ApplyResult> {
  const uploads = steps.filter((s) => s.kind === "upload");
  const limit = pLimit(options.concurrency);
  let done = 0;
  let bytes = 0;
  await Promise.all(
    uploads.map((s) =>
      limit(async () => {
        const body = await readFile(join(root, s.path));
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: s.key, Body: body, ContentType: contentTypeOf(s.path), CacheControl: cacheControlOf(s.path) }));
        bytes += body.length;
        options.onProgress?.(++done, uploads.length);
      }),
    ),
  );
  const deletes = steps.flatMap((s) => (s.kind === "delete" ? [s.key] : []));
  for (let i = 0; i < deletes.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: deletes.slice(i, i + 1000).map((Key) => ({ Key })) } }));
  }
  return { uploaded: uploads.length, bytes, deleted: deletes.length };
}
