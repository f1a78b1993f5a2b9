import type { GlobalOptions } from "../config.js";
import { parseIsoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import { UsageError } from "../errors.js";
import { withStore } from "./with-store.js";
import { affectedPeriods, downloadSpan, refreshSummaries } from "../summaries/refresh.js";

/** Recomputes stats/categorystats from bioc_web_downloads, e.g. after the packages table changed. */
export async function summarize(options: GlobalOptions & { readonly since?: string }, out: (line: string) => void): Promise<void> {
  const since = options.since === undefined ? null : parseIsoDate(options.since);
  if (options.since !== undefined && !since) throw new UsageError(`--since ${JSON.stringify(options.since)} is not a date (want YYYY-MM-DD)`);
  await withStore(options, "write", async (store) => {
    const span = await downloadSpan(store.db);
    if (!span) {
      out("summarize: no downloads stored yet; nothing to do");
      return;
    }
    const first: IsoDate = since && since > span.first ? since : span.first;
    await store.db.transaction().execute((trx) => refreshSummaries(trx, affectedPeriods(first, span.last)));
    out(`summarize: recomputed the months and years of ${first}..${span.last}`);
  });
}
