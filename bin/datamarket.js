#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { main } from '../dist/src/cli/main.js';

// Last line of defence for errors thrown outside main's promise chain (event emitters, timers):
// one line and exit code 1, never a stack trace (DESIGN.md §4).
const crash = (e) => {
  process.stderr.write(`error: internal: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

process.exitCode = await main(process.argv.slice(2));
