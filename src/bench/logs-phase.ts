// The log-ingest benchmark, in its own process: read every file, select the downloads (what
// `ingest --logs` does before the database), and report lines/s, MB/s and CPU use.
import { statSync } from "node:fs";
import { addDays } from "../domain/dates.js";
import { emptyLogReport, logRows } from "../ingest/log-rows.js";
import { listLocalLogs } from "../sources/log-files.js";
import { countLines } from "../sources/batches.js";
import { LOG_DAYS, LOG_FIRST } from "./cloudfront-logs.js";

const dir = process.argv[2]!;
const last = addDays(LOG_FIRST, LOG_DAYS - 1);
const files = await listLocalLogs(dir, LOG_FIRST, last);
const gzBytes = files.reduce((s, f) => s + statSync(f.name).size, 0);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = emptyLogReport();
let rows = 0;
for await (const _ of logRows(files, { first: LOG_FIRST, last, maxBadLines: { count: 0 }, skipBadFiles: false }, report)) rows += countLines(_);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ files: files.length, lines: report.lines, rows, gzBytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }) + "\n");
