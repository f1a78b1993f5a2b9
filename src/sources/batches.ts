import type { DownloadRow } from "../domain/types.js";

/**
 * Rows travel as blocks of text, one `date\tc-ip\tsc-status\tcategory\tpackage\n` line per
 * row: a block crosses from a worker thread as one string, and PostgreSQL splits it itself,
 * so no per-row work is left on the thread that talks to the database. Values never hold a tab
 * or a line end (every source checks).
 */
export type RowBatches = AsyncIterable<string>;

export function rowLine(r: DownloadRow): string {
  return `${r.date}\t${r.ip}\t${r.status}\t${r.category}\t${r.package}\n`;
}

export async function* inBatches(rows: AsyncIterable<DownloadRow> | Iterable<DownloadRow>, size = 10_000): RowBatches {
  let block = "";
  let n = 0;
  for await (const row of rows) {
    block += rowLine(row);
    if (++n === size) {
      yield block;
      block = "";
      n = 0;
    }
  }
  if (block !== "") yield block;
}

/** The rows of a block, parsed back (tests, and sources that must look at rows). */
export function parseBlock(block: string): DownloadRow[] {
  return block
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [date, ip, status, category, pkg] = l.split("\t") as [string, string, string, string, string];
      return { date: date as DownloadRow["date"], ip, status: Number(status), category, package: pkg };
    });
}

export function countLines(block: string): number {
  let n = 0;
  for (let at = block.indexOf("\n"); at !== -1; at = block.indexOf("\n", at + 1)) n++;
  return n;
}
