// The cached production-scale database: created once per (years, per-day), filled day by day
// with `insert … select` from generator-sql.ts on a few connections at once, the date index
// built after loading, vacuumed, measured (shape), and marked finished in webstats_info. A later
// run finds the marker and only puts back what the previous run's phases changed.
import pg from "pg";
import type { IsoDate } from "../../domain/types.js";
import { daySelect, ipSql, loadModelTables } from "./generator-sql.js";
import { runCli } from "./measure.js";
import { COUNTED_STATUSES, CRAWLER_IPS, GENERATOR_VERSION, ringIp, type DayPlan, type ScaleModel } from "./model.js";

const MARKER = "ScaleBenchGenerated";
/** The day the re-ingest phase restates; put back by every run before its phases. */
export const MID_DAY = "2025-07-16" as IsoDate;
const COUNTED = COUNTED_STATUSES.join(", ");

export interface Generation {
  readonly rows: number;
  readonly days: number;
  readonly jobs: number;
  /** Loading the rows (no index). */
  readonly insertSeconds: number;
  readonly rowsPerSecond: number;
  readonly indexSeconds: number;
  readonly vacuumSeconds: number;
  /** The shape queries below (a few scans of the table). */
  readonly shapeSeconds: number;
  readonly weekday: { readonly days: number; readonly mean: number; readonly min: number; readonly max: number };
  readonly weekend: { readonly days: number; readonly mean: number; readonly min: number; readonly max: number };
}

/** What the generated data look like, measured with SQL over the last year of the range. */
export interface Shape {
  readonly year: number;
  readonly rows: number;
  readonly countedRows: number;
  readonly unknownPackageRows: number;
  readonly crawlerRows: number;
  readonly ciRowsPerDay: number;
  readonly distinctIps: number;
  readonly top: {
    readonly package: string;
    readonly downloads: number;
    readonly distinctIps: number;
    readonly downloadsPerIp: number;
    readonly topMonth: string;
    readonly topMonthDownloads: number;
  };
  readonly statuses: Record<string, number>;
}

export interface ScaleDatabase {
  readonly db: string;
  readonly name: string;
  readonly cached: boolean;
  readonly generation: Generation;
  readonly shape: Shape;
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("set synchronous_commit = off; set jit = off");
  return client;
}

