import { sql, type Kysely } from "kysely";
import type { GlobalOptions } from "../config.js";
import { withStore } from "./with-store.js";
import { getInfo, getValidThru } from "../store/info.js";
import type { Database } from "../store/schema.js";
import { summaryTablesState } from "../summaries/rebuild.js";
import { latestRuns } from "../store/ingest-runs.js";

const TABLES = ["bioc_web_downloads", "packages", "stats", "categorystats", "webstats_ingest_runs"] as const;

async function describeSummaries(db: Kysely<Database>): Promise<string> {
  const state = await summaryTablesState(db);
  if (state === "complete") return "up to date with the stored rows";
  if (state === "missing") return "not made yet: run `webstats summarize` once";
  const from = await getInfo(db, "SummarizeFrom");
  return `being made again from ${from ?? "the first month"} (a summarize, or a long ingest's, is running or was stopped: the same command, or \`webstats summarize\`, finishes it)`;
}

export async function status(options: GlobalOptions & { readonly runs: number }, out: (line: string) => void): Promise<void> {
  await withStore(options, "read", async (store) => {
    out(`database:  ${store.description}`);
    out(`ValidThru: ${(await getValidThru(store.db)) ?? "(nothing ingested yet)"}`);
    out(`summaries: ${await describeSummaries(store.db)}`);
    for (const table of TABLES) {
      // Counting 100 million rows takes minutes: above a million, the planner's estimate will do.
      const { rows: estimate } = await sql<{ n: number }>`select reltuples::bigint as n from pg_class where relname = ${table}`.execute(store.db);
      const approx = Number(estimate[0]?.n ?? -1) >= 1_000_000;
      const { rows } = approx ? { rows: estimate } : await sql<{ n: number }>`select count(*)::bigint as n from ${sql.table(table)}`.execute(store.db);
      out(`  ${table.padEnd(22)} ${(approx ? "≈" : "") + Number(rows[0]!.n).toLocaleString("en-US").padStart(14)} rows`);
    }
    const runs = await latestRuns(store.db, options.runs);
    out(runs.length ? "latest ingest runs:" : "no ingest runs recorded");
    for (const r of runs) {
      const skipped = r.skipped_files ? `, skipped: ${r.skipped_files.split("\n").join("; ")}` : "";
      out(
        `  #${r.id} ${r.outcome.padEnd(7)} ${r.first_date ?? "?"}..${r.last_date ?? "?"} ${r.source} — ${r.files} files, ${Number(r.lines)} lines, ` +
          `${Number(r.rows_kept)} rows, ${Number(r.bad_lines)} bad; started ${new Date(r.started_at).toISOString()}` +
          `${r.finished_at ? `, finished ${new Date(r.finished_at).toISOString()}` : ""}${skipped}${r.message ? ` — ${r.message}` : ""}`,
      );
    }
  });
}
