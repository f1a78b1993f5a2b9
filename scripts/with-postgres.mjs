#!/usr/bin/env node
// Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster on loopback
// (initdb + pg_ctl in a temp folder, as the `postgres` OS user when run as root), then stops and
// deletes the cluster. With DATABASE_URL already set, runs the command against that server.
//
// The cluster uses the C.UTF-8 locale on purpose: its collation differs from the live
// database's en_US.UTF-8, so a test passes only if output order never comes from the database.
//
// Usage: node scripts/with-postgres.mjs COMMAND [ARGS...]
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: with-postgres.mjs COMMAND [ARGS...]");
  process.exit(2);
}

if (process.env.DATABASE_URL) process.exit(await run(process.env));

const bindir = findBindir();
if (!bindir) {
  console.error("with-postgres: no PostgreSQL server binaries (initdb, pg_ctl) found; install postgresql-15 or set DATABASE_URL");
  process.exit(1);
}
const root = mkdtempSync(join(tmpdir(), "webstats-pg-"));
const data = join(root, "data");
const asRoot = process.getuid?.() === 0;
const pgUser = (cmd, cmdArgs) =>
  asRoot
    ? execFileSync("runuser", ["-u", "postgres", "--", join(bindir, cmd), ...cmdArgs], { stdio: "pipe" })
    : execFileSync(join(bindir, cmd), cmdArgs, { stdio: "pipe" });
let started = false;
try {
  chmodSync(root, 0o777);
  const port = await freePort();
  pgUser("initdb", ["-D", data, "-U", "webstats", "--auth=trust", "--locale=C.UTF-8", "--encoding=UTF8"]);
  const settings = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`;
  pgUser("pg_ctl", ["-D", data, "-o", settings, "-l", join(root, "server.log"), "-w", "start"]);
  started = true;
  const url = `postgres://webstats@127.0.0.1:${port}/postgres`;
  console.error(`with-postgres: PostgreSQL (${bindir}, locale C.UTF-8) on ${url}`);
  process.exitCode = await run({ ...process.env, DATABASE_URL: url });
} catch (e) {
  console.error(`with-postgres: ${e.message}${e.stderr ? `\n${e.stderr}` : ""}`);
  process.exitCode = 1;
} finally {
  if (started) {
    try {
      pgUser("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch (e) {
      console.error(`with-postgres: stopping the server failed: ${e.message}`);
    }
  }
  rmSync(root, { recursive: true, force: true });
}

function run(env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env, shell: process.platform === "win32" });
    for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function findBindir() {
  const candidates = [];
  if (existsSync("/usr/lib/postgresql")) {
    for (const v of readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // no pg_config on the PATH: the other candidates remain
  }
  return candidates.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl")));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
