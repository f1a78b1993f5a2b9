// CloudFront logs in S3: listed with pagination, each object streamed, never held whole.
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3Client } from "./aws-clients.js";
import type { Readable } from "node:stream";
import type { IsoDate } from "../domain/types.js";
import { logDateOf, type LogFile, type S3Location } from "./log-files.js";

export async function listS3Logs(endpoint: string | undefined, where: S3Location, first: IsoDate, last: IsoDate, pageSize?: number): Promise<LogFile[]> {
  const client = s3Client(endpoint);
  const files: LogFile[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: where.bucket, Prefix: where.prefix, ContinuationToken: token, MaxKeys: pageSize }));
    for (const object of page.Contents ?? []) {
      const key = object.Key!;
      const date = logDateOf(key);
      if (!date || date < first || date > last) continue;
      files.push({ name: `s3://${where.bucket}/${key}`, date, location: { kind: "s3", bucket: where.bucket, key, endpoint } });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return files.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Opens one object as a stream; a failure names the object. */
export async function openS3Object(bucket: string, key: string, endpoint: string | undefined): Promise<Readable> {
  try {
    const got = await s3Client(endpoint).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return got.Body as Readable;
  } catch (e) {
    throw new Error(`s3://${bucket}/${key}: cannot read: ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
  }
}
