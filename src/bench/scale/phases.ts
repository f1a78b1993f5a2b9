// The measured phases, each a `node bin/webstats.js …` process (measure.ts) against the
// generated database or a fresh one; rows go in and out only as files (COPY through psql).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import pg from "pg";
import { backfillStages } from "../../ingest/backfill-stages.js";
import { addDays } from "../../domain/dates.js";
import type { IsoDate } from "../../domain/types.js";
import { databaseUrl, MID_DAY } from "./generate.js";
import { daySelect } from "./generator-sql.js";
import { writeCloudFrontLogs, writeEmptyLogDay } from "./logs.js";
import { copyLines, copyToFile, ROOT, runCli, type Measured } from "./measure.js";
import { dayKey, type DayPlan, type ScaleModel } from "./model.js";
import type { Results, Sizes } from "./report.js";

const HEADER = "date\tc-ip\tsc-status\tcategory\tpackage";
const BUCKET_PREFIX = "s3://site/packages/stats/";
const TABLES = ["bioc_web_downloads", "packages", "stats", "categorystats", "webstats_info", "webstats_ingest_runs"];
/** The month exported for the backfill phase: the seasonal high, ~8.5 M rows at the default volume. */
/** Two months: a run of more than one goes as a backfill does (rows stored, then one summarize), where a month alone takes the nightly's path. */
const BACKFILL_MONTHS: [IsoDate, IsoDate] = ["2025-02-01" as IsoDate, "2025-03-31" as IsoDate];

export interface Context {
  readonly model: ScaleModel;
  readonly serverUrl: string;
  readonly db: string;
  readonly name: string;
  readonly workDir: string;
  readonly results: Results;
  /** Temporary bytes on disk at most at one time (files and scratch databases), for the report. */
  peakTempBytes: number;
}

const measured = (m: Measured) => ({
  seconds: m.seconds,
  peakRssMB: m.peakRssMB,
  ...(m.serverTempMB !== null ? { serverTempMB: m.serverTempMB } : {}),
  ...(m.walMB !== null ? { walMB: m.walMB } : {}),
});
const n = (x: string) => Number(x.replace(/,/g, ""));
const select = `select date, "c-ip", "sc-status", category, package from bioc_web_downloads`;

/** A typical weekday after the range: exactly --per-day rows. */
function fullDay(model: ScaleModel, date: IsoDate): DayPlan {
  return { date, key: dayKey(date), total: model.perDay, population: Math.max(0, model.perDay - model.fixedRows) };
}

function sizeOf(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, f) => sum + sizeOf(`${path}/${f}`), 0);
}

function parseIngest(m: Measured): { rows: number; replaced: number; lines?: number; files?: number; stages?: string } {
  const j = JSON.parse(m.stdout.trim().split("\n").pop()!) as {
    rows: number;
    replaced: number;
    seconds: number;
    summarizeSeconds?: number;
    log: { files: number; lines: number } | null;
  };
  const stages = backfillStages(j);
  return { rows: j.rows, replaced: j.replaced, ...(j.log ? { lines: j.log.lines, files: j.log.files } : {}), ...(stages ? { stages } : {}) };
}

