// What counts as a download, as the legacy views say: a status of 200, 301, 302, 307 or 308, of
// a (package, category) pair in `packages`. The status rule applies when rows are summed into
// webstats' tables; the packages rule when those reach stats and categorystats.
import { sql, type RawBuilder } from "kysely";

export const COUNTED_STATUSES = [200, 301, 302, 307, 308] as const;

/** `200, 301, …` for `"sc-status" in (…)`. */
export const COUNTED: RawBuilder<unknown> = sql.join(COUNTED_STATUSES.map((s) => sql.lit(s)));

/**
 * `bioc_web_downloads d join packages p … where …`: the raw rows that count, for a query to
 * continue with `and d.date …` and group. Only where no summary table can serve: a full rebuild.
 */
export function countedDownloads(): RawBuilder<unknown> {
  return sql`bioc_web_downloads d join packages p on p.package = d.package and p.category = d.category
    where d."sc-status" in (${COUNTED})`;
}
