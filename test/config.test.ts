// The configuration as the legacy deployment keeps it: parameters under a Parameter Store path,
// the database login in a Secrets Manager secret, AWS_PARAMETER_PATH in a `.env`; and the order
// in which the sources are taken. SSM and Secrets Manager are answered by aws-sdk-client-mock,
// as the real SDK sends them (the paginator included); the SDK's own retries are checked against
// a server on loopback that throttles.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParametersByPathCommand, SSMClient, type GetParametersByPathCommandInput, type Parameter } from "@aws-sdk/client-ssm";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveGlobalOptions, type ConfigContext, type RawGlobalFlags } from "../src/config.js";
import { parseDotenv } from "../src/config/dotenv.js";
import { parameterPath, readParameters } from "../src/config/parameter-store.js";
import { BadConfig, SourceUnreadable } from "../src/errors.js";
import { ssmClient } from "../src/sources/aws-clients.js";
import { tempDir } from "./helpers/temp.js";

const PATH = "/bioc/webstats/prod";
const SECRET = "/bioc/rdb/0/login/webstats_runner";
const PASSWORD = "pw-Zq9!x@y:z/w";
const param = (name: string, value: string): Parameter => ({ Name: `${PATH}/${name}`, Value: value, Type: "String" });

/** The production parameters, three to a page (SSM gives at most 10), with others of the app beside them. */
const PRODUCTION = [
  param("db/dbname", "webstats"),
  param("db/credentials", SECRET),
  param("db/dbuser", "webstats_runner"),
  param("db/port", "5432"),
  param("db/server", "rdb.example.org"),
  param("flask/approot", "/var/www/webstats"),
  param("flask/log_level", "INFO"),
];

let ssm: AwsClientStub<SSMClient>;
let secrets: AwsClientStub<SecretsManagerClient>;
beforeEach(() => {
  ssm = mockClient(SSMClient);
  secrets = mockClient(SecretsManagerClient);
});
afterEach(() => {
  ssm.restore();
  secrets.restore();
});

/** The NextToken of each request, as it was sent (the paginator reuses its input object). */
let tokensSent: Array<string | undefined> = [];

function serveParameters(parameters: readonly Parameter[], perPage = 3) {
  tokensSent = [];
  ssm.on(GetParametersByPathCommand).callsFake((input: GetParametersByPathCommandInput) => {
    tokensSent.push(input.NextToken);
    const at = Number(input.NextToken ?? 0);
    const next = at + perPage < parameters.length ? String(at + perPage) : undefined;
    return { Parameters: parameters.filter((p) => p.Name!.startsWith(input.Path! + "/")).slice(at, at + perPage), NextToken: next };
  });
}

function serveSecret(name: string, value: string) {
  secrets.on(GetSecretValueCommand, { SecretId: name }).resolves({ Name: name, SecretString: value });
}

const login = (username: string, password = PASSWORD) => JSON.stringify({ username, password });

function context(extra: Partial<ConfigContext> = {}): ConfigContext {
  const cwd = extra.cwd ?? tempDir();
  return { env: {}, cwd, home: "/nonexistent", configFile: { path: "webstats.config.json", named: false }, needsDatabase: true, ...extra };
}

const resolveWith = (flags: RawGlobalFlags, extra: Partial<ConfigContext> = {}) => resolveGlobalOptions(flags, context(extra));
const failure = (flags: RawGlobalFlags, extra: Partial<ConfigContext> = {}) =>
  resolveWith(flags, extra).then(
    () => null,
    (e: Error) => e,
  );

