// stats and categorystats, recomputed for the months and years a set of days touches, with the
// legacy views' rules (v_stats, v_categorystats): only (package, category) pairs known in
// `packages`, only statuses 200, 301, 302, 307, 308; distinct IPs per period (per category,
// not summed, for categorystats).
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { dateParts, isoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import type { Database } from "../store/schema.js";

export const COUNTED_STATUSES = [200, 301, 302, 307, 308] as const;

export interface AffectedPeriods {
  /** [from, to) of the whole months touched. */
  readonly months: readonly [IsoDate, IsoDate];
  /** [from, to) of the whole years touched. */
  readonly years: readonly [IsoDate, IsoDate];
}

export function affectedPeriods(first: IsoDate, last: IsoDate): AffectedPeriods {
  const a = dateParts(first);
  const b = dateParts(last);
  return {
    months: [isoDate(a.year, a.month, 1), isoDate(b.year, b.month + 1, 1)],
    years: [isoDate(a.year, 1, 1), isoDate(b.year + 1, 1, 1)],
  };
}

/**
 * `bioc_web_downloads d join packages p … where …`: the rows that count as downloads, for a
 * query to continue with `and d.date …` and group. One rule for stats, categorystats and the
 * API's last-30-days counts.
 */
export function countedDownloads(): RawBuilder<unknown> {
  const statuses = sql.join(COUNTED_STATUSES.map((s) => sql.lit(s)));
  return sql`bioc_web_downloads d join packages p on p.package = d.package and p.category = d.category
    where d."sc-status" in (${statuses})`;
}

export async function refreshSummaries(trx: Transaction<Database> | Kysely<Database>, periods: AffectedPeriods): Promise<void> {
  const [mFrom, mTo] = periods.months;
  const [yFrom, yTo] = periods.years;
  const counted = countedDownloads();
  const inPeriods = (t: "stats" | "categorystats") =>
    sql`delete from ${sql.table(t)} where (is_monthly and date >= ${mFrom} and date < ${mTo}) or (not is_monthly and date >= ${yFrom} and date < ${yTo})`;

  await inPeriods("stats").execute(trx);
  await sql`insert into stats (category, package, date, is_monthly, ip_count, download_count)
    select d.category, d.package, date_trunc('month', d.date::timestamp)::date, true, count(distinct d."c-ip"), count(*)
      from ${counted} and d.date >= ${mFrom} and d.date < ${mTo} group by 1, 2, 3
    union all
    select d.category, d.package, make_date(extract(year from d.date)::int, 12, 31), false, count(distinct d."c-ip"), count(*)
      from ${counted} and d.date >= ${yFrom} and d.date < ${yTo} group by 1, 2, 3`.execute(trx);

  await inPeriods("categorystats").execute(trx);
  await sql`insert into categorystats (category, date, is_monthly, ip_count, download_count)
    select d.category, date_trunc('month', d.date::timestamp)::date, true, count(distinct d."c-ip"), count(*)
      from ${counted} and d.date >= ${mFrom} and d.date < ${mTo} group by 1, 2
    union all
    select d.category, make_date(extract(year from d.date)::int, 12, 31), false, count(distinct d."c-ip"), count(*)
      from ${counted} and d.date >= ${yFrom} and d.date < ${yTo} group by 1, 2`.execute(trx);
}

/** The whole span of bioc_web_downloads, for a full re-summary (after the packages table changed). */
export async function downloadSpan(db: Kysely<Database>): Promise<{ first: IsoDate; last: IsoDate } | null> {
  const r = await db
    .selectFrom("bioc_web_downloads")
    .select((eb) => [eb.fn.min("date").as("first"), eb.fn.max("date").as("last")])
    .executeTakeFirst();
  return r?.first && r.last ? { first: r.first as IsoDate, last: r.last as IsoDate } : null;
}
