// The database login from AWS Secrets Manager, as the legacy deployment keeps it
// (`/bioc/rdb/0/login/webstats_runner`): JSON `{"username":…,"password":…}`, and, in the secrets
// RDS makes itself, `host`, `port` and `dbname` too. No message ever quotes the secret's value:
// JSON.parse's own message would (it shows the text around the error).
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { BadConfig, SourceUnreadable } from "../errors.js";
import { describeAwsError } from "../sources/aws-errors.js";
import { Secret } from "./secret.js";

export interface DatabaseLogin {
  readonly username: string;
  readonly password: Secret;
  /** Where the server is, when the secret says (RDS's own secrets do). */
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly dbname?: string | undefined;
}

const LoginSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
  host: z.string().min(1).optional(),
  port: z
    .union([
      z.number().int().min(1).max(65535),
      z
        .string()
        .regex(/^\d{1,5}$/)
        .transform(Number),
    ])
    .optional(),
  dbname: z.string().min(1).optional(),
});

const WANT = 'want JSON {"username":…,"password":…}';

export async function readDatabaseLogin(client: SecretsManagerClient, name: string): Promise<DatabaseLogin> {
  const { GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager"); // only a run that reads the secret loads the SDK
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
  } catch (e) {
    if ((e as { name?: string }).name === "ResourceNotFoundException")
      throw new BadConfig(`AWS Secrets Manager has no secret ${name} (check --db-secret, or the region: AWS_REGION)`);
    throw new SourceUnreadable(`AWS Secrets Manager secret ${name}: ${describeAwsError(e)}`);
  }
  if (text === undefined) throw new BadConfig(`secret ${name} holds binary data; ${WANT}`);
  return parseDatabaseLogin(name, text);
}

export function parseDatabaseLogin(name: string, text: string): DatabaseLogin {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadConfig(`secret ${name} is not JSON (its value is not shown); ${WANT}`);
  }
  const parsed = LoginSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(the whole value)"))];
    throw new BadConfig(`secret ${name}: ${fields.join(", ")} missing or wrong (its value is not shown); ${WANT}`);
  }
  const { password, ...rest } = parsed.data;
  return { ...rest, password: new Secret(password) };
}
