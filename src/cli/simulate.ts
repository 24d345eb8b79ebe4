/**
 * `datamarket simulate <scenario.json> [--rounds N] [--seed S] [--dynamics NAME] [--out DIR] [--json]`
 * (DESIGN.md §4): agents play rounds; writes DIR/trajectory.csv and DIR/summary.json (default DIR:
 * out/simulate/<scenario name>) atomically, only after the scenario, the options and the run succeeded.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../scenario/errors.js';
import { loadScenario } from '../scenario/index.js';
import type { Scenario } from '../scenario/validate.js';
import { simulateScenario as runSimulation, type SimulateOptions, type SimulationSummary } from '../engine/index.js';
import type { DynamicsKind } from '../engine/options.js';
import { toJson, writeFileAtomic } from '../report/atomic.js';
import type { CliContext } from './context.js';
import { checkOutDir } from './outDir.js';
import { fmt, ranges } from './format.js';

const KINDS: readonly DynamicsKind[] = ['best-response', 'tatonnement', 'learning'];

/** One run for `sweep` (command "simulate"): summary object and trajectory CSV text, no I/O. */
export async function simulateScenario(
  scenario: Scenario,
  options: SimulateOptions = {},
): Promise<{ summary: SimulationSummary; trajectoryCsv: string }> {
  const r = await runSimulation(scenario, options);
  return { summary: r.summary, trajectoryCsv: r.trajectoryCsv };
}

interface Flags {
  rounds?: string;
  seed?: string;
  dynamics?: string;
  out?: string;
  json?: boolean;
}

function parseInteger(field: string, text: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(field, `must be an integer, got ${JSON.stringify(text)}`);
  const x = Number(text);
  if (!Number.isSafeInteger(x) || x < min) throw new InputError(field, `must be an integer ≥ ${min}, got ${text}`);
  return x;
}

export function parseSimulateFlags(f: Flags): SimulateOptions {
  const o: SimulateOptions = {};
  if (f.rounds !== undefined) o.rounds = parseInteger('rounds', f.rounds, 1);
  if (f.seed !== undefined) o.seed = parseInteger('seed', f.seed, Number.MIN_SAFE_INTEGER);
  if (f.dynamics !== undefined) {
    if (!KINDS.includes(f.dynamics as DynamicsKind)) {
      throw new InputError('dynamics', `unknown dynamics ${JSON.stringify(f.dynamics)} (expected one of ${KINDS.join(', ')})`);
    }
    o.dynamics = f.dynamics as DynamicsKind;
  }
  return o;
}

export function registerSimulate(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('agents play rounds of the market; compares the outcome with the exact equilibrium')
    .argument('<scenario>', 'scenario JSON file')
    .option('--rounds <N>', 'round limit (default per dynamics: docs/dynamics.md)')
    .option('--seed <S>', 'seed (default: the scenario seed, else 1)')
    .option('--dynamics <NAME>', `dynamics: ${KINDS.join(' | ')}`)
    .option('--out <DIR>', 'output folder (default out/simulate/<scenario name>)')
    .option('--json', 'print summary.json on stdout instead of a table')
    .action(async (file: string, flags: Flags) => {
      const options = parseSimulateFlags(flags);
      const s = loadScenario(resolve(ctx.cwd, file));
      checkOutDir(resolve(ctx.cwd, flags.out ?? `out/simulate/${s.name}`));
      const t0 = performance.now();
      const { summary, trajectoryCsv } = await simulateScenario(s, options);
      ctx.log.info({ scenario: s.name, rounds: summary.rounds, ms: performance.now() - t0 }, 'simulated');
      const dir = resolve(ctx.cwd, flags.out ?? `out/simulate/${s.name}`);
      writeFileAtomic(resolve(dir, 'trajectory.csv'), trajectoryCsv);
      writeFileAtomic(resolve(dir, 'summary.json'), toJson(summary));
      if (flags.json) ctx.stdout(`${JSON.stringify(summary)}\n`);
      else ctx.stdout(formatSummary(summary, dir));
    });
}

function formatSummary(s: SimulationSummary, dir: string): string {
  const stop = s.stopReason === 'cycle' ? `cycle of period ${s.cyclePeriod}` : s.stopReason;
  let out = `${s.scenario}: ${s.dynamics.kind} dynamics, seed ${s.seed}\n`;
  out += `${s.converged ? 'converged' : 'did not converge'} after ${s.rounds} rounds (stop: ${stop})\n`;
  const f = s.final as { sharers?: number[]; sharersByCommunity?: number[]; socialSurplus?: number; welfare?: number; outcome?: string };
  const c = s.checker as typeof f;
  if (f.sharers && c.sharers) {
    const show = (x: typeof f): string => (x.sharersByCommunity ? `per community ${x.sharersByCommunity.join(', ')}` : ranges(x.sharers ?? []));
    out += `sharers: agents ${show(f)}; checker ${show(c)}\n`;
    out += `social surplus: agents ${fmt(f.socialSurplus ?? NaN)}; checker ${fmt(c.socialSurplus ?? NaN)}\n`;
  } else {
    out += `outcome: agents ${f.outcome}; checker ${c.outcome}; welfare: agents ${fmt(f.welfare ?? NaN)}; checker ${fmt(c.welfare ?? NaN)}\n`;
  }
  out += `distance to the checker: prices ${fmt(s.distance.prices)}, sharers ${s.distance.sharers ?? '-'} (${s.matchesChecker ? 'matches' : 'does not match'} within ${fmt(s.priceTolerance)})\n`;
  out += `wrote ${dir}/trajectory.csv and summary.json\n`;
  return out;
}
