// `--help` and the README say the same (issue 14): every flag a command's help lists is in the
// README, and the reasons packages import rejects a line are the same list in both.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The help as the CLI prints it, in this process (helpers/cli.ts). */
const help = async (command: string[]) => (await runCli([...command, "--help"], process.cwd(), process.env)).stdout;
/** Backticks and line breaks are the README's markup, not its words. */
const words = (text: string) => text.replace(/`/g, "").replace(/\s+/g, " ").trim();

const flagsOf = (helpText: string) => [...helpText.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]!).filter((f) => f !== "--help");

const COMMANDS = [
  ["packages", "import"],
  ["packages", "update"],
  ["ingest"],
  ["athena", "setup"],
  ["status"],
  ["summarize"],
  ["build"],
  ["nightly"],
  ["publish"],
  ["diff"],
  ["demo"],
];

describe("--help and the README agree", () => {
  it.each(COMMANDS.map((c) => c.join(" ")))("webstats %s: the command and every flag of its help are in the README", async (name) => {
    const text = await help(name.split(" "));
    expect(text).toMatch(new RegExp(`^Usage: webstats ${name} `));
    expect(README).toContain(`webstats ${name}`);
    expect(flagsOf(text).filter((f) => !README.includes(f))).toEqual([]);
  });

  it("every global flag of the main help is in the README", async () => {
    const flags = flagsOf(await help([]));
    expect(flags).toContain("--data-dir");
    expect(flags.filter((f) => !README.includes(f))).toEqual([]);
  });

  it("packages import: the same reasons for rejecting a line", async () => {
    const reasons = (text: string) => /any bad line \(([^)]*(?:\([^)]*\)[^)]*)*)\)/.exec(words(text))?.[1];
    const inHelp = reasons(await help(["packages", "import"]));
    expect(inHelp).toMatch(/unknown category/);
    expect(reasons(README)).toBe(inHelp);
  });
});
