#!/usr/bin/env node
// Runs shell commands side by side (npm test's lint, format check, type checks and build: each
// alone keeps one core busy for 2 to 12 s, one after another they took the two cores' time of all
// of them). Each command's output is printed whole when it ends, under its name, so that two never
// interleave; the exit code is 1 when any command failed, after all have ended.
//
// Usage: node scripts/parallel.mjs "COMMAND ..." ["COMMAND ..." ...]
import { spawn } from "node:child_process";

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: parallel.mjs "COMMAND ..." ["COMMAND ..." ...]');
  process.exit(2);
}

const results = await Promise.all(commands.map(run));
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) process.stderr.write(`parallel: ${r.command} exited ${r.code}\n`);
process.exitCode = failed.length ? 1 : 0;

function run(command) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    child.stdout.on("data", (b) => output.push(b));
    child.stderr.on("data", (b) => output.push(b));
    child.on("error", (e) => output.push(Buffer.from(`${e.message}\n`)));
    child.on("close", (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`> ${command} (${seconds} s)\n${Buffer.concat(output).toString()}`);
      resolve({ command, code: code ?? (signal ? 1 : 0) });
    });
  });
}
