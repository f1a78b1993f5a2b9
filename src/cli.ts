// The thin shell: declares the commands, turns flags and environment into one options object,
// imports each command lazily, and ends every run with an exit code: errors.ts declares the code
// of each kind of error, and this is the only file that turns one into the process's exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolveGlobalOptions, DEFAULT_CONFIG_FILE, DEFAULT_DATA_DIR, type GlobalOptions, type RawGlobalFlags } from "./config.js";
import { boundHeapGrowth } from "./collect-garbage.js";
import { ActionableError, EXIT, ExitError } from "./errors.js";

// src/cli.ts and lib/cli.js both sit one folder below package.json.
const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * Commands that never open the configured database (demo makes its own, unless --db or
 * DATABASE_URL): the configuration file's database keys and AWS are not read for them.
 */
const NO_DATABASE = new Set(["setup", "diff", "publish", "demo"]);

/** A whole number ≥ 1, for flags such as --runs (commander makes the error a usage error, exit 2). */
function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("want a whole number, 1 or more.");
  return Number(value);
}

const EXIT_CODES = `
Exit codes:
  0  success (ingest: also when already up to date)
  1  failed: bad input, unreadable file, Athena, database, S3 or file system error
     (nothing half-written); or a build whose data is more than --max-lag
     days behind yesterday, UTC (the tree is written)
  2  usage error or bad configuration (also a site folder a build may not
     replace), a gap after ValidThru, another ingest, build or nightly
     already running, or a nightly with nothing to do`;

const out = (line: string) => process.stdout.write(line + "\n");

/** Every command that talks to S3 takes the same endpoint override (tests, S3-compatible stores). */
const s3EndpointOption = () => new Option("--s3-endpoint <url>", "S3-compatible endpoint (default: AWS)").env("WEBSTATS_S3_ENDPOINT");
const warn = (line: string) => process.stderr.write(line + "\n");

/** The source flags, the same for ingest and build. */
const sourceOptions = (): Option[] => [
  new Option("--athena", "query the Athena view v_bioc_web_downloads over the CloudFront logs"),
  new Option("--athena-database <name>", "Athena database holding the view").env("WEBSTATS_ATHENA_DATABASE").default("default"),
  new Option("--athena-workgroup <name>", "Athena workgroup").env("WEBSTATS_ATHENA_WORKGROUP"),
  new Option("--athena-output <s3url>", "s3://bucket/prefix/ for query results (default: the workgroup's)").env("WEBSTATS_ATHENA_OUTPUT"),
  new Option("--logs <path>", "CloudFront standard logs: a folder (flat or dated sub-folders) or s3://bucket/prefix"),
  new Option("--rows <file>", "TSV or CSV (gzipped or not) with header date, c-ip, sc-status, category, package"),
  new Option("--max-bad-lines <n|p%>", "malformed log lines tolerated before the run fails").default("0.1%"),
  new Option("--skip-bad-files", "leave out log files that cannot be read (listed in the report) instead of failing"),
  s3EndpointOption(),
];
const withSourceOptions = (command: Command): Command => sourceOptions().reduce((c, option) => c.addOption(option), command);

