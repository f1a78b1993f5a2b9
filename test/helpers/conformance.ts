// Every fixture, on both databases: import its packages, ingest its downloads, build, and
// compare with the tree the legacy server rendered for the same data. .tab/.txt byte for byte,
// HTML by title, visible text, links, cells, chart data; the only allowed deviation is the one
// listed in fixtures/allowed.tsv (our own Chart.js instead of a CDN).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/commands/build.js";
import { ingestRows } from "../../src/ingest/replace-days.js";
import { compareTrees, formatComparison, parseAllowList } from "../../src/compare/compare-trees.js";
import { readPackagesCsv } from "../../src/sources/packages-csv.js";
import { readRowsFile } from "../../src/sources/rows-file.js";
import { inBatches } from "../../src/sources/batches.js";
import { getValidThru } from "../../src/store/info.js";
import { upsertPackages } from "../../src/store/packages.js";
import { BACKENDS, type Backend } from "./backends.js";
import { extractTarGz, FIXTURES, outLimits, suiteDir } from "./temp.js";

const allow = parseAllowList(readFileSync(join(FIXTURES, "allowed.tsv"), "utf8"));

/** Declares the conformance suite of one fixture, on every available database (or those named). */
export function describeConformance(fixture: string, backends: readonly Backend[] = BACKENDS): void {
  for (const backend of backends) {
    describe.skipIf(!backend.available)(`${fixture} on ${backend.name}`, () => {
      const dir = join(FIXTURES, fixture);
      let work: string;
      let cleanup: () => void;
      let created: Awaited<ReturnType<typeof backend.create>>;

      beforeAll(async () => {
        [work, cleanup] = suiteDir();
        mkdirSync(join(work, "expected"));
        extractTarGz(join(dir, "expected.tar.gz"), join(work, "expected"));
        created = await backend.create();
        await upsertPackages(created.store.db, await readPackagesCsv(join(dir, "packages.csv")));
        await ingestRows(created.store, inBatches(readRowsFile(join(dir, "downloads.tsv.gz"))));
        await buildSite(created.store, join(work, "dist"), outLimits(created.dataDir));
      });

      afterAll(async () => {
        await created?.store.close();
        await created?.drop();
        cleanup?.();
      });

      it("sets ValidThru to the fixture's last date", async () => {
        const info = JSON.parse(readFileSync(join(dir, "info.json"), "utf8")) as { validThru: string };
        expect(await getValidThru(created.store.db)).toBe(info.validThru);
      });

      it("renders the tree the legacy server rendered", async () => {
        const result = await compareTrees(join(work, "expected"), join(work, "dist"), { ignore: [/^static\//, /^api\//, /^badges\//], allow, chart: true });
        expect(formatComparison(result).join("\n")).toMatch(/differing: 0, allowed: \d+, missing: 0, extra: 0$/);
        expect(result.compared).toBeGreaterThan(300);
        // The one allowed deviation is the script list of pages with charts, nothing else.
        expect(new Set(result.allowed.map((a) => a.path.endsWith(".html")))).toEqual(new Set([true]));
      });

      it("serves Chart.js and the chart script from the site itself", () => {
        for (const f of ["static/chart.umd.min.js", "static/barchart.js", "static/webstats.css"]) expect(existsSync(join(work, "dist", f)), f).toBe(true);
      });
    });
  }
}
