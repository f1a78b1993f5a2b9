// Flags, environment, the configuration file and the AWS Parameter Store, resolved once into
// one readonly object that is passed down. Inner modules never read process.env or
// process.cwd(). Each setting comes from the first source that gives it, in this order:
//   1. flags   2. environment (then a `.env` in the working folder or a parent, for
//   AWS_PARAMETER_PATH only)   3. webstats.config.json   4. the Parameter Store path.
// The database login may be a Secrets Manager secret; its password stays a Secret to the driver.
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { readDatabaseLogin, type DatabaseLogin } from "./config/db-secret.js";
import { connectTo, firstGiven, urlFromLogin, urlFromParameters, type DatabaseConnection, type Given } from "./config/database-target.js";
import { findDotenvValue } from "./config/dotenv.js";
import { parameterPath, readParameters, type ParameterPath } from "./config/parameter-store.js";
import type { Secret } from "./config/secret.js";
import { BadConfig } from "./errors.js";
import { NightlyConfigSchema, readConfigFile } from "./nightly/config.js";

export interface GlobalOptions {
  /** postgres://… ; undefined = embedded PGlite. Holds no password when a login secret gave one. */
  readonly databaseUrl: string | undefined;
  /** The password of the login secret (--db-secret), for the driver alone. */
  readonly databasePassword?: Secret | undefined;
  /** PGlite data folder (absolute). */
  readonly dataDir: string;
  readonly quiet: boolean;
  readonly cwd: string;
  /** The user's home folder (a build never replaces it). */
  readonly home: string;
}

export interface RawGlobalFlags {
  db?: string;
  dbSecret?: string;
  awsParameterPath?: string;
  dataDir?: string;
  quiet?: boolean;
}

export interface ConfigContext {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
  /** The configuration file; `named` (by --config or WEBSTATS_CONFIG) must exist, the default one may not. */
  readonly configFile: { readonly path: string; readonly named: boolean };
  /** false for commands that never open the configured database: only --db and DATABASE_URL are taken, nothing is asked of AWS. */
  readonly needsDatabase: boolean;
}

export const DEFAULT_DATA_DIR = ".webstats/db";
export const DEFAULT_CONFIG_FILE = "webstats.config.json";

export async function resolveGlobalOptions(flags: RawGlobalFlags, context: ConfigContext): Promise<GlobalOptions> {
  const { env, cwd, home } = context;
  const base = { dataDir: resolve(cwd, flags.dataDir || env.WEBSTATS_DATA_DIR || DEFAULT_DATA_DIR), quiet: Boolean(flags.quiet), cwd, home };
  if (!context.needsDatabase) return { ...base, databaseUrl: flags.db || env.DATABASE_URL || undefined };
  const connection = await resolveDatabase(flags, context);
  return { ...base, databaseUrl: connection?.url, databasePassword: connection?.password };
}

async function resolveDatabase(flags: RawGlobalFlags, context: ConfigContext): Promise<DatabaseConnection | undefined> {
  const { env, cwd } = context;
  const file = await readFileKeys(resolve(cwd, context.configFile.path), context.configFile.named);
  const fileName = context.configFile.path;
  const dotenv = await findDotenvValue(cwd, "AWS_PARAMETER_PATH");
  const pathGiven = firstGiven(
    { source: "--aws-parameter-path", value: flags.awsParameterPath },
    { source: "AWS_PARAMETER_PATH", value: env.AWS_PARAMETER_PATH },
    { source: `AWS_PARAMETER_PATH in ${dotenv?.file}`, value: dotenv?.value },
    { source: `${fileName} aws.parameterPath`, value: file.aws?.parameterPath },
  );
  const path = pathGiven && checkedPath(pathGiven);
  let server = firstGiven(
    { source: "--db", value: flags.db },
    { source: "DATABASE_URL", value: env.DATABASE_URL },
    { source: `${fileName} database.url`, value: file.database?.url },
  );
  let secret = firstGiven(
    { source: "--db-secret", value: flags.dbSecret },
    { source: "WEBSTATS_DB_SECRET", value: env.WEBSTATS_DB_SECRET },
    { source: `${fileName} database.secret`, value: file.database?.secret },
  );
  // The Parameter Store is asked only for what no source above it gave.
  // The AWS SDK is loaded by a run that asks AWS only: it is ~250 ms of every command's start.
  const aws = () => import("./sources/aws-clients.js");
  const parameters = path && (!server || !secret) ? await readParameters((await aws()).ssmClient(), path) : undefined;
  if (!secret && path && parameters?.has("db/credentials")) secret = { source: `${path}/db/credentials`, value: parameters.get("db/credentials")! };
  const login: DatabaseLogin | undefined = secret ? await readDatabaseLogin((await aws()).secretsManagerClient(), secret.value) : undefined;
  if (!server && path && parameters) server = urlFromParameters(path, parameters, login);
  if (!server && secret && login) server = urlFromLogin(secret.value, login);
  if (!server) {
    if (secret)
      throw new BadConfig(
        `${secret.source} names a database login but nothing names the server: give --db, DATABASE_URL, database.url in ${fileName}, or a parameter path (--aws-parameter-path)`,
      );
    return undefined; // embedded PGlite
  }
  return connectTo(server, login);
}

function checkedPath(given: Given): ParameterPath {
  const path = parameterPath(given.value);
  if (!path) throw new BadConfig(`${given.source}: ${JSON.stringify(given.value)} is not a Parameter Store path such as /bioc/webstats/prod`);
  return path;
}

/** The file's database and aws keys; the whole file is checked, so a typo in any key is caught by every command. */
async function readFileKeys(path: string, named: boolean) {
  if (
    !named &&
    !(await access(path).then(
      () => true,
      () => false,
    ))
  )
    return {};
  return readConfigFile(path, NightlyConfigSchema.partial());
}
