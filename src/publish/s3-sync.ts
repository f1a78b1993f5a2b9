// Applies a publish plan to S3: uploads with bounded concurrency (the SDK retries 5xx and
// throttling with backoff), and deletes only once every upload has succeeded, so that a failed
// run leaves the previous site whole and the next run finishes the job. The publish manifest
// records what each object holds, also after a failed run, for buckets whose ETags are not MD5s.
import { DeleteObjectsCommand, GetBucketWebsiteCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { listTree } from "../compare/compare-trees.js";
import { codeUnitCompare } from "../domain/order.js";
import { md5, type TreeHashes } from "../site/tree-slots.js";
import { cacheControlOf, contentTypeOf, MANIFEST_NAME, type LocalFile, type PublishManifest, type PublishStep, type RemoteObject } from "./plan.js";

/** The site's files and their MD5s: `built` (a build's manifest) if given, or by reading every file. */
export async function hashTree(root: string, built: TreeHashes | null = null): Promise<LocalFile[]> {
  if (built) return [...built].map(([path, md5]) => ({ path, md5 })).sort((a, b) => (a.path < b.path ? -1 : 1));
  const limit = pLimit(16);
  const paths = [...(await listTree(root))].sort();
  return Promise.all(
    paths.map((path) =>
      limit(async () => {
        const body = await readFile(join(root, path));
        return { path, md5: md5(body) };
      }),
    ),
  );
}

export async function listRemote(client: S3Client, bucket: string, prefix: string): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, etag: unquote(o.ETag) });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

const unquote = (etag: string | undefined) => (etag ?? "").replace(/"/g, "");

/** The manifest our last publish left; empty when there is none (or it is not ours to read). */
export async function readPublishManifest(client: S3Client, bucket: string, prefix: string): Promise<PublishManifest> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + MANIFEST_NAME }));
    const json = JSON.parse(await object.Body!.transformToString()) as { objects?: Record<string, [string, string]> };
    return new Map(Object.entries(json.objects ?? {}));
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return new Map();
    throw e;
  }
}

export interface ApplyResult {
  readonly uploaded: number;
  readonly bytes: number;
  readonly deleted: number;
}

export async function applyPublish(
  client: S3Client,
  bucket: string,
  prefix: string,
  root: string,
  steps: readonly PublishStep[],
  options: { readonly concurrency: number; readonly onProgress?: (done: number, total: number) => void },
): Promise<ApplyResult> {
  const uploads = steps.filter((s) => s.kind === "upload");
  const limit = pLimit(options.concurrency);
  const holds = new Map<string, readonly [string, string]>();
  for (const s of steps) if (s.kind === "keep") holds.set(s.path, [s.md5, s.etag]);
  let done = 0;
  let bytes = 0;
  const settled = await Promise.allSettled(
    uploads.map((s) =>
      limit(async () => {
        const body = await readFile(join(root, s.path));
        const put = await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: s.key, Body: body, ContentType: contentTypeOf(s.path), CacheControl: cacheControlOf(s.path) }),
        );
        holds.set(s.path, [s.md5, unquote(put.ETag)]);
        bytes += body.length;
        options.onProgress?.(++done, uploads.length);
      }),
    ),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (uploads.length > 0) await writePublishManifest(client, bucket, prefix, holds);
  if (failed) throw failed.reason;
  const deletes = steps.flatMap((s) => (s.kind === "delete" ? [s.key] : []));
  for (let i = 0; i < deletes.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: deletes.slice(i, i + 1000).map((Key) => ({ Key })) } }));
  }
  return { uploaded: uploads.length, bytes, deleted: deletes.length };
}

async function writePublishManifest(client: S3Client, bucket: string, prefix: string, holds: PublishManifest): Promise<void> {
  const objects = Object.fromEntries([...holds].sort(([a], [b]) => codeUnitCompare(a, b)));
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: prefix + MANIFEST_NAME,
      Body: JSON.stringify({ version: 1, objects }),
      ContentType: "application/json",
      CacheControl: "no-store",
    }),
  );
}

/**
 * Whether the bucket serves index documents (`/packages/stats/`, `bioc/`, and `bioc/affy`
 * answered by a redirect to `bioc/affy/`); null when we may not ask.
 */
export async function hasWebsiteIndex(client: S3Client, bucket: string): Promise<boolean | null> {
  try {
    const site = await client.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    return site.IndexDocument?.Suffix === "index.html";
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === "NoSuchWebsiteConfiguration") return false;
    if (name === "AccessDenied") return null;
    throw e;
  }
}
