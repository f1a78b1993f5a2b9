// Where the database is and who logs in, from the first source that names each (pure: the
// sources are read by config.ts). The server comes whole from one source, never a host from
// one and a database name from another; the login (a Secrets Manager secret) replaces the
// user of whichever server won, and its password never goes into the URL.
import { z } from "zod";
import { BadConfig, quote } from "../errors.js";
import type { DatabaseLogin } from "./db-secret.js";
import type { ParameterPath } from "./parameter-store.js";
import type { Secret } from "./secret.js";

/** A value and where it came from ("--db", "DATABASE_URL", "webstats.config.json database.url", …), for messages. */
export interface Given<T = string> {
  readonly source: string;
  readonly value: T;
}

export function firstGiven<T>(...candidates: ReadonlyArray<Given<T | undefined>>): Given<T> | undefined {
  const found = candidates.find((c) => c.value !== undefined && c.value !== "");
  return found as Given<T> | undefined;
}

/** The legacy app's names for the server, below the parameter path. */
const PARAMETER_MEANING = {
  "db/server": "the database server's address",
  "db/port": "its port",
  "db/dbname": "the database name",
  "db/dbuser": "the user",
} as const;

const DbParameters = z.object({
  "db/server": z.string().min(1),
  "db/port": z.string().regex(/^\d{1,5}$/, "not a port number"),
  "db/dbname": z.string().min(1),
  "db/dbuser": z.string().min(1).optional(),
});

const pgUrl = (user: string, host: string, port: number | string, dbname: string) =>
  `postgres://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(dbname)}`;

/** postgres://USER@SERVER:PORT/DBNAME from db/server, db/port, db/dbname and db/dbuser (or the login's user). */
export function urlFromParameters(path: ParameterPath, parameters: ReadonlyMap<string, string>, login: DatabaseLogin | undefined): Given {
  const where = `AWS Parameter Store ${path}`;
  if (parameters.size === 0) throw new BadConfig(`${where} holds no parameters (a wrong path, or another region than AWS_REGION?)`);
  const parsed = DbParameters.safeParse(Object.fromEntries(parameters));
  if (!parsed.success) {
    const key = String(parsed.error.issues[0]!.path[0]) as keyof typeof PARAMETER_MEANING;
    const value = parameters.get(key);
    throw new BadConfig(
      value === undefined
        ? `${where}: no parameter ${path}/${key} (${PARAMETER_MEANING[key]}); it has ${[...parameters.keys()].sort().join(", ")}`
        : `${where}: ${path}/${key} is ${quote(value)}: ${parsed.error.issues[0]!.message}`,
    );
  }
  const p = parsed.data;
  const user = login?.username ?? p["db/dbuser"];
  if (!user) throw new BadConfig(`${where}: no parameter ${path}/db/dbuser (${PARAMETER_MEANING["db/dbuser"]}), and no login secret (--db-secret) names one`);
  return { source: where, value: pgUrl(user, p["db/server"], p["db/port"], p["db/dbname"]) };
}

/** The server a login secret names itself (RDS's secrets hold host, port and dbname). */
export function urlFromLogin(secretName: string, login: DatabaseLogin): Given | undefined {
  if (!login.host) return undefined;
  if (!login.dbname)
    throw new BadConfig(
      `secret ${secretName} names the server ${login.host} but no dbname, and no --db, DATABASE_URL, database.url or parameter path names the database`,
    );
  return { source: `secret ${secretName}`, value: pgUrl(login.username, login.host, login.port ?? 5432, login.dbname) };
}

export interface DatabaseConnection {
  /** postgres://user@host:port/db: no password when a login secret gave it. */
  readonly url: string;
  readonly password: Secret | undefined;
}

export function connectTo(server: Given, login: DatabaseLogin | undefined): DatabaseConnection {
  let url: URL;
  try {
    url = new URL(server.value);
  } catch {
    url = new URL("invalid:");
  }
  // The URL itself may hold a password: it is never quoted.
  if ((url.protocol !== "postgres:" && url.protocol !== "postgresql:") || !url.hostname) {
    throw new BadConfig(`${server.source}: not a postgres://user@host:port/database URL`);
  }
  if (!login) return { url: server.value, password: undefined };
  url.username = encodeURIComponent(login.username);
  url.password = "";
  return { url: url.toString(), password: login.password };
}
