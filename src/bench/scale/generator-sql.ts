// The generator's SQL: one day of rows as a plain SELECT, computed inside PostgreSQL from hashes
// of (day, package rank, row number), so that `insert … select` loads it and `COPY (select …)
// TO STDOUT` exports the very same rows as a file. Every random choice is hashint8extended of a
// row number and a seed made of (day, package, stream): two runs give identical rows.
//
// Per day and package, the row count is the package's share of the day's population rows
// (± 15%, rounded at random); each row draws a slot of the package's IP pool (an arc of the
// population ring) and a status. CI machines add one download of each of their top-k packages,
// crawlers one of every package.
import type pg from "pg";
import { CRAWLER_IPS, STATUS_CUTS, type DayPlan, type ScaleModel } from "./model.js";

/** Holds the model's packages (known and unknown names) and CI machines; the day SELECTs read them. */
export async function loadModelTables(client: pg.Client, model: ScaleModel): Promise<void> {
  await client.query(`
    drop table if exists scale_bench_pick, scale_bench_ci;
    create table scale_bench_pick (idx integer primary key, package text not null, category text not null, w float8 not null, pool bigint not null, off bigint not null, known boolean not null);
    create table scale_bench_ci (j integer primary key, ip text not null, k integer not null);`);
  const p = model.pick;
  await client.query(
    `insert into scale_bench_pick select * from unnest($1::int[], $2::text[], $3::text[], $4::float8[], $5::bigint[], $6::bigint[], $7::boolean[])`,
    [
      p.map((x) => x.idx),
      p.map((x) => x.package),
      p.map((x) => x.category),
      p.map((x) => x.w),
      p.map((x) => x.pool),
      p.map((x) => x.off),
      p.map((x) => x.known),
    ],
  );
  const c = model.ci;
  await client.query(`insert into scale_bench_ci select * from unnest($1::int[], $2::text[], $3::int[])`, [
    c.map((x) => x.j),
    c.map((x) => x.ip),
    c.map((x) => x.k),
  ]);
  await client.query("analyze scale_bench_pick; analyze scale_bench_ci");
}

/** SQL of the IP at ring position `pos` (a bigint expression); model.ts's ringIp is the same in TypeScript. */
export function ipSql(pos: string): string {
  return (
    `case when ${pos} % 16 = 0 then '2001:db8:' || to_hex(${pos} >> 16) || ':' || to_hex(${pos} & 65535) || '::1' ` +
    `else host('1.0.0.0'::inet + (${pos} * 2654435761 % 3741319168)) end`
  );
}

function statusSql(h: string): string {
  return `case ${STATUS_CUTS.slice(0, -1)
    .map(([limit, status]) => `when (${h} & 255) < ${limit} then ${status}`)
    .join(" ")} else ${STATUS_CUTS.at(-1)![1]} end`;
}

// hashint8extended(value, seed) folds a bigint value to 32 bits before hashing, but mixes all 64
// bits of the seed: the structured key (day, package, stream) goes into the seed, the small row
// number into the value.
const unitSql = (value: number, seed: string) => `((hashint8extended(${value}, ${seed}) & 1048575)::float8 / 1048576)`;

export interface DayParts {
  /** Rows drawn from the population; default the day's plan. */
  readonly population?: number;
  /** Added to the day's key: other rows for the same date (a restatement's extra rows). */
  readonly keyOffset?: number;
  /** Leave out the CI machines and crawlers. */
  readonly populationOnly?: boolean;
}

/** One day's rows: `select date, "c-ip", "sc-status", category, package`. */
export function daySelect(model: ScaleModel, day: DayPlan, parts: DayParts = {}): string {
  const key = day.key + (parts.keyOffset ?? 0);
  const date = `date '${day.date}'`;
  const seed = `((${key}::bigint * 8192 + p.idx) * 16)`;
  const population = parts.population ?? day.population;
  const count = `floor(${population} * p.w * (0.85 + 0.3 * ${unitSql(7, seed)}) + ${unitSql(8, seed)})::int`;
  const selects = [
    `select ${date} as date, ${ipSql("x.pos")} as "c-ip", ${statusSql("x.h")} as "sc-status", x.category, x.package from (
       select g.package, g.category, g.h, (g.off + ((((g.h >> 8) & 16777215) * g.pool) >> 24)) % ${model.ring} as pos
       from (select p.package, p.category, p.pool, p.off, hashint8extended(generate_series(0, ${count} - 1), ${seed} + 1) as h
             from scale_bench_pick p) g
       offset 0) x`,
  ];
  if (!parts.populationOnly) {
    selects.push(
      `select ${date}, c.ip, ${statusSql(`hashint8extended(c.j, ${seed} + 2)`)}, p.category, p.package
       from scale_bench_ci c join scale_bench_pick p on p.idx <= c.k`,
      `select ${date}, c.ip, 200, p.category, p.package
       from scale_bench_pick p cross join (values ${CRAWLER_IPS.map((ip, k) => `(${k}, '${ip}')`).join(", ")}) c(k, ip)
       where p.known and (hashint8extended(c.k, ${seed} + 3) & 1048575) < ${Math.round(model.crawlerShare * 1048576)}`,
    );
  }
  return selects.join("\nunion all\n");
}
