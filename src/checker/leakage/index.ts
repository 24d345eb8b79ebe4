import { InputError } from '../../scenario/errors.js';
import type { LeakageScenario } from '../../scenario/validate.js';
import { solveMonopoly, type MonopolySolution } from './monopoly.js';
import { assertFinite } from '../finite.js';

export type LeakageSolution = MonopolySolution;

/** Exact leakage equilibrium for a validated scenario (DESIGN.md §4 `solve` output). */
export function solveLeakage(s: LeakageScenario): LeakageSolution {
  if (s.platforms === 2) throw new InputError('platforms', 'the duopoly checker is not available yet (use platforms: 1)');
  if (s.regulation) throw new InputError('regulation', 'the regulation checker is not available yet');
  return assertFinite(solveMonopoly(s), s.structure.kind === 'general' ? 'covariance' : 'communities');
}
