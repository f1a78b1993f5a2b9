// The database password of a Secrets Manager secret reaches the server and is never printed: not
// by a run that cannot reach the server (--json too), nor one the server refuses, nor one that
// loses it, nor by status. The whole CLI runs
// in this process (main()), with SSM and Secrets Manager answered by aws-sdk-client-mock, and
// everything it writes to stdout and stderr is searched for the password.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParametersByPathCommand, SSMClient } from "@aws-sdk/client-ssm";
import { sql } from "kysely";
import { mockClient } from "aws-sdk-client-mock";
import { writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli.js";
import { withStore } from "../src/commands/with-store.js";
import { resolveGlobalOptions } from "../src/config.js";
import { ExitError } from "../src/errors.js";
import { BACKENDS } from "./helpers/backends.js";
import { tempDir } from "./helpers/temp.js";

const PATH = "/bioc/webstats/prod";
const SECRET = "/bioc/rdb/0/login/webstats_runner";
const PASSWORD = "Tr0ub4dor&3-never-shown";
const ssm = mockClient(SSMClient);
const secrets = mockClient(SecretsManagerClient);

function serve(server: { host: string; port: string; dbname: string }, username = "webstats") {
  const parameters = { "db/server": server.host, "db/port": server.port, "db/dbname": server.dbname, "db/credentials": SECRET };
  ssm
    .on(GetParametersByPathCommand)
    .resolves({ Parameters: Object.entries(parameters).map(([name, value]) => ({ Name: `${PATH}/${name}`, Value: value, Type: "String" })) });
  secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: JSON.stringify({ username, password: PASSWORD }) });
}

/** Runs the CLI in this process; everything it writes, and its exit code. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const written = { stdout: "", stderr: "" };
  const capture = (stream: "stdout" | "stderr") =>
    vi.spyOn(process[stream], "write").mockImplementation(((chunk: string | Uint8Array) => {
      written[stream] += String(chunk);
      return true;
    }) as never);
  const spies = [capture("stdout"), capture("stderr")];
  try {
    const code = await main([process.execPath, "webstats", ...args]); // as bin/webstats.js passes process.argv
    return { code, ...written };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/**
 * A PostgreSQL server on loopback that asks for a cleartext password, keeps what it is sent and
 * refuses it (the test server trusts every local login, so it would never ask).
 */
async function passwordAskingServer(): Promise<{ port: number; passwords: string[]; close: () => void }> {
  const passwords: string[] = [];
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let started = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!started) {
        if (buffered.length < 4 || buffered.length < buffered.readInt32BE(0)) return;
        buffered = buffered.subarray(buffered.readInt32BE(0)); // the startup message
        started = true;
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // R: AuthenticationCleartextPassword
      }
      if (buffered.length < 5 || buffered[0] !== 0x70 || buffered.length < 1 + buffered.readInt32BE(1)) return; // p: PasswordMessage
      passwords.push(buffered.subarray(5, 1 + buffered.readInt32BE(1) - 1).toString("utf8"));
      const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed for user "webstats_runner"\0\0');
      const head = Buffer.from([0x45, 0, 0, 0, 0]); // E: ErrorResponse
      head.writeInt32BE(4 + fields.length, 1);
      socket.end(Buffer.concat([head, fields]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, passwords, close: () => server.close() };
}

const shows = (text: string) => text.includes(PASSWORD) || text.includes(encodeURIComponent(PASSWORD));

