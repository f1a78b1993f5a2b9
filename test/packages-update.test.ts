// packages update against Bioconductor-like manifests served over HTTP on loopback.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagesUpdate } from "../src/commands/packages-update.js";
import { parsePackagesCsv } from "../src/sources/packages-csv.js";
import { encodeRelease } from "../src/domain/release.js";
import { readPackages } from "../src/store/apply-package-changes.js";
import { openStore } from "../src/store/database.js";
import { upsertPackages } from "../src/store/packages.js";
import { migratedPglite } from "./helpers/store-templates.js";
import { tempDir } from "./helpers/temp.js";

const ROOT = new URL("./data/manifests/", import.meta.url).pathname;
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests.push(req.url!);
    try {
      const body = await readFile(ROOT + decodeURIComponent(req.url!.slice(1)));
      res.writeHead(200, { "content-type": "text/plain" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const CURRENT =
  "package,category,first_version,last_version\naffy,bioc,108,\nbackAgain,bioc,310,318\ngone,bioc,312,\nGO.db,annotation,108,\nALL,experiment,211,\nrnaseqGene,workflows,300,\n";

async function setup() {
  const dataDir = migratedPglite(tempDir());
  const store = await openStore({ dataDir });
  await upsertPackages(store.db, parsePackagesCsv(CURRENT, "current.csv"));
  await store.close();
  return { databaseUrl: undefined, dataDir, quiet: true, cwd: dataDir, home: homedir(), baseUrl };
}

async function table(dataDir: string) {
  const store = await openStore({ dataDir });
  try {
    return Object.fromEntries((await readPackages(store.db)).map((p) => [p.name, [p.category, p.firstVersion, p.lastVersion]]));
  } finally {
    await store.close();
  }
}

describe("packages update", () => {
  it("encodes releases as the packages table does", () => {
    expect([encodeRelease("3.21"), encodeRelease("3.9"), encodeRelease("2.14")]).toEqual(["321", "309", "214"]);
  });

  it("adds new packages, marks removed ones, reinstates returning ones", async () => {
    const options = await setup();
    const lines: string[] = [];
    expect(await packagesUpdate({ ...options, quiet: false }, (l) => lines.push(l))).toBe(3);
    expect(await table(options.dataDir)).toEqual({
      affy: ["bioc", "108", null],
      backAgain: ["bioc", "310", null],
      gone: ["bioc", "312", "321"],
      newPkg: ["bioc", "322", null],
      "GO.db": ["annotation", "108", null],
      ALL: ["experiment", "211", null],
      rnaseqGene: ["workflows", "300", null],
    });
    expect(lines.at(-1)).toBe("packages update: 1 added, 1 removed, 1 reinstated (release 321, devel 322, 6 packages in devel)");
    expect(requests).toContain("/packages/devel/data/annotation/src/contrib/PACKAGES");
    expect(await packagesUpdate(options, () => {})).toBe(0); // a second run finds nothing to do
  });

  it("writes nothing on a dry run", async () => {
    const options = await setup();
    const before = await table(options.dataDir);
    const lines: string[] = [];
    await packagesUpdate({ ...options, dryRun: true }, (l) => lines.push(l));
    expect(await table(options.dataDir)).toEqual(before);
    expect(lines).toEqual([
      "  add       newPkg (bioc, first in 322)",
      "  reinstate backAgain",
      "  remove    gone (last in 321)",
      expect.stringMatching(/; dry run, nothing written$/),
    ]);
  });

  it("refuses more than 50 changes without --force", async () => {
    const options = await setup();
    const store = await openStore({ dataDir: options.dataDir });
    await upsertPackages(
      store.db,
      parsePackagesCsv("package,category,first_version,last_version\n" + Array.from({ length: 60 }, (_, i) => `old${i},bioc,300,`).join("\n"), "old.csv"),
    );
    await store.close();
    const before = await table(options.dataDir);
    await expect(packagesUpdate(options, () => {})).rejects.toThrow(
      "packages update: 63 changes is more than 50; nothing written (check the manifests, then rerun with --force)",
    );
    expect(await table(options.dataDir)).toEqual(before);
    expect(await packagesUpdate({ ...options, force: true }, () => {})).toBe(63);
  });

  it("fails clearly when a manifest is missing", async () => {
    const options = await setup();
    await expect(packagesUpdate({ ...options, baseUrl: baseUrl + "nowhere/" }, () => {})).rejects.toThrow(/nowhere\/config\.yaml: HTTP 404/);
  });

  // Issue 10, defect 5: a manifest name that is no Bioconductor name (or a file of the category
  // folder) would block every build once added.
  it("does not add a manifest name that breaks the naming rule, and reports it in one line", async () => {
    const options = await setup();
    const lines: string[] = [];
    expect(await packagesUpdate({ ...options, quiet: false, baseUrl: baseUrl + "bad-name/" }, (l) => lines.push(l))).toBe(4);
    const after = await table(options.dataDir);
    expect(Object.keys(after).sort()).toEqual(["ALL", "GO.db", "affy", "backAgain", "gone", "newPkg", "rnaseqGene", "trena"]);
    expect(lines.filter((l) => l.includes("index.html"))).toEqual([expect.stringMatching(/^packages update: not added: package name "index\.html" /)]);
    expect(lines.filter((l) => l.includes("a_b"))).toEqual([expect.stringMatching(/^packages update: not added: package name "a_b" /)]);
    expect(lines.at(-1)).toMatch(/^packages update: 2 added, 1 removed, 1 reinstated, 2 not added \(bad names\)/);
  });
});
