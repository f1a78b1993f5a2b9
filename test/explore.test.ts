// explore.html in a real browser: the small-s1 fixture is built, served from loopback under
// /packages/stats/, and driven with Debian's Chromium (never a downloaded browser). Expected
// numbers come from the fixture's golden .tab files (the legacy server's output), not from the
// code under test.
//
// Without /usr/bin/chromium the suite is skipped, unless WEBSTATS_REQUIRE_BROWSER=1 (CI), when it
// fails. WEBSTATS_EXPLORE_SCREENSHOT=docs/explore.png also saves the README's screenshot.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import { ingestRows } from "../src/ingest/replace-days.js";
import { inBatches } from "../src/sources/batches.js";
import { readPackagesCsv } from "../src/sources/packages-csv.js";
import { readRowsFile } from "../src/sources/rows-file.js";
import { upsertPackages } from "../src/store/packages.js";
import { BACKENDS } from "./helpers/backends.js";
import { FIXTURES, outLimits, readExpectedFile, suiteDir } from "./helpers/temp.js";

const CHROMIUM = "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
const required = process.env.WEBSTATS_REQUIRE_BROWSER === "1";
const PREFIX = "/packages/stats/";

if (!haveBrowser && !required) {
  console.warn(`explore.test.ts: SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); set WEBSTATS_REQUIRE_BROWSER=1 to make that a failure`);
}

// --- the golden numbers ------------------------------------------------------------------------

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface Golden {
  readonly downloads: Map<string, number>;
  readonly ips: Map<string, number>;
}

/** `KEY/NAME/NAME_stats.tab` of the golden tree → month ("2024-03") → count. */
function goldenMonthly(key: string, name: string): Golden {
  const downloads = new Map<string, number>();
  const ips = new Map<string, number>();
  for (const line of readExpectedFile("small-s1", `${key}/${name}/${name}_stats.tab`).split("\n").slice(1)) {
    const [year, month, ip, dl] = line.split("\t");
    if (!year || month === "all") continue;
    const m = `${year}-${String(MONTHS.indexOf(month!) + 1).padStart(2, "0")}`;
    ips.set(m, Number(ip));
    downloads.set(m, Number(dl));
  }
  return { downloads, ips };
}

/** The package with the highest score over the four golden `*_pkg_scores.tab` files. */
function goldenTopPackage(): string {
  const rows: Array<[string, number]> = [];
  for (const f of ["bioc/bioc_pkg_scores.tab", "data-annotation/annotation_pkg_scores.tab", "data-experiment/experiment_pkg_scores.tab", "workflows/workflows_pkg_scores.tab"]) {
    for (const line of readExpectedFile("small-s1", f).split("\n").slice(1)) {
      const [name, score] = line.split("\t");
      if (name) rows.push([name, Number(score)]);
    }
  }
  rows.sort((a, b) => b[1] - a[1]);
  expect(rows[0]![1], "the golden top score is unique").toBeGreaterThan(rows[1]![1]);
  return rows[0]![0];
}

// --- a tiny static server -----------------------------------------------------------------------

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".tab": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

