// The legacy app's `.env`: the first one found in the working folder or one of its parents
// (python-dotenv's find_dotenv). webstats takes AWS_PARAMETER_PATH from it and nothing else, so a
// DATABASE_URL or a password someone left there is never picked up by surprise.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface DotenvValue {
  readonly value: string;
  /** The .env file it came from, for messages. */
  readonly file: string;
}

/** `KEY=VALUE` lines (`export ` allowed, quotes stripped, `#` comments); the last one of `key` wins. */
export function parseDotenv(text: string, key: string): string | undefined {
  let found: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m || m[1] !== key) continue;
    const value = m[2]!;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    found = quoted ? quoted[2]! : value.replace(/\s+#.*$/, "");
  }
  return found;
}

export async function findDotenvValue(cwd: string, key: string): Promise<DotenvValue | undefined> {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = join(dir, ".env");
    const text = await readFile(file, "utf8").catch(() => null);
    if (text !== null) {
      const value = parseDotenv(text, key);
      return value ? { value, file } : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
