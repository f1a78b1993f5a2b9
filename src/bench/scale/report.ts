// The figures: one line per phase as it ends, the table at the end, and the JSON file.
import { writeFileSync } from "node:fs";
import type { Generation, Shape } from "./generate.js";
import type { ScaleModel } from "./model.js";

/** The database and its tables' sizes, as the sizes phase measures them. */
export interface Sizes {
  readonly databaseBytes: number;
  readonly tables: Array<{ table: string; rows: number; heapBytes: number; indexBytes: number; totalBytes: number }>;
}

export interface PhaseResult {
  readonly group: string;
  readonly phase: string;
  readonly seconds: number;
  readonly peakRssMB?: number;
  /** The PostgreSQL server's temporary files at most during the phase. */
  readonly serverTempMB?: number;
  /** The server's WAL written during the phase. */
  readonly walMB?: number;
  readonly rows?: number;
  readonly lines?: number;
  readonly files?: number;
  readonly note?: string;
}

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const gb = (bytes: number) => `${fmt(bytes / 1e9, 2)} GB`;

export class Results {
  readonly phases: PhaseResult[] = [];

  add(r: PhaseResult): void {
    this.phases.push(r);
    const rate = r.rows !== undefined && r.seconds > 0 ? `, ${fmt(r.rows / r.seconds)} rows/s` : "";
    console.log(
      `  ${r.group} | ${r.phase}: ${fmt(r.seconds, 1)} s${r.peakRssMB ? `, peak RSS ${fmt(r.peakRssMB)} MB` : ""}${r.serverTempMB ? `, server temp files ${fmt(r.serverTempMB)} MB` : ""}${r.walMB !== undefined ? `, WAL ${fmt(r.walMB)} MB` : ""}${r.rows !== undefined ? `, ${fmt(r.rows)} rows` : ""}${rate}${r.note ? ` (${r.note})` : ""}`,
    );
  }
}

