import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadScenario } from '../scenario/index.js';
import type { Scenario } from '../scenario/validate.js';
import { solveLeakage, type LeakageSolution } from '../checker/leakage/index.js';
import { solveIntermediation, type SolveProgress } from '../checker/intermediation/index.js';
import { preflightSolve } from '../checker/preflight.js';
import type { CliContext } from './context.js';
import { fmt, ranges, table } from './format.js';
import { formatCompetition } from './formatCompetition.js';
import { formatIntermediation } from './formatIntermediation.js';
import { progressReporter } from './sweep.js';

/** The checker's exact answer for any validated scenario, as the JSON object of DESIGN.md §4. */
export async function solveScenario(s: Scenario, opts: SolveProgress = {}): Promise<Record<string, unknown>> {
  if (s.model === 'leakage') return { scenario: s.name, ...solveLeakage(s) };
  return { scenario: s.name, ...(await solveIntermediation(s, opts)) };
}

export function registerSolve(program: Command, ctx: CliContext): void {
  program
    .command('solve')
    .description('exact equilibrium of a scenario from the checker')
    .argument('<scenario>', 'scenario JSON file')
    .option('--json', 'print one JSON object (full precision) instead of a table')
    .action(async (file: string, opts: { json?: boolean }) => {
      const s = loadScenario(resolve(ctx.cwd, file));
      preflightSolve(s);
      const t0 = performance.now();
      // the exact equilibrium search can take long with raised limits (equilibriumSearch), and so can GP's E2 with
      // several types or platforms: progress for each after 2 s
      const progress = progressReporter(ctx, 'equilibrium search', { unit: 'patterns', delayMs: 2000 });
      let e2: ReturnType<typeof progressReporter> | undefined;
      const e2Progress = (done: number, total: number) => {
        if (!e2) {
          progress.stop();
          e2 = progressReporter(ctx, 'E2 search', { unit: 'lines and slices', delayMs: 2000 });
        }
        e2.update(done, total);
      };
      let result: Record<string, unknown>;
      try {
        result = await solveScenario(s, { onProgress: progress.update, onE2Progress: e2Progress });
      } finally {
        progress.stop();
        e2?.stop();
      }
      ctx.log.info({ scenario: s.name, ms: performance.now() - t0 }, 'solved');
      if (opts.json) ctx.stdout(`${JSON.stringify(result)}\n`);
      else if (s.model === 'leakage') ctx.stdout(formatLeakage(s.name, result as unknown as LeakageSolution));
      else ctx.stdout(formatIntermediation(result, s));
    });
}

function formatLeakage(name: string, r: LeakageSolution): string {
  const eq = r.equilibrium;
  const fb = r.firstBest;
  let out = `${name}: leakage market, ${r.users} users\nmethod: ${r.method}\n\n`;
  const byCom = eq.sharersByCommunity;
  if (byCom && fb.sharersByCommunity) {
    out += table(
      ['community', 'equilibrium sharers', 'first-best sharers'],
      byCom.map((k, g) => [String(g), String(k), String(fb.sharersByCommunity?.[g] ?? '')]),
    );
  } else {
    out += table(
      ['user', 'shares', 'price', 'leakage', 'payoff'],
      eq.leakage.map((I, i) => [String(i), eq.sharers.includes(i) ? 'yes' : 'no', eq.prices[i], I, eq.userPayoffs[i]]),
    );
  }
  out += `\nequilibrium sharers: ${ranges(eq.sharers)}${eq.ties.count > 1 ? `  (${eq.ties.count} optimal sets tied; reported: largest, then smallest indices)` : ''}\n`;
  out += `platform profit ${fmt(eq.platformProfit)}, social surplus ${fmt(eq.socialSurplus)}, total leakage ${fmt(eq.totalLeakage)}\n`;
  out += `first best sharers: ${ranges(fb.sharers)}, social surplus ${fmt(fb.socialSurplus)}\n`;
  const v = r.verdict;
  out += `verdict: ${v.negativeSurplus ? 'too much data (equilibrium surplus < 0: shutting the market down raises welfare)' : v.efficient ? 'efficient' : `inefficient (surplus gap ${fmt(v.surplusGap)})`}\n`;
  out += formatCompetition(r);
  return out;
}
