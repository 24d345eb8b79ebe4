/**
 * Resolving a run's dynamics and seed (DESIGN.md §5, docs/dynamics.md).
 * Precedence: command-line flags, then the scenario's `dynamics` / `seed`, then these defaults. The
 * scenario's `rounds`, `tolerance` and `step` apply only when its `kind` is the kind being run (a step
 * means different things to different dynamics); `--rounds` always wins.
 */
import { InputError } from '../scenario/errors.js';
import type { Dynamics } from '../scenario/schema.js';
import type { LpSolver } from '../lp/index.js';

export type DynamicsKind = Dynamics['kind'];

export interface ResolvedDynamics {
  kind: DynamicsKind;
  rounds: number;
  tolerance: number;
  step: number;
}

/** Defaults per dynamic; the step's meaning is documented in docs/dynamics.md. */
export const DYNAMICS_DEFAULTS: Record<DynamicsKind, Omit<ResolvedDynamics, 'kind'>> = {
  'best-response': { rounds: 500, tolerance: 1e-9, step: 1 },
  tatonnement: { rounds: 5000, tolerance: 1e-9, step: 0.5 },
  learning: { rounds: 20000, tolerance: 1e-6, step: 0.5 },
};

/** Seed used when neither --seed nor the scenario gives one. */
export const DEFAULT_SEED = 1;

export interface SimulateOptions {
  rounds?: number;
  seed?: number;
  dynamics?: DynamicsKind;
  /**
   * The LP backend the intermediation markets design signals and price records with (required for
   * `model: "intermediation"`, unused by leakage). The caller loads it once per process or worker
   * (cli, batch: `highsSolver()`); the engine never creates one (DESIGN.md §1: engine does not import lp).
   */
  lp?: LpSolver;
}

export function resolveDynamics(fromScenario: Dynamics | undefined, opts: SimulateOptions, fallback: Dynamics['kind'] = 'best-response'): ResolvedDynamics {
  const kind = opts.dynamics ?? fromScenario?.kind ?? fallback;
  const own = fromScenario && fromScenario.kind === kind ? fromScenario : undefined;
  const d = DYNAMICS_DEFAULTS[kind];
  const out: ResolvedDynamics = {
    kind,
    rounds: opts.rounds ?? own?.rounds ?? d.rounds,
    tolerance: own?.tolerance ?? d.tolerance,
    step: own?.step ?? d.step,
  };
  if (!(Number.isInteger(out.rounds) && out.rounds >= 1)) throw new InputError('rounds', `must be a positive integer, got ${out.rounds}`);
  if (kind === 'best-response' && own?.step !== undefined && own.step !== 1) {
    throw new InputError('dynamics.step', 'best-response moves to the best response (step 1); use kind "tatonnement" for a partial step');
  }
  if (kind === 'learning' && out.step > 1) throw new InputError('dynamics.step', `learning's exploration width must be in (0, 1], got ${out.step}`);
  return out;
}

export function resolveSeed(fromScenario: number | undefined, opts: SimulateOptions): number {
  const seed = opts.seed ?? fromScenario ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new InputError('seed', `must be an integer, got ${seed}`);
  return seed;
}
