// The nightly case end to end: one more day of downloads, then build and publish. The build
// writes exactly the files whose content changed and publish uploads exactly those; objects
// that did not change keep their Last-Modified.
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import { publish } from "../src/commands/publish.js";
import { listTree } from "../src/compare/compare-trees.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { readRowsFile } from "../src/sources/rows-file.js";
import { openStore, type Store } from "../src/store/database.js";
import { servedTree } from "../src/site/tree-slots.js";
import { filledPglite, smallS1 } from "./helpers/store-templates.js";
import { startS3Server, type S3Server } from "./helpers/s3.js";
import { outLimits, suiteDir } from "./helpers/temp.js";

let dir: string;
let cleanup: () => void;
let server: S3Server;
let store: Store;

beforeAll(async () => {
  [dir, cleanup] = suiteDir();
  mkdirSync(join(dir, "s3"));
  server = await startS3Server(join(dir, "s3"), ["site"]);
  store = await openStore({ dataDir: await filledPglite("small-s1", smallS1, join(dir, "db")) }); // small-s1's packages and downloads
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
  cleanup?.();
});

/** MD5 of every file of the served tree, computed here, not by the code under test. */
async function hashes(root: string): Promise<Map<string, string>> {
  const paths = await listTree(root);
  return new Map(
    [...paths].map((p) => [
      p,
      createHash("md5")
        .update(readFileSync(join(root, p)))
        .digest("hex"),
    ]),
  );
}

describe("one more day", () => {
  it("is built by writing, and published by uploading, only the files it changed", async () => {
    const out = join(dir, "dist");
    const s3 = new S3Client({ region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true });
    const publishTo = (extra: object = {}, lines: string[] = []) =>
      publish(
        {
          databaseUrl: undefined,
          dataDir: "",
          quiet: false,
          cwd: dir,
          home: homedir(),
          to: "s3://site/packages/stats/",
          out,
          concurrency: 8,
          s3Endpoint: server.endpoint,
          delete: true,
          ...extra,
        },
        (l) => lines.push(l),
        () => {},
      );
    await buildSite(store, out, outLimits(join(dir, "db")));
    await buildSite(store, out, outLimits(join(dir, "db"))); // both slots now hold this tree
    expect((await buildSite(store, out, outLimits(join(dir, "db")))).written).toBe(0);
    await publishTo();
    const before = await hashes(out);
    const untouched = await s3.send(new HeadObjectCommand({ Bucket: "site", Key: "packages/stats/bioc/A4Base/A4Base_stats.tab" }));

    const day = join(dir, "day.tsv");
    writeFileSync(
      day,
      [
        "date\tc-ip\tsc-status\tcategory\tpackage",
        "2025-06-18\t10.0.0.1\t200\tbioc\taffy",
        "2025-06-18\t10.0.0.2\t200\tbioc\taffy",
        "2025-06-18\t10.0.0.3\t200\texperiment\tALL",
        "",
      ].join("\n"),
    );
    await ingestRows(store, inBatches(readRowsFile(day)));
    const built = await buildSite(store, out, outLimits(join(dir, "db")));
    const after = await hashes(out);
    const served = await servedTree(out); // what publish reads instead of hashing every file
    expect(served.hashes).toEqual(after);
    expect(served.dir).toBe(realpathSync(out));
    const changed = [...after]
      .filter(([p, h]) => before.get(p) !== h)
      .map(([p]) => p)
      .sort();
    const gone = [...before.keys()].filter((p) => !after.has(p));
    expect([built.written, built.removed]).toEqual([changed.length, gone.length]);
    // The day touched affy and ALL and the two categories; every page says "Data as of" the new day.
    expect(changed).toContain("bioc/affy/affy_stats.tab");
    expect(changed).toContain("data-experiment/experiment_stats.tab");
    expect(changed).toContain("bioc/A4Base/index.html");
    expect(changed).not.toContain("bioc/A4Base/A4Base_stats.tab");
    expect(changed.filter((p) => p.endsWith(".tab")).length).toBeLessThan(25);

    const plan: string[] = [];
    await publishTo({ dryRun: true }, plan);
    expect(
      plan
        .filter((l) => l.startsWith("  upload "))
        .map((l) => l.replace(/^ {2}upload packages\/stats\/(.*) \(changed\)$/, "$1"))
        .sort(),
    ).toEqual(changed);
    expect(await publishTo()).toMatchObject({ uploaded: changed.length, deleted: gone.length, unchanged: after.size - changed.length });
    const still = await s3.send(new HeadObjectCommand({ Bucket: "site", Key: "packages/stats/bioc/A4Base/A4Base_stats.tab" }));
    expect(still.LastModified).toEqual(untouched.LastModified);
    expect(still.ETag).toEqual(untouched.ETag);
  });
});
