// What an AWS SDK error means for the person who reads the message: no credentials, access
// denied, throttling that outlasted the SDK's retries, or a server that could not be reached.
// The SDK's own text is kept after it, for the details.

/** Where the SDK's default chain looked, and how to give credentials: said whenever it found none. */
export const CREDENTIALS_HELP =
  "no AWS credentials found: looked in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), " +
  "the profile AWS_PROFILE (or default) in ~/.aws/credentials and ~/.aws/config (SSO included), web identity, and the ECS/EC2 instance role; " +
  "give them in the environment or as a profile (AWS_PROFILE=NAME)";

const THROTTLED = new Set(["ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "Throttling"]);

/** The SDK's default chain found no credentials at all. */
export const noCredentials = (e: unknown): boolean => (e as { name?: string }).name === "CredentialsProviderError";

export function describeAwsError(e: unknown): string {
  const error = e as { name?: string; message?: string; code?: string };
  const name = error.name ?? "Error";
  const detail = `${name}: ${error.message ?? String(e)}`;
  if (noCredentials(e)) return CREDENTIALS_HELP;
  if (THROTTLED.has(name)) return `throttled, still after the SDK's retries (${detail}); try again later`;
  if (name === "AccessDeniedException" || name === "AccessDenied") return `access denied (${detail}): the credentials in use lack the permission`;
  const code = error.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "ECONNRESET") return `the server cannot be reached (${detail})`;
  return detail;
}