describe("the Parameter Store path", () => {
  it("reads every page of the path (the SDK's paginator), and makes the server URL from db/server, db/port, db/dbname, db/dbuser", async () => {
    serveParameters(PRODUCTION.filter((p) => !p.Name!.endsWith("credentials")));
    const options = await resolveWith({ awsParameterPath: PATH });
    expect(options.databaseUrl).toBe("postgres://webstats_runner@rdb.example.org:5432/webstats");
    expect(options.databasePassword).toBeUndefined();
    expect(tokensSent).toEqual([undefined, "3"]);
    expect(ssm.commandCalls(GetParametersByPathCommand)[0]!.args[0].input).toMatchObject({ Path: PATH, Recursive: true, WithDecryption: true });
  });

  it("takes the login from the secret db/credentials names, the password kept out of the URL", async () => {
    serveParameters(PRODUCTION, 2);
    serveSecret(SECRET, login("runner_from_secret"));
    const options = await resolveWith({ awsParameterPath: PATH + "/" });
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(4);
    expect(options.databaseUrl).toBe("postgres://runner_from_secret@rdb.example.org:5432/webstats");
    expect(options.databasePassword?.reveal()).toBe(PASSWORD);
    // However the options are printed, the password is not in them.
    for (const shown of [JSON.stringify(options), inspect(options, { depth: 5 }), String(options.databasePassword), `${options.databasePassword}`])
      expect(shown).not.toContain(PASSWORD);
  });

  it.each([
    ["db/server", "no parameter /bioc/webstats/prod/db/server (the database server's address); it has db/dbname, db/dbuser, db/port"],
    ["db/port", "no parameter /bioc/webstats/prod/db/port (its port); it has db/dbname, db/dbuser, db/server"],
    ["db/dbname", "no parameter /bioc/webstats/prod/db/dbname (the database name); it has db/dbuser, db/port, db/server"],
  ])("names a missing %s in one line (exit 2)", async (missing, message) => {
    serveParameters(PRODUCTION.filter((p) => p.Name !== `${PATH}/${missing}` && !p.Name!.includes("flask") && !p.Name!.endsWith("credentials")));
    const error = await failure({ awsParameterPath: PATH });
    expect(error).toBeInstanceOf(BadConfig);
    expect((error as BadConfig).code).toBe(2);
    expect(error!.message).toBe(`AWS Parameter Store ${PATH}: ${message}`);
  });

  it("needs db/dbuser only when no login secret gives the user", async () => {
    serveParameters(PRODUCTION.filter((p) => !/dbuser|credentials|flask/.test(p.Name!)));
    expect((await failure({ awsParameterPath: PATH }))!.message).toBe(
      `AWS Parameter Store ${PATH}: no parameter ${PATH}/db/dbuser (the user), and no login secret (--db-secret) names one`,
    );
    serveSecret(SECRET, login("webstats_runner"));
    expect((await resolveWith({ awsParameterPath: PATH, dbSecret: SECRET })).databaseUrl).toBe("postgres://webstats_runner@rdb.example.org:5432/webstats");
  });

  it("says so when the path holds nothing (a typo, another region), and when a port is not a number", async () => {
    serveParameters(PRODUCTION);
    expect((await failure({ awsParameterPath: "/bioc/webstats/pord" }))!.message).toBe(
      "AWS Parameter Store /bioc/webstats/pord holds no parameters (a wrong path, or another region than AWS_REGION?)",
    );
    serveParameters(PRODUCTION.map((p) => (p.Name!.endsWith("db/port") ? param("db/port", "54 32") : p)));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: login("u") });
    expect((await failure({ awsParameterPath: PATH }))!.message).toBe(`AWS Parameter Store ${PATH}: ${PATH}/db/port is "54 32": not a port number`);
  });

  it("gives a clear one-line error (exit 1) when SSM throttles past the SDK's retries", async () => {
    ssm.on(GetParametersByPathCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    const error = await failure({ awsParameterPath: PATH });
    expect(error).toBeInstanceOf(SourceUnreadable);
    expect((error as SourceUnreadable).code).toBe(1);
    expect(error!.message).toBe(`AWS Parameter Store ${PATH}: throttled, still after the SDK's retries (ThrottlingException: Rate exceeded); try again later`);
  });

  it("refuses a path that is not one, before asking AWS", async () => {
    const error = await failure({ awsParameterPath: "bioc/webstats/prod" });
    expect(error!.message).toBe('--aws-parameter-path: "bioc/webstats/prod" is not a Parameter Store path such as /bioc/webstats/prod');
    expect(ssm.calls()).toHaveLength(0);
    expect(parameterPath("/bioc//x")).toBeNull();
  });
});

