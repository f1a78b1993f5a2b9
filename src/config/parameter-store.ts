// The legacy app's runtime parameters: every parameter under a path of the AWS Systems Manager
// Parameter Store (levels scope/application/environment/topic/key, so `/bioc/webstats/prod`
// holds `db/server`, `db/port`, …), named as the legacy app names them: below the path.
import type { SSMClient } from "@aws-sdk/client-ssm";
import { SourceUnreadable } from "../errors.js";
import { describeAwsError } from "../sources/aws-errors.js";

/** `/bioc/webstats/prod` (a trailing slash is dropped). */
export type ParameterPath = string & { readonly __brand: "ParameterPath" };

export function parameterPath(raw: string): ParameterPath | null {
  const path = raw.replace(/\/+$/, "");
  return /^\/[A-Za-z0-9_.\-/]+$/.test(path) && !path.includes("//") ? (path as ParameterPath) : null;
}

/** Every parameter under `path`, every page of them, SecureStrings decrypted; keys relative to the path. */
export async function readParameters(client: SSMClient, path: ParameterPath): Promise<ReadonlyMap<string, string>> {
  const found = new Map<string, string>();
  const { paginateGetParametersByPath } = await import("@aws-sdk/client-ssm"); // only a run that reads parameters loads the SDK
  try {
    for await (const page of paginateGetParametersByPath({ client }, { Path: path, Recursive: true, WithDecryption: true })) {
      for (const p of page.Parameters ?? []) {
        if (p.Name?.startsWith(path + "/") && p.Value !== undefined) found.set(p.Name.slice(path.length + 1), p.Value);
      }
    }
  } catch (e) {
    throw new SourceUnreadable(`AWS Parameter Store ${path}: ${describeAwsError(e)}`);
  }
  return found;
}
