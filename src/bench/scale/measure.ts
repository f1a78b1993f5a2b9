// Running webstats as a separate process, measured: wall time and peak RSS from GNU time
// (`/usr/bin/time -f '%e %M'`: elapsed seconds, the process's maximum resident set in KB; worker
// threads are part of that process), or, where GNU time is not installed, from a wrapper
// (rss-wrapper.ts) that runs the CLI in its own process and reports process.resourceUsage().
// Also: psql's `COPY … TO STDOUT` into files, the only way this harness reads rows out in bulk.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import pg from "pg";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = ROOT + "bin/webstats.js";
const WRAPPER = fileURLToPath(new URL("./rss-wrapper.js", import.meta.url));
const GNU_TIME = "/usr/bin/time";
/** No phase is cut short before this: today's summaries take minutes on 100 M rows. */
export const PHASE_TIMEOUT_MS = 6 * 3600 * 1000;

export const measuredBy = existsSync(GNU_TIME) ? "GNU time (/usr/bin/time -f '%e %M')" : "process.resourceUsage() in a wrapper process";

export interface Measured {
  readonly seconds: number;
  readonly peakRssMB: number;
  /** The server's temporary files (sorts, hashes spilled to disk) at most, sampled every second; null if not readable. */
  readonly serverTempMB: number | null;
  /** The server's WAL written while it ran (pg_current_wal_lsn() before and after: what a replica or the archive receives); null if not readable. */
  readonly walMB: number | null;
  readonly stdout: string;
}

/** The WAL the server writes from now until stopped, in MB. */
async function measureWal(db: string): Promise<{ stop(): Promise<number | null> }> {
  const query = async (text: string, values: string[] = []) => {
    const client = new pg.Client({ connectionString: db });
    client.on("error", () => {});
    try {
      await client.connect();
      return String((await client.query(text, values)).rows[0]!.x);
    } finally {
      await client.end().catch(() => {});
    }
  };
  const start = await query("select pg_current_wal_lsn()::text as x").catch(() => null);
  return {
    async stop() {
      if (start === null) return null;
      const bytes = await query("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) as x", [start]).catch(() => null);
      return bytes === null ? null : Number(bytes) / 1e6;
    },
  };
}

/** Samples pg_ls_tmpdir() (superusers and pg_monitor members may read it) until stopped. */
function sampleServerTemp(db: string): { stop(): Promise<number | null> } {
  const client = new pg.Client({ connectionString: db });
  let peak: number | null = 0;
  let timer: NodeJS.Timeout | undefined;
  const sample = async () => {
    try {
      const r = await client.query("select coalesce(sum(size), 0)::bigint as b from pg_ls_tmpdir()");
      peak = Math.max(peak ?? 0, Number(r.rows[0]!.b));
      timer = setTimeout(sample, 1000);
    } catch {
      peak = null;
    }
  };
  const started = client.connect().then(sample, () => {
    peak = null;
  });
  client.on("error", () => {});
  return {
    async stop() {
      await started;
      clearTimeout(timer);
      await client.end().catch(() => {});
      return peak === null ? null : peak / 1e6;
    },
  };
}

/** `node bin/webstats.js --db URL ARGS…`: progress (stderr) goes to our terminal, stdout is kept (and echoed). */
export async function runCli(db: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  execFileSync("sync"); // start without the previous phase's dirty pages to flush
  const report = join(tmpdir(), `webstats-scale-${process.pid}-${Date.now()}.rss`);
  const cli = ["--db", db, ...args];
  const [command, argv] = existsSync(GNU_TIME)
    ? [GNU_TIME, ["-f", "%e %M", "-o", report, process.execPath, BIN, ...cli]]
    : [process.execPath, [WRAPPER, report, BIN, ...cli]];
  const temp = sampleServerTemp(db);
  const wal = await measureWal(db);
  const child = spawn(command, argv, { stdio: ["ignore", "pipe", "inherit"], env, timeout: PHASE_TIMEOUT_MS, killSignal: "SIGKILL" });
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
    process.stdout.write(s.replace(/^(?=.)/gm, "    "));
  });
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  const serverTempMB = await temp.stop();
  const walMB = await wal.stop();
  try {
    if (code !== 0) throw new Error(`webstats ${args.join(" ")}: ${signal ? `killed by ${signal}` : `exit ${code}`}`);
    const [seconds, kb] = readFileSync(report, "utf8").trim().split("\n").pop()!.trim().split(/\s+/).map(Number);
    return { seconds: seconds!, peakRssMB: kb! / 1024, serverTempMB, walMB, stdout };
  } finally {
    rmSync(report, { force: true });
  }
}

/** `COPY (select …) TO STDOUT` through psql into FILE (gzipped if it ends in .gz), after a header line. */
export async function copyToFile(db: string, select: string, file: string, header: string): Promise<void> {
  const psql = spawnPsql(db, select);
  const out = createWriteStream(file);
  const exited = once(psql, "exit");
  if (file.endsWith(".gz")) {
    const gzip = createGzip({ level: 1 });
    gzip.write(header + "\n");
    await pipeline(psql.stdout!, gzip, out);
  } else {
    out.write(header + "\n");
    await pipeline(psql.stdout!, out);
  }
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`psql copy into ${file}: exit ${code}`);
}

/** The rows of `COPY (select …) TO STDOUT`, line by line, for generators that reshape them. */
export async function* copyLines(db: string, select: string): AsyncGenerator<string> {
  const psql = spawnPsql(db, select);
  const exited = once(psql, "exit");
  let rest = "";
  for await (const chunk of psql.stdout!.setEncoding("utf8")) {
    const lines = (rest + (chunk as string)).split("\n");
    rest = lines.pop()!;
    yield* lines;
  }
  if (rest) yield rest;
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`psql copy: exit ${code}`);
}

function spawnPsql(db: string, select: string) {
  // Dates as YYYY-MM-DD whatever the server's DateStyle.
  return spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", `copy (${select}) to stdout`], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PGDATESTYLE: "ISO" },
  });
}

export function requirePsql(): void {
  try {
    execFileSync("psql", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("bench:scale needs psql (Debian: postgresql-client) for COPY … TO STDOUT");
  }
}
