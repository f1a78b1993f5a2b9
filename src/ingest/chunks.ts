// A long run of days is ingested a calendar month at a time, each month one transaction (its
// days replaced, its summaries updated, ValidThru moved): a 15-year backfill shows its
// progress, holds one month of rows at a time, and after a crash goes on from the first month
// not committed.
import { addDays, dateParts, isoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";

export type Chunk = readonly [IsoDate, IsoDate];

/** first..last cut at month ends; a run no longer than a month (a nightly) is one chunk. */
export function monthChunks(first: IsoDate, last: IsoDate): Chunk[] {
  if (last < addDays(first, 31)) return [[first, last]];
  const chunks: Chunk[] = [];
  for (let start = first; start <= last;) {
    const { year, month } = dateParts(start);
    const monthEnd = isoDate(year, month + 1, 0);
    const end = monthEnd < last ? monthEnd : last;
    chunks.push([start, end]);
    start = addDays(end, 1);
  }
  return chunks;
}
