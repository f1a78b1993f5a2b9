// A full garbage collection now, where a phase's garbage is known to be large and dead (the
// loader's query results before rendering): V8 would otherwise grow the heap rather than collect
// it, and a build's peak memory is the sum of three heaps' growth. Not exposed to JavaScript
// unless asked for; asking for it once at run time is the documented flag, and harmless.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
