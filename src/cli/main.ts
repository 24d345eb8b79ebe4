import { Command, CommanderError } from 'commander';
import { InputError } from '../scenario/errors.js';
import type { CliContext } from './context.js';
import { makeLogger } from './log.js';
import { registerSolve } from './solve.js';
import { registerDefault } from './default.js';
import { registerSimulate } from './simulate.js';
import { registerSweep } from './sweep.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { Interrupted } from './interrupted.js';

/** pino's levels (an unknown one makes pino throw). */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Version of the package, written into outputs. */
export const VERSION = '0.1.0';

/**
 * Runs the CLI on argv (without `node script`) and returns the exit code:
 * 0 success, 2 bad input (one line `error: <field>: <what>` on stderr), 1 internal error.
 */
export async function main(argv: string[], io: Partial<CliContext> = {}): Promise<number> {
  const stderr = io.stderr ?? ((t: string) => process.stderr.write(t));
  // pino throws on an unknown level before any command runs: check it here so it is bad input, not a crash.
  const level = levelFromArgv(argv) ?? (io.env ?? process.env).LOG_LEVEL;
  if (io.log === undefined && level !== undefined && !LOG_LEVELS.includes(level)) {
    stderr(`error: --log-level: unknown level ${JSON.stringify(level)} (expected one of ${LOG_LEVELS.join(', ')}; also read from LOG_LEVEL)\n`);
    return 2;
  }
  const ctx: CliContext = {
    stdout: io.stdout ?? ((t) => process.stdout.write(t)),
    stderr,
    log: io.log ?? makeLogger(level),
    isTty: io.isTty ?? Boolean(process.stderr.isTTY),
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  };
  const program = new Command('datamarket')
    .description('Agent-based simulator of markets for personal data, checked against exact equilibria')
    .version(VERSION)
    .option('--log-level <level>', 'pino log level on stderr (also LOG_LEVEL)', 'warn')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout(s),
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .showSuggestionAfterError(false);
  registerSolve(program, ctx);
  registerSimulate(program, ctx);
  registerSweep(program, ctx);
  registerMerge(program, ctx);
  registerReport(program, ctx);
  registerDefault(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return handleError(e, ctx);
  }
}

function handleError(e: unknown, ctx: CliContext): number {
  // Already reported by the command (an interrupted sweep saying how to resume, an interrupted simulate).
  if (e instanceof Interrupted) return e.exitCode;
  if (e instanceof InputError) {
    ctx.stderr(`${e.line()}\n`);
    return 2;
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    // `datamarket` with no command: commander's message is "(outputHelp)".
    if (e.code === 'commander.help') {
      ctx.stderr('error: command: missing (expected one of solve, simulate, sweep, merge, report, default; see --help)\n');
      return 2;
    }
    ctx.stderr(`error: arguments: ${e.message.replace(/^error:\s*/, '').split('\n')[0]}\n`);
    return 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  // The stack goes to the log at debug level only (--log-level debug): at the default level the user
  // sees one line and no stack trace (DESIGN.md §4).
  ctx.log.debug({ err }, 'internal error');
  ctx.stderr(`error: internal: ${err.message}\n`);
  return 1;
}

function levelFromArgv(argv: string[]): string | undefined {
  const i = argv.indexOf('--log-level');
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--log-level='));
  return eq?.slice('--log-level='.length);
}
