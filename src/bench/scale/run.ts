// npm run bench:scale [-- --years N --per-day N --regenerate --jobs N --skip PHASES]
// A production-scale benchmark (not in CI): generates (once, cached in a database named after
// the parameters) Bioconductor's real volume of download rows inside PostgreSQL, then measures
// webstats through its CLI only: summarize, the nightly, re-ingests, backfills, a build at 15
// years of history, database size.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { ensureScaleDatabase } from "./generate.js";
import { measuredBy, requirePsql, ROOT } from "./measure.js";
import { scaleModel } from "./model.js";
import { backfillLogsPhase, backfillRowsPhase, historyPhase, nightlyPhase, reingestPhase, sizesPhase, summarizePhase, type Context } from "./phases.js";
import { printReport, Results, writeReport } from "./report.js";

const PHASES = ["summarize", "nightly", "reingest", "backfill-rows", "backfill-logs", "history", "sizes"];
const USAGE = `usage: npm run bench:scale -- [--years N] [--per-day N] [--regenerate] [--jobs N] [--skip PHASES]
  --years N      years of rows ending 2025-12-31 (default 1)
  --per-day N    rows on a weekday (default 300000; weekends about half)
  --regenerate   generate again even if the database of these parameters is finished
  --jobs N       connections generating at once (default: cores, at most 2)
  --skip LIST    phases to leave out: ${PHASES.join(", ")} (every other phase needs the summarize phase: a run resets the cached database, and its summaries with it)
  --database N   the cache database's name (default: webstats_scale_yYEARS_pPERDAY)
Needs DATABASE_URL pointing at a server that keeps its databases (the cache); psql on PATH.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      years: { type: "string", default: "1" },
      "per-day": { type: "string", default: "300000" },
      regenerate: { type: "boolean", default: false },
      jobs: { type: "string", default: String(Math.min(2, availableParallelism())) },
      skip: { type: "string", default: "" },
      database: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const years = Number(values.years);
  const perDay = Number(values["per-day"]);
  const jobs = Number(values.jobs);
  const skip = new Set(values.skip.split(",").filter(Boolean));
  const unknown = [...skip].filter((s) => !PHASES.includes(s));
  if (
    values.help ||
    !Number.isInteger(years) ||
    years < 1 ||
    years > 20 ||
    !Number.isInteger(perDay) ||
    perDay < 1000 ||
    perDay > 10_000_000 ||
    !(jobs >= 1) ||
    unknown.length
  ) {
    console.error(unknown.length ? `unknown phases: ${unknown.join(", ")}\n${USAGE}` : USAGE);
    return values.help ? 0 : 2;
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error("bench:scale: no DATABASE_URL (run through `npm run bench:scale`)");
    return 2;
  }
  requirePsql();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const workDir = `${ROOT}bench-data/scale`;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const machine = `${availableParallelism()} cores, node ${process.version}, load ${execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`;

  const model = scaleModel(years, perDay);
  console.log(`bench:scale: ${model.from}..${model.to}, ${perDay.toLocaleString("en-US")} rows a weekday, ${model.packages.length} packages; ${machine}`);
  // The generation imports it into the packages table, the backfill phases into fresh databases.
  writeFileSync(
    `${workDir}/packages.csv`,
    ["package,category,first_version,last_version", ...model.packages.map((p) => `${p.package},${p.category},${p.first_version},${p.last_version}`)].join(
      "\n",
    ) + "\n",
  );
  const scale = await ensureScaleDatabase({ serverUrl, model, regenerate: values.regenerate, jobs, workDir, name: values.database });
  const results = new Results();
  const ctx: Context = { model, serverUrl, db: scale.db, name: scale.name, workDir, results, peakTempBytes: 0 };
  const failures: string[] = [];
  // A phase that fails is reported and the others still run: a long run keeps its other figures.
  const phase = async <T>(name: string, work: (c: Context) => Promise<T>): Promise<T | null> => {
    if (skip.has(name)) return null;
    try {
      return await work(ctx);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
      console.error(`bench:scale: phase ${name} failed: ${(e as Error).message}`);
      return null;
    }
  };
  try {
    await phase("summarize", summarizePhase);
    await phase("nightly", nightlyPhase);
    await phase("reingest", reingestPhase);
    await phase("backfill-rows", backfillRowsPhase);
    await phase("backfill-logs", backfillLogsPhase);
    await phase("history", historyPhase);
    const sizes = await phase("sizes", sizesPhase);
    const report = {
      parameters: { years, perDay, from: model.from, to: model.to, database: scale.name, jobs, measuredBy, machine, startedAt },
      cached: scale.cached,
      expected: model.expected,
      generation: scale.generation,
      shape: scale.shape,
      phases: results.phases,
      failures,
      sizes,
      disk: { databaseBytes: sizes?.databaseBytes ?? null, peakTempBytes: ctx.peakTempBytes },
      totalSeconds: (performance.now() - started) / 1000,
    };
    printReport(report);
    writeReport(`${ROOT}bench-data/scale-y${years}-p${perDay}-${startedAt.slice(0, 19).replace(/[-:]/g, "")}.json`, report);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return failures.length ? 1 : 0;
}

process.exitCode = await main();
