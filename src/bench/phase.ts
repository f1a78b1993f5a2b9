// One measured phase of the benchmark, in its own process so that its peak RSS is its own.
// Usage: node lib/bench/phase.js ingest|day|build|publish DATABASE_URL|pglite:DIR ARG [ARG2]
// Prints one JSON line: seconds, peak RSS and what the phase did.
import { homedir } from "node:os";
import { buildSite } from "../commands/build.js";
import { publish } from "../commands/publish.js";
import { ingestRows } from "../ingest/replace-days.js";
import { ingestFrom } from "../commands/ingest.js";
import { readPackagesCsv } from "../sources/packages-csv.js";
import { inBatches } from "../sources/batches.js";
import { openStore } from "../store/database.js";
import { upsertPackages } from "../store/packages.js";
import { addDays } from "../domain/dates.js";
import { syntheticDownloads } from "../sources/synthetic-downloads.js";
import { BENCH_ROWS, BENCH_TO, benchPackages } from "./dataset.js";

// As the CLI does (cli.ts, main): the SDK's notice on Node.js < 22 would split the report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const [phase, where, arg, packagesFile] = process.argv.slice(2);
const store = await openStore(where!.startsWith("pglite:") ? { dataDir: where!.slice(7) } : { databaseUrl: where!, dataDir: "" });
const started = performance.now();
let detail: Record<string, unknown>;
if (phase === "ingest") {
  await upsertPackages(store.db, await readPackagesCsv(packagesFile!));
  // The path `webstats ingest --rows FILE` takes (15 years past an empty ValidThru: a backfill,
  // the rows stored a month at a time, then one summarize), not one transaction of day changes.
  const r = await ingestFrom(store, { source: { kind: "rows", path: arg! }, allowGap: false, now: new Date() });
  detail = { rows: r?.rows ?? 0, first: r?.first ?? null, last: r?.last ?? null };
} else if (phase === "day") {
  // One more day after the dataset, as a nightly ingest brings: stage, replace, re-summarise.
  const day = addDays(BENCH_TO, 1);
  const packages = benchPackages();
  const rows = syntheticDownloads({ packages, from: day, to: day, seed: 99, targetRows: Math.round(BENCH_ROWS / 5479) });
  const r = await ingestRows(store, inBatches(rows), { days: [day, day] });
  detail = { rows: r.rows, first: r.first };
} else if (phase === "build" || phase === "build-without-api") {
  // A program of its own: it may read the process's folders, as the CLI's entry point does.
  const limits = { cwd: process.cwd(), home: homedir(), dataDir: where!.startsWith("pglite:") ? where!.slice(7) : "" };
  const r = await buildSite(store, arg!, limits, undefined, { api: phase === "build" });
  detail = { files: r.files, written: r.written, removed: r.removed, bytes: r.bytes, buildSeconds: r.seconds, workers: r.timings };
} else if (phase === "publish") {
  // ARG = the site folder, ARG2 = the S3 endpoint; bucket `site`, as the legacy URLs lie.
  const r = await publish(
    {
      databaseUrl: undefined,
      dataDir: "",
      quiet: true,
      cwd: ".",
      home: homedir(),
      to: "s3://site/packages/stats/",
      out: arg!,
      delete: true,
      concurrency: 16,
      s3Endpoint: packagesFile,
    },
    () => {},
  );
  detail = { uploaded: r.uploaded, unchanged: r.unchanged, deleted: r.deleted, bytes: r.bytes };
} else {
  throw new Error(`unknown phase ${phase}`);
}
const seconds = (performance.now() - started) / 1000;
await store.close();
process.stdout.write(JSON.stringify({ phase, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, ...detail }) + "\n");
