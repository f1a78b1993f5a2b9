// Progress for long work: a self-rewriting line on a terminal, nothing in cron (non-TTY or
// --quiet). Final summaries are not progress: commands print those themselves.
export interface Progress {
  /** Replaces the progress line (throttled). */
  update(text: string): void;
  /** Clears the progress line. */
  clear(): void;
}

const SILENT: Progress = { update() {}, clear() {} };

export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet || !stream.isTTY) return SILENT;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[K${text}`);
    },
    clear() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}

/** `12,345 rows (45,678 rows/s)` */
export function rate(count: number, unit: string, startedMs: number): string {
  const seconds = Math.max((Date.now() - startedMs) / 1000, 0.001);
  return `${count.toLocaleString("en-US")} ${unit} (${Math.round(count / seconds).toLocaleString("en-US")} ${unit}/s)`;
}
