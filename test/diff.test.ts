// webstats diff against a legacy-like server on loopback serving a fixture's golden tree, and
// against the same tree as a folder; "our" tree is a copy with differences made on purpose.
import { appendFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diff } from "../src/commands/diff.js";
import { editedCopy, goldenTreeForSuite, replaceInFile } from "./helpers/golden-tree.js";

const golden = goldenTreeForSuite("small-s1");
let server: Server;
let base: string;
const requests = new Map<string, number>();

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url!, "http://x").pathname.replace(/^\/packages\/stats\//, ""));
    const seen = (requests.get(path) ?? 0) + 1;
    requests.set(path, seen);
    if (path === "bioc/affy/affy_stats.tab" && seen === 1) return void res.writeHead(503).end("busy"); // must be retried
    const body = await readFile(join(golden(), path)).catch(() => null);
    if (body) res.writeHead(200).end(body);
    else res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/packages/stats/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ours = (edit: (root: string) => void) => editedCopy(golden(), edit);
const options = (baseArg: string, out: string) => ({
  databaseUrl: undefined,
  dataDir: "",
  quiet: false,
  cwd: out,
  home: homedir(),
  base: baseArg,
  out,
  concurrency: 4,
  rate: 0,
  timeout: 10,
});

describe("webstats diff", () => {
  it("finds nothing between the server and an identical tree (with one 503 retried)", async () => {
    const lines: string[] = [];
    expect(
      await diff(
        options(
          base,
          ours(() => {}),
        ),
        (l) => lines.push(l),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/^files compared: 330, identical: 330, differing: 0, allowed: 0, missing: 0, extra: 0$/);
    expect(requests.get("bioc/affy/affy_stats.tab")).toBeGreaterThanOrEqual(2);
  });

  it("reports every kind of difference against the server, the first difference of each file", async () => {
    const tree = ours((root) => {
      replaceInFile(root, "bioc/a4/a4_stats.tab", "2024\tall\t64\t99", "2024\tall\t64\t98");
      replaceInFile(root, "workflows.html", "<TITLE>Download", "<TITLE>Downloads");
      replaceInFile(root, "index.html", "Data as of Tue. 17 Jun 2025.", "Data as of Wed. 18 Jun 2025.");
      replaceInFile(root, "bioc/goseq/index.html", 'href="goseq_2024_stats.tab"', 'href="goseq_2023_stats.tab"');
      replaceInFile(root, "bioc/affy/index.html", '"unique_ips": 44', '"unique_ips": 45');
      replaceInFile(root, "bioc/a4/index.html", "https://cdn.jsdelivr.net/npm/chart.js", "../../static/chart.umd.min.js"); // allowed
      appendFileSync(join(root, "bioc/new_stats.tab"), "x");
    });
    const lines: string[] = [];
    expect(await diff(options(base, tree), (l) => lines.push(l))).toBe(false);
    const text = lines.join("\n");
    expect(text).toMatch(/^DIFFERS bioc\/a4\/a4_stats\.tab: line 27: expected "2024\\tall\\t64\\t99", actual "2024\\tall\\t64\\t98"$/m);
    expect(text).toMatch(/^DIFFERS workflows\.html: title: expected "Download stats/m);
    expect(text).toMatch(/^DIFFERS index\.html: visible text/m);
    expect(text).toMatch(/^DIFFERS bioc\/goseq\/index\.html: links/m);
    expect(text).toMatch(/^DIFFERS bioc\/affy\/index\.html: chart/m);
    expect(text).toMatch(/^EXTRA {3}bioc\/new_stats\.tab$/m);
    expect(text).not.toMatch(/bioc\/a4\/index\.html/);
    expect(lines.at(-1)).toMatch(/differing: 5, allowed: 1, missing: 0, extra: 1$/);
  });

  it("compares with a folder, reporting files we lack", async () => {
    const tree = ours((root) => writeFileSync(join(root, "bioc/bioc_packages.txt"), "a4"));
    const lines: string[] = [];
    expect(await diff({ ...options(golden(), tree), only: "^bioc/bioc_" }, (l) => lines.push(l))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^DIFFERS bioc\/bioc_packages\.txt: line counts differ/));
    expect(lines.at(-1)).toMatch(/^files compared: \d+, .*differing: 1/);
    expect(lines.some((l) => /bioc\/a4\//.test(l))).toBe(false); // --only kept the rest out
  });
});
