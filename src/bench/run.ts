// npm run bench: the large synthetic dataset, ingested and built on a real PostgreSQL server
// (the one scripts/with-postgres.mjs starts, or DATABASE_URL) and on PGlite; prints the figures.
import { execFileSync } from "node:child_process";
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
  bytes?: number;
  buildSeconds?: number;
  cleanupSeconds?: number;
  workers?: Array<{ plan: number; render: number; write: number }>;
}

function runPhase(args: string[]): PhaseResult {
  execFileSync("sync"); // start each phase without the previous one's dirty pages to flush
  const out = execFileSync(process.execPath, [PHASE, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as PhaseResult;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(label: string, ingest: PhaseResult, builds: PhaseResult[]): void {
  console.log(`\n${label}`);
  console.log(`  ingest  ${fmt(ingest.rows!)} rows in ${fmt(ingest.seconds, 1)} s = ${fmt(ingest.rows! / ingest.seconds)} rows/s, peak RSS ${fmt(ingest.peakRssMB)} MB`);
  builds.forEach((b, i) => {
    const s = b.buildSeconds!;
    console.log(
      `  build ${i + 1} ${fmt(b.files!)} files, ${fmt(b.bytes! / 1e6, 1)} MB in ${fmt(s, 2)} s = ${fmt(b.files! / s)} files/s, ` +
        `${fmt(b.bytes! / 1e6 / s, 1)} MB/s, peak RSS ${fmt(b.peakRssMB)} MB; then ${fmt(b.cleanupSeconds!, 2)} s removing the previous tree`,
    );
    const w = b.workers!.map((x) => `${fmt(x.plan, 2)}/${fmt(x.render, 2)}/${fmt(x.write, 2)}`).join(", ");
    console.log(`          per worker, seconds spent planning/rendering/writing: ${w}`);
  });
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  let t = performance.now();
  const data = await ensureBenchDataset(DIR);
  console.log(`dataset: ${BENCH_PACKAGES} packages, ${BENCH_FROM}..${BENCH_TO}, ${fmt(statSync(data.rowsFile).size / 1e6, 1)} MB gzipped` +
    (data.generated ? ` (generated in ${fmt((performance.now() - t) / 1000, 1)} s)` : " (cached)"));
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
    const day = runPhase(["day", url.href, "", ""]);
    console.log(`\nPostgreSQL: one more day (${fmt(day.rows!)} rows) ingested and re-summarised in ${fmt(day.seconds, 2)} s (target ≤ 1 s)`);
    const builds = [1, 2, 3].map(() => runPhase(["build", url.href, `${DIR}/dist-pg`]));
    report(`PostgreSQL server (${url.host})`, ingest, builds);
    // What the disk alone costs for this tree, and what we cost without the disk.
    execFileSync("sync");
    t = performance.now();
    execFileSync("cp", ["-r", `${DIR}/dist-pg`, `${DIR}/dist-copy`]);
    const copySeconds = (performance.now() - t) / 1000;
    rmSync(`${DIR}/dist-copy`, { recursive: true, force: true });
    console.log(`  same machine, same run: \`cp -r\` of the built tree takes ${fmt(copySeconds, 2)} s (the file system's floor for ${fmt(builds[0]!.files!)} files)`);
    if (existsSync("/dev/shm")) {
      const shm = [1, 2].map(() => runPhase(["build", url.href, `/dev/shm/webstats-bench-dist`]));
      rmSync("/dev/shm/webstats-bench-dist", { recursive: true, force: true });
      console.log(`  into tmpfs (/dev/shm, no disk): ${shm.map((b) => `${fmt(b.buildSeconds!, 2)} s`).join(", ")}, peak RSS ${fmt(Math.max(...shm.map((b) => b.peakRssMB)))} MB`);
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
  const read = JSON.parse(execFileSync(process.execPath, [LOGS_PHASE, logs], { encoding: "utf8" }).trim()) as { files: number; lines: number; rows: number; gzBytes: number; seconds: number; cpuSeconds: number };
  const mb = read.gzBytes / 1e6;
  console.log(`\nCloudFront logs: ${read.files} files, ${fmt(read.lines)} lines, ${fmt(mb, 1)} MB gzipped; ${fmt(read.rows)} download rows selected`);
  console.log(`  webstats: ${fmt(read.seconds, 2)} s = ${fmt(read.lines / read.seconds)} lines/s, ${fmt(mb / read.seconds, 1)} MB/s gzipped (CPU ${fmt(read.cpuSeconds, 1)} s over ${fmt(read.seconds, 1)} s: both cores)`);
  console.log(`  zcat:     ${fmt(zcatSeconds, 2)} s = ${fmt(read.lines / zcatSeconds)} lines/s, ${fmt(mb / zcatSeconds, 1)} MB/s; webstats reaches ${fmt((100 * zcatSeconds) / read.seconds)}% of zcat's throughput (target ≥ 80%)`);

  const pgliteDir = `${DIR}/pglite`;
  rmSync(pgliteDir, { recursive: true, force: true });
  t = performance.now();
  const ingest = runPhase(["ingest", `pglite:${pgliteDir}`, data.rowsFile, data.packagesFile]);
  const builds = [1, 2].map(() => runPhase(["build", `pglite:${pgliteDir}`, `${DIR}/dist-pglite`]));
  report(`PGlite (${pgliteDir})`, ingest, builds);
  console.log(`\ntargets: full build ≤ 3 s on PostgreSQL, peak RSS ≤ 300 MB (the legacy renderer: ~51 s for a tree this size on this machine, as measured for issue 3)`);
}

await main();