function serveTree(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(PREFIX)) return void res.writeHead(404).end("outside the prefix");
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(url.pathname.slice(PREFIX.length))));
    } catch {
      return void res.writeHead(400).end();
    }
    if (path !== root && !path.startsWith(root + sep)) return void res.writeHead(403).end();
    try {
      if (statSync(path).isDirectory()) path = join(path, "index.html");
      const body = readFileSync(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

// --- the suite ---------------------------------------------------------------------------------

describe.skipIf(!haveBrowser && !required)("explore.html in Chromium", () => {
  let work: string;
  let cleanup = () => {};
  let created: Awaited<ReturnType<(typeof BACKENDS)[0]["create"]>> | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = "";
  let explore = "";

  beforeAll(async () => {
    if (!haveBrowser) throw new Error(`WEBSTATS_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install chromium`);
    [work, cleanup] = suiteDir();
    const dir = join(FIXTURES, "small-s1");
    created = await BACKENDS[0]!.create();
    await upsertPackages(created.store.db, await readPackagesCsv(join(dir, "packages.csv")));
    await ingestRows(created.store, inBatches(readRowsFile(join(dir, "downloads.tsv.gz"))));
    await buildSite(created.store, join(work, "dist"), outLimits(created.dataDir));
    // The build may leave the site folder a symlink to the slot it wrote: serve the real folder.
    server = await serveTree(realpathSync(join(work, "dist")));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    explore = `${origin}${PREFIX}explore.html`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    await created?.store.close();
    await created?.drop();
    cleanup();
  });

  /** A fresh page that fails the test on a script error or on any request off this machine. */
  async function open(hash = "", options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: options.width ?? 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith(origin + PREFIX)) errors.push(`request off the site: ${r.url()}`);
    });
    await page.goto(explore + hash);
    return { page, context, errors };
  }

  async function ready(page: Page): Promise<void> {
    await page.locator("#explore-app").waitFor({ state: "visible" });
  }

  /** The chart's labels and datasets once it shows `n` series. */
  async function chartData(page: Page, n: number) {
    await page.waitForFunction((count) => {
      const chart = (window as any).Chart?.getChart(document.getElementById("chart"));
      return chart && chart.data.datasets.length === count;
    }, n);
    return page.evaluate(() => {
      const chart = (window as any).Chart.getChart(document.getElementById("chart"));
      return {
        labels: chart.data.labels as string[],
        datasets: (chart.data.datasets as Array<{ label: string; data: Array<number | null> }>).map((d) => ({ label: d.label, data: [...d.data] })),
        yType: chart.options.scales.y.type as string,
      };
    });
  }

  function expectSeries(labels: string[], data: Array<number | null>, golden: Map<string, number>, what: string): void {
    // Every month the legacy site shows a number for up to the data's last month is on the chart…
    const last = labels.at(-1)!;
    for (const [m, v] of golden) if (m <= last && v > 0) expect(labels, `${what}: ${m} (${v}) on the chart`).toContain(m);
    // …and every point is the golden number (months the legacy site leaves out had none).
    expect(data.length).toBe(labels.length);
    const want = labels.map((m) => golden.get(m) ?? 0);
    expect(data.map((v) => v ?? 0), what).toEqual(want);
    expect(want.reduce((s, v) => s + v, 0), `${what}: a series with numbers`).toBeGreaterThan(0);
  }

  it("finds a package by part of its name, with the keyboard, and adds it to the chart", async () => {
    const { page, context, errors } = await open();
    await ready(page);
    const search = page.getByLabel("Search packages");
    await search.click();
    await search.pressSequentially("ostat");
    const list = page.getByRole("listbox", { name: "Matching packages" });
    await expect.poll(() => list.isVisible()).toBe(true);
    expect(await search.getAttribute("aria-expanded")).toBe("true");
    const names = await list.getByRole("option").locator("span:first-child").allTextContents();
    expect(names).toContain("GOstats");
    // The table below shows the same matches, and the live region counts them.
    expect(await page.locator("#packages-table tbody th").allTextContents()).toEqual(expect.arrayContaining(["GOstats"]));
    const count = await page.locator("#result-count").textContent();
    expect(count).toMatch(new RegExp(`^${names.length} packages? match “ostat”\\.$`));
    expect(await page.locator("#result-count").getAttribute("aria-live")).toBe("polite");

    await search.press("ArrowDown");
    const active = await search.getAttribute("aria-activedescendant");
    expect(active).toBeTruthy();
    expect(await page.locator(`#${active}`).getAttribute("aria-selected")).toBe("true");
    const activeName = await page.locator(`#${active} span:first-child`).textContent();
    await search.press("Enter");
    await expect.poll(() => page.locator("#chosen li").allTextContents()).toEqual([expect.stringContaining(activeName!)]);
    expect(new URL(page.url()).hash).toBe(`#p=${activeName}`);
    expect(await search.inputValue()).toBe("");
    await chartData(page, 1);

    // A name matching nothing: an empty table and a count that says so.
    await search.fill("no-such-package-zzz");
    await expect.poll(() => page.locator("#result-count").textContent()).toBe("0 packages match “no-such-package-zzz”.");
    expect(await page.locator("#packages-table tbody tr").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("charts the golden monthly downloads and distinct IPs of two packages, linear and log", async () => {
    const goStats = goldenMonthly("bioc", "GOstats");
    const abArray = goldenMonthly("bioc", "ABarray");
    const { page, context, errors } = await open("#p=GOstats,ABarray");
    await ready(page);
    let chart = await chartData(page, 2);
    expect(chart.datasets.map((d) => d.label)).toEqual(["GOstats", "ABarray"]);
    expect(chart.yType).toBe("linear");
    expect(chart.labels).toEqual([...chart.labels].sort());
    expectSeries(chart.labels, chart.datasets[0]!.data, goStats.downloads, "GOstats downloads");
    expectSeries(chart.labels, chart.datasets[1]!.data, abArray.downloads, "ABarray downloads");

    await page.getByRole("radio", { name: "Distinct IPs" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats,ABarray&m=ips");
    chart = await chartData(page, 2);
    expectSeries(chart.labels, chart.datasets[0]!.data, goStats.ips, "GOstats distinct IPs");
    expectSeries(chart.labels, chart.datasets[1]!.data, abArray.ips, "ABarray distinct IPs");

    await page.getByRole("radio", { name: "Logarithmic" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats,ABarray&m=ips&s=log");
    chart = await chartData(page, 2);
    expect(chart.yType).toBe("logarithmic");
    // On a log scale a month without downloads is a gap, the others keep their numbers.
    expect(chart.datasets[1]!.data.some((v) => v === null)).toBe(true);
    expectSeries(chart.labels, chart.datasets[1]!.data, abArray.ips, "ABarray distinct IPs, log scale");

    // The numbers are in a table for those who cannot see the chart.
    const headers = await page.locator("#chart-table thead th").allTextContents();
    expect(headers).toEqual(["Month", "GOstats", "ABarray"]);

    if (process.env.WEBSTATS_EXPLORE_SCREENSHOT) {
      await page.getByRole("radio", { name: "Downloads" }).check();
      await page.getByRole("radio", { name: "Linear" }).check();
      await page.setViewportSize({ width: 1280, height: 1150 });
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const file = resolve(process.env.WEBSTATS_EXPLORE_SCREENSHOT);
      mkdirSync(dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: false });
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it("restores the chosen packages from the URL hash, and keeps the hash up to date", async () => {
    const { page, context, errors } = await open("#p=ABarray,bioc/affy&s=log");
    await ready(page);
    const chips = () => page.locator("#chosen li > span:nth-child(2)").allTextContents();
    await expect.poll(chips).toEqual(["ABarray", "affy"]);
    expect(await page.getByRole("radio", { name: "Logarithmic" }).isChecked()).toBe(true);
    expect((await chartData(page, 2)).datasets.map((d) => d.label)).toEqual(["ABarray", "affy"]);

    // Removing one (its button, with the keyboard) and adding another from the table update the hash.
    await page.getByRole("button", { name: "Remove ABarray from the chart" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=affy&s=log");
    await page.getByRole("button", { name: "Compare GOstats in the chart" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=affy,GOstats&s=log");
    expect(await page.getByRole("button", { name: "Compare GOstats in the chart" }).getAttribute("aria-pressed")).toBe("true");

    // The shared link opens the same selection.
    await page.reload();
    await ready(page);
    await expect.poll(chips).toEqual(["affy", "GOstats"]);
    expect((await chartData(page, 2)).datasets.map((d) => d.label)).toEqual(["affy", "GOstats"]);

    // Editing the hash by hand is followed too; unknown names are reported, not charted.
    await page.evaluate(() => (location.hash = "#p=BiocGenerics,notAPackage"));
    await expect.poll(chips).toEqual(["BiocGenerics"]);
    expect(await page.locator("#explore-error").textContent()).toContain("notAPackage");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sorts the table by score with the mouse and the keyboard, and says so with aria-sort", async () => {
    const top = goldenTopPackage();
    const { page, context, errors } = await open();
    await ready(page);
    const header = (key: string) => page.locator(`#packages-table th[data-sort="${key}"]`);
    const firstRow = () => page.locator("#packages-table tbody tr:first-child th").textContent();
    expect(await header("name").getAttribute("aria-sort")).toBe("ascending");
    expect(await firstRow()).not.toBe(top);

    await header("score").getByRole("button").click();
    expect(await header("score").getAttribute("aria-sort")).toBe("descending");
    expect(await header("name").getAttribute("aria-sort")).toBeNull();
    expect(await firstRow()).toBe(top);
    const scores = (await page.locator("#packages-table tbody tr td:nth-child(3)").allTextContents()).filter((s) => s !== "–").map((s) => Number(s.replace(/,/g, "")));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Enter on the focused header button sorts the other way.
    await header("score").getByRole("button").focus();
    await page.keyboard.press("Enter");
    expect(await header("score").getAttribute("aria-sort")).toBe("ascending");
    expect(await firstRow()).not.toBe(top);

    // Total downloads: the first row has the most.
    await header("total").getByRole("button").click();
    const totals = (await page.locator("#packages-table tbody tr td:nth-child(5)").allTextContents()).map((s) => Number(s.replace(/,/g, "")));
    expect(totals[0]).toBe(Math.max(...totals));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a message without JavaScript", async () => {
    const { page, context } = await open("", { javaScriptEnabled: false });
    // (Playwright's text locators skip <noscript>: find the message by its id.)
    const message = page.locator("#explore-noscript");
    await expect.poll(() => message.isVisible()).toBe(true);
    expect(await message.textContent()).toMatch(/^\s*This page needs JavaScript/);
    expect(await page.locator("#explore-app").isVisible()).toBe(false);
    // The category pages are linked, relative to the page.
    expect(await page.locator("#explore-noscript a").first().getAttribute("href")).toBe("index.html");
    await context.close();
  });

  it("shows a visible error when packages.json cannot be loaded", async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.route("**/api/v1/packages.json", (route) => route.fulfill({ status: 404, body: "gone" }));
    await page.goto(explore);
    const error = page.getByRole("alert");
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/could not be loaded.*HTTP 404/);
    expect(await page.locator("#explore-app").isVisible()).toBe(false);
    await context.close();
  });

  it("escapes names from the data, and names a package in two categories as KEY/NAME", async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const evil = `<img src=x onerror="window.__pwned=1">`;
    await page.route("**/api/v1/packages.json", async (route) => {
      const index = await (await route.fetch()).json();
      const affy = index.packages.find((p: { name: string }) => p.name === "affy");
      index.packages.push({ ...affy, category: "data-experiment", page: null }, { ...affy, name: evil, page: null });
      await route.fulfill({ json: index });
    });
    await page.goto(explore);
    await ready(page);
    await page.getByLabel("Search packages").fill("onerror");
    await expect.poll(() => page.locator("#packages-table tbody th").allTextContents()).toEqual([evil]);
    expect(await page.locator("#packages-table img").count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();

    await page.getByLabel("Search packages").fill("");
    await page.getByRole("button", { name: "Compare affy (Experiment) in the chart" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=data-experiment/affy");
    expect(errors).toEqual([]);
    await context.close();
  });
});
