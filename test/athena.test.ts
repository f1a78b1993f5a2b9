// The Athena calls, as the real SDK sends them, answered by aws-sdk-client-mock (Athena cannot
// run here); the result rows come from a real CSV result file in Athena's own format.
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { DownloadRow, IsoDate } from "../src/domain/types.js";
import { homedir } from "node:os";
import { runIngest } from "../src/commands/ingest.js";
import type { PackageName } from "../src/domain/types.js";
import { athenaCsvRows, athenaPagedRows, downloadsQuery, runAthenaQuery } from "../src/sources/athena.js";
import { getValidThru } from "../src/store/info.js";
import { upsertPackages } from "../src/store/packages.js";
import { BACKENDS } from "./helpers/backends.js";

const athenaMock = mockClient(AthenaClient);
const s3Mock = mockClient(S3Client);
afterEach(() => {
  athenaMock.reset();
  s3Mock.reset();
});

const RESULT = new URL("./data/athena/dated-result.csv", import.meta.url).pathname;
const expected = readFileSync(new URL("./data/cloudfront/dated.expected.tsv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1);
const noWait = { sleep: async () => {} };
const key = (r: DownloadRow) => [r.date, r.ip, r.status, r.category, r.package].join("\t");
async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}
const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

describe("the Athena query", () => {
  it("starts the query on the view for the days asked, polls until it succeeds, through throttling", async () => {
    athenaMock.on(StartQueryExecutionCommand).rejectsOnce(throttled).resolves({ QueryExecutionId: "q-1" });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: "QUEUED" } } })
      .rejectsOnce(throttled)
      .resolvesOnce({ QueryExecution: { Status: { State: "RUNNING" } } })
      .resolves({ QueryExecution: { Status: { State: "SUCCEEDED" }, ResultConfiguration: { OutputLocation: "s3://results/webstats/q-1.csv" } } });
    const delays: number[] = [];
    const result = await runAthenaQuery(
      new AthenaClient({ region: "us-east-1" }),
      { database: "bioc", workgroup: "webstats", outputLocation: "s3://results/webstats/" },
      downloadsQuery("2024-12-30" as IsoDate, "2025-01-02" as IsoDate),
      {
        firstDelayMs: 100,
        maxDelayMs: 300,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(result).toEqual({ id: "q-1", output: "s3://results/webstats/q-1.csv" });
    const start = athenaMock.commandCalls(StartQueryExecutionCommand)[1]!.args[0].input;
    expect(start).toEqual({
      QueryString: `SELECT "date", "c-ip", "sc-status", category, package FROM v_bioc_web_downloads WHERE "date" BETWEEN DATE '2024-12-30' AND DATE '2025-01-02'`,
      QueryExecutionContext: { Database: "bioc" },
      WorkGroup: "webstats",
      ResultConfiguration: { OutputLocation: "s3://results/webstats/" },
    });
    expect(athenaMock.commandCalls(GetQueryExecutionCommand)).toHaveLength(4);
    // start throttled: 100; queued: 100 (then 200); the throttled poll retried: 100; running: 200
    expect(delays).toEqual([100, 100, 100, 200]);
  });

  it.each(["FAILED", "CANCELLED"] as const)("fails clearly when the query is %s, with Athena's reason", async (state) => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-2" });
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: state, StateChangeReason: "TABLE_NOT_FOUND: line 1:67: Table awsdatacatalog.bioc.v_bioc_web_downloads does not exist" },
      },
    });
    await expect(runAthenaQuery(new AthenaClient({ region: "us-east-1" }), { database: "bioc" }, "SELECT 1", noWait)).rejects.toThrow(
      `Athena query q-2 ${state.toLowerCase()}: TABLE_NOT_FOUND: line 1:67: Table awsdatacatalog.bioc.v_bioc_web_downloads does not exist`,
    );
  });

  it("gives up on throttling that does not end", async () => {
    athenaMock.on(StartQueryExecutionCommand).rejects(throttled);
    await expect(runAthenaQuery(new AthenaClient({ region: "us-east-1" }), { database: "bioc" }, "SELECT 1", noWait)).rejects.toThrow("Rate exceeded");
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)).toHaveLength(8);
  });
});

