// explore.html in a real browser: the small-s1 fixture is built, served from loopback under
// /packages/stats/, and driven with Debian's Chromium (never a downloaded browser). Expected
// numbers come from the fixture's golden .tab files (the legacy server's output), not from the
// code under test.
//
// The package files get a `daily` series (the API's shape: 365 days ending at ValidThru) counted
// here from the fixture's raw rows, so that the day and week views are tested before the build
// writes it; one test takes it away again to see the page do without. The switch "without
// crawlers and repeats" is checked against the built file's own `filtered` numbers (their
// counting is tested in test/api-filtered.test.ts), and taken away again the same way.
//
// Without /usr/bin/chromium the suite is skipped, unless WEBSTATS_REQUIRE_BROWSER=1 (CI), when it
// fails. WEBSTATS_EXPLORE_SCREENSHOT=docs/explore.png also saves the README's screenshot.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../src/commands/build.js";
import { CATEGORIES } from "../src/domain/categories.js";
import { smallS1Store, type CreatedStore } from "./helpers/backends.js";
import { FIXTURES, outLimits, readExpectedFile, suiteDir } from "./helpers/temp.js";

declare global {
  /** The page's globals the tests read: Chart.js's charts (its own deep shape) and the escaping probe. */
  interface Window {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Chart: { getChart(el: Element | null): any };
    __pwned?: unknown;
  }
}

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

/** The golden packages by score, highest first, over the four golden `*_pkg_scores.tab` files. */
function goldenByScore(): Array<[string, number]> {
  const rows: Array<[string, number]> = [];
  for (const f of [
    "bioc/bioc_pkg_scores.tab",
    "data-annotation/annotation_pkg_scores.tab",
    "data-experiment/experiment_pkg_scores.tab",
    "workflows/workflows_pkg_scores.tab",
  ]) {
    for (const line of readExpectedFile("small-s1", f).split("\n").slice(1)) {
      const [name, score] = line.split("\t");
      if (name) rows.push([name, Number(score)]);
    }
  }
  return rows.sort((a, b) => b[1] - a[1]);
}

/** The package with the highest score. */
function goldenTopPackage(): string {
  const rows = goldenByScore();
  expect(rows[0]![1], "the golden top score is unique").toBeGreaterThan(rows[1]![1]);
  return rows[0]![0];
}

// --- daily numbers from the raw rows --------------------------------------------------------------

const VALID_THRU = "2025-06-17"; // small-s1's info.json
const COUNTED = new Set(["200", "301", "302", "307", "308"]); // the statuses the legacy views count

interface Day {
  readonly day: string;
  readonly downloads: number;
  readonly distinctIPs: number;
}

const addDays = (day: string, n: number) => new Date(Date.parse(day + "T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10);

/** "dbCategory\tpackage" → day → IPs (one entry per counted download). */
function rawDownloads(): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  const lines = gunzipSync(readFileSync(join(FIXTURES, "small-s1", "downloads.tsv.gz")))
    .toString("utf8")
    .split("\n");
  for (const line of lines.slice(1)) {
    const [day, ip, status, category, pkg] = line.split("\t");
    if (!pkg || !COUNTED.has(status!)) continue;
    const key = `${category}\t${pkg}`;
    if (!out.has(key)) out.set(key, new Map());
    const days = out.get(key)!;
    if (!days.has(day!)) days.set(day!, []);
    days.get(day!)!.push(ip!);
  }
  return out;
}

/** The 365 days ending at ValidThru, every day, zeros included. */
function dailyOf(days: Map<string, string[]> | undefined): Day[] {
  return Array.from({ length: 365 }, (_, i) => {
    const day = addDays(VALID_THRU, i - 364);
    const ips = days?.get(day) ?? [];
    return { day, downloads: ips.length, distinctIPs: new Set(ips).size };
  });
}

/** Adds `daily` to every api/v1/packages/KEY/NAME.json of a built tree; returns them by "KEY/NAME". */
function addDaily(root: string): Map<string, Day[]> {
  const raw = rawDownloads();
  const all = new Map<string, Day[]>();
  for (const c of CATEGORIES) {
    const dir = join(root, "api", "v1", "packages", c.key);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const name = file.replace(/\.json$/, "");
      const json = JSON.parse(readFileSync(join(dir, file), "utf8"));
      json.daily = dailyOf(raw.get(`${c.db}\t${name}`));
      all.set(`${c.key}/${name}`, json.daily);
      writeFileSync(join(dir, file), JSON.stringify(json));
    }
  }
  return all;
}

