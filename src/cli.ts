// The thin shell: declares the commands, turns flags and environment into one options object,
// imports each command lazily, and maps errors to exit codes. Only this file decides exit codes.
import { Command, CommanderError, Option } from "commander";
import { resolveGlobalOptions, DEFAULT_DATA_DIR, type GlobalOptions, type RawGlobalFlags } from "./config.js";
import { EXIT, ExitError, InputError, UsageError } from "./errors.js";

const EXIT_CODES = `
Exit codes:
  0  success
  1  failed: bad input, database or file system error (nothing half-written)
  2  usage error, or another ingest holds the database lock`;

const out = (line: string) => process.stdout.write(line + "\n");
const warn = (line: string) => process.stderr.write(line + "\n");

function program(): Command {
  const cli = new Command("webstats")
    .description("Keeps the download statistics of Bioconductor packages in PostgreSQL and renders the /packages/stats/ site.")
    .addOption(new Option("--db <url>", "PostgreSQL server to use (default: embedded PGlite)").env("DATABASE_URL"))
    .addOption(new Option("--data-dir <dir>", `PGlite data folder, when no --db is given (default: ${DEFAULT_DATA_DIR})`).env("WEBSTATS_DATA_DIR"))
    .option("-q, --quiet", "print nothing but errors (for cron)")
    .addHelpText("after", `
Examples:
  $ webstats demo                                   # demo dataset → dist/, on embedded PGlite
  $ webstats packages import packages.csv
  $ webstats ingest --rows downloads.tsv.gz
  $ DATABASE_URL=postgres://webstats@db/webstats webstats build --out dist
${EXIT_CODES}`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const globals = (): GlobalOptions => resolveGlobalOptions(cli.opts<RawGlobalFlags>(), process.env, process.cwd());

  const packages = cli.command("packages").description("manage the packages table");
  packages
    .command("import")
    .description("insert or update the packages table from a CSV (package,category,first_version,last_version)")
    .argument("<file>", "CSV file; an empty last_version means the package is in devel")
    .addHelpText("after", `
Every line is checked first; any bad line (unknown category, empty name, wrong column count)
is reported as FILE:LINE: reason and nothing is written.

Example:
  $ webstats packages import packages.csv`)
    .action(async (file: string) => {
      const { packagesImport } = await import("./commands/packages-import.js");
      await packagesImport({ ...globals(), file }, out);
    });

  cli
    .command("ingest")
    .description("store download rows, replacing the days they cover, and update the monthly/yearly summaries")
    .requiredOption("--rows <file>", "TSV or CSV (gzipped or not) with header date, c-ip, sc-status, category, package")
    .addHelpText("after", `
The whole run is one transaction: a bad row (reported as FILE:LINE: reason) means nothing is
written. The days from the first to the last date in the file replace what was stored for
them, so ingesting the same file twice changes nothing. ValidThru moves to the last date.

Example:
  $ webstats ingest --rows downloads.tsv.gz`)
    .action(async (opts: { rows: string }) => {
      const { ingest } = await import("./commands/ingest.js");
      await ingest({ ...globals(), rows: opts.rows }, out);
    });

  cli
    .command("summarize")
    .description("recompute stats and categorystats from the stored downloads (e.g. after a packages import)")
    .option("--since <date>", "only the months and years from this date on (YYYY-MM-DD)")
    .addHelpText("after", `
Example:
  $ webstats packages import packages.csv && webstats summarize`)
    .action(async (opts: { since?: string }) => {
      const { summarize } = await import("./commands/summarize.js");
      await summarize({ ...globals(), ...opts }, out);
    });

  cli
    .command("build")
    .description("render the whole /packages/stats/ tree (HTML, .tab, .txt, static/) from the database")
    .option("--out <dir>", "output folder; replaced as a whole only once the new tree is complete", "dist")
    .addHelpText("after", `
Example:
  $ webstats build --out dist && python3 -m http.server -d dist 8080`)
    .action(async (opts: { out: string }) => {
      const { build } = await import("./commands/build.js");
      await build({ ...globals(), out: opts.out }, out, warn);
    });

  cli
    .command("demo")
    .description("make a deterministic demo dataset on the embedded database, ingest it and build the site")
    .option("--out <dir>", "output folder", "dist")
    .addHelpText("after", `
Uses its own PGlite folder (.webstats/demo) unless --data-dir or --db is given.

Example:
  $ webstats demo && python3 -m http.server -d dist 8080`)
    .action(async (opts: { out: string }) => {
      const { demo } = await import("./commands/demo.js");
      const explicit = cli.getOptionValueSource("dataDir") !== undefined;
      await demo({ ...globals(), out: opts.out, dataDirGiven: explicit }, out);
    });

  return cli;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      warn(`webstats: ${e.message}`);
      return EXIT.usage;
    }
    if (e instanceof ExitError) {
      warn(`webstats: ${e.message}`);
      return e.code;
    }
    if (e instanceof InputError) {
      warn(`webstats: ${e.message}`);
      return EXIT.failed;
    }
    warn(`webstats: ${(e as Error).message ?? e}`);
    if (process.env.WEBSTATS_DEBUG) warn(String((e as Error).stack));
    return EXIT.failed;
  }
}
