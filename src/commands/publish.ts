import { access } from "node:fs/promises";
import { join } from "node:path";
import type { GlobalOptions } from "../config.js";
import { SourceUnreadable, UsageError } from "../errors.js";
import { createProgress } from "../progress.js";
import { planPublish } from "../publish/plan.js";
import { applyPublish, hashTree, hasWebsiteIndex, listRemote, readPublishManifest } from "../publish/s3-sync.js";
import { servedTree } from "../site/tree-slots.js";
import { s3Client } from "../sources/aws-clients.js";
import { CREDENTIALS_HELP, describeAwsError, noCredentials } from "../sources/aws-errors.js";
import { parseS3Url } from "../sources/log-files.js";

export interface PublishOptions extends GlobalOptions {
  readonly to: string;
  readonly out: string;
  readonly delete?: boolean;
  readonly dryRun?: boolean;
  readonly concurrency: number;
  readonly s3Endpoint?: string | undefined;
}

export interface PublishReport {
  readonly uploaded: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly bytes: number;
  readonly seconds: number;
}

export async function publish(options: PublishOptions, out: (line: string) => void, warn: (line: string) => void = out): Promise<PublishReport> {
  if (!options.to.startsWith("s3://")) throw new UsageError(`--to ${options.to}: want s3://bucket/prefix`);
  const { bucket, prefix: rawPrefix } = parseS3Url(options.to);
  const prefix = rawPrefix === "" || rawPrefix.endsWith("/") ? rawPrefix : rawPrefix + "/";
  const started = Date.now();
  const s3 = s3Client(options.s3Endpoint);
  try {
    // One slot for the whole run, even if a build serves the other one meanwhile.
    const tree = await servedTree(options.out);
    // Published, an empty or half-made folder would replace the site (with --delete, remove it).
    if (
      !(await access(join(tree.dir, "index.html")).then(
        () => true,
        () => false,
      ))
    ) {
      throw new UsageError(`publish: ${options.out} holds no built tree (no index.html); run \`webstats build --out ${options.out}\` first`);
    }
    const remoteRead = <T>(read: Promise<T>) =>
      read.catch((e: unknown): never => {
        throw cannotRead(options, e);
      });
    const [local, remote, manifest] = await Promise.all([
      hashTree(tree.dir, tree.hashes),
      remoteRead(listRemote(s3, bucket, prefix)),
      remoteRead(readPublishManifest(s3, bucket, prefix)),
    ]);
    const steps = planPublish(local, remote, prefix, Boolean(options.delete), manifest);
    const unchanged = steps.filter((s) => s.kind === "keep").length;
    if (options.dryRun) {
      if (!options.quiet) for (const s of steps) if (s.kind !== "keep") out(s.kind === "upload" ? `  upload ${s.key} (${s.reason})` : `  delete ${s.key}`);
      const up = steps.filter((s) => s.kind === "upload").length;
      const del = steps.filter((s) => s.kind === "delete").length;
      out(`publish: would upload ${up}, keep ${unchanged}, delete ${del}; dry run, nothing sent`);
      return { uploaded: 0, unchanged, deleted: 0, bytes: 0, seconds: (Date.now() - started) / 1000 };
    }
    const progress = createProgress(process.stderr, options.quiet);
    const applied = await applyPublish(s3, bucket, prefix, tree.dir, steps, {
      concurrency: options.concurrency,
      onProgress: (d, t) => progress.update(`publish: ${d}/${t} uploaded`),
    });
    progress.clear();
    const report = { ...applied, unchanged, seconds: (Date.now() - started) / 1000 };
    if ((await hasWebsiteIndex(s3, bucket)) === false) {
      warn(
        `publish: bucket ${bucket} has no website configuration with index document index.html: /${prefix}, bioc/ and bioc/PKG will not answer (README, "Serving the site")`,
      );
    }
    out(
      `publish: ${report.uploaded} uploaded (${(report.bytes / 1e6).toFixed(1)} MB), ${unchanged} unchanged, ${report.deleted} deleted → ${options.to} in ${report.seconds.toFixed(1)} s`,
    );
    return report;
  } finally {
    s3.destroy();
  }
}

/** The bucket could not be listed: no credentials, no such bucket, no server there. Nothing was sent. */
function cannotRead(options: PublishOptions, e: unknown): SourceUnreadable {
  const where = `${options.to} (S3 at ${options.s3Endpoint ?? "AWS"})`;
  const reason = noCredentials(e)
    ? `${CREDENTIALS_HELP}, or, for a local S3-compatible server, --s3-endpoint URL (with any keys in the environment)`
    : (e as { name?: string }).name === "NoSuchBucket"
      ? `no bucket ${parseS3Url(options.to).bucket} there`
      : describeAwsError(e);
  return new SourceUnreadable(`publish${options.dryRun ? " --dry-run" : ""}: cannot read ${where}: ${reason}; nothing sent`);
}