/** A route (open's `before`) that serves every package file as `change` leaves it. */
function changePackageFiles(change: (json: Record<string, unknown>) => void): (page: Page) => Promise<unknown> {
  return (page) =>
    page.route("**/api/v1/packages/**", async (route) => {
      const json = await (await route.fetch()).json();
      change(json);
      await route.fulfill({ json });
    });
}

// --- a tiny static server -----------------------------------------------------------------------

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
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
  let created: CreatedStore | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = "";
  let explore = "";
  let daily = new Map<string, Day[]>();

  beforeAll(async () => {
    if (!haveBrowser) throw new Error(`WEBSTATS_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install chromium`);
    [work, cleanup] = suiteDir();
    created = await smallS1Store(); // small-s1's packages and downloads
    await buildSite(created.store, join(work, "dist"), outLimits(created.dataDir));
    // The build may leave the site folder a symlink to the slot it wrote: serve the real folder.
    const root = realpathSync(join(work, "dist"));
    daily = addDaily(root);
    server = await serveTree(root);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    explore = `${origin}${PREFIX}explore.html`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
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
  async function open(
    hash = "",
    options: { javaScriptEnabled?: boolean; width?: number; permissions?: string[]; before?: (page: Page) => Promise<unknown> } = {},
  ): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: { width: options.width ?? 1280, height: 900 },
      permissions: options.permissions ?? [],
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith(origin + PREFIX)) errors.push(`request off the site: ${r.url()}`);
    });
    await options.before?.(page); // routes that change what the site serves
    await page.goto(explore + hash);
    return { page, context, errors };
  }

  async function ready(page: Page): Promise<void> {
    await page.locator("#explore-app").waitFor({ state: "visible" });
  }

  /** The chart's labels and datasets once it shows `n` series. */
  async function chartData(page: Page, n: number) {
    await page.waitForFunction((count) => {
      const chart = window.Chart?.getChart(document.getElementById("chart"));
      return chart && chart.data.datasets.length === count;
    }, n);
    return page.evaluate(() => {
      const chart = window.Chart.getChart(document.getElementById("chart"));
      return {
        labels: chart.data.labels as string[],
        datasets: (chart.data.datasets as Array<{ label: string; data: Array<number | null> }>).map((d) => ({ label: d.label, data: [...d.data] })),
        yType: chart.options.scales.y.type as string,
        yTicks: (chart.scales.y.ticks as Array<{ label: string }>).map((t) => t.label),
        // How the last point is drawn, as Chart.js resolved it.
        lastPoint: chart.data.datasets.map((_: unknown, i: number) => chart.getDatasetMeta(i).data.at(-1)?.options.pointStyle as string),
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
    expect(
      data.map((v) => v ?? 0),
      what,
    ).toEqual(want);
    expect(
      want.reduce((s, v) => s + v, 0),
      `${what}: a series with numbers`,
    ).toBeGreaterThan(0);
  }

  it("finds a package by part of its name, with the keyboard, and adds it to the chart", async () => {
    // `p=` names no package: an empty chart instead of the top five.
    const { page, context, errors } = await open("#p=");
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
    // By score, highest first, until a header says otherwise.
    expect(await header("score").getAttribute("aria-sort")).toBe("descending");
    expect(await firstRow()).toBe(top);
    await header("name").getByRole("button").click();
    expect(await header("name").getAttribute("aria-sort")).toBe("ascending");
    expect(await firstRow()).not.toBe(top);

    await header("score").getByRole("button").click();
    expect(await header("score").getAttribute("aria-sort")).toBe("descending");
    expect(await header("name").getAttribute("aria-sort")).toBeNull();
    expect(await firstRow()).toBe(top);
    const scores = (await page.locator("#packages-table tbody tr td:nth-child(3)").allTextContents())
      .filter((s) => s !== "–")
      .map((s) => Number(s.replace(/,/g, "")));
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

  it("opens with the top five packages by score charted and the table sorted by score", async () => {
    const byScore = goldenByScore();
    expect(byScore[4]![1], "the golden fifth score is not tied with the sixth").toBeGreaterThan(byScore[5]![1]);
    const top5 = byScore.slice(0, 5).map(([name]) => name);
    const { page, context, errors } = await open();
    await ready(page);
    const chart = await chartData(page, 5);
    expect(chart.datasets.map((d) => d.label)).toEqual(top5);
    expect(await page.locator("#chosen li > span:nth-child(2)").allTextContents()).toEqual(top5);
    expect(await page.locator("#chosen-default").isVisible()).toBe(true);
    expect(await page.locator("#packages-table tbody tr th").evaluateAll((ths) => ths.slice(0, 5).map((t) => t.firstChild?.textContent))).toEqual(top5);
    expect(await page.locator('#packages-table th[data-sort="score"]').getAttribute("aria-sort")).toBe("descending");
    // The default is not written into the link; a change of selection is, in full.
    expect(new URL(page.url()).hash).toBe("");
    await page.getByRole("button", { name: `Remove ${top5[0]} from the chart` }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#p=${top5.slice(1).join(",")}`);
    expect(await page.locator("#chosen-default").isVisible()).toBe(false);
    // Adding it back from the table: the focus stays on its button while the package loads and the table is drawn again.
    await page.getByRole("button", { name: `Compare ${top5[0]} in the chart` }).click();
    await chartData(page, 5);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Compare ${top5[0]} in the chart`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-pressed"))).toBe("true");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("draws the current month as partial, to date, with its real count", async () => {
    const goStats = goldenMonthly("bioc", "GOstats");
    const { page, context, errors } = await open("#p=GOstats");
    await ready(page);
    const chart = await chartData(page, 1);
    // ValidThru is 2025-06-17: June is counted for 17 days, and is the chart's last point.
    expect(chart.labels.at(-1)).toBe("2025-06");
    expect(chart.datasets[0]!.data.at(-1)).toBe(goStats.downloads.get("2025-06"));
    expect(chart.lastPoint).toEqual(["rectRot"]);
    expect(await page.locator("#chart-table tbody tr:first-child th").textContent()).toBe("2025-06 (to date)");
    expect(await page.locator("#chart-table tbody tr:nth-child(2) th").textContent()).toBe("2025-05");
    expect(await page.locator("#chart-note").textContent()).toContain("2025-06, is counted through 2025-06-17 (to date)");
    expect(await page.locator("#chart").getAttribute("aria-label")).toContain("to 2025-06 (to date)");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("charts days and weeks from the daily numbers, over 90 days, a year or all", async () => {
    const days = daily.get("bioc/GOstats")!;
    // The daily numbers the test wrote agree with the build's own last 30 days.
    const index = await (await fetch(`${origin}${PREFIX}api/v1/packages.json`)).json();
    const last30 = index.packages.find((p: { name: string }) => p.name === "GOstats").last30Days.downloads;
    expect(days.slice(-30).reduce((n, d) => n + d.downloads, 0)).toBe(last30);

    const { page, context, errors } = await open("#p=GOstats&g=day");
    await ready(page);
    expect(await page.getByRole("radio", { name: "Day", exact: true }).isChecked()).toBe(true);
    let chart = await chartData(page, 1);
    expect(chart.labels).toEqual(days.map((d) => d.day));
    expect(chart.datasets[0]!.data).toEqual(days.map((d) => d.downloads));
    expect(await page.locator("#chart-table thead th").first().textContent()).toBe("Day");

    await page.getByRole("radio", { name: "Last 90 days" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&g=day&r=90d");
    chart = await chartData(page, 1);
    expect(chart.labels).toEqual(days.slice(-90).map((d) => d.day));
    expect(chart.labels[0]).toBe("2025-03-20");

    // Weeks run Monday to Sunday: 2025-06-16 is a Monday, so the last week has two days, to date.
    await page.getByRole("radio", { name: "Week", exact: true }).check();
    await page.getByRole("radio", { name: "Distinct IPs" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&m=ips&g=week&r=90d");
    chart = await chartData(page, 1);
    const weekOf = (monday: string) => days.filter((d) => d.day >= monday && d.day <= addDays(monday, 6));
    // The 90 days start on Thursday 2025-03-20: its week is the first, Monday 2025-03-17.
    expect(chart.labels[0]).toBe("2025-03-17");
    expect(chart.labels.at(-1)).toBe("2025-06-16");
    expect(chart.labels).toHaveLength(14);
    expect(chart.datasets[0]!.data).toEqual(chart.labels.map((m) => weekOf(m).reduce((n, d) => n + d.distinctIPs, 0)));
    expect(chart.lastPoint).toEqual(["rectRot"]);
    expect(await page.locator("#chart-table tbody tr:first-child th").textContent()).toBe("2025-06-16 (to date)");
    expect(await page.locator("#chart-note").textContent()).toMatch(
      /from 2025-06-16, is counted through 2025-06-17 \(to date\).*sum of its days' distinct IPs/,
    );

    // A year of weeks: the first whole week of the 365 days (2024-06-18, a Tuesday) starts on 2024-06-24.
    await page.getByRole("radio", { name: "1 year" }).check();
    chart = await chartData(page, 1);
    expect(chart.labels[0]).toBe("2024-06-24");
    expect(chart.datasets[0]!.data[0]).toBe(weekOf("2024-06-24").reduce((n, d) => n + d.distinctIPs, 0));

    // Months over a year: every month with a day in it, from June 2024.
    await page.getByRole("radio", { name: "Month", exact: true }).check();
    await page.getByRole("radio", { name: "Downloads" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&r=1y");
    chart = await chartData(page, 1);
    expect(chart.labels).toEqual([
      "2024-06",
      "2024-07",
      "2024-08",
      "2024-09",
      "2024-10",
      "2024-11",
      "2024-12",
      "2025-01",
      "2025-02",
      "2025-03",
      "2025-04",
      "2025-05",
      "2025-06",
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("hides day and week when the package files have no daily numbers", async () => {
    const withoutDaily = changePackageFiles((json) => delete json.daily);
    const { page, context, errors } = await open("#p=GOstats&g=day", { before: withoutDaily });
    await ready(page);
    const chart = await chartData(page, 1);
    expect(chart.labels.at(-1)).toBe("2025-06");
    expect(await page.getByRole("radio", { name: "Month", exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: "Day", exact: true }).isVisible()).toBe(false);
    expect(await page.getByRole("radio", { name: "Week", exact: true }).isVisible()).toBe(false);
    expect(await page.getByRole("radio", { name: "Last 90 days" }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("swaps the chart and its table to the counts without crawlers and repeats, and back, kept in the hash", async () => {
    type Point = { downloads: number; distinctIPs: number };
    const file = await (await fetch(`${origin}${PREFIX}api/v1/packages/bioc/GOstats.json`)).json();
    const filtered = file.filtered as { crawlerPackages: number; monthly: Array<Point & { month: string }>; daily: Array<Point & { day: string }> };
    const legacyMonths = new Map((file.monthly as Array<Point & { month: string }>).map((p) => [p.month, p.downloads]));
    const filteredMonths = new Map(filtered.monthly.map((p) => [p.month, p.downloads]));
    // The fixture has repeats: the filtered numbers are not the legacy ones (else this test could not fail).
    expect([...filteredMonths.values()]).not.toEqual([...legacyMonths.values()]);
    const tableRows = (page: Page) =>
      page
        .locator("#chart-table tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.querySelector("th")!.textContent!.replace(" (to date)", ""), Number(tr.querySelector("td")!.textContent!.replace(/,/g, ""))]),
        );

    const { page, context, errors } = await open("#p=GOstats");
    await ready(page);
    const toggle = page.getByRole("switch", { name: "Without crawlers and repeats" });
    await toggle.waitFor({ state: "visible" });
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.locator("#filtered-help").textContent()).toContain(`more than ${filtered.crawlerPackages} packages on one day`);
    const { labels } = await chartData(page, 1);
    const shown = async () => (await chartData(page, 1)).datasets[0]!.data.map((v) => v ?? 0);
    expect(await shown()).toEqual(labels.map((m) => legacyMonths.get(m) ?? 0));

    await toggle.check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&f=1");
    await expect.poll(shown).toEqual(labels.map((m) => filteredMonths.get(m) ?? 0));
    // the chart's table too, newest first
    expect(await tableRows(page)).toEqual([...labels].reverse().map((m) => [m, filteredMonths.get(m) ?? 0]));
    expect(await page.locator("#chart").getAttribute("aria-label")).toContain("without crawlers and repeats");

    // Days, and distinct IPs: the file's filtered daily numbers.
    await page.getByRole("radio", { name: "Day", exact: true }).check();
    await page.getByRole("radio", { name: "Distinct IPs" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&m=ips&g=day&f=1");
    await expect.poll(shown).toEqual(filtered.daily.map((d) => d.distinctIPs));

    // The link opens the same view; switching off gives the legacy numbers back.
    await page.reload();
    await ready(page);
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect.poll(shown).toEqual(filtered.daily.map((d) => d.distinctIPs));
    await toggle.uncheck();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&m=ips&g=day");
    await expect.poll(shown).toEqual(daily.get("bioc/GOstats")!.map((d) => d.distinctIPs));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offers no switch when the package files have no counts without crawlers", async () => {
    const withoutFiltered = changePackageFiles((json) => (json.filtered = null));
    const golden = goldenMonthly("bioc", "GOstats");
    const { page, context, errors } = await open("#p=GOstats&f=1", { before: withoutFiltered });
    await ready(page);
    const chart = await chartData(page, 1);
    // the legacy numbers, whatever the hash asks for
    expectSeries(chart.labels, chart.datasets[0]!.data, golden.downloads, "GOstats downloads");
    expect(await page.getByRole("switch", { name: "Without crawlers and repeats" }).isVisible()).toBe(false);
    expect(await page.locator("#filtered-help").isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("labels a log scale of a package with few downloads with readable ticks (issue 14)", async () => {
    const few = goldenMonthly("bioc", "MiRaGE");
    expect(Math.max(...few.downloads.values()), "MiRaGE has a few downloads a month").toBeLessThan(10);
    const { page, context, errors } = await open("#p=MiRaGE&s=log");
    await ready(page);
    const chart = await chartData(page, 1);
    expect(chart.yType).toBe("logarithmic");
    expect(chart.yTicks).toEqual(["1", "2", "5", "10"]);
    expect(errors).toEqual([]);
    await context.close();
  });

  /** The README's Markdown of a package's badges, on the test server's address under its prefix. */
  function expectedBadgeMarkdown(key: string, name: string): string {
    const site = `${origin}${PREFIX}`;
    return ["rank", "last-month", "total"].map((kind) => `[![downloads](${site}badges/${key}/${name}/${kind}.svg)](${site}${key}/${name}/)`).join("\n");
  }

  it("copies a chosen package's badge Markdown, with full URLs under the site's prefix", async () => {
    const { page, context, errors } = await open("#p=GOstats,GO.db", { permissions: ["clipboard-read", "clipboard-write"] });
    await ready(page);
    await page.getByRole("button", { name: "Copy the badge Markdown of GO.db" }).click();
    await expect.poll(() => page.locator("#announce").textContent()).toBe("The badge Markdown of GO.db is copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expectedBadgeMarkdown("data-annotation", "GO.db"));
    expect(await page.locator("#badge-list li", { hasText: "GO.db" }).getByText("Copied.").isVisible()).toBe(true);
    // The focus stays on the button the row was drawn again with.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Copy the badge Markdown of GO.db");
    expect(await page.locator(`#badge-markdown`).count()).toBe(0);

    await page.getByRole("button", { name: "Copy the badge Markdown of GOstats" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(expectedBadgeMarkdown("bioc", "GOstats"));
    // Every URL of the Markdown is a file of the site: the badges are SVG, the link a page.
    for (const url of new Set(expectedBadgeMarkdown("bioc", "GOstats").match(/https?:[^)]+/g))) {
      const r = await fetch(url);
      expect(r.status, url).toBe(200);
      if (url.endsWith(".svg")) expect(await r.text(), url).toMatch(/^<svg /);
    }
    // The badges are shown beside the button, loaded from the site.
    expect(
      await page
        .locator("#badge-list li", { hasText: "GOstats" })
        .locator("img")
        .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0)),
    ).toEqual([true, true, true]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the badge Markdown selected in a read-only field when the clipboard cannot be used", async () => {
    // As on a page served over plain HTTP from another host: no navigator.clipboard.
    const withoutClipboard = (page: Page) => page.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
    const { page, context, errors } = await open("#p=GOstats", { before: withoutClipboard });
    await ready(page);
    await page.getByRole("button", { name: "Copy the badge Markdown of GOstats" }).click();
    const field = page.getByLabel(/copy the badge Markdown of GOstats from this field/);
    await expect.poll(() => field.isVisible()).toBe(true);
    expect(await field.inputValue()).toBe(expectedBadgeMarkdown("bioc", "GOstats"));
    expect(
      await field.evaluate((f) => {
        const t = f as HTMLTextAreaElement;
        return { readOnly: t.readOnly, focused: document.activeElement === t, selected: t.value.slice(t.selectionStart, t.selectionEnd) };
      }),
    ).toEqual({ readOnly: true, focused: true, selected: expectedBadgeMarkdown("bioc", "GOstats") });
    await expect.poll(() => page.locator("#announce").textContent()).toMatch(/^The clipboard cannot be used here: the badge Markdown of GOstats is selected/);
    // Another change of the page leaves the field as it is: the same element, not one drawn again.
    await field.evaluate((f) => ((f as unknown as { same: boolean }).same = true));
    await page.getByRole("radio", { name: "Distinct IPs" }).check();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=GOstats&m=ips");
    expect(await field.evaluate((f) => (f as unknown as { same?: boolean }).same)).toBe(true);
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
    const evil = `<img src=x onerror="window.__pwned=1">`;
    const withEvil = (page: Page) =>
      page.route("**/api/v1/packages.json", async (route) => {
        const index = await (await route.fetch()).json();
        const affy = index.packages.find((p: { name: string }) => p.name === "affy");
        index.packages.push({ ...affy, category: "data-experiment", page: null }, { ...affy, name: evil, page: null });
        await route.fulfill({ json: index });
      });
    const { page, context, errors } = await open("#p=", { before: withEvil });
    await ready(page);
    await page.getByLabel("Search packages").fill("onerror");
    await expect.poll(() => page.locator("#packages-table tbody th").allTextContents()).toEqual([evil]);
    expect(await page.locator("#packages-table img").count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();

    // Its badges' row names it as text too.
    await page.getByRole("button", { name: `Compare ${evil} in the chart` }).click();
    await expect.poll(() => page.locator("#badge-list li > span").first().textContent()).toBe(evil);
    expect(await page.locator("#badge-list img:not([src$='.svg'])").count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();

    await page.getByLabel("Search packages").fill("");
    await page.getByRole("button", { name: `Remove ${evil} from the chart` }).click();
    await page.getByRole("button", { name: "Compare affy (Experiment) in the chart" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#p=data-experiment/affy");
    expect(errors).toEqual([]);
    await context.close();
  });
});
