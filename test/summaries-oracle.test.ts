// The incremental summaries against an independent oracle: random sequences of what happens to
// a real database (new days, restated old days, backfills of older ranges, runs of more than a
// month past ValidThru (their summaries made by one summarize at the end), year boundaries,
// packages added, removed or moved to another category, summarize from some date, a window
// left behind by a chunked run, a jump of more than 30 days), each followed by a recount from
// the raw rows with the legacy views' rule, written here in plain SQL: stats as v_stats,
// categorystats as v_categorystats (both: join packages on package and category, statuses
// 200/301/302/307/308, distinct IPs per month and per year), and the daily and last-30-days
// tables as their definitions say (test/helpers/oracle.ts); and the counts without crawlers and
// repeats by their rules, with a K small enough that the random IPs are crawlers on some days.
import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { addDays, lastThirtyDays } from "../src/domain/dates.js";
import type { DownloadRow, IsoDate } from "../src/domain/types.js";
import { runIngest } from "../src/commands/ingest.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { seededRandom } from "../src/sources/synthetic-downloads.js";
import type { Store } from "../src/store/database.js";
import { getInfo, getValidThru } from "../src/store/info.js";
import { loadPackedSiteData } from "../src/summaries/load.js";
import { summariesFollowPackages } from "../src/summaries/package-changes.js";
import { rebuildSummaries } from "../src/summaries/rebuild.js";
import { BACKENDS, freshStorePerTest } from "./helpers/backends.js";
import { tempDir } from "./helpers/temp.js";
import { filteredOracle, filteredOutsideCounted, filteredSummaries, oracle, summaries } from "./helpers/oracle.js";

/** The last 30 days per known package, recounted, as the build's loader gives them: [name, downloads, ips] per category. */
async function lastThirtyOracle(store: Store, validThru: IsoDate) {
  const { from, to } = lastThirtyDays(validThru);
  const { rows } = await sql<{
    category: string;
    package: string;
    downloads: number;
    ips: number;
  }>`select d.category, d.package, count(*)::int as downloads, count(distinct d."c-ip")::int as ips
    from bioc_web_downloads d join packages p on d.package = p.package and d.category = p.category
    where d."sc-status" in (200, 301, 302, 307, 308) and d.date >= ${from} and d.date <= ${to} group by 1, 2`.execute(store.db);
  return rows.map((r) => `${r.category}/${r.package}=${r.downloads}/${r.ips}`).sort();
}

const NAMES: ReadonlyArray<readonly [string, string]> = [
  ["affy", "bioc"],
  ["limma", "bioc"],
  ["GO.db", "annotation"],
  ["ALL", "experiment"],
  ["later", "bioc"], // not in packages at first
  ["affy", "annotation"], // a known name under another category: never counts
];
const IPS = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "2001:db8::1"];
const STATUSES = [200, 200, 200, 302, 304, 404, 206];

type DayRow = { month: string; package: string; category: string; day: number; downloads: number; ips: number; filtered_ips: number; known: boolean };

/** Per month: its records, and each pair's days as the build reads them (webstats_daily_packed, webstats_daily_months), sorted here. */
async function dailyMonthsAsStored(store: Store) {
  const { rows: months } = await sql<{
    month: string;
    records: number;
  }>`select to_char(month, 'YYYY-MM-DD') as month, records from webstats_daily_months`.execute(store.db);
  const { rows: packed } = await sql<{
    month: string;
    package: string;
    category: string;
    days: number;
    packed: string;
    filtered_days: number;
    filtered: string;
  }>`
    select to_char(month, 'YYYY-MM-DD') as month, package, category, days, packed, filtered_days, filtered from webstats_daily_packed`.execute(store.db);
  const triples = (text: string) => (text === "" ? [] : (text.match(/[^,]+,[^,]+,[^,]+/g) ?? [])).sort();
  return {
    months: months.map((m) => `${m.month} ${m.records}`).sort(),
    packed: packed
      .map((p) => `${p.month} ${p.category}/${p.package} ${p.days}: ${triples(p.packed).join(" ")} | ${p.filtered_days}: ${triples(p.filtered).join(" ")}`)
      .sort(),
  };
}

