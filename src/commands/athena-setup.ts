import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const DDL = fileURLToPath(new URL("../../sql/athena/", import.meta.url));

/** The Athena DDL operators run once: the CloudFront logs table and the downloads view. */
export async function athenaSetup(out: (text: string) => void): Promise<void> {
  const files = (await readdir(DDL)).filter((f) => f.endsWith(".sql")).sort();
  for (const f of files) out(`-- ${f}\n${(await readFile(DDL + f, "utf8")).trimEnd()}\n`);
}
