// Gzipped CloudFront standard logs for the benchmark: 72 hourly files (3 days), ≥ 2 million
// lines of 33 fields, downloads mixed with page views, checksums and errors as in production.
// Deterministic, written once into bench-data/ and reused.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { gzipTextWriter } from "./gzip-text.js";
import { addDays } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import { seededRandom } from "../sources/synthetic-downloads.js";
import { benchPackages } from "./dataset.js";

export const LOG_FIRST = "2026-01-01" as IsoDate;
export const LOG_DAYS = 3;
const LINES_PER_FILE = 30_000;
const FIELDS =
  "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
const PATHS: Record<string, string> = { bioc: "bioc", annotation: "data/annotation", experiment: "data/experiment", workflows: "workflows" };
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 200, 302, 304, 404, 206, 301];

export async function ensureBenchLogs(dir: string): Promise<string> {
  const root = `${dir}/cloudfront-${LOG_FIRST}-${LOG_DAYS}d-${LINES_PER_FILE}`;
  if (existsSync(root)) return root;
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const random = seededRandom(7);
  const packages = benchPackages();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let d = 0; d < LOG_DAYS; d++) {
    const day = addDays(LOG_FIRST, d);
    for (let h = 0; h < 24; h++) {
      const out = gzipTextWriter(
        `${partial}/E1TVLJONPTUXV3.${day}-${String(h).padStart(2, "0")}.${((random() * 2 ** 32) >>> 0).toString(16).padStart(8, "0")}.gz`,
      );
      await out.write(`#Version: 1.0\n#Fields: ${FIELDS}\n`);
      for (let i = 0; i < LINES_PER_FILE; i++) {
        const p = packages[Math.floor(random() * random() * packages.length)]!;
        const base = `/packages/${pick(["3.20", "3.21", "release", "devel"])}/${PATHS[p.category]}`;
        const kind = random();
        const uri =
          kind < 0.6
            ? `${base}/src/contrib/${p.name}_1.${Math.floor(random() * 40)}.0.tar.gz`
            : kind < 0.75
              ? `${base}/bin/windows/contrib/4.5/${p.name}_1.2.0.zip`
              : kind < 0.9
                ? `${base}/html/${p.name}.html`
                : `${base}/src/contrib/PACKAGES.gz`;
        const ip = `${1 + Math.floor(random() * 222)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
        const time = `${String(h).padStart(2, "0")}:${String(Math.floor(random() * 60)).padStart(2, "0")}:${String(Math.floor(random() * 60)).padStart(2, "0")}`;
        await out.write(
          `${day}\t${time}\tIAD89-C1\t${Math.floor(random() * 5e6)}\t${ip}\tGET\td2nsvilfaoiybo.cloudfront.net\t${uri}\t${pick(STATUSES)}\t-\t` +
            `R%20(4.5.1%20x86_64-pc-linux-gnu)\t-\t-\tHit\t${(random() * 2 ** 52).toString(36)}\tbioconductor.org\thttps\t${Math.floor(random() * 900)}\t0.${Math.floor(random() * 999)}\t-\t` +
            `TLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/1.1\t-\t-\t${1024 + Math.floor(random() * 60000)}\t0.${Math.floor(random() * 999)}\tHit\tapplication/x-gzip\t${Math.floor(random() * 5e6)}\t-\t-\n`,
        );
      }
      await out.close();
    }
  }
  renameSync(partial, root);
  return root;
}