describe("the Athena results", () => {
  it("streams the result CSV from S3", async () => {
    s3Mock.on(GetObjectCommand, { Bucket: "results", Key: "webstats/q-1.csv" }).resolves({ Body: sdkStreamMixin(createReadStream(RESULT)) });
    const rows = await all(athenaCsvRows(new S3Client({ region: "us-east-1" }), "s3://results/webstats/q-1.csv"));
    expect(rows.map(key)).toEqual(expected);
  });

  it("pages through GetQueryResults, the header only on the first page", async () => {
    const lines = readFileSync(RESULT, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(`[${l}]`) as string[]);
    const pages: string[][][] = [];
    for (let i = 0; i < lines.length; i += 1000) pages.push(lines.slice(i, i + 1000));
    const mock = athenaMock.on(GetQueryResultsCommand);
    pages.forEach((page, i) => {
      mock.resolvesOnce({
        ResultSet: { Rows: page.map((values) => ({ Data: values.map((v) => ({ VarCharValue: v })) })) },
        NextToken: i < pages.length - 1 ? `page-${i + 2}` : undefined,
      });
    });
    const rows = await all(athenaPagedRows(new AthenaClient({ region: "us-east-1" }), "q-1", noWait));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(rows.map(key)).toEqual(expected);
    expect(athenaMock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      ...pages.slice(1).map((_, i) => `page-${i + 2}`),
    ]);
  });

  it("names the row of a result that does not fit", async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: sdkStreamMixin(Readable.from(['"date","c-ip","sc-status","category","package"\n"2025-01-02","1.1.1.1","200","bioc",""\n'])) });
    await expect(all(athenaCsvRows(new S3Client({ region: "us-east-1" }), "s3://results/q.csv"))).rejects.toThrow("s3://results/q.csv:2: empty package");
  });
});

describe("an ingest from Athena", () => {
  const header = ["date", "c-ip", "sc-status", "category", "package"];
  const answer = (days: readonly string[]) => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-9" });
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    const rows = [header, ...days.map((day, i) => [day, `10.0.0.${i + 1}`, "200", "bioc", "affy"])];
    athenaMock.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: rows.map((values) => ({ Data: values.map((v) => ({ VarCharValue: v })) })) } });
  };

  it("stores nothing when a day of the range has no row (undelivered logs), and names the day", async () => {
    const created = await BACKENDS[0]!.create();
    try {
      await upsertPackages(created.store.db, [{ name: "affy" as PackageName, category: "bioc", firstVersion: "308", lastVersion: null }]);
      const options = {
        databaseUrl: undefined,
        dataDir: created.dataDir,
        quiet: true,
        cwd: created.dataDir,
        home: homedir(),
        athena: true,
        since: "2025-01-01",
        until: "2025-01-03",
        now: new Date("2025-01-10T06:00:00Z"),
      };
      answer(["2025-01-01", "2025-01-03"]);
      await expect(runIngest(created.store, options)).rejects.toThrow(
        /^Athena query q-9 returned no rows for 2025-01-02: its CloudFront logs are not in place yet, .*nothing was stored \(end the run before it with --until 2025-01-01/,
      );
      expect(await getValidThru(created.store.db)).toBeNull();
      expect(
        await created.store.db
          .selectFrom("bioc_web_downloads")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirst(),
      ).toEqual({ n: 0 });
      // Once the day is delivered, the same run goes through.
      athenaMock.reset();
      answer(["2025-01-01", "2025-01-02", "2025-01-03"]);
      await runIngest(created.store, options);
      expect(await getValidThru(created.store.db)).toBe("2025-01-03");
    } finally {
      await created.store.close();
      await created.drop();
    }
  });
});
