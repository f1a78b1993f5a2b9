#!/usr/bin/env node
// The compiled CLI lives in lib/ (dist/ is the site output): run `npm run build` first.
import { main } from "../lib/cli.js";

process.exitCode = await main(process.argv);
