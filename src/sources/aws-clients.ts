// The AWS clients, built one way: region from the environment, credentials from AWS's default
// chain (never from a file of ours). S3 gets the SDK's standard retries with backoff on 5xx,
// throttling and timeouts, five tries; Athena's throttling is retried by sources/athena.ts.
// The configuration's readers (Parameter Store, Secrets Manager) get the same five tries: one
// nightly should not fail because a few other jobs read parameters at 01:30 too.
// An endpoint may be given for tests and S3-compatible stores.
import { AthenaClient } from "@aws-sdk/client-athena";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";

const region = () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const S3_ATTEMPTS = 5;
export const CONFIG_ATTEMPTS = 5;

export function s3Client(endpoint?: string): S3Client {
  return new S3Client({ region: region(), maxAttempts: S3_ATTEMPTS, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
}

export function athenaClient(): AthenaClient {
  return new AthenaClient({ region: region() });
}

export function ssmClient(): SSMClient {
  return new SSMClient({ region: region(), maxAttempts: CONFIG_ATTEMPTS });
}

export function secretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({ region: region(), maxAttempts: CONFIG_ATTEMPTS });
}
