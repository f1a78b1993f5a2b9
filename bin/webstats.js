#!/usr/bin/env node
// The compiled CLI lives in lib/ (dist/ is the site output): run `npm run build` first.
import { main } from "../lib/cli.js";

// `webstats … | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv);