/** The same, recounted from webstats_daily and packages. */
async function dailyMonthsRecounted(store: Store) {
  const { rows } = await sql<DayRow>`select to_char(date, 'YYYY-MM') || '-01' as month, d.package, d.category, date - date '1970-01-01' as day,
      d.downloads, d.ips, d.filtered_ips, p.package is not null as known
    from webstats_daily d left join packages p on p.package = d.package and p.category = d.category`.execute(store.db);
  const records = new Map<string, number>();
  const pairs = new Map<string, DayRow[]>();
  for (const r of rows) {
    records.set(r.month, (records.get(r.month) ?? 0) + (r.known ? 1 : 0));
    const key = `${r.month} ${r.category}/${r.package}`;
    pairs.set(key, [...(pairs.get(key) ?? []), r]);
  }
  return {
    months: [...records].map(([m, n]) => `${m} ${n}`).sort(),
    packed: [...pairs]
      .map(([key, days]) => {
        const all = days.map((d) => `${d.day},${d.downloads},${d.ips}`).sort();
        const kept = days
          .filter((d) => d.filtered_ips > 0)
          .map((d) => `${d.day},${d.filtered_ips},${d.filtered_ips}`)
          .sort();
        return `${key} ${all.length}: ${all.join(" ")} | ${kept.length}: ${kept.join(" ")}`;
      })
      .sort(),
  };
}

function dayRows(rand: () => number, day: IsoDate): DownloadRow[] {
  const rows: DownloadRow[] = [];
  const n = Math.floor(rand() * 9);
  for (let i = 0; i < n; i++) {
    const [pkg, category] = NAMES[Math.floor(rand() * NAMES.length)]!;
    rows.push({ date: day, ip: IPS[Math.floor(rand() * IPS.length)]!, status: STATUSES[Math.floor(rand() * STATUSES.length)]!, category, package: pkg });
  }
  return rows;
}

function rowsOf(rand: () => number, first: IsoDate, last: IsoDate): DownloadRow[] {
  const rows: DownloadRow[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) rows.push(...dayRows(rand, d));
  return rows;
}

type Op = (store: Store, rand: () => number) => Promise<string>;

/** The K of the sequence running: an IP with more than K packages on a day is a crawler that day. */
let crawlerK = 2;

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

async function span(store: Store): Promise<{ first: IsoDate; last: IsoDate }> {
  const { rows } = await sql<{ first: IsoDate; last: IsoDate }>`select min(date) as first, max(date) as last from bioc_web_downloads`.execute(store.db);
  const v = await getValidThru(store.db);
  return { first: rows[0]?.first ?? ("2024-12-28" as IsoDate), last: v ?? ("2024-12-27" as IsoDate) };
}

/** Late corrections the other way: one of the last days loses some of its rows, so that pairs whose last day in the window it was leave it, or move their last day back. */
async function thinOneOfLastDays(store: Store, rand: () => number, recentLater: boolean): Promise<string> {
  const { last } = await span(store);
  const day = addDays(last, -Math.floor(rand() * 3));
  const { rows } = await sql<{ date: IsoDate; ip: string; status: number; category: string; package: string }>`
      select to_char(date, 'YYYY-MM-DD') as date, "c-ip" as ip, "sc-status" as status, category, package from bioc_web_downloads
      where date = ${day} order by "c-ip", package, category, "sc-status"`.execute(store.db);
  const kept = rows.filter(() => rand() < 0.5);
  await ingestRows(store, inBatches(kept), { days: [day, day], recentLater });
  return `thinned ${day} (${rows.length} → ${kept.length} rows)`;
}

