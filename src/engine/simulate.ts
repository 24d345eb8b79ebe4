/**
 * `simulateScenario`: one agent-based run of a validated scenario, compared with the checker
 * (DESIGN.md §4 `simulate`, §5). Pure apart from CPU time: no I/O, all randomness from the seed, so the
 * same (scenario, options) gives byte-identical summary and trajectory.
 */
import type { Scenario } from '../scenario/validate.js';
import { simulateLeakage } from './leakageSim.js';
import { simulateDuopoly } from './duopolySim.js';
import { simulateIntermediation } from './intermediationSim.js';
import { resolveDynamics, resolveSeed, type ResolvedDynamics, type SimulateOptions } from './options.js';
import type { StopReason } from './stopping.js';
import type { SimulationRun } from './types.js';

export interface SimulationSummary {
  scenario: string;
  model: Scenario['model'];
  seed: number;
  dynamics: ResolvedDynamics;
  method: string;
  converged: boolean;
  stopReason: StopReason;
  /** Period of the detected cycle in rounds (stopReason "cycle"), else null. */
  cyclePeriod: number | null;
  rounds: number;
  final: object;
  checker: object;
  distance: { prices: number; sharers: number | null; records?: number; outcome?: number };
  /** Final prices within this distance of the checker's count as equal. */
  priceTolerance: number;
  /** Same sharing set (or records/outcome) and prices within priceTolerance. */
  matchesChecker: boolean;
}

export interface SimulationResult {
  summary: SimulationSummary;
  trajectoryCsv: string;
  /** The per-round event log (what each agent did, payoffs), summarised in trajectoryCsv. */
  events: readonly object[];
}

export type { SimulateOptions } from './options.js';

export async function simulateScenario(s: Scenario, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const dyn = resolveDynamics(s.dynamics, opts);
  const seed = resolveSeed(s.seed, opts);
  let run: SimulationRun<object>;
  if (s.model === 'leakage') run = s.platforms === 2 ? simulateDuopoly(s, dyn, seed) : simulateLeakage(s, dyn, seed);
  else run = await simulateIntermediation(s, dyn, seed);
  const summary: SimulationSummary = {
    scenario: s.name,
    model: s.model,
    seed,
    dynamics: dyn,
    method: run.method,
    converged: run.stop.reason === 'tolerance',
    stopReason: run.stop.reason,
    cyclePeriod: run.stop.period,
    rounds: run.rounds,
    final: run.final,
    checker: run.checker,
    distance: run.distance,
    priceTolerance: run.priceTolerance,
    matchesChecker:
      (run.distance.sharers ?? 0) === 0 &&
      (run.distance.outcome ?? 0) === 0 &&
      (run.distance.records ?? 0) <= (run.recordTolerance ?? 0) &&
      run.distance.prices <= run.priceTolerance,
  };
  return { summary, trajectoryCsv: run.trajectoryCsv, events: run.events };
}