describe("the login secret", () => {
  it("is combined with the server of a higher source: its user replaces the URL's, its password never enters it", async () => {
    serveSecret(SECRET, login("webstats_runner"));
    const options = await resolveWith({ db: "postgres://someone:old@db.local:5433/webstats?sslmode=require", dbSecret: SECRET });
    expect(options.databaseUrl).toBe("postgres://webstats_runner@db.local:5433/webstats?sslmode=require");
    expect(options.databasePassword?.reveal()).toBe(PASSWORD);
  });

  it("may name the server itself, as RDS's own secrets do", async () => {
    serveSecret(SECRET, JSON.stringify({ username: "u", password: PASSWORD, engine: "postgres", host: "rds.example.org", port: 5433, dbname: "webstats" }));
    expect((await resolveWith({ dbSecret: SECRET })).databaseUrl).toBe("postgres://u@rds.example.org:5433/webstats");
  });

  it.each([
    ["not JSON", PASSWORD, `secret ${SECRET} is not JSON (its value is not shown); want JSON {"username":…,"password":…}`],
    [
      "a JSON string",
      JSON.stringify(PASSWORD),
      `secret ${SECRET}: (the whole value) missing or wrong (its value is not shown); want JSON {"username":…,"password":…}`,
    ],
    [
      "without a password",
      JSON.stringify({ username: "u", pass: PASSWORD }),
      `secret ${SECRET}: password missing or wrong (its value is not shown); want JSON {"username":…,"password":…}`,
    ],
  ])("that is %s is refused in one line that does not echo it (exit 2)", async (_what, value, message) => {
    serveSecret(SECRET, value);
    const error = await failure({ db: "postgres://x@db.local/webstats", dbSecret: SECRET });
    expect(error).toBeInstanceOf(BadConfig);
    expect(error!.message).toBe(message);
    expect(error!.message).not.toContain(PASSWORD);
  });

  it("names a secret that does not exist, and one that names no server", async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: "ResourceNotFoundException" }));
    expect((await failure({ db: "postgres://x@db.local/webstats", dbSecret: "/no/such" }))!.message).toBe(
      "AWS Secrets Manager has no secret /no/such (check --db-secret, or the region: AWS_REGION)",
    );
    serveSecret(SECRET, login("u"));
    expect((await failure({ dbSecret: SECRET }))!.message).toMatch(
      /^--db-secret names a database login but nothing names the server: give --db, DATABASE_URL, /,
    );
  });
});

