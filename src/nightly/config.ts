// webstats.config.json: what the nightly run does, validated once, and where the database is
// (read by every command: config.ts). Secrets never live here: a password comes from the
// environment or a Secrets Manager secret, AWS credentials from AWS's default chain.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { AwsFileKeys, DatabaseFileKeys } from "../config/file-keys.js";
import { UsageError } from "../errors.js";

const s3Url = z.string().regex(/^s3:\/\/[^/]+\/?.*$/, "want s3://bucket/prefix");

export const NightlyConfigSchema = z
  .object({
    /** Where download rows come from: the Athena view, or CloudFront logs (a folder or s3://bucket/prefix). */
    source: z.union([
      z.object({ athena: z.object({ database: z.string().min(1), workgroup: z.string().optional(), output: s3Url.optional() }).strict() }).strict(),
      z.object({ logs: z.string().min(1) }).strict(),
    ]),
    /** The site folder the build replaces. */
    out: z.string().min(1).default("dist"),
    /** Where the site is published; absent = build only. */
    publish: z
      .object({ to: s3Url, delete: z.boolean().default(false) })
      .strict()
      .optional(),
    /** The packages table refresh from Bioconductor's manifests. */
    packages: z
      .object({ update: z.boolean().default(true), baseUrl: z.string().url().default("https://bioconductor.org/") })
      .strict()
      .default({ update: true, baseUrl: "https://bioconductor.org/" }),
    /** The database server (a URL without a password) and the Secrets Manager secret of its login. */
    database: DatabaseFileKeys.optional(),
    /** The Parameter Store path of the legacy app's parameters. */
    aws: AwsFileKeys.optional(),
  })
  .strict();

export type NightlyConfig = z.infer<typeof NightlyConfigSchema>;

export async function readNightlyConfig(path: string): Promise<NightlyConfig> {
  return readConfigFile(path, NightlyConfigSchema);
}

/** The file at `path`, validated by `schema`; a one-line UsageError naming the file and the key otherwise. */
export async function readConfigFile<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the configuration ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new UsageError(`${path}: ${first.path.join(".") || "(top level)"}: ${first.message}`);
  }
  return parsed.data;
}
