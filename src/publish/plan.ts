// What a publish would do, computed without touching anything (so --dry-run is free): upload
// what is new or changed (by MD5, which S3 reports as the ETag of a single-part upload), keep
// the rest, and, with --delete, remove keys no longer in the tree.
export interface LocalFile {
  readonly path: string;
  readonly md5: string;
  readonly size: number;
}

export interface RemoteObject {
  readonly key: string;
  /** Without quotes. */
  readonly etag: string;
}

export type PublishStep =
  | { readonly kind: "upload"; readonly path: string; readonly key: string; readonly size: number; readonly reason: "new" | "changed" }
  | { readonly kind: "keep"; readonly path: string }
  | { readonly kind: "delete"; readonly key: string };

export function planPublish(local: readonly LocalFile[], remote: readonly RemoteObject[], prefix: string, withDelete: boolean): PublishStep[] {
  const remoteByKey = new Map(remote.map((r) => [r.key, r.etag]));
  const steps: PublishStep[] = [];
  const wanted = new Set<string>();
  for (const f of local) {
    const key = prefix + f.path;
    wanted.add(key);
    const etag = remoteByKey.get(key);
    if (etag === f.md5) steps.push({ kind: "keep", path: f.path });
    else steps.push({ kind: "upload", path: f.path, key, size: f.size, reason: etag === undefined ? "new" : "changed" });
  }
  if (withDelete) for (const r of remote) if (!wanted.has(r.key)) steps.push({ kind: "delete", key: r.key });
  return steps;
}

/** The Content-Type the legacy server sends (fixtures' manifest.tsv), and sensible ones for our assets. */
export function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return ({ html: "text/html", tab: "text/plain", txt: "text/plain", js: "text/javascript", css: "text/css", json: "application/json", png: "image/png" } as Record<string, string>)[ext] ?? "application/octet-stream";
}

/** Data pages change nightly; the static assets only with a new webstats. */
export function cacheControlOf(path: string): string {
  return path.startsWith("static/") ? "public, max-age=86400" : "public, max-age=3600";
}
