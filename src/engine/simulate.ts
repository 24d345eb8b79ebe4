/**
 * `simulateScenario`: one agent-based run of a validated scenario, compared with the checker
 * (DESIGN.md §4 `simulate`, §5). Pure apart from CPU time: no I/O, all randomness from the seed, so the
 * same (scenario, options) gives byte-identical summary and trajectory.
 */
import type { Scenario } from '../scenario/validate.js';
import { simulateLeakage } from './leakageSim.js';
import { simulateDuopoly } from './duopolySim.js';
import { simulateIntermediation } from './intermediationSim.js';
import { simulateMultiPlatform } from './multiPlatformSim.js';
import { preflightSimulate } from './preflight.js';
import { resolveSeed, type ResolvedDynamics, type SimulateOptions } from './options.js';
import type { StopReason } from './stopping.js';
import type { SimulationRun, Trajectory } from './types.js';
import { MemorySink, type RoundSink } from './sink.js';
import { matchesChecker } from './verdict.js';

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
  distance: { prices: number; sharers: number | null; records?: number; outcome?: number; value?: number; welfare?: number };
  /** Final prices within this distance of the checker's count as equal. */
  priceTolerance: number;
  /** Same sharing set (or records/outcome) and prices within priceTolerance. */
  matchesChecker: boolean;
}

export interface SimulationResult {
  summary: SimulationSummary;
  /** The trajectory's columns and rows when no sink was given (the default MemorySink); null when the caller's sink got them. */
  trajectory: Trajectory | null;
}

export type { SimulateOptions } from './options.js';

/**
 * Runs the scenario. Each round's trajectory row and event go to `sink` as they happen (nothing is kept
 * per round); without a sink the rows are collected by a MemorySink and returned as `trajectory` (columns
 * and rows; the caller renders trajectory.csv with report's CSV writer).
 */
export function simulateScenario(s: Scenario, opts?: SimulateOptions): Promise<SimulationResult & { trajectory: Trajectory }>;
export function simulateScenario(s: Scenario, opts: SimulateOptions, sink: RoundSink): Promise<SimulationResult>;
export async function simulateScenario(s: Scenario, opts: SimulateOptions = {}, sink?: RoundSink): Promise<SimulationResult> {
  // every refusal the scenario and options alone decide, before any work (preflight.ts)
  const dyn = preflightSimulate(s, opts);
  const seed = resolveSeed(s.seed, opts);
  const memory = sink ? null : new MemorySink();
  const out = sink ?? (memory as MemorySink);
  let run: SimulationRun<object>;
  if (s.model === 'leakage') {
    run = s.platforms === 2 ? await simulateDuopoly(s, dyn, seed, out) : await simulateLeakage(s, dyn, seed, out);
  } else {
    // a programming error, not bad input: every caller (cli, batch, tests) passes its process's solver
    if (!opts.lp) throw new Error('simulateScenario: an intermediation scenario needs an LpSolver in options.lp');
    run = s.platforms ? await simulateMultiPlatform(s, dyn, seed, out, opts.lp) : await simulateIntermediation(s, dyn, seed, out, opts.lp);
  }
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
    matchesChecker: matchesChecker(run),
  };
  return { summary, trajectory: memory ? memory.trajectory() : null };
}
