// npm run bench: the large synthetic dataset, ingested and built on a real PostgreSQL server
// (the one scripts/with-postgres.mjs starts, or DATABASE_URL) and on PGlite; prints the figures.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { ensureBenchLogs } from "./cloudfront-logs.js";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { BENCH_FROM, BENCH_PACKAGES, BENCH_TO, ensureBenchDataset } from "./dataset.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = ROOT + "bench-data";
const PHASE = fileURLToPath(new URL("./phase.js", import.meta.url));
const LOGS_PHASE = fileURLToPath(new URL("./logs-phase.js", import.meta.url));

interface PhaseResult {
  phase: string;
  seconds: number;
  peakRssMB: number;
  rows?: number;
  files?: number;
  written?: number;
  removed?: number;
  bytes?: number;
  buildSeconds?: number;
  uploaded?: number;
  unchanged?: number;
  deleted?: number;
  workers?: Array<{ plan: number; render: number; write: number }>;
}

function runPhase(args: string[]): PhaseResult {
  execFileSync("sync"); // start each phase without the previous one's dirty pages to flush
  const out = execFileSync(process.execPath, [PHASE, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as PhaseResult;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function reportIngest(label: string, ingest: PhaseResult): void {
  console.log(`\n${label}`);
  console.log(
    `  ingest  ${fmt(ingest.rows!)} rows in ${fmt(ingest.seconds, 1)} s = ${fmt(ingest.rows! / ingest.seconds)} rows/s, peak RSS ${fmt(ingest.peakRssMB)} MB`,
  );
}

function reportBuild(label: string, b: PhaseResult): void {
  const s = b.buildSeconds!;
  console.log(
    `  ${label}: ${fmt(b.files!)} files, ${fmt(b.bytes! / 1e6, 1)} MB, ${fmt(b.written!)} written, ${fmt(b.removed!)} removed, in ${fmt(s, 2)} s ` +
      `(${fmt(b.files! / s)} files/s), peak RSS ${fmt(b.peakRssMB)} MB`,
  );
  const w = b.workers!.map((x) => `${fmt(x.plan, 2)}/${fmt(x.render, 2)}/${fmt(x.write, 2)}`).join(", ");
  console.log(`      per worker, seconds planning/rendering+hashing/writing: ${w}`);
}

function reportPublish(label: string, p: PhaseResult): void {
  console.log(
    `  ${label}: ${fmt(p.uploaded!)} uploaded (${fmt(p.bytes! / 1e6, 1)} MB), ${fmt(p.unchanged!)} unchanged, ${fmt(p.deleted!)} deleted, in ${fmt(p.seconds, 2)} s, peak RSS ${fmt(p.peakRssMB)} MB`,
  );
}

/** Removes built sites and their slots, so that the next build starts from empty slots. */
function fresh(...sites: string[]): void {
  for (const site of sites) for (const x of ["", ".slots"]) rmSync(site + x, { recursive: true, force: true });
}

/** s3rver on loopback (the tests' helper script), for the publish phases. */
async function startS3(dir: string): Promise<{ endpoint: string; stop: () => void }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // s3rver takes any credentials; the publish phases find these through the SDK's default chain.
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  process.env.AWS_REGION = "us-east-1";
  const child = spawn(process.execPath, ["--openssl-legacy-provider", ROOT + "test/helpers/s3-server.mjs", dir, "site"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return { endpoint: `http://127.0.0.1:${chunk.toString().trim()}`, stop: () => child.kill() };
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  let t = performance.now();
  const data = await ensureBenchDataset(DIR);
  console.log(
    `dataset: ${BENCH_PACKAGES} packages, ${BENCH_FROM}..${BENCH_TO}, ${fmt(statSync(data.rowsFile).size / 1e6, 1)} MB gzipped` +
      (data.generated ? ` (generated in ${fmt((performance.now() - t) / 1000, 1)} s)` : " (cached)"),
  );
  console.log(`machine: ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores, node ${process.version}`);

  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query("drop database if exists webstats_bench with (force)");
    await admin.query("create database webstats_bench");
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = "/webstats_bench";
    const ingest = runPhase(["ingest", url.href, data.rowsFile, data.packagesFile]);
    reportIngest(`PostgreSQL server (${url.host})`, ingest);
    const site = `${DIR}/dist-pg`;
    const bare = `${DIR}/dist-pg-without-api`;
    // Each pair: the same code with and without the JSON API and exports (issue 6), one after the other.
    const pair = (label: string) => {
      const without = runPhase(["build-without-api", url.href, bare]);
      const withApi = runPhase(["build", url.href, site]);
      reportBuild(`${label}, without the API`, without);
      reportBuild(`${label}, with the API`, withApi);
      console.log(`      the API costs ${fmt((100 * (withApi.buildSeconds! - without.buildSeconds!)) / without.buildSeconds!)}% more time (target ≤ 25%)`);
      return withApi;
    };
    fresh(site, bare);
    const full = pair("full build (empty slot a)");
    pair("full build (empty slot b)");
    pair("build again, nothing changed");
    const s3 = await startS3(`${DIR}/s3`);
    try {
      reportPublish("publish to s3rver, first time", runPhase(["publish", url.href, site, s3.endpoint]));
      reportPublish("publish again, nothing changed (target: no uploads, ≤ 5 s)", runPhase(["publish", url.href, site, s3.endpoint]));
      const day = runPhase(["day", url.href, "", ""]);
      console.log(`  one more day (${fmt(day.rows!)} rows) ingested and re-summarised in ${fmt(day.seconds, 2)} s (target ≤ 1 s)`);
      pair("nightly rebuild after that day (target ≤ 3 s, only changed files written)");
      reportPublish("publish after that day", runPhase(["publish", url.href, site, s3.endpoint]));
    } finally {
      s3.stop();
    }
    // What the disk alone costs for this tree, and what we cost without the disk.
    execFileSync("sync");
    t = performance.now();
    execFileSync("cp", ["-rL", site, `${DIR}/dist-copy`]);
    const copySeconds = (performance.now() - t) / 1000;
    rmSync(`${DIR}/dist-copy`, { recursive: true, force: true });
    console.log(`  same machine, same run: \`cp -r\` of the built tree takes ${fmt(copySeconds, 2)} s (the file system's floor for ${fmt(full.files!)} files)`);
    if (existsSync("/dev/shm")) {
      const shm = "/dev/shm/webstats-bench";
      for (const phase of ["build-without-api", "build"]) {
        const runs = [1, 2, 3].map(() => (fresh(shm), runPhase([phase, url.href, shm])));
        console.log(
          `  full builds into tmpfs (/dev/shm, no disk), ${phase === "build" ? "with" : "without"} the API: ${runs.map((b) => `${fmt(b.buildSeconds!, 2)} s`).join(", ")}, peak RSS ${fmt(Math.max(...runs.map((b) => b.peakRssMB)))} MB`,
        );
      }
      fresh(shm);
    }
  } else {
    console.log("\nPostgreSQL: skipped (no DATABASE_URL; run through `npm run bench` to get a throwaway server)");
  }

  // Log ingest: read, gunzip, parse and select, against zcat on the same files in the same run.
  const logs = await ensureBenchLogs(DIR);
  const gz = readdirSync(logs).map((f) => `${logs}/${f}`);
  execFileSync("sync");
  t = performance.now();
  execFileSync("sh", ["-c", 'zcat "$@" > /dev/null', "zcat", ...gz]);
  const zcatSeconds = (performance.now() - t) / 1000;
  const read = JSON.parse(execFileSync(process.execPath, [LOGS_PHASE, logs], { encoding: "utf8" }).trim()) as {
    files: number;
    lines: number;
    rows: number;
    gzBytes: number;
    seconds: number;
    cpuSeconds: number;
  };
  const mb = read.gzBytes / 1e6;
  console.log(`\nCloudFront logs: ${read.files} files, ${fmt(read.lines)} lines, ${fmt(mb, 1)} MB gzipped; ${fmt(read.rows)} download rows selected`);
  console.log(
    `  webstats: ${fmt(read.seconds, 2)} s = ${fmt(read.lines / read.seconds)} lines/s, ${fmt(mb / read.seconds, 1)} MB/s gzipped (CPU ${fmt(read.cpuSeconds, 1)} s over ${fmt(read.seconds, 1)} s: both cores)`,
  );
  console.log(
    `  zcat:     ${fmt(zcatSeconds, 2)} s = ${fmt(read.lines / zcatSeconds)} lines/s, ${fmt(mb / zcatSeconds, 1)} MB/s; webstats reaches ${fmt((100 * zcatSeconds) / read.seconds)}% of zcat's throughput (target ≥ 80%)`,
  );

  const pgliteDir = `${DIR}/pglite`;
  rmSync(pgliteDir, { recursive: true, force: true });
  reportIngest(`PGlite (${pgliteDir})`, runPhase(["ingest", `pglite:${pgliteDir}`, data.rowsFile, data.packagesFile]));
  fresh(`${DIR}/dist-pglite`);
  reportBuild("full build", runPhase(["build", `pglite:${pgliteDir}`, `${DIR}/dist-pglite`]));
  console.log(
    "\ntargets: full build ≤ 3 s on PostgreSQL, peak RSS ≤ 300 MB (issue 3; the legacy renderer: ~51 s for a tree this size on this machine); " +
      "nightly rebuild after one day ≤ 3 s writing only changed files, unchanged publish: no uploads in ≤ 5 s (issue 5); the API ≤ 25% more build time (issue 6)",
  );
}

await main();
