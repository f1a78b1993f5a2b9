// The CLI, two ways. In this process: src/cli.ts's main(), with the working folder, the
// environment and stdout/stderr swapped for the run, for the tests of what a command does (a
// spawned node loads the AWS SDK, commander and a fresh PGlite WASM each time: some 2 s of CPU a
// run). As a real process: bin/webstats.js on the compiled lib/, for what only a process shows
// (its exit code as bin sets it, the AWS SDK's notice, a crash), and for runs that must overlap.
import { spawnSync } from "node:child_process";
import { main } from "../../src/cli.js";

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const BIN = new URL("../../bin/webstats.js", import.meta.url).pathname;

/** bin/webstats.js as a process of its own. */
export function spawnCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let running = false;

/**
 * main() in this process, as bin/webstats.js runs it in `cwd` with exactly `env`: its exit code,
 * and what it wrote to stdout and stderr. One run at a time (a test file's tests run one by one).
 */
export async function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  if (running) throw new Error("runCli: another in-process run is not finished (they share the working folder and the environment)");
  running = true;
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const captured = { stdout: "", stderr: "" };
  const capture = (name: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured[name] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (done) queueMicrotask(done);
      return true;
    }) as typeof process.stdout.write;
  // Pipes, as a spawned process has: no progress line, help wrapped at commander's 80 columns.
  const tty = { stdout: Object.getOwnPropertyDescriptor(process.stdout, "isTTY"), stderr: Object.getOwnPropertyDescriptor(process.stderr, "isTTY") };
  replaceEnv(env);
  process.chdir(cwd);
  for (const name of ["stdout", "stderr"] as const) {
    process[name].write = capture(name);
    Object.defineProperty(process[name], "isTTY", { value: false, configurable: true, writable: true });
  }
  try {
    const code = await main([process.execPath, BIN, ...args]);
    return { code, ...captured };
  } finally {
    for (const name of ["stdout", "stderr"] as const) {
      process[name].write = writes[name];
      const saved = tty[name];
      if (saved) Object.defineProperty(process[name], "isTTY", saved);
      else delete (process[name] as { isTTY?: boolean }).isTTY;
    }
    process.chdir(savedCwd);
    replaceEnv(savedEnv);
    running = false;
  }
}

/** Makes process.env hold exactly `env` (in place: os.homedir() and the AWS SDK read the real one). */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
}