describe("the order of the sources: flags, environment, webstats.config.json, Parameter Store", () => {
  const FILE_SECRET = "/bioc/rdb/0/login/from_file";
  const ENV_SECRET = "/bioc/rdb/0/login/from_env";
  const FLAG_SECRET = "/bioc/rdb/0/login/from_flag";
  beforeEach(() => {
    serveParameters(PRODUCTION);
    for (const name of [SECRET, FILE_SECRET, ENV_SECRET, FLAG_SECRET]) serveSecret(name, login(name.split("/").pop()!));
  });

  function folder() {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, "webstats.config.json"),
      JSON.stringify({
        source: { logs: "/var/log/cloudfront" },
        database: { url: "postgres://u@file.host:5432/fromfile", secret: FILE_SECRET },
        aws: { parameterPath: PATH },
      }),
    );
    return cwd;
  }
  const hostAndUser = (url: string | undefined) => (url ? `${new URL(url).username}@${new URL(url).host}` : url);

  it("takes the server from the first source naming one: --db, DATABASE_URL, database.url, the parameters", async () => {
    const cwd = folder();
    const env = { DATABASE_URL: "postgres://u@env.host:5432/fromenv" };
    expect(hostAndUser((await resolveWith({ db: "postgres://u@flag.host:5432/fromflag", dbSecret: FLAG_SECRET }, { cwd, env })).databaseUrl)).toBe(
      "from_flag@flag.host:5432",
    );
    expect(hostAndUser((await resolveWith({}, { cwd, env: { ...env, WEBSTATS_DB_SECRET: ENV_SECRET } })).databaseUrl)).toBe("from_env@env.host:5432");
    expect(hostAndUser((await resolveWith({}, { cwd })).databaseUrl)).toBe("from_file@file.host:5432");
    // Server and login both given above it: the Parameter Store is not asked.
    expect(ssm.calls()).toHaveLength(0);
    writeFileSync(join(cwd, "webstats.config.json"), JSON.stringify({ aws: { parameterPath: PATH } }));
    expect(hostAndUser((await resolveWith({}, { cwd })).databaseUrl)).toBe("webstats_runner@rdb.example.org:5432");
    expect(ssm.calls().length).toBeGreaterThan(0);
  });

  it("takes the login secret from --db-secret, WEBSTATS_DB_SECRET, database.secret, then db/credentials", async () => {
    const cwd = tempDir();
    const file = (database: object) => writeFileSync(join(cwd, "webstats.config.json"), JSON.stringify({ database, aws: { parameterPath: PATH } }));
    file({ secret: FILE_SECRET });
    const user = async (flags: RawGlobalFlags, env = {}) => new URL((await resolveWith(flags, { cwd, env })).databaseUrl!).username;
    expect(await user({ dbSecret: FLAG_SECRET }, { WEBSTATS_DB_SECRET: ENV_SECRET })).toBe("from_flag");
    expect(await user({}, { WEBSTATS_DB_SECRET: ENV_SECRET })).toBe("from_env");
    expect(await user({})).toBe("from_file");
    file({});
    expect(await user({})).toBe("webstats_runner");
  });

  it("takes the parameter path from --aws-parameter-path, AWS_PARAMETER_PATH, a .env in the folder or a parent, then aws.parameterPath", async () => {
    const root = tempDir();
    const cwd = join(root, "srv/webstats");
    mkdirSync(cwd, { recursive: true });
    const server = (path: string, host: string): Parameter[] =>
      Object.entries({ "db/dbname": "webstats", "db/dbuser": "u", "db/port": "5432", "db/server": host }).map(([name, value]) => ({
        Name: `${path}/${name}`,
        Value: value,
        Type: "String",
      }));
    serveParameters(
      ["flag", "env", "dotenv", "file"].flatMap((where) => server(`/bioc/${where}`, `${where}.host`)),
      10,
    );
    writeFileSync(join(cwd, "webstats.config.json"), JSON.stringify({ aws: { parameterPath: "/bioc/file" } }));
    writeFileSync(join(root, ".env"), 'FLASK_ENV=production\nDATABASE_URL=postgres://ignored@dotenv.db/x\nexport AWS_PARAMETER_PATH="/bioc/dotenv"  \n');
    const host = async (flags: RawGlobalFlags, env = {}) => new URL((await resolveWith(flags, { cwd, env })).databaseUrl!).hostname;
    expect(await host({ awsParameterPath: "/bioc/flag" }, { AWS_PARAMETER_PATH: "/bioc/env" })).toBe("flag.host");
    expect(await host({}, { AWS_PARAMETER_PATH: "/bioc/env" })).toBe("env.host");
    expect(await host({})).toBe("dotenv.host"); // and the .env's DATABASE_URL is not taken
    writeFileSync(join(root, ".env"), "# no path here\n");
    expect(await host({})).toBe("file.host");
  });

  it("asks AWS nothing for commands that never open the database", async () => {
    const options = await resolveWith({ awsParameterPath: PATH, dbSecret: SECRET }, { needsDatabase: false });
    expect(options.databaseUrl).toBeUndefined();
    expect([...ssm.calls(), ...secrets.calls()]).toHaveLength(0);
  });

  it("refuses a password in the file's database.url, naming the key but not the URL", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "webstats.config.json"), JSON.stringify({ database: { url: `postgres://u:${encodeURIComponent(PASSWORD)}@h/db` } }));
    const error = await failure({}, { cwd });
    expect(error!.message).toMatch(/\/webstats\.config\.json: database\.url: holds a password: a password never goes in a file/);
    expect(error!.message).not.toContain(PASSWORD);
    expect(error!.message).not.toContain(encodeURIComponent(PASSWORD));
  });
});

describe("a .env file", () => {
  it("is read as python-dotenv reads it: export, quotes, comments, the last line wins", () => {
    expect(parseDotenv("AWS_PARAMETER_PATH=/a\n# AWS_PARAMETER_PATH=/b\nexport AWS_PARAMETER_PATH='/c' \n", "AWS_PARAMETER_PATH")).toBe("/c");
    expect(parseDotenv("AWS_PARAMETER_PATH=/a # the production path\r\n", "AWS_PARAMETER_PATH")).toBe("/a");
    expect(parseDotenv("MY_AWS_PARAMETER_PATH=/a\n", "AWS_PARAMETER_PATH")).toBeUndefined();
  });
});

describe("the SDK's retries (a Parameter Store on loopback that throttles twice)", () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it("are what ssmClient() is made with: throttling is retried, and the pages come through", async () => {
    ssm.restore(); // the real SDK, down to HTTP
    let requests = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        requests++;
        if (requests <= 2) {
          res
            .writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ThrottlingException" })
            .end(JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }));
          return;
        }
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ Parameters: [param("db/server", "rdb.example.org")] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "us-east-1",
      });
      const client = ssmClient();
      const found = await readParameters(client, parameterPath(PATH)!);
      expect([...found]).toEqual([["db/server", "rdb.example.org"]]);
      expect(requests).toBe(3);
      client.destroy();
    } finally {
      server.close();
    }
  });
});
