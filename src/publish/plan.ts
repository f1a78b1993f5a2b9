// What a publish would do, computed without touching anything (so --dry-run is free): upload
// what is new or changed, keep the rest, and, with --delete, remove keys no longer in the tree.
// An object's content is known by its MD5: the ETag of a plain single-part upload, or, where the
// bucket's ETags are not MD5s (SSE-KMS, multipart), the MD5 our last publish recorded for that
// very ETag in the bucket's publish manifest.
export interface LocalFile {
  readonly path: string;
  readonly md5: string;
}

export interface RemoteObject {
  readonly key: string;
  /** Without quotes. */
  readonly etag: string;
}

/** What our last publish knew of each object it left: path under the prefix → [MD5, ETag]. */
export type PublishManifest = ReadonlyMap<string, readonly [md5: string, etag: string]>;

/** Kept beside the site under the prefix; never uploaded from the tree, never deleted. */
export const MANIFEST_NAME = ".webstats-publish.json";

export type PublishStep =
  | { readonly kind: "upload"; readonly path: string; readonly key: string; readonly md5: string; readonly reason: "new" | "changed" }
  | { readonly kind: "keep"; readonly path: string; readonly md5: string; readonly etag: string }
  | { readonly kind: "delete"; readonly key: string };

export function planPublish(
  local: readonly LocalFile[],
  remote: readonly RemoteObject[],
  prefix: string,
  withDelete: boolean,
  manifest: PublishManifest = new Map(),
): PublishStep[] {
  const remoteByKey = new Map(remote.map((r) => [r.key, r.etag]));
  const steps: PublishStep[] = [];
  const wanted = new Set<string>([prefix + MANIFEST_NAME]);
  for (const f of local) {
    const key = prefix + f.path;
    wanted.add(key);
    const etag = remoteByKey.get(key);
    const recorded = manifest.get(f.path);
    const remoteMd5 = recorded && recorded[1] === etag ? recorded[0] : etag;
    if (etag !== undefined && remoteMd5 === f.md5) steps.push({ kind: "keep", path: f.path, md5: f.md5, etag });
    else steps.push({ kind: "upload", path: f.path, key, md5: f.md5, reason: etag === undefined ? "new" : "changed" });
  }
  if (withDelete) for (const r of remote) if (!wanted.has(r.key)) steps.push({ kind: "delete", key: r.key });
  return steps;
}

/** The Content-Type the legacy server sends (fixtures' manifest.tsv), and the right ones for the rest. */
export function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

// A `.gz` export is a file to download, not a compressed page: application/gzip and no
// Content-Encoding, so that browsers and `curl -O` save the gzip bytes the name promises.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: "text/html",
  tab: "text/plain",
  txt: "text/plain",
  js: "text/javascript",
  css: "text/css",
  json: "application/json",
  ndjson: "application/x-ndjson",
  csv: "text/csv",
  gz: "application/gzip",
  png: "image/png",
  svg: "image/svg+xml",
};

/** Data pages change nightly; the static assets only with a new webstats. */
export function cacheControlOf(path: string): string {
  return path.startsWith("static/") ? "public, max-age=86400" : "public, max-age=3600";
}