function program(): Command {
  const cli = new Command("webstats")
    .description("Keeps the download statistics of Bioconductor packages in PostgreSQL and renders the /packages/stats/ site.")
    .addOption(new Option("--db <url>", "PostgreSQL server to use (default: embedded PGlite)").env("DATABASE_URL"))
    .addOption(new Option("--db-secret <name>", 'AWS Secrets Manager secret holding the database login, {"username":…,"password":…}').env("WEBSTATS_DB_SECRET"))
    .addOption(
      new Option("--aws-parameter-path <path>", "AWS Parameter Store path of the database parameters (db/server, db/port, db/dbname, db/dbuser)").env(
        "AWS_PARAMETER_PATH",
      ),
    )
    .addOption(new Option("--data-dir <dir>", `PGlite data folder, when no --db is given (default: ${DEFAULT_DATA_DIR})`).env("WEBSTATS_DATA_DIR"))
    .option("-q, --quiet", "no progress; errors and one summary line only (for cron)")
    .version(VERSION, "-V, --version", "print the version")
    .addHelpText(
      "after",
      `
Examples:
  $ webstats demo                                   # demo dataset → dist/, on embedded PGlite
  $ webstats packages import packages.csv
  $ webstats ingest --rows downloads.tsv.gz
  $ DATABASE_URL=postgres://webstats@db/webstats webstats build --out dist
  $ webstats --aws-parameter-path /bioc/webstats/prod --db-secret /bioc/rdb/0/login/webstats_runner status

Each setting comes from the first source that gives it: flags, then the environment
(AWS_PARAMETER_PATH also from a .env in this folder or a parent), then webstats.config.json
(database.url, database.secret, aws.parameterPath), then the Parameter Store path (README,
"Configuration").
${EXIT_CODES}`,
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // Resolved once, before the command runs (it may ask AWS), and passed down from here.
    .hook("preAction", async (_cli, action) => {
      const named = action.getOptionValueSource("config");
      const configFile =
        named && named !== "default"
          ? { path: String(action.opts().config), named: true }
          : { path: process.env.WEBSTATS_CONFIG || DEFAULT_CONFIG_FILE, named: Boolean(process.env.WEBSTATS_CONFIG) };
      // Values commander took from the environment are left to config.ts, which names them so in messages.
      const flags = Object.fromEntries(Object.entries(cli.opts()).filter(([key]) => cli.getOptionValueSource(key) !== "env")) as RawGlobalFlags;
      resolved = await resolveGlobalOptions(flags, {
        env: process.env,
        cwd: process.cwd(),
        home: homedir(),
        configFile,
        needsDatabase: !NO_DATABASE.has(action.name()),
      });
    });

  let resolved: GlobalOptions | undefined;
  const globals = (): GlobalOptions => resolved!;

  const packages = cli.command("packages").description("manage the packages table");
  packages
    .command("import")
    .description("insert or update the packages table from a CSV (package,category,first_version,last_version)")
    .argument("<file>", "CSV file; an empty last_version means the package is in devel")
    .addHelpText(
      "after",
      `
Every line is checked first; any bad line (wrong header, wrong number of fields, a name that
breaks the package name rule, unknown category, a first_version or last_version that is not an
encoded release such as 321, an empty first_version, a name given twice) is reported as
FILE:LINE: reason and nothing is written. The file is read as rows files are: strict UTF-8, no
NUL, lines of at most 64 KiB. A name is R's: a letter, then ASCII letters, digits and dots, not
ending in a dot, at most 64 characters, and not the name of a file a category folder holds
(index.html, the .tab files, bioc_packages.txt). Case matters: TReNA and trena are two packages.

Example:
  $ webstats packages import packages.csv`,
    )
    .action(async (file: string) => {
      const { packagesImport } = await import("./commands/packages-import.js");
      await packagesImport({ ...globals(), file }, out);
    });

  packages
    .command("update")
    .description("add, remove and reinstate packages from Bioconductor's devel manifests (config.yaml and the PACKAGES files)")
    .option("--base-url <url>", "where config.yaml and packages/devel/… are", "https://bioconductor.org/")
    .option("--dry-run", "print the changes, write nothing")
    .option("--force", "apply even more than 50 changes")
    .addHelpText(
      "after",
      `
New packages get first_version = devel (3.21 → 321); packages gone from devel get
last_version = release; packages back in devel get last_version = NULL. More than 50
changes in one run is refused (exit 1) without --force.

Examples:
  $ webstats packages update --dry-run
  $ webstats packages update               # the summaries follow at once`,
    )
    .action(async (opts: { baseUrl: string; dryRun?: boolean; force?: boolean }) => {
      const { packagesUpdate } = await import("./commands/packages-update.js");
      await packagesUpdate({ ...globals(), ...opts }, out);
    });

  withSourceOptions(
    cli
      .command("ingest")
      .description("store download rows (from Athena, CloudFront logs or a rows file), replacing the days they cover, and update the summaries"),
  )
    .option("--since <date>", "first day to ingest from Athena or logs (default: the day after ValidThru)")
    .option("--until <date>", "last day to ingest from Athena or logs (default: yesterday, UTC)")
    .option("--allow-gap", "accept a --since that leaves days missing after ValidThru")
    .option("--json", "print the run's summary as one JSON object")
    .addHelpText(
      "after",
      `
The days a run covers replace what was stored for them (for a rows file, the first through the
last date in it; for Athena and logs, --since through --until), so running it twice changes
nothing. A run of up to a month is one transaction; a longer one commits a calendar month at a
time, with progress and an ETA, and the same command run again after a failure or a kill goes
on from the first month not committed. A longer run past ValidThru (a backfill) stores the
rows of each month only, then makes the summaries once, as summarize does; until then build
refuses, and status says so. A failure (a bad row, an unreadable file, too many
malformed lines) writes nothing of the month it is in; a rows file is read whole and checked
before its first month is stored, and stops at the first bad row, named as FILE:LINE: reason.
Every run is recorded (see \`webstats status\`). Exit 2 while another command writes to the
same database. Flags and files are checked before the database is opened. Downloads count only
for the packages of the packages table: load it first (packages import or packages update); an
ingest whose rows are none of its packages warns, and their downloads count once the packages
are there.

Examples:
  $ webstats ingest --athena --athena-output s3://bioc-athena-results/webstats/   # ValidThru+1 .. yesterday
  $ webstats ingest --rows downloads.tsv.gz
  $ webstats ingest --logs /var/log/cloudfront
  $ webstats ingest --logs s3://bioc-logs/cloudfront/ --since 2025-01-01 --until 2025-01-31 --json`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { ingest } = await import("./commands/ingest.js");
      await ingest({ ...globals(), ...opts }, out, warn);
    });

  cli
    .command("athena")
    .description("Athena helpers")
    .command("setup")
    .description("the DDL for the CloudFront logs table and the v_bioc_web_downloads view")
    .requiredOption("--print", "print the DDL (run it in the Athena console or with `aws athena start-query-execution`)")
    .addHelpText(
      "after",
      `
Example:
  $ webstats athena setup --print > athena.sql   # then set the table's LOCATION and run it`,
    )
    .action(async () => {
      const { athenaSetup } = await import("./commands/athena-setup.js");
      await athenaSetup(out);
    });

  cli
    .command("status")
    .description("print ValidThru, the latest ingest runs and the table sizes")
    .option("-n, --runs <n>", "how many runs (1 or more)", positiveInteger, 10)
    .addHelpText(
      "after",
      `
Examples:
  $ webstats status --runs 3
  $ webstats --aws-parameter-path /bioc/webstats/prod status   # the production database, as the legacy app finds it`,
    )
    .action(async (opts: { runs: number }) => {
      const { status } = await import("./commands/status.js");
      await status({ ...globals(), runs: opts.runs }, out);
    });

  cli
    .command("summarize")
    .description("make every summary again from the stored downloads (first use on a legacy database, rows loaded by other means)")
    .option("--since <date>", "only from this date's month on (YYYY-MM-DD)")
    .option(
      "--crawler-packages <K>",
      "counts without crawlers: an IP with more than K packages on a day is a crawler (default 500, or the K stored); a new K makes everything again",
    )
    .addHelpText(
      "after",
      `
A year per transaction, with progress; interrupted, the next summarize goes on from the year
where it stopped (ingest refuses until it has). A packages change needs no summarize: every
command that writes applies it. K is stored in the database (webstats_info CrawlerPackages);
ingest uses the one stored.

Examples:
  $ webstats summarize                       # once, on a database that has only the legacy tables
  $ webstats summarize --since 2026-11-01    # after the legacy ETL loaded rows beside webstats
  $ webstats summarize --crawler-packages 300  # recount the filtered series with K = 300`,
    )
    .action(async (opts: { since?: string; crawlerPackages?: string }) => {
      const { summarize } = await import("./commands/summarize.js");
      await summarize({ ...globals(), ...opts }, out);
    });

  withSourceOptions(
    cli
      .command("build")
      .description("ingest the days after ValidThru from the configured source, then render the whole /packages/stats/ tree (HTML, .tab, .txt, static/)"),
  )
    .option("--out <dir>", "the site: a symlink to the slot holding the newest complete tree (default: the configuration's out, else dist)")
    .addOption(
      new Option("--config <file>", "the nightly configuration naming the source (default: webstats.config.json, when the working folder has one)").env(
        "WEBSTATS_CONFIG",
      ),
    )
    .option("--no-ingest", "render only, from what the database holds, whatever source is configured")
    .addOption(
      new Option("--max-lag <days>", "exit 1 (after writing the tree) when ValidThru is more than this many days before yesterday, UTC; none: no limit")
        .env("WEBSTATS_MAX_LAG")
        .default("3"),
    )
    .addHelpText(
      "after",
      `
The source is --athena, --logs or --rows (as ingest takes them; no --since/--until: the days
after ValidThru through yesterday, UTC), else the configuration's "source" (see webstats
nightly). The ingest is the same run as \`webstats ingest\` (writer lock, run record, a month
per transaction), and the tree is rendered from the same store afterwards. Without a source,
or with --no-ingest, build renders what the database holds and its summary line says so.

The summary line ends with how far the data is behind yesterday (UTC): "data through
2025-11-15, 3 days behind". Past --max-lag days (default 3), build exits 1 once the tree is
written, so that cron mail shows a feed that stopped; a historical dataset: --max-lag none.

DIR is a symlink to DIR.slots/a or DIR.slots/b. A build brings the slot not served up to date,
writing only the files whose content changed, then points DIR at it with one rename: the web
server never sees half a tree, and a failed build (a full disk too) leaves the served one as
it was. Exit 2 when another build is writing the same slots.

DIR may be new, an empty folder, or a site webstats built (a plain folder from an older
webstats is taken over once). Anything else there (other files, a file, a symlink elsewhere)
is refused with exit 2 and left alone, and so are /, the home folder, the working folder,
the PGlite data folder, any folder holding one of these, and any folder inside the data folder.
A store whose packages table is empty, or none of whose packages has downloads, is refused
(exit 1): run packages import or packages update first.

Exit codes: 0 built; 1 failed (the ingest or the build: nothing half-written), or the tree was
written but the data is more than --max-lag days behind; 2 usage error, a folder a build may
not replace, or another writer or build running.

Examples:
  $ webstats build                                   # cron: webstats.config.json's source, then dist/
  $ webstats build --athena --athena-output s3://bioc-athena-results/webstats/ --out /srv/www
  $ webstats build --no-ingest --out dist && python3 -m http.server -d dist --bind 127.0.0.1 8080
  $ webstats build --no-ingest --max-lag none        # a historical dataset (a fixture, the demo's)`,
    )
    .action(async (opts: Record<string, string | boolean | undefined> & { ingest: boolean }) => {
      const { build } = await import("./commands/build.js");
      await build({ ...globals(), ...opts }, out, warn);
    });

  cli
    .command("nightly")
    .description("what cron runs: packages update, ingest, build, publish, one summary line")
    .addOption(new Option("--config <file>", "the run's configuration (see README)").env("WEBSTATS_CONFIG").default("webstats.config.json"))
    .option("--no-packages", "skip the packages update")
    .addOption(s3EndpointOption())
    .addHelpText(
      "after",
      `
Exit codes: 0 done; 1 failed (a step failed; every step is atomic, so the site and the
database are as before that step); 2 nothing to do (up to date, no package changes) or
another nightly holds the lock.

The configuration may also name the database: "database": {"secret": NAME} (the login, in AWS
Secrets Manager) and "aws": {"parameterPath": PATH} (db/server, db/port, db/dbname, db/dbuser in
the Parameter Store); flags and the environment come first (README, "Configuration").

Examples (crontab, 01:30 UTC, after CloudFront has delivered the day):
  30 1 * * *  cd /srv/webstats && DATABASE_URL=postgres://webstats@db/webstats webstats nightly --quiet
  30 1 * * *  cd /srv/webstats && webstats nightly --quiet   # database and login named in webstats.config.json`,
    )
    .action(async (opts: { config: string; packages: boolean; s3Endpoint?: string }) => {
      const { nightly } = await import("./commands/nightly.js");
      await nightly({ ...globals(), ...opts }, out);
    });

  cli
    .command("publish")
    .description("sync the built tree to S3: upload only what changed, with the legacy Content-Types")
    .requiredOption("--to <s3url>", "s3://bucket/prefix")
    .option("--out <dir>", "the tree to publish", "dist")
    .option("--delete", "remove keys no longer in the tree (only after every upload succeeded)")
    .option("--dry-run", "print the plan, send nothing")
    .option("--concurrency <n>", "uploads at once", "16")
    .addOption(s3EndpointOption())
    .addHelpText(
      "after",
      `
Files are compared by MD5 with the objects' ETags (or, where the bucket's ETags are not MD5s,
with the MD5s the last publish recorded in PREFIX.webstats-publish.json), so an unchanged tree
uploads nothing. .html is sent as text/html, .tab and .txt as text/plain (as the legacy server
does), .json as application/json, .ndjson as application/x-ndjson, .gz as application/gzip,
with Cache-Control "public, max-age=3600" (static/: one day). Failed requests are retried with
backoff; a run that fails part-way leaves the previous site whole, and the next run finishes.
Warns when the bucket has no website configuration serving index.html (README, "Serving the site").
Credentials come from AWS's default chain: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
or a profile (AWS_PROFILE). A folder with no built tree (no index.html) is refused (exit 2);
missing credentials, a bucket that is not there or cannot be reached stop the run before
anything is sent (exit 1), --dry-run too.

Examples:
  $ webstats publish --to s3://bioc-web/packages/stats/ --dry-run
  $ AWS_PROFILE=bioc webstats publish --to s3://bioc-web/packages/stats/ --dry-run
  $ AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER webstats publish --to s3://site/ --s3-endpoint http://127.0.0.1:4568
  $ webstats publish --to s3://bioc-web/packages/stats/ --delete`,
    )
    .action(async (opts: { to: string; out: string; delete?: boolean; dryRun?: boolean; concurrency: string; s3Endpoint?: string }) => {
      const { publish } = await import("./commands/publish.js");
      await publish({ ...globals(), ...opts, concurrency: Number(opts.concurrency) || 16 }, out, warn);
    });

  cli
    .command("diff")
    .description("compare our tree with the legacy server's (a URL) or a saved copy of it (a folder)")
    .argument("<base>", "https://bioconductor.org/packages/stats/ or a folder")
    .option("--out <dir>", "our tree", "dist")
    .option("--only <regex>", "compare only paths matching this")
    .option("--allow <file>", "more allowed deviations, one a line: PATH_REGEX<TAB>[ASPECT,…<TAB>]WHY (as test/fixtures/allowed.tsv)")
    .option("--concurrency <n>", "requests at once", "4")
    .option("--rate <n>", "requests per second at most (0 = no limit)", "10")
    .option("--timeout <seconds>", "per request", "30")
    .addHelpText(
      "after",
      `
.tab/.txt files are compared byte for byte; HTML by title, visible text, resolved links, table
cells, chart data and script sources. Our script sources differ on purpose (Chart.js from the
site itself) and are allowed; --allow adds rules (aspects: any, missing, extra, bytes, title,
text, links, cells, chart, scripts; without one, any). Exit 0 when equal, 1 on any difference or
missing file.

Examples:
  $ webstats diff https://bioconductor.org/packages/stats/ --only '^bioc/' --rate 5
  $ webstats diff /tmp/expected --out dist`,
    )
    .action(async (base: string, opts: { out: string; only?: string; allow?: string; concurrency: string; rate: string; timeout: string }) => {
      const { diff } = await import("./commands/diff.js");
      const same = await diff(
        {
          ...globals(),
          base,
          out: opts.out,
          only: opts.only,
          allow: opts.allow,
          concurrency: Number(opts.concurrency) || 4,
          rate: Number(opts.rate),
          timeout: Number(opts.timeout) || 30,
        },
        out,
      );
      if (!same) throw new ExitError("diff: the trees differ", 1);
    });

  cli
    .command("demo")
    .description("make a deterministic demo dataset on the embedded database, ingest it and build the site")
    .option("--out <dir>", "output folder", "dist")
    .addHelpText(
      "after",
      `
Uses its own PGlite folder (.webstats/demo) unless --data-dir or --db is given.

Example:
  $ webstats demo && python3 -m http.server --bind 127.0.0.1 -d dist 8080   # then /explore.html too`,
    )
    .action(async (opts: { out: string }) => {
      const { demo } = await import("./commands/demo.js");
      const explicit = cli.getOptionValueSource("dataDir") !== undefined;
      await demo({ ...globals(), out: opts.out, dataDirGiven: explicit }, out);
    });

  return cli;
}

export async function main(argv: readonly string[]): Promise<number> {
  // The AWS SDK prints a 7-line notice on Node.js < 22 once per process (its SDK versions of 2027
  // will want 22): it would fill cron mail and every report. The README says which Node.js to run;
  // this switch, the SDK's own, silences only that notice, not other warnings.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // Every command's garbage is short-lived (file bodies, query results, requests): publish
  // peaked at 392 MB holding 55-72 MB, V8 growing its heap fourfold between full collections.
  // Set before a build starts its render workers, which take the process's flags.
  boundHeapGrowth();
  try {
    await program().parseAsync([...argv]);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof ActionableError) {
      warn(`webstats: ${e.message}`);
      return e.code;
    }
    warn(`webstats: ${(e as Error).message ?? e}`);
    if (process.env.WEBSTATS_DEBUG) warn(String((e as Error).stack));
    return EXIT.failed;
  }
}
