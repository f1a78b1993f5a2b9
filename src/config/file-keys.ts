// The configuration file's keys for the database and the Parameter Store: every command reads
// them (config.ts), and they sit in the nightly configuration's schema beside its own keys.
import { z } from "zod";
import { parameterPath } from "./parameter-store.js";

const hasPassword = (url: string) => {
  try {
    return new URL(url).password !== "";
  } catch {
    return false;
  }
};

export const DatabaseFileKeys = z
  .object({
    /** postgres://user@host:port/database, without a password. */
    url: z
      .string()
      .min(1)
      .refine((u) => !hasPassword(u), "holds a password: a password never goes in a file (PGPASSWORD, ~/.pgpass or a secret: database.secret)")
      .optional(),
    /** The Secrets Manager secret holding the login, {"username":…,"password":…}. */
    secret: z.string().min(1).optional(),
  })
  .strict();

export const AwsFileKeys = z
  .object({
    /** The legacy app's parameters, e.g. /bioc/webstats/prod (db/server, db/port, db/dbname, db/dbuser, db/credentials). */
    parameterPath: z
      .string()
      .refine((p) => parameterPath(p) !== null, "want a path such as /bioc/webstats/prod")
      .optional(),
  })
  .strict();