function parseBuild(m: Measured): { files?: number; note: string } {
  const x = /build: ([\d,]+) files, ([\d.]+) MB \(([\d,]+) written, ([\d,]+) removed/.exec(m.stdout);
  return x ? { files: n(x[1]!), note: `${x[2]} MB, ${x[3]} written, ${x[4]} removed` } : { note: m.stdout.trim() };
}

function parsePublish(m: Measured): { files?: number; note: string } {
  const x = /publish: ([\d,]+) uploaded \(([\d.]+) MB\), ([\d,]+) unchanged, ([\d,]+) deleted/.exec(m.stdout);
  if (x) return { files: n(x[1]!), note: `${x[1]} uploaded (${x[2]} MB), ${x[3]} unchanged` };
  const d = /would upload ([\d,]+), keep ([\d,]+), delete ([\d,]+)/.exec(m.stdout);
  return d ? { files: n(d[1]!), note: `would upload ${d[1]}, keep ${d[2]}` } : { note: m.stdout.trim() };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await work();
  return [r, (performance.now() - t) / 1000];
}

async function startS3(dir: string): Promise<{ endpoint: string; stop: () => void }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ["--openssl-legacy-provider", ROOT + "test/helpers/s3-server.mjs", dir, "site"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return { endpoint: `http://127.0.0.1:${chunk.toString().trim()}`, stop: () => child.kill() };
}

/** s3rver takes any credentials; publish finds these through the SDK's default chain. */
const S3_ENV = { ...process.env, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" };

export async function summarizePhase(ctx: Context): Promise<void> {
  const m = await runCli(ctx.db, ["summarize"]);
  ctx.results.add({ group: "2. summarize", phase: "webstats summarize (everything)", ...measured(m) });
}

/** A full build and a first publish (yesterday's site), then the nightly: one new day ingested, built, published. */
export async function nightlyPhase(ctx: Context): Promise<void> {
  const { model, db, results } = ctx;
  const site = `${ctx.workDir}/site`;
  for (const x of ["", ".slots", ".lock"]) rmSync(site + x, { recursive: true, force: true });
  const s3 = await startS3(`${ctx.workDir}/s3`);
  const group = "3. nightly";
  try {
    let m = await runCli(db, ["build", "--no-ingest", "--max-lag", "none", "--out", site]);
    results.add({ group, phase: "build, full (empty slots)", ...measured(m), ...parseBuild(m) });
    m = await runCli(db, ["--quiet", "publish", "--to", BUCKET_PREFIX, "--out", site, "--s3-endpoint", s3.endpoint], S3_ENV);
    results.add({ group, phase: "publish, first (empty bucket)", ...measured(m), ...parsePublish(m) });

    const day = addDays(model.to, 1);
    const file = `${ctx.workDir}/rows-${day}.tsv`;
    const [, exportSeconds] = await timed(() => copyToFile(db, daySelect(model, fullDay(model, day)), file, HEADER));
    ctx.peakTempBytes = Math.max(ctx.peakTempBytes, sizeOf(file) + sizeOf(site + ".slots") + sizeOf(`${ctx.workDir}/s3`));
    results.add({ group, phase: `generate ${day} rows file (psql COPY TO)`, seconds: exportSeconds, note: `${(sizeOf(file) / 1e6).toFixed(1)} MB` });
    m = await runCli(db, ["ingest", "--rows", file, "--json"]);
    const ingested = parseIngest(m);
    results.add({ group, phase: `ingest --rows (${day})`, ...measured(m), rows: ingested.rows });
    rmSync(file, { force: true });
    m = await runCli(db, ["build", "--no-ingest", "--max-lag", "none", "--out", site]);
    results.add({ group, phase: "build after the day", ...measured(m), ...parseBuild(m) });
    m = await runCli(db, ["--quiet", "publish", "--dry-run", "--to", BUCKET_PREFIX, "--out", site, "--s3-endpoint", s3.endpoint], S3_ENV);
    results.add({ group, phase: "publish --dry-run (populated bucket)", ...measured(m), ...parsePublish(m) });
    m = await runCli(db, ["--quiet", "publish", "--to", BUCKET_PREFIX, "--out", site, "--s3-endpoint", s3.endpoint], S3_ENV);
    results.add({ group, phase: "publish after the day", ...measured(m), ...parsePublish(m) });
    // The next two nights' ingests: after 31 December, the window still holds last year's days,
    // which a new day's pairs must be looked for in.
    for (const next of [addDays(day, 1), addDays(day, 2)]) {
      const nextFile = `${ctx.workDir}/rows-${next}.tsv`;
      await copyToFile(db, daySelect(model, fullDay(model, next)), nextFile, HEADER);
      m = await runCli(db, ["ingest", "--rows", nextFile, "--json"]);
      results.add({ group, phase: `ingest --rows (${next}, the next night)`, ...measured(m), rows: parseIngest(m).rows });
      rmSync(nextFile, { force: true });
    }
  } finally {
    s3.stop();
    for (const x of ["", ".slots", ".lock"]) rmSync(site + x, { recursive: true, force: true });
    rmSync(`${ctx.workDir}/s3`, { recursive: true, force: true });
  }
}

/** Re-ingests of stored days: unchanged, restated (+1% rows), and the last day of the range. */
export async function reingestPhase(ctx: Context): Promise<void> {
  const { model, db, results } = ctx;
  const group = "4. re-ingest";
  const mid = model.days.find((d) => d.date === MID_DAY)!;
  const cases: Array<[label: string, sql: string]> = [
    [`${MID_DAY}, unchanged`, `${select} where date = '${MID_DAY}'`],
    [
      `${MID_DAY}, restated (+1% rows)`,
      `${select} where date = '${MID_DAY}' union all ${daySelect(model, mid, { population: Math.round(mid.total / 100), keyOffset: 100_000, populationOnly: true })}`,
    ],
    [`${model.to} (last day of the range), unchanged`, `${select} where date = '${model.to}'`],
  ];
  for (const [label, sql] of cases) {
    const file = `${ctx.workDir}/rows-reingest.tsv`;
    await copyToFile(db, sql, file, HEADER);
    ctx.peakTempBytes = Math.max(ctx.peakTempBytes, sizeOf(file));
    const m = await runCli(db, ["ingest", "--rows", file, "--json"]);
    const r = parseIngest(m);
    results.add({ group, phase: `ingest --rows ${label}`, ...measured(m), rows: r.rows, note: `replaced ${r.replaced.toLocaleString("en-US")}` });
    rmSync(file, { force: true });
  }
  await dayIntoFullYear(ctx);
}

/**
 * A nightly's worst case: a day whose every pair goes into a full year's sets, as 31 December's
 * does. The bench's year is full already, so a day of it (outside the window) is taken out, by an
 * ingest of an empty log day, and put back from its rows.
 */
async function dayIntoFullYear(ctx: Context): Promise<void> {
  const { db, results } = ctx;
  const group = "4. re-ingest";
  const file = `${ctx.workDir}/rows-${MID_DAY}.tsv`;
  const dir = `${ctx.workDir}/logs-empty`;
  try {
    await copyToFile(db, `${select} where date = '${MID_DAY}'`, file, HEADER);
    writeEmptyLogDay(dir, MID_DAY);
    let m = await runCli(db, ["ingest", "--logs", dir, "--since", MID_DAY, "--until", MID_DAY, "--json"]);
    let r = parseIngest(m);
    results.add({
      group,
      phase: `ingest --logs ${MID_DAY} as an empty day (its rows taken out of the full year)`,
      ...measured(m),
      rows: r.rows,
      note: `replaced ${r.replaced.toLocaleString("en-US")}`,
    });
    m = await runCli(db, ["ingest", "--rows", file, "--json"]);
    r = parseIngest(m);
    results.add({
      group,
      phase: `ingest --rows ${MID_DAY} put back (every pair into the full year: a late-year nightly, the window aside)`,
      ...measured(m),
      rows: r.rows,
    });
  } finally {
    rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withScratchDatabase(ctx: Context, suffix: string, work: (db: string) => Promise<void>): Promise<void> {
  const name = `${ctx.name}_${suffix}`;
  const admin = new pg.Client({ connectionString: ctx.serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const db = databaseUrl(ctx.serverUrl, name);
    try {
      await work(db);
    } finally {
      const size = await admin.query("select pg_database_size($1)::bigint as b", [name]);
      ctx.peakTempBytes = Math.max(ctx.peakTempBytes, Number(size.rows[0]!.b) + sizeOf(`${ctx.workDir}/backfill.tsv.gz`) + sizeOf(`${ctx.workDir}/logs`));
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/** Backfill throughput on a fresh database: a month from a gzipped rows file. */
export async function backfillRowsPhase(ctx: Context): Promise<void> {
  const { model, db, results } = ctx;
  const group = "5. backfill";
  const file = `${ctx.workDir}/backfill.tsv.gz`;
  const months = `${BACKFILL_MONTHS[0].slice(0, 7)}..${BACKFILL_MONTHS[1].slice(5, 7)}`;
  try {
    const [, s] = await timed(() => copyToFile(db, `${select} where date between '${BACKFILL_MONTHS[0]}' and '${BACKFILL_MONTHS[1]}'`, file, HEADER));
    results.add({ group, phase: `export ${months} to a gzipped TSV (psql COPY TO)`, seconds: s, note: `${(sizeOf(file) / 1e6).toFixed(0)} MB gzipped` });
    await withScratchDatabase(ctx, "backfill", async (fresh) => {
      let m = await runCli(fresh, ["packages", "import", `${ctx.workDir}/packages.csv`]);
      results.add({ group, phase: "packages import (fresh database)", ...measured(m), note: `${model.packages.length} packages` });
      m = await runCli(fresh, ["ingest", "--rows", file, "--json"]);
      const r = parseIngest(m);
      results.add({ group, phase: `ingest --rows two months (${months}, gzipped)`, ...measured(m), rows: r.rows, ...(r.stages ? { note: r.stages } : {}) });
    });
  } finally {
    rmSync(file, { force: true });
  }
}

/** Backfill throughput on a fresh database: two production days of CloudFront logs. */
export async function backfillLogsPhase(ctx: Context): Promise<void> {
  const { model, db, results } = ctx;
  const group = "5. backfill";
  const first = addDays(model.to, 1);
  const last = addDays(first, 1);
  const dir = `${ctx.workDir}/logs`;
  rmSync(dir, { recursive: true, force: true });
  try {
    const rows = [first, last].map((d) => daySelect(model, fullDay(model, d))).join("\nunion all\n");
    const [written, s] = await timed(() => writeCloudFrontLogs(dir, copyLines(db, rows)));
    results.add({
      group,
      phase: `write CloudFront logs for ${first}..${last}`,
      seconds: s,
      lines: written.lines,
      files: written.files,
      note: `${written.downloadLines.toLocaleString("en-US")} download lines, ${(sizeOf(dir) / 1e6).toFixed(0)} MB gzipped`,
    });
    await withScratchDatabase(ctx, "logs", async (fresh) => {
      await runCli(fresh, ["packages", "import", `${ctx.workDir}/packages.csv`]);
      const m = await runCli(fresh, ["ingest", "--logs", dir, "--since", first, "--until", last, "--json"]);
      const r = parseIngest(m);
      results.add({
        group,
        phase: `ingest --logs (2 days, ${written.files} files)`,
        ...measured(m),
        rows: r.rows,
        ...(r.lines !== undefined ? { lines: r.lines } : {}),
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The years of history the history phase builds (Bioconductor's tree holds 2009 on). */
const HISTORY_YEARS = 15;
/** Left out of the history's copy: a build reads none of them. */
const NOT_BUILT_FROM = ["bioc_web_downloads", "webstats_*month_ips", "webstats_*year_pairs", "webstats_*year_unfiltered", "webstats_daily", "scale_bench_*"];

/** Resolves when `child` exits 0; rejects naming `what` otherwise. ("exit": a child whose output another child reads never "close"s.) */
async function succeeded(child: ReturnType<typeof spawn>, what: string): Promise<void> {
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${what} exited with ${code}`);
}

/** The summaries of `first` copied into `to` (a new database) for `years` years ending with it (scripts/history-copy.sql). */
async function copyHistory(from: string, to: string, first: number, years: number): Promise<void> {
  const dump = spawn("pg_dump", ["--no-owner", ...NOT_BUILT_FROM.flatMap((t) => ["--exclude-table-data", t]), "-d", from], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const load = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", to], { stdio: [dump.stdout!, "ignore", "inherit"] });
  await Promise.all([succeeded(dump, "pg_dump"), succeeded(load, "psql (loading the dump)")]);
  const copy = spawn("psql", ["-X", "-q", "-v", `years=${years}`, "-v", `first=${first}`, "-f", `${ROOT}scripts/history-copy.sql`, "-d", to], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await succeeded(copy, "psql -f scripts/history-copy.sql");
}

/**
 * A build at 15 years of history, as Bioconductor's: the first year's summaries copied to the
 * years before it in a scratch database (no raw rows: a build reads none), built into empty
 * slots twice (both slots), then with nothing changed.
 */
export async function historyPhase(ctx: Context): Promise<void> {
  const { model, results } = ctx;
  const group = "6. history";
  const first = Number(model.from.slice(0, 4));
  const site = `${ctx.workDir}/history-site`;
  await withScratchDatabase(ctx, "history", async (copy) => {
    const [, s] = await timed(() => copyHistory(ctx.db, copy, first, HISTORY_YEARS));
    results.add({ group, phase: `copy ${first}'s summaries to ${first - HISTORY_YEARS + 1}..${first} (pg_dump, history-copy.sql)`, seconds: s });
    try {
      for (const phase of ["build, full (empty slots)", "build, full (the other slot)", "build, nothing changed"]) {
        const m = await runCli(copy, ["build", "--no-ingest", "--max-lag", "none", "--out", site]);
        results.add({ group, phase: `${phase}, ${HISTORY_YEARS} years`, ...measured(m), ...parseBuild(m) });
        ctx.peakTempBytes = Math.max(ctx.peakTempBytes, sizeOf(`${site}.slots`));
      }
    } finally {
      for (const x of ["", ".slots", ".lock"]) rmSync(site + x, { recursive: true, force: true });
    }
  });
}

export async function sizesPhase(ctx: Context): Promise<Sizes> {
  const client = new pg.Client({ connectionString: ctx.db });
  await client.connect();
  try {
    const tables: Sizes["tables"] = [];
    for (const table of TABLES) {
      const r = await client.query(
        `select (select count(*) from ${table})::bigint as rows, pg_relation_size($1::regclass)::bigint as heap, pg_indexes_size($1::regclass)::bigint as idx, pg_total_relation_size($1::regclass)::bigint as total`,
        [table],
      );
      const x = r.rows[0]!;
      tables.push({ table, rows: Number(x.rows), heapBytes: Number(x.heap), indexBytes: Number(x.idx), totalBytes: Number(x.total) });
    }
    const db = await client.query("select pg_database_size(current_database())::bigint as b");
    return { databaseBytes: Number(db.rows[0]!.b), tables };
  } finally {
    await client.end();
  }
}