function progress(): { update(text: string): void; done(text: string): void } {
  let last = 0;
  const tty = process.stderr.isTTY;
  return {
    update(text) {
      if (!tty || Date.now() - last < 200) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[K${text}`);
    },
    done(text) {
      if (tty) process.stderr.write("\r\x1b[K");
      console.log(text);
    },
  };
}

export async function ensureScaleDatabase(o: {
  serverUrl: string;
  model: ScaleModel;
  regenerate: boolean;
  jobs: number;
  workDir: string;
  name?: string | undefined;
}): Promise<ScaleDatabase> {
  const { model } = o;
  const name = o.name ?? `webstats_scale_y${model.years}_p${model.perDay}`;
  const db = databaseUrl(o.serverUrl, name);
  const admin = await connect(o.serverUrl);
  try {
    const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
    if (exists && !o.regenerate) {
      const cached = await readCache(db);
      if (cached) {
        console.log(`generation: cached in ${name} (${cached.generation.rows.toLocaleString("en-US")} rows); putting back the days the last run changed`);
        await resetForRun(db, model);
        return { db, name, cached: true, ...cached };
      }
      console.log(`generation: ${name} exists but is unfinished or of another generator version; generating again`);
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  // The schema and the packages come from webstats itself.
  await runCli(db, ["packages", "import", `${o.workDir}/packages.csv`]);
  const { generation, shape } = await generate(db, model, o.jobs);
  return { db, name, cached: false, generation, shape };
}

async function readCache(db: string): Promise<{ generation: Generation; shape: Shape } | null> {
  const client = await connect(db);
  try {
    const marker = await client.query("select value from webstats_info where key = $1", [MARKER]);
    const value = marker.rows[0]?.value as string | undefined;
    if (!value || JSON.parse(value).v !== GENERATOR_VERSION) return null;
    const rows = await client.query("select key, value from scale_bench_meta");
    const meta = Object.fromEntries(rows.rows.map((r: { key: string; value: unknown }) => [r.key, r.value]));
    return { generation: meta.generation as Generation, shape: meta.shape as Shape };
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** Everything a run changes, put back: later days, the restated day, ValidThru; the summaries are left to the summarize phase. */
async function resetForRun(db: string, model: ScaleModel): Promise<void> {
  const client = await connect(db);
  try {
    const mid = model.days.find((d) => d.date === MID_DAY)!;
    await client.query("begin");
    await client.query("delete from bioc_web_downloads where date > $1 or date = $2", [model.to, MID_DAY]);
    await client.query(`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package) ${daySelect(model, mid)}`);
    await client.query("truncate stats, categorystats, webstats_ingest_runs restart identity");
    await setValidThru(client, model.to);
    // The days deleted above are still in the summaries: until the summarize phase makes them
    // again, webstats refuses to ingest or build here (a run with `--skip summarize` measured the
    // other phases on empty stats and on IP sets holding days the raw table no longer had).
    await client.query("update webstats_info set value = 'missing' where key = 'SummaryTables'");
    await client.query("commit");
    await client.query("vacuum (analyze) bioc_web_downloads");
  } finally {
    await client.end();
  }
}

async function setValidThru(client: pg.Client, day: string): Promise<void> {
  await client.query("insert into webstats_info (key, value) values ('ValidThru', $1) on conflict (key) do update set value = excluded.value", [day]);
}

async function generate(db: string, model: ScaleModel, jobs: number): Promise<{ generation: Generation; shape: Shape }> {
  const main = await connect(db);
  try {
    await loadModelTables(main, model);
    await checkIps(main);
    await main.query("drop index if exists idx_bioc_web_downloads_date");
    await main.query("truncate bioc_web_downloads");
    await main.query("drop table if exists scale_bench_meta; create table scale_bench_meta (key text primary key, value jsonb not null)");

    const days = model.days;
    const counts = new Map<string, number>();
    let next = 0;
    let rows = 0;
    const started = performance.now();
    const show = progress();
    const worker = async () => {
      const client = await connect(db);
      try {
        while (next < days.length) {
          const day = days[next++]!;
          const r = await client.query(`insert into bioc_web_downloads (date, "c-ip", "sc-status", category, package) ${daySelect(model, day)}`);
          counts.set(day.date, r.rowCount ?? 0);
          rows += r.rowCount ?? 0;
          const s = (performance.now() - started) / 1000;
          show.update(
            `generation: ${counts.size}/${days.length} days, ${rows.toLocaleString("en-US")} rows (${Math.round(rows / s).toLocaleString("en-US")} rows/s)`,
          );
        }
      } finally {
        await client.end();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
    const insertSeconds = (performance.now() - started) / 1000;
    show.done(
      `generation: ${rows.toLocaleString("en-US")} rows over ${days.length} days in ${insertSeconds.toFixed(1)} s (${Math.round(rows / insertSeconds).toLocaleString("en-US")} rows/s, ${jobs} connections)`,
    );

    let t = performance.now();
    await main.query("set maintenance_work_mem = '1GB'");
    // sql/002_indexes.sql's index, built once after loading instead of row by row.
    await main.query("create index idx_bioc_web_downloads_date on bioc_web_downloads (date)");
    const indexSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await main.query("vacuum (analyze) bioc_web_downloads");
    const vacuumSeconds = (performance.now() - t) / 1000;
    console.log(`generation: date index in ${indexSeconds.toFixed(1)} s, vacuum analyze in ${vacuumSeconds.toFixed(1)} s`);
    await setValidThru(main, model.to);

    t = performance.now();
    const shape = await measureShape(main, model);
    const shapeSeconds = (performance.now() - t) / 1000;
    const stat = (ds: DayPlan[]) => {
      const xs = ds.map((d) => counts.get(d.date)!);
      return { days: xs.length, mean: Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)), min: Math.min(...xs), max: Math.max(...xs) };
    };
    const weekend = (d: DayPlan) => [0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay());
    const generation: Generation = {
      rows,
      days: days.length,
      jobs,
      insertSeconds,
      rowsPerSecond: rows / insertSeconds,
      indexSeconds,
      vacuumSeconds,
      shapeSeconds,
      weekday: stat(days.filter((d) => !weekend(d))),
      weekend: stat(days.filter(weekend)),
    };
    await main.query("insert into scale_bench_meta values ('generation', $1), ('shape', $2)", [JSON.stringify(generation), JSON.stringify(shape)]);
    await main.query("insert into webstats_info (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value", [
      MARKER,
      JSON.stringify({ v: GENERATOR_VERSION, rows, at: new Date().toISOString().slice(0, 19) }),
    ]);
    return { generation, shape };
  } finally {
    await main.end();
  }
}

/** The CI machines' IPs were computed in TypeScript: the SQL must agree, or they could meet population IPs. */
async function checkIps(client: pg.Client): Promise<void> {
  const positions = [0, 1, 15, 16, 65536 * 16, 123457, 5_999_999, 1 << 30];
  const r = await client.query(`select ${ipSql("pos")} as ip from unnest($1::bigint[]) with ordinality as t(pos, n) order by n`, [positions]);
  r.rows.forEach((row: { ip: string }, i) => {
    if (row.ip !== ringIp(positions[i]!)) throw new Error(`ring IP ${positions[i]}: SQL ${row.ip}, TypeScript ${ringIp(positions[i]!)}`);
  });
}

async function measureShape(client: pg.Client, model: ScaleModel): Promise<Shape> {
  const show = progress();
  show.update("generation: measuring the shape (scans of the last year)");
  const [from, to] = ["2025-01-01", "2025-12-31"];
  await client.query("set work_mem = '1GB'");
  const crawlers = CRAWLER_IPS.map((ip) => `'${ip}'`).join(", ");
  const a = await client.query(
    `select count(*)::bigint as rows, count(*) filter (where d."sc-status" in (${COUNTED}))::bigint as counted,
            count(*) filter (where p.package is null)::bigint as unknown, count(*) filter (where d."c-ip" in (${crawlers}))::bigint as crawlers
     from bioc_web_downloads d left join packages p on p.package = d.package and p.category = d.category
     where d.date between $1 and $2`,
    [from, to],
  );
  const statuses = await client.query(
    `select "sc-status" as s, count(*)::bigint as n from bioc_web_downloads where date between $1 and $2 group by 1 order by 1`,
    [from, to],
  );
  const ips = await client.query(`select count(*)::bigint as n from (select "c-ip" from bioc_web_downloads where date between $1 and $2 group by 1) x`, [
    from,
    to,
  ]);
  const top = model.pick[0]!;
  const t = await client.query(
    `select to_char(date, 'YYYY-MM') as month, count(*)::bigint as downloads, count(distinct "c-ip")::bigint as ips
     from bioc_web_downloads where package = $1 and category = $2 and "sc-status" in (${COUNTED}) and date between $3 and $4
     group by rollup (1) order by 1 nulls first`,
    [top.package, top.category, from, to],
  );
  await client.query("reset work_mem");
  show.done("generation: shape measured");
  const year = t.rows[0]!;
  const months = t.rows.slice(1).sort((x, y) => Number(y.downloads) - Number(x.downloads));
  const r = a.rows[0]!;
  return {
    year: 2025,
    rows: Number(r.rows),
    countedRows: Number(r.counted),
    unknownPackageRows: Number(r.unknown),
    crawlerRows: Number(r.crawlers),
    ciRowsPerDay: model.expected.ciRowsPerDay,
    distinctIps: Number(ips.rows[0]!.n),
    top: {
      package: top.package,
      downloads: Number(year.downloads),
      distinctIps: Number(year.ips),
      downloadsPerIp: Number(year.downloads) / Number(year.ips),
      topMonth: months[0]?.month ?? "",
      topMonthDownloads: Number(months[0]?.downloads ?? 0),
    },
    statuses: Object.fromEntries(statuses.rows.map((x: { s: number; n: string }) => [String(x.s), Number(x.n)])),
  };
}
