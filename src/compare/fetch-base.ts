// Reading the other side of a diff from a live server, politely: bounded concurrency, a
// request rate, a timeout per request, and retries with backoff on 5xx and network errors.
import pLimit from "p-limit";

export interface FetchOptions {
  readonly concurrency: number;
  /** Requests per second at most; 0 = no limit. */
  readonly rate: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type Fetched =
  { readonly status: "ok"; readonly body: Buffer } | { readonly status: "missing" } | { readonly status: "error"; readonly message: string };

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function politeFetcher(options: FetchOptions): (url: string) => Promise<Fetched> {
  const limit = pLimit(options.concurrency);
  const sleep = options.sleep ?? sleepMs;
  let nextSlot = 0;
  const waitForSlot = async () => {
    if (options.rate <= 0) return;
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + 1000 / options.rate;
    if (slot > now) await sleep(slot - now);
  };
  const once = async (url: string): Promise<Fetched | "retry"> => {
    await waitForSlot();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "follow" });
      if (response.status === 404 || response.status === 410) return { status: "missing" };
      if (response.status >= 500 || response.status === 429) return "retry";
      if (response.status !== 200) return { status: "error", message: `HTTP ${response.status}` };
      return { status: "ok", body: Buffer.from(await response.arrayBuffer()) };
    } catch {
      return "retry";
    }
  };
  return (url) =>
    limit(async () => {
      for (let attempt = 0; ; attempt++) {
        const r = await once(url);
        if (r !== "retry") return r;
        if (attempt >= options.retries) return { status: "error", message: `no answer after ${attempt + 1} tries` };
        await sleep(500 * 2 ** attempt);
      }
    });
}