async function counts(store: Store): Promise<{ rows: number; summaryTables: string | null }> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from bioc_web_downloads`.execute(store.db);
  return { rows: rows[0]!.n, summaryTables: await getInfo(store.db, "SummaryTables") };
}

/** `rows` as a rows file (the format `ingest --rows` reads), in a new temporary folder. */
function writeRowsFile(rows: readonly DownloadRow[]): string {
  const path = join(tempDir(), "rows.tsv");
  const lines = rows.map((r) => `${r.date}\t${r.ip}\t${r.status}\t${r.category}\t${r.package}`);
  writeFileSync(path, ["date\tc-ip\tsc-status\tcategory\tpackage", ...lines].join("\n") + "\n");
  return path;
}

const OPS: Record<string, Op> = {
  async longRunPastValidThru(store, rand) {
    // More than a month after ValidThru, by the command: its chunks store rows only, then one summarize makes the summaries.
    const { last } = await span(store);
    const to = addDays(last, 32 + Math.floor(rand() * 40));
    const path = writeRowsFile(rowsOf(rand, addDays(last, 1), to));
    await runIngest(store, { databaseUrl: undefined, dataDir: tempDir(), quiet: true, cwd: tempDir(), home: homedir(), rows: path });
    return `long run ..${to}`;
  },
  async newDays(store, rand) {
    const { last } = await span(store);
    const to = addDays(last, 1 + Math.floor(rand() * 3));
    await ingestRows(store, inBatches(rowsOf(rand, addDays(last, 1), to)), { days: [addDays(last, 1), to] });
    return `new days ..${to}`;
  },
  async restate(store, rand) {
    const { first, last } = await span(store);
    const back = Math.floor(rand() * 40);
    const day = addDays(last, -back) < first ? first : addDays(last, -back);
    await ingestRows(store, inBatches(dayRows(rand, day)), { days: [day, day] });
    return `restated ${day}`;
  },
  async thinRecentDays(store, rand) {
    return thinOneOfLastDays(store, rand, false);
  },
  async thinInChunk(store, rand) {
    // The same as a chunk of a longer run, which leaves the window to be made at its end: the last
    // days seen that the thinned rows held are made again then.
    return `${await thinOneOfLastDays(store, rand, true)}, window left behind`;
  },
  async backfill(store, rand) {
    const { first } = await span(store);
    const from = addDays(first, -(2 + Math.floor(rand() * 20)));
    await ingestRows(store, inBatches(rowsOf(rand, from, addDays(first, -1))), { days: [from, addDays(first, -1)] });
    return `backfilled ${from}..`;
  },
  async jump(store, rand) {
    const { last } = await span(store);
    const day = addDays(last, 31 + Math.floor(rand() * 10));
    await ingestRows(store, inBatches(rowsOf(rand, day, day)), { days: [day, day] });
    return `jumped to ${day}`;
  },
  async chunkLeavingWindowBehind(store, rand) {
    const { last } = await span(store);
    await ingestRows(store, inBatches(rowsOf(rand, addDays(last, 1), addDays(last, 2))), { days: [addDays(last, 1), addDays(last, 2)], recentLater: true });
    return `chunk ..${addDays(last, 2)}, window left behind`;
  },
  async addPackage(store, rand) {
    await store.db
      .insertInto("packages")
      .values({ package: "later", category: "bioc", first_version: "320", last_version: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    if (rand() < 0.5) await summariesFollowPackages(store);
    return "packages: +later";
  },
  async removePackage(store, rand) {
    await store.db
      .deleteFrom("packages")
      .where("package", "=", pick(rand, ["limma", "later"]))
      .execute();
    return "packages: -limma or -later";
  },
  async movePackage(store, rand) {
    await store.db
      .updateTable("packages")
      .set({ category: pick(rand, ["annotation", "bioc"]) })
      .where("package", "=", "affy")
      .execute();
    if (rand() < 0.5) await summariesFollowPackages(store);
    return "packages: affy moved";
  },
  async summarize(store, rand) {
    const { first, last } = await span(store);
    const since = rand() < 0.3 ? null : addDays(first, Math.floor(rand() * 120));
    const k = rand() < 0.3 ? pick(rand, [2, 3]) : null;
    await rebuildSummaries(store, since && since <= last ? since : null, undefined, k);
    if (k !== null) crawlerK = k;
    return `summarize --since ${since}${k === null ? "" : ` --crawler-packages ${k}`}`;
  },
};

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`incremental summaries equal a recount by the legacy views' rule, on ${backend.name}`, () => {
    const current = freshStorePerTest(backend, [
      { name: "affy" as never, category: "bioc", firstVersion: "310", lastVersion: null },
      { name: "limma" as never, category: "bioc", firstVersion: "310", lastVersion: null },
      { name: "GO.db" as never, category: "annotation", firstVersion: "310", lastVersion: null },
      { name: "ALL" as never, category: "experiment", firstVersion: "310", lastVersion: null },
    ]);

    it("counts a pair again that a chunked run removed from the only window day it had", async () => {
      const { store } = current();
      await rebuildSummaries(store, null);
      const at = (date: string, ip: string, pkg: string): DownloadRow => ({ date: date as IsoDate, ip, status: 200, category: "bioc", package: pkg });
      const day = async (date: string, rows: DownloadRow[], recentLater = false) =>
        ingestRows(store, inBatches(rows), { days: [date as IsoDate, date as IsoDate], recentLater });
      // affy's pair has a row of 2025 before the window, so that its set row outlives the restatement.
      await day("2025-01-05", [at("2025-01-05", "10.0.0.1", "affy")]);
      await day("2025-03-01", [at("2025-03-01", "10.0.0.2", "limma")], true);
      await day("2025-03-02", [at("2025-03-02", "10.0.0.1", "affy"), at("2025-03-02", "10.0.0.2", "limma")]);
      // A chunk of a longer run restates 03-02 without affy's only row in the window, then the window is made again.
      await day("2025-03-02", [at("2025-03-02", "10.0.0.2", "limma")], true);
      await day("2025-03-03", [at("2025-03-03", "10.0.0.2", "limma")]);
      await day("2025-03-04", [at("2025-03-04", "10.0.0.1", "affy")]);
      const loaded = (await loadPackedSiteData(store))!;
      const last30 = loaded.categories.flatMap((c) => c.last30.map(([name, downloads, ips]) => `${c.db}/${name}=${downloads}/${ips}`)).sort();
      expect(last30).toEqual(await lastThirtyOracle(store, "2025-03-04" as IsoDate));
      expect(last30).toContain("bioc/affy=1/1");
    });

    it("a pair still in the year loses its only filtered day: it leaves the year's filtered IPs, not its IPs", async () => {
      const { store } = current();
      crawlerK = 2;
      await rebuildSummaries(store, null, undefined, crawlerK);
      const at = (date: string, pkg: string, category = "bioc"): DownloadRow => ({
        date: date as IsoDate,
        ip: "10.0.0.9",
        status: 200,
        category,
        package: pkg,
      });
      const crawl = (date: string) => [at(date, "affy"), at(date, "limma"), at(date, "GO.db", "annotation")];
      const day = (date: string, rows: DownloadRow[]) => ingestRows(store, inBatches(rows), { days: [date as IsoDate, date as IsoDate] });
      await day("2025-01-05", [{ ...at("2025-01-05", "affy"), ip: "10.0.0.8" }]); // another IP keeps affy's filtered year
      await day("2025-02-10", crawl("2025-02-10")); // more than K packages: a crawler that day
      await day("2025-03-10", [at("2025-03-10", "affy")]); // its one filtered day of affy
      await day("2025-03-10", crawl("2025-03-10")); // restated: a crawler that day too
      const yearOf = (rows: { package?: string; date: string; ip_count: number }[]) =>
        rows.filter((r) => r.package === "affy" && r.date === "2025-12-31").map((r) => r.ip_count);
      expect(yearOf((await summaries(store)).stats as never)).toEqual([2]);
      expect(yearOf((await filteredSummaries(store)).stats as never)).toEqual([1]);
      expect(await filteredSummaries(store)).toEqual(await filteredOracle(store, crawlerK));
      expect(await summaries(store)).toEqual(await oracle(store));
      expect(await filteredOutsideCounted(store)).toEqual([]);
    });

    it("a summarize from inside the window keeps the last day of a pair seen only before its first month", async () => {
      const { store } = current();
      await rebuildSummaries(store, null);
      const at = (date: string, ip: string, pkg: string): DownloadRow => ({ date: date as IsoDate, ip, status: 200, category: "bioc", package: pkg });
      const day = (date: string, rows: DownloadRow[]) => ingestRows(store, inBatches(rows), { days: [date as IsoDate, date as IsoDate] });
      await day("2025-02-15", [at("2025-02-15", "10.0.0.1", "affy")]);
      await day("2025-03-05", [at("2025-03-05", "10.0.0.2", "limma")]);
      // March made again from the raw rows; affy's pair of 02-15, in the window, has no row in it.
      await rebuildSummaries(store, "2025-03-01" as IsoDate);
      // The pair comes back: it was in the window already, so it is not one IP more.
      await day("2025-03-06", [at("2025-03-06", "10.0.0.1", "affy")]);
      const loaded = (await loadPackedSiteData(store))!;
      const last30 = loaded.categories.flatMap((c) => c.last30.map(([name, downloads, ips]) => `${c.db}/${name}=${downloads}/${ips}`)).sort();
      expect(last30).toEqual(await lastThirtyOracle(store, "2025-03-06" as IsoDate));
      expect(last30).toContain("bioc/affy=2/1");
    });

    it("a long run stopped in its summarize: the same command goes on with the summarize alone", async () => {
      const { store } = current();
      const rand = seededRandom(7);
      crawlerK = 2;
      await rebuildSummaries(store, null, undefined, crawlerK);
      const [first, last] = ["2024-11-20" as IsoDate, "2025-01-10" as IsoDate];
      const rows = rowsOf(rand, first, last);
      const options = { databaseUrl: undefined, dataDir: tempDir(), quiet: true, cwd: tempDir(), home: homedir(), rows: writeRowsFile(rows) };
      // Once its last chunk is stored (ValidThru moved to its last day), the next transaction is the summarize's: it fails, as a kill would stop it.
      const stopping: Store = {
        ...store,
        writeTransaction: async (work) => ((await getValidThru(store.db)) === last ? Promise.reject(new Error("stopped")) : store.writeTransaction(work)),
      };
      await expect(runIngest(stopping, options)).rejects.toThrow("stopped");
      expect(await counts(store)).toEqual({ rows: rows.length, summaryTables: "rebuilding" });
      const again = await runIngest(store, options);
      // No chunk stored again (none replaced its own rows).
      expect(again?.replaced).toBe(0);
      expect(await counts(store)).toEqual({ rows: rows.length, summaryTables: "complete" });
      expect(await summaries(store)).toEqual(await oracle(store));
      expect(await filteredSummaries(store)).toEqual(await filteredOracle(store, crawlerK));
      const loaded = (await loadPackedSiteData(store))!;
      const last30 = loaded.categories.flatMap((c) => c.last30.map(([name, downloads, ips]) => `${c.db}/${name}=${downloads}/${ips}`)).sort();
      expect(last30).toEqual(await lastThirtyOracle(store, last));
    });

    for (const seed of backend.name === "PGlite" ? [1, 2] : [1, 2, 3, 4]) {
      it(`random sequence ${seed}`, async () => {
        const { store } = current();
        const rand = seededRandom(seed);
        const names = Object.keys(OPS);
        crawlerK = 2;
        await rebuildSummaries(store, null, undefined, crawlerK);
        // From the last days of a year into the next, so that every sequence crosses a year boundary.
        const [a, b] = ["2024-12-28" as IsoDate, "2025-01-03" as IsoDate];
        await ingestRows(store, inBatches(rowsOf(rand, a, b)), { days: [a, b] });
        const done: string[] = [`${a}..${b}`];
        for (let step = 0; step < 14; step++) {
          const name =
            step === 2 ? "restate" : step === 4 ? "thinRecentDays" : step === 6 ? "thinInChunk" : step === 8 ? "longRunPastValidThru" : pick(rand, names);
          done.push(await OPS[name]!(store, rand));
          // A packages change shows once a writer follows it: the next ingest, a summarize, or the command itself.
          if (name.endsWith("Package")) {
            done.push(await OPS.newDays!(store, rand));
          }
          const want = await oracle(store);
          expect(await summaries(store), done.join(" → ")).toEqual(want);
          expect(await filteredSummaries(store), `filtered, K ${crawlerK}: ${done.join(" → ")}`).toEqual(await filteredOracle(store, crawlerK));
          expect(await filteredOutsideCounted(store), done.join(" → ")).toEqual([]);
          const validThru = (await getValidThru(store.db))!;
          const loaded = (await loadPackedSiteData(store))!;
          const last30 = loaded.categories.flatMap((c) => c.last30.map(([name, downloads, ips]) => `${c.db}/${name}=${downloads}/${ips}`)).sort();
          expect(last30, done.join(" → ")).toEqual(await lastThirtyOracle(store, validThru));
          expect(await dailyMonthsAsStored(store), done.join(" → ")).toEqual(await dailyMonthsRecounted(store));
        }
        // The sequence crossed a year boundary.
        const { first, last } = await span(store);
        expect([first < "2025-01-01", last >= "2025-01-01"]).toEqual([true, true]);
      });
    }
  });
}