function table(header: string[], rows: string[][], right: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export interface Report {
  readonly parameters: {
    years: number;
    perDay: number;
    from: string;
    to: string;
    database: string;
    jobs: number;
    measuredBy: string;
    machine: string;
    startedAt: string;
  };
  readonly cached: boolean;
  readonly expected: ScaleModel["expected"];
  readonly generation: Generation;
  readonly shape: Shape;
  readonly phases: readonly PhaseResult[];
  readonly failures: readonly string[];
  readonly sizes: Sizes | null;
  /** databaseBytes: null when the sizes phase was skipped. */
  readonly disk: { readonly databaseBytes: number | null; readonly peakTempBytes: number };
  readonly totalSeconds: number;
}

export function printReport(r: Report): void {
  const g = r.generation;
  const s = r.shape;
  console.log(
    `\n== webstats bench:scale, ${r.parameters.from}..${r.parameters.to}, --per-day ${fmt(r.parameters.perDay)} (${r.parameters.database}; ${r.parameters.machine}) ==`,
  );
  console.log(
    `wall time and peak RSS of each webstats process: ${r.parameters.measuredBy}; server temp: pg_ls_tmpdir() sampled every second; WAL: pg_current_wal_lsn() before and after, the whole server's\n`,
  );
  const rows: string[][] = [
    [
      "1. generation",
      `insert … select, ${g.jobs} connections${r.cached ? " (cached from an earlier run)" : ""}`,
      fmt(g.insertSeconds, 1),
      "",
      "",
      "",
      fmt(g.rows),
      fmt(g.rowsPerSecond),
      "",
      `+ date index ${fmt(g.indexSeconds, 1)} s, vacuum ${fmt(g.vacuumSeconds, 1)} s, shape queries ${fmt(g.shapeSeconds, 1)} s`,
    ],
    ...r.phases.map((p) => [
      p.group,
      p.phase,
      fmt(p.seconds, 1),
      p.peakRssMB ? fmt(p.peakRssMB) : "",
      p.serverTempMB !== undefined ? fmt(p.serverTempMB) : "",
      p.walMB !== undefined ? fmt(p.walMB) : "",
      p.rows !== undefined ? fmt(p.rows) : "",
      p.rows !== undefined && p.seconds > 0 ? fmt(p.rows / p.seconds) : "",
      p.lines !== undefined && p.seconds > 0 ? fmt(p.lines / p.seconds) : "",
      [p.files !== undefined ? `${fmt(p.files)} files` : "", p.note ?? ""].filter(Boolean).join("; "),
    ]),
  ];
  console.log(
    table(["group", "phase", "seconds", "peak RSS MB", "server temp MB", "WAL MB", "rows", "rows/s", "lines/s", "notes"], rows, new Set([2, 3, 4, 5, 6, 7, 8])),
  );

  console.log(`\nshape of ${s.year} (measured with SQL; the calibration's aim in brackets):`);
  console.log(
    `  rows ${fmt(s.rows)} [${fmt(r.expected.yearRows)}]; weekdays ${fmt(g.weekday.mean)} a day (${fmt(g.weekday.min)}–${fmt(g.weekday.max)}), weekends ${fmt(g.weekend.mean)} (${fmt(g.weekend.min)}–${fmt(g.weekend.max)})`,
  );
  console.log(
    `  ${s.top.package}: ${fmt(s.top.downloads)} downloads [${fmt(r.expected.topDownloads)}] = ${fmt((100 * s.top.downloads) / s.rows, 2)}% of rows, ` +
      `${fmt(s.top.distinctIps)} distinct IPs [${fmt(r.expected.topDistinctIps)}], ${fmt(s.top.downloadsPerIp, 2)} downloads per IP; top month ${s.top.topMonth}: ${fmt(s.top.topMonthDownloads)}`,
  );
  console.log(
    `  distinct IPs in the year ${fmt(s.distinctIps)}; crawler rows ${fmt(s.crawlerRows)} (${fmt(r.expected.crawlerRowsPerDay)} a day), CI rows ${fmt(s.ciRowsPerDay)} a day`,
  );
  console.log(
    `  counted statuses ${fmt((100 * s.countedRows) / s.rows, 1)}% (${Object.entries(s.statuses)
      .map(([k, v]) => `${k}: ${fmt((100 * v) / s.rows, 1)}%`)
      .join(", ")}); ` +
      `package not in packages: ${fmt((100 * s.unknownPackageRows) / s.rows, 2)}%; Zipf exponent 1.05, offset ${fmt(r.expected.zipfOffset, 2)}`,
  );

  if (r.sizes) {
    const downloads = r.sizes.tables.find((t) => t.table === "bioc_web_downloads")!;
    const perMillion = (b: number) => (downloads.rows > 0 ? `${fmt(b / (downloads.rows / 1e6) / 1e6, 1)} MB` : "");
    console.log(`\n6. database size (${gb(r.sizes.databaseBytes)} in all = ${perMillion(r.sizes.databaseBytes)} per million download rows):`);
    console.log(
      table(
        ["table", "rows", "heap", "indexes", "total", "per M download rows"],
        r.sizes.tables.map((t) => [
          t.table,
          fmt(t.rows),
          `${fmt(t.heapBytes / 1e6, 1)} MB`,
          `${fmt(t.indexBytes / 1e6, 1)} MB`,
          `${fmt(t.totalBytes / 1e6, 1)} MB`,
          perMillion(t.totalBytes),
        ]),
        new Set([1, 2, 3, 4, 5]),
      ),
    );
  }
  const temp = r.phases.reduce<PhaseResult | null>((a, p) => ((p.serverTempMB ?? 0) > (a?.serverTempMB ?? 0) ? p : a), null);
  console.log(
    `\ndisk: ${r.disk.databaseBytes === null ? "" : `the generated database ${gb(r.disk.databaseBytes)} (kept, the cache for the next run); `}temporaries at most ${gb(r.disk.peakTempBytes)} at once (deleted)` +
      (temp ? `; the server's temporary files up to ${gb(temp.serverTempMB! * 1e6)} (${temp.phase})` : ""),
  );
  for (const f of r.failures) console.log(`FAILED ${f}`);
  console.log(`total ${fmt(r.totalSeconds / 60, 1)} min`);
}

export function writeReport(path: string, r: Report): void {
  writeFileSync(path, JSON.stringify(r, null, 2) + "\n");
  console.log(`figures: ${path}`);
}
