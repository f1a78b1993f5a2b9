// The loader's rows come back as strings of integers, `1,2,3,…` (summaries/load.ts): millions of
// them in a build. Read by character codes into one buffer reused from list to list, without a
// string per number or an array per list (the site model copies each list as it is given one).

/** Reads comma-separated integers (digits, with an optional leading minus). */
export class IntListReader {
  private buffer = new Int32Array(4096);

  /** The integers of `text`: a view of this reader's buffer, valid until its next read. */
  read(text: string): Int32Array {
    let n = 1;
    for (let i = text.indexOf(","); i !== -1; i = text.indexOf(",", i + 1)) n++;
    if (n > this.buffer.length) this.buffer = new Int32Array(Math.max(n, this.buffer.length * 2));
    const out = this.buffer;
    let k = 0;
    let value = 0;
    let negative = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 44) {
        out[k++] = negative ? -value : value;
        value = 0;
        negative = false;
      } else if (c === 45) {
        negative = true;
      } else {
        value = value * 10 + (c - 48);
      }
    }
    out[k] = negative ? -value : value;
    return out.subarray(0, n);
  }
}
