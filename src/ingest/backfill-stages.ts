// A backfill stores its rows first and summarizes once after them (commands/ingest.ts): its two
// stages said apart, since the load's own rate is the figure to set against other loaders' and the
// summarize has its own.

/** What a run reports (its `--json`): `summarizeSeconds` only when it summarized after storing. */
export interface RunSeconds {
  readonly rows: number;
  readonly seconds: number;
  readonly summarizeSeconds?: number | undefined;
}

/** `rows stored in 27.5 s, 597,185 rows/s; then summarized in 137.0 s`, or null for a run that did not summarize after storing. */
export function backfillStages(s: RunSeconds): string | null {
  if (s.summarizeSeconds === undefined) return null;
  const stored = Math.max(s.seconds - s.summarizeSeconds, 0.001);
  return `rows stored in ${stored.toFixed(1)} s, ${Math.round(s.rows / stored).toLocaleString("en-US")} rows/s; then summarized in ${s.summarizeSeconds.toFixed(1)} s`;
}