// The runs see only the sources a test gives them: no DATABASE_URL of the test server (it would
// win over the parameters), and a PGlite folder of their own should one be opened after all.
const OURS = ["DATABASE_URL", "WEBSTATS_CONFIG", "WEBSTATS_DB_SECRET", "AWS_PARAMETER_PATH", "WEBSTATS_DATA_DIR", "WEBSTATS_DEBUG"] as const;
let saved: Partial<Record<(typeof OURS)[number], string>>;
beforeEach(() => {
  saved = Object.fromEntries(OURS.map((k) => [k, process.env[k]]));
  for (const k of OURS) delete process.env[k];
  process.env.WEBSTATS_DATA_DIR = join(tempDir(), "db");
  process.env.WEBSTATS_DEBUG = "1"; // stack traces of unexpected errors too
});
afterEach(() => {
  ssm.reset();
  secrets.reset();
  for (const k of OURS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("the password of a login secret", () => {
  it("is not printed by an ingest --json that cannot reach the server (a wrong port)", async () => {
    serve({ host: "127.0.0.1", port: "1", dbname: "webstats" });
    const dir = tempDir();
    writeFileSync(join(dir, "rows.tsv"), "date\tc-ip\tsc-status\tcategory\tpackage\n2025-01-02\t1.1.1.1\t200\tbioc\taffy\n");
    const r = await run(["--aws-parameter-path", PATH, "ingest", "--rows", join(dir, "rows.tsv"), "--json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^webstats: cannot reach PostgreSQL at 127\.0\.0\.1:1\/webstats \(.*ECONNREFUSED.*\); nothing done$/m);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1); // the password was in hand
    expect(shows(r.stdout + r.stderr)).toBe(false);
  });

  it("reaches the server, and is not printed when the server refuses it", async () => {
    const server = await passwordAskingServer();
    try {
      serve({ host: "127.0.0.1", port: String(server.port), dbname: "webstats" }, "webstats_runner");
      const r = await run(["--aws-parameter-path", PATH, "status"]);
      expect(server.passwords).toEqual([PASSWORD]);
      expect(r).toMatchObject({ code: 1, stdout: "" });
      expect(r.stderr).toBe(
        `webstats: PostgreSQL at 127.0.0.1:${server.port}/webstats refused the login of webstats_runner (password authentication failed for user "webstats_runner"); nothing done\n`,
      );
      expect(shows(r.stdout + r.stderr)).toBe(false);
    } finally {
      server.close();
    }
  });

  it("is not printed by a bad secret, a missing parameter or an unknown server", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: `{"username": "u", "password": "${PASSWORD}"` }); // cut short: not JSON
    const notJson = await run(["--db", "postgres://u@127.0.0.1:1/x", "--db-secret", SECRET, "status"]);
    expect(notJson).toMatchObject({ code: 2, stdout: "" });
    expect(notJson.stderr.trim().split("\n")).toEqual([
      `webstats: secret ${SECRET} is not JSON (its value is not shown); want JSON {"username":…,"password":…}`,
    ]);
    serve({ host: "no-such-host.invalid", port: "5432", dbname: "webstats" });
    const unknown = await run(["--aws-parameter-path", PATH, "status"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/cannot reach PostgreSQL at no-such-host\.invalid:5432\/webstats/);
    for (const r of [notJson, unknown]) expect(shows(r.stdout + r.stderr)).toBe(false);
  });

  it("is not printed by a nightly whose configuration names the parameter path and the secret", async () => {
    serve({ host: "127.0.0.1", port: "1", dbname: "webstats" });
    const dir = tempDir();
    const config = { source: { logs: join(dir, "logs") }, out: join(dir, "site"), database: { secret: SECRET }, aws: { parameterPath: PATH } };
    writeFileSync(join(dir, "nightly.json"), JSON.stringify(config));
    const r = await run(["nightly", "--config", join(dir, "nightly.json"), "--no-packages"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^webstats: cannot reach PostgreSQL at 127\.0\.0\.1:1\/webstats \(.*ECONNREFUSED.*\); nothing done$/m);
    expect(ssm.commandCalls(GetParametersByPathCommand)[0]!.args[0].input.Path).toBe(PATH);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input.SecretId).toBe(SECRET);
    expect(shows(r.stdout + r.stderr)).toBe(false);
  });

  const postgres = BACKENDS[1]!;
  describe.runIf(postgres.available)("on a PostgreSQL server", () => {
    let created: Awaited<ReturnType<typeof postgres.create>>;
    beforeEach(async () => {
      created = await postgres.create();
      await created.store.close();
      const url = new URL(created.url!);
      serve({ host: url.hostname, port: url.port, dbname: url.pathname.slice(1) }, decodeURIComponent(url.username));
    });
    afterEach(() => created.drop());

    it("is not printed by status, which names the server it used", async () => {
      const r = await run(["--aws-parameter-path", PATH, "status"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`database:  PostgreSQL at ${new URL(created.url!).host}${new URL(created.url!).pathname}`);
      expect(shows(r.stdout + r.stderr)).toBe(false);
    });

    it("is not in the message of a server that went away (with-store.ts)", async () => {
      const options = await resolveGlobalOptions(
        { awsParameterPath: PATH },
        { env: {}, cwd: tempDir(), home: "/nonexistent", configFile: { path: "webstats.config.json", named: false }, needsDatabase: true },
      );
      expect(options.databasePassword?.reveal()).toBe(PASSWORD);
      const error = await withStore(options, "write", async (store) => {
        await sql`select pg_terminate_backend(pg_backend_pid())`.execute(store.db);
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExitError);
      expect((error as Error).message).toMatch(
        /^lost the connection to PostgreSQL at 127\.0\.0\.1:\d+\/webstats_test_\w+ \(terminating connection due to administrator command\); the transaction open then was rolled back/,
      );
      expect(shows((error as Error).message) || shows(String((error as Error).stack))).toBe(false);
    });
  });
});
