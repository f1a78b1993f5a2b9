// publish against a real S3 API on loopback (s3rver): first publish, unchanged re-publish,
// a one-file change, --delete, and a failure part-way that the next run finishes.
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../src/commands/publish.js";
import { listRemote } from "../src/publish/s3-sync.js";
import { createServer, request as httpRequest } from "node:http";
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
  server = await startS3Server(join(dir, "s3"), ["site"]);
  tree = join(dir, "dist");
  mkdirSync(tree);
  extractTarGz(join(FIXTURES, "small-s1", "expected.tar.gz"), tree);
  rmSync(join(tree, "manifest.tsv"), { force: true });
});
afterAll(async () => {
  await server?.stop();
  cleanup?.();
});

const run = (extra: object = {}) =>
  publish({ databaseUrl: undefined, dataDir: "", quiet: true, cwd: dir, to: "s3://site/packages/stats/", out: tree, concurrency: 8, s3Endpoint: server.endpoint, ...extra }, () => {});
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

  it("leaves the previous site whole when the server fails part-way, and the next run finishes", async () => {
    const next = join(dir, "next");
    cpSync(tree, next, { recursive: true });
    for (let i = 0; i < 300; i++) {
      mkdirSync(join(next, "bioc", `p${i}`), { recursive: true });
      writeFileSync(join(next, "bioc", `p${i}`, "index.html"), `<p>${i}</p>`);
    }
    rmSync(join(next, "workflows.html")); // stale on the server: must survive the failed run
    // In front of S3, a proxy that starts answering 503 to every upload after the 50th.
    let puts = 0;
    const target = new URL(server.endpoint);
    const proxy = createServer((req, res) => {
      if (req.method === "PUT" && ++puts > 50) {
        req.resume();
        return void res.writeHead(503).end();
      }
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const failing = run({ delete: true, out: next, s3Endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      await expect(failing).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
    const keys = (await listRemote(s3(), "site", "packages/stats/")).map((o) => o.key);
    expect(keys).toContain("packages/stats/workflows.html"); // nothing deleted by the failed run
    const uploadedBefore = keys.filter((k) => /bioc\/p\d+\//.test(k)).length;
    expect(uploadedBefore).toBeGreaterThanOrEqual(40);
    expect(uploadedBefore).toBeLessThan(300);
    const finish = await run({ delete: true, out: next });
    expect(finish.uploaded).toBe(300 - uploadedBefore);
    expect(finish.deleted).toBe(1);
    expect(await run({ delete: true, out: next })).toMatchObject({ uploaded: 0, deleted: 0 });
  });
});
