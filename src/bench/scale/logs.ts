// CloudFront standard logs (33 fields, hourly gzipped files, as src/bench/cloudfront-logs.ts
// writes them) around the generator's download rows: each row becomes one download line, and
// 1.5 more lines per row on average are what CloudFront also logs and the view leaves out (page
// views, PACKAGES indexes, checksums). The rows the view selects from these logs are exactly
// the generator's rows with a counted status.
import { mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { gzipTextWriter } from "../gzip-text.js";
import { hash32 } from "./model.js";

const FIELDS =
  "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
const PATHS: Record<string, string> = { bioc: "bioc", annotation: "data/annotation", experiment: "data/experiment", workflows: "workflows" };
const VERSIONS = ["3.20", "3.21", "3.22", "release", "devel"];
const EDGES = ["IAD89-C1", "FRA56-P4", "SIN2-C1", "LHR61-P1"];
const AGENTS = [
  "R%20(4.5.1%20x86_64-pc-linux-gnu%20x86_64%20linux-gnu)",
  "R%20(4.5.0%20aarch64-apple-darwin20%20aarch64%20darwin20)",
  "curl/8.5.0",
  "Mozilla/5.0%20(X11;%20Linux%20x86_64)",
];

export interface LogsWritten {
  readonly files: number;
  readonly lines: number;
  readonly downloadLines: number;
}

/** Writes DIR/E1TVLJONPTUXV3.DAY-HH.XXXXXXXX.gz for each day of `rows` (TSV lines: date, c-ip, sc-status, category, package). */
export async function writeCloudFrontLogs(dir: string, rows: AsyncIterable<string>): Promise<LogsWritten> {
  mkdirSync(dir, { recursive: true });
  const writers = new Map<string, ReturnType<typeof gzipTextWriter>>();
  const pending = new Map<string, string>();
  let lines = 0;
  let downloadLines = 0;
  let i = 0;
  const writerFor = (day: string, hour: number) => {
    const k = `${day}-${String(hour).padStart(2, "0")}`;
    let w = writers.get(k);
    if (!w) {
      w = gzipTextWriter(`${dir}/E1TVLJONPTUXV3.${k}.${hash32(19, writers.size).toString(16).padStart(8, "0")}.gz`);
      writers.set(k, w);
      pending.set(k, `#Version: 1.0\n#Fields: ${FIELDS}\n`);
    }
    return k;
  };
  const put = async (k: string, text: string) => {
    const s = pending.get(k)! + text;
    if (s.length < 1 << 16) pending.set(k, s);
    else {
      pending.set(k, "");
      await writers.get(k)!.write(s);
    }
  };
  for await (const row of rows) {
    if (row === "") continue;
    const [date, ip, status, category, pkg] = row.split("\t") as [string, string, string, string, string];
    const h = hash32(23, i);
    const hour = h % 24;
    const k = writerFor(date, hour);
    const base = `/packages/${VERSIONS[(h >>> 5) % VERSIONS.length]}/${PATHS[category] ?? category}`;
    const version = `${1 + ((h >>> 8) % 3)}.${(h >>> 10) % 40}.${(h >>> 16) % 9}`;
    const kind = (h >>> 20) % 10;
    const file =
      kind < 6
        ? `src/contrib/${pkg}_${version}.tar.gz`
        : kind < 8
          ? `bin/windows/contrib/4.5/${pkg}_${version}.zip`
          : `bin/macosx/big-sur-arm64/contrib/4.5/${pkg}_${version}.tgz`;
    let text = line(date, hour, h, ip, `${base}/${file}`, status);
    downloadLines++;
    // What else CloudFront logs: one or two lines per download the view does not select.
    for (let e = 0; e < 1 + (i % 2); e++) {
      const x = hash32(29 + e, i);
      const other = [
        `${base}/html/${pkg}.html`,
        `${base}/src/contrib/PACKAGES.gz`,
        `${base}/src/contrib/${pkg}_${version}.tar.gz.md5`,
        `/packages/${VERSIONS[x % 5]}/BiocViews.html`,
      ][x % 4]!;
      text += line(date, hour, x, ip, other, x % 17 === 0 ? "304" : "200");
    }
    lines += 2 + (i % 2);
    await put(k, text);
    i++;
  }
  for (const [k, w] of writers) {
    await w.write(pending.get(k)!);
    await w.close();
  }
  return { files: writers.size, lines, downloadLines };
}

/** DIR/E1TVLJONPTUXV3.DAY-00.00000000.gz holding the headers only: an ingest of DAY from DIR replaces its rows with none. */
export function writeEmptyLogDay(dir: string, day: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/E1TVLJONPTUXV3.${day}-00.00000000.gz`, gzipSync(`#Version: 1.0\n#Fields: ${FIELDS}\n`));
}

function line(date: string, hour: number, h: number, ip: string, uri: string, status: string): string {
  const time = `${String(hour).padStart(2, "0")}:${String((h >>> 3) % 60).padStart(2, "0")}:${String((h >>> 9) % 60).padStart(2, "0")}`;
  const bytes = 1000 + (h % 5_000_000);
  return (
    `${date}\t${time}\t${EDGES[h % 4]}\t${bytes}\t${ip}\tGET\td2nsvilfaoiybo.cloudfront.net\t${uri}\t${status}\t-\t${AGENTS[(h >>> 4) % 4]}\t-\t-\tHit\t` +
    `${h.toString(36)}${(h >>> 7).toString(36)}AbCdEf==\tbioconductor.org\thttps\t${200 + (h % 700)}\t0.${h % 999}\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/1.1\t-\t-\t` +
    `${1024 + (h % 60000)}\t0.${(h >>> 2) % 999}\tHit\tapplication/x-gzip\t${bytes}\t-\t-\n`
  );
}
