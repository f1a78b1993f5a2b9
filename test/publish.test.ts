// publish against a real S3 API on loopback (s3rver): first publish, unchanged re-publish,
// a one-file change, --delete, a failure part-way that the next run finishes, a bucket whose
// ETags are not MD5s, and the legacy URLs answered by the bucket's website endpoint.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutBucketWebsiteCommand, S3Client } from "@aws-sdk/client-s3";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../src/commands/publish.js";
import { listRemote } from "../src/publish/s3-sync.js";
import { renderBadge } from "../src/site/badges.js";
import { createServer, get as httpGet, request as httpRequest, type IncomingMessage, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { startS3Server, type S3Server } from "./helpers/s3.js";
import { extractTarGz, FIXTURES, suiteDir } from "./helpers/temp.js";

let dir: string;
let cleanup: () => void;
let server: S3Server;
let tree: string;

beforeAll(async () => {
  [dir, cleanup] = suiteDir();
  mkdirSync(join(dir, "s3"));
  server = await startS3Server(join(dir, "s3"), ["site", "plain"]);
  tree = join(dir, "dist");
  mkdirSync(tree);
  extractTarGz(join(FIXTURES, "small-s1", "expected.tar.gz"), tree);
  rmSync(join(tree, "manifest.tsv"), { force: true });
});
afterAll(async () => {
  await server?.stop();
  cleanup?.();
});

/** `warn`: the warnings (default: with the report lines, dropped). */
const run = (extra: object = {}, warn?: (line: string) => void) =>
  publish(
    {
      databaseUrl: undefined,
      dataDir: "",
      quiet: true,
      cwd: dir,
      home: homedir(),
      to: "s3://site/packages/stats/",
      out: tree,
      concurrency: 8,
      s3Endpoint: server.endpoint,
      ...extra,
    },
    () => {},
    warn,
  );
const s3 = () => new S3Client({ region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true });

describe("publish", () => {
  it("uploads the whole tree once, with the legacy Content-Types", async () => {
    const first = await run();
    expect(first.uploaded).toBe(332); // the golden tree without manifest.tsv
    expect(first.unchanged).toBe(0);
    const tab = await s3().send(new HeadObjectCommand({ Bucket: "site", Key: "packages/stats/bioc/a4/a4_stats.tab" }));
    expect(tab.ContentType).toBe("text/plain");
    expect(tab.CacheControl).toBe("public, max-age=3600");
    const page = await s3().send(new GetObjectCommand({ Bucket: "site", Key: "packages/stats/bioc/a4/index.html" }));
    expect(page.ContentType).toBe("text/html");
    expect(await page.Body!.transformToString()).toContain("Download stats for  software package a4");
  });

  it("uploads nothing when nothing changed", async () => {
    expect(await run()).toMatchObject({ uploaded: 0, unchanged: 332, deleted: 0 });
  });

  it("uploads only the changed file, and deletes stale keys only with --delete", async () => {
    writeFileSync(join(tree, "bioc/a4/a4_stats.tab"), "changed");
    rmSync(join(tree, "bioc/a4/a4_2021_stats.tab"));
    expect(await run()).toMatchObject({ uploaded: 1, unchanged: 330, deleted: 0 });
    expect(await run({ delete: true })).toMatchObject({ uploaded: 0, unchanged: 331, deleted: 1 });
    const keys = (await listRemote(s3(), "site", "packages/stats/")).map((o) => o.key);
    expect(keys).not.toContain("packages/stats/bioc/a4/a4_2021_stats.tab");
  });

  // After the 50th upload the server answers 503 to every upload, or is gone (connections dropped).
  it.each([
    ["answers 503", "busy/", (res: Parameters<RequestListener>[1]): void => void res.writeHead(503).end()],
    ["goes away", "gone/", (res: Parameters<RequestListener>[1]): void => void res.socket?.destroy()],
  ] as const)("leaves the previous site whole when the server %s part-way, and the next run finishes", async (_how, prefix, fail) => {
    const to = `s3://site/${prefix}`;
    expect((await run({ to })).uploaded).toBeGreaterThan(300); // the previous site
    const next = join(dir, `next-${prefix.slice(0, -1)}`);
    cpSync(tree, next, { recursive: true });
    for (let i = 0; i < 300; i++) {
      mkdirSync(join(next, "bioc", `p${i}`), { recursive: true });
      writeFileSync(join(next, "bioc", `p${i}`, "index.html"), `<p>${i}</p>`);
    }
    rmSync(join(next, "workflows.html")); // stale on the server: must survive the failed run
    let puts = 0;
    await throughProxy(
      (req, res, forward) => {
        if (req.method === "PUT" && ++puts > 50) {
          req.resume();
          return fail(res);
        }
        forward();
      },
      async (endpoint) => {
        await expect(run({ to, delete: true, out: next, s3Endpoint: endpoint })).rejects.toThrow();
      },
    );
    const keys = (await listRemote(s3(), "site", prefix)).map((o) => o.key);
    expect(keys).toContain(`${prefix}workflows.html`); // nothing deleted by the failed run
    const uploadedBefore = keys.filter((k) => /bioc\/p\d+\//.test(k)).length;
    expect(uploadedBefore).toBeGreaterThanOrEqual(40);
    expect(uploadedBefore).toBeLessThan(300);
    const finish = await run({ to, delete: true, out: next });
    expect(finish.uploaded).toBe(300 - uploadedBefore);
    expect(finish.deleted).toBe(1);
    expect(await run({ to, delete: true, out: next })).toMatchObject({ uploaded: 0, deleted: 0 });
  });

  it("knows unchanged objects in a bucket whose ETags are not MD5s (SSE-KMS), by its publish manifest", async () => {
    // A proxy that makes every ETag look like SSE-KMS's: not the MD5 of the content.
    const opaque = (etag: string) => [...etag].reverse().join("");
    await throughProxy(
      (req, res, forward) =>
        forward((r, body) => {
          const headers = { ...r.headers };
          if (typeof headers.etag === "string") headers.etag = `"${opaque(headers.etag.replace(/"/g, ""))}"`;
          const text = body
            .toString("utf8")
            .replace(/<ETag>(&quot;|")([0-9a-f]+)(&quot;|")<\/ETag>/g, (_m, q1: string, e: string, q2: string) => `<ETag>${q1}${opaque(e)}${q2}</ETag>`);
          delete headers["content-length"];
          res.writeHead(r.statusCode!, headers).end(text);
        }),
      async (endpoint) => {
        const kms = (extra: object = {}) => run({ to: "s3://site/kms/", s3Endpoint: endpoint, ...extra });
        expect((await kms()).uploaded).toBe(331);
        expect(await kms()).toMatchObject({ uploaded: 0, unchanged: 331 });
        writeFileSync(join(tree, "bioc/a4/a4_stats.tab"), "changed again");
        expect(await kms()).toMatchObject({ uploaded: 1, unchanged: 330 });
        // Without the manifest nothing proves an object unchanged: everything goes again.
        await s3().send(new DeleteObjectCommand({ Bucket: "site", Key: "kms/.webstats-publish.json" }));
        expect((await kms()).uploaded).toBe(331);
        expect((await kms({ delete: true })).deleted).toBe(0); // the manifest itself is never a stale key
      },
    );
  });

  it("leaves every legacy URL answering through the bucket's website endpoint (index documents, a redirect for a package without its slash)", async () => {
    const golden = join(dir, "golden");
    mkdirSync(golden);
    extractTarGz(join(FIXTURES, "small-s1", "expected.tar.gz"), golden);
    const manifest = readFileSync(join(golden, "manifest.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t"));
    rmSync(join(golden, "manifest.tsv"));
    await s3().send(new PutBucketWebsiteCommand({ Bucket: "site", WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } } }));
    const warnings: string[] = [];
    await run({ out: golden, delete: true }, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
    const aliases = manifest.flatMap(([, , , , file, aliases]) => (aliases ? aliases.split(" ").map((alias) => [alias, file!] as const) : []));
    expect(aliases.length).toBeGreaterThan(50);
    for (const [alias, file] of aliases) {
      const first = await website(alias);
      const final = alias.endsWith("/") ? first : (expect([first.status, first.location], alias).toEqual([302, `${alias}/`]), await website(first.location!));
      expect(final.status, alias).toBe(200);
      expect(final.body, alias).toBe(readFileSync(join(golden, file), "utf8"));
    }
  });

  it("sends the badges as image/svg+xml, which browsers and GitHub's image proxy need to show them", async () => {
    const site = join(dir, "badges-site");
    mkdirSync(join(site, "badges/bioc/affy"), { recursive: true });
    const svg = renderBadge({ kind: "rank", releaseRank: { rank: 3, of: 25 } });
    writeFileSync(join(site, "badges/bioc/affy/rank.svg"), svg);
    writeFileSync(join(site, "index.html"), "a built tree"); // publish sends only a folder a build made
    expect((await run({ to: "s3://site/badges-only/", out: site })).uploaded).toBe(2);
    const badge = await s3().send(new GetObjectCommand({ Bucket: "site", Key: "badges-only/badges/bioc/affy/rank.svg" }));
    expect([badge.ContentType, badge.CacheControl]).toEqual(["image/svg+xml", "public, max-age=3600"]);
    expect(await badge.Body!.transformToString()).toBe(svg);
  });

  it("warns when the bucket serves no index documents", async () => {
    const warnings: string[] = [];
    await run({ to: "s3://plain/x/" }, (w) => warnings.push(w));
    expect(warnings).toEqual([expect.stringMatching(/^publish: bucket plain has no website configuration with index document index\.html/)]);
  });
});

/** GET through s3rver's website endpoint of bucket `site`, as a browser would ask the host. */
function website(path: string): Promise<{ status: number; location: string | undefined; body: string }> {
  const { hostname, port } = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    httpGet({ hostname, port, path, headers: { host: "site.s3-website-us-east-1.amazonaws.com" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location, body: Buffer.concat(chunks).toString("utf8") }));
    }).on("error", reject);
  });
}

type Forward = (rewrite?: (upstream: IncomingMessage, body: Buffer) => void) => void;

/** Runs `body` against a proxy in front of s3rver whose handler decides what to pass on. */
async function throughProxy(
  handle: (req: Parameters<RequestListener>[0], res: Parameters<RequestListener>[1], forward: Forward) => void,
  body: (endpoint: string) => Promise<void>,
): Promise<void> {
  const target = new URL(server.endpoint);
  const proxy = createServer((req, res) =>
    handle(req, res, (rewrite) => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        if (!rewrite) {
          res.writeHead(r.statusCode!, r.headers);
          return void r.pipe(res);
        }
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => rewrite(r, Buffer.concat(chunks)));
      });
      req.pipe(upstream);
    }),
  );
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  try {
    await body(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
  } finally {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
}
