/**
 * Consumers' side (GLP condition (c); MODEL.md A.3.1-A.3.2): atomistic consumers take the record price
 * p(ω) and the mechanism x* as given and compare G(ω) = p(ω) + U(ω, x*) with r̄.
 */
import type { LpSolver } from '../../lp/index.js';
import { consumerBestDesign } from './value.js';
import { consumerSurplus, type PricingGame } from './payoffs.js';

/** Relative size ε of the vanishing mass used for the off-path convention. */
export const OFF_PATH_EPS = 1e-6;

/**
 * Off-path U(ω, x*) for a type with q(ω) = 0 (MODEL.md A.8 item 8): the surplus a vanishing mass ε of
 * ω-records would get under the platform-optimal mechanism at q + ε·e_ω that is best for those records.
 * V is piecewise linear, so the value is the limit ε → 0+ once ε is below the first kink.
 */
export function offPathSurplus(solver: LpSolver, game: PricingGame, q: ArrayLike<number>, w: number, scale: number): number {
  return offPathMechanism(solver, game, q, w, scale).surplus;
}

/** The off-path conditional mechanism x(·|ω) (per fee) and its U(ω) for a type with q(ω) = 0. */
export function offPathMechanism(solver: LpSolver, game: PricingGame, q: ArrayLike<number>, w: number, scale: number): { surplus: number; conditional: number[] } {
  const eps = OFF_PATH_EPS * scale;
  const qe = Array.from(q);
  qe[w] += eps;
  const weight = game.types.map((_, k) => (k === w ? 1 : 0));
  const d = consumerBestDesign(solver, game, qe, weight);
  // x(·|ω) = X(·, ω)/ε, normalised by the X's own sum: the LP meets Σ_a X(a, ω) = ε only to its tolerance, and
  // dividing by ε = 1e-6·scale made the conditional sum to 1 + 9e-10, and the surplus exceed max_a u(a, ω) (a
  // property test with an unfixed seed found 3.0000000027 > 3)
  const mass = d.X.reduce((acc, row) => acc + Math.max(0, row[w]), 0);
  const conditional = d.X.map((row) => Math.max(0, row[w]) / (mass > 0 ? mass : eps));
  // ω's own surplus (d.consumerSurplus is every type's: dividing it by ε would count the others' surplus too)
  const surplus = conditional.reduce((acc, x, a) => acc + x * consumerSurplus(game.fees[a], game.types[w]), 0);
  return { surplus, conditional };
}

/**
 * Optimal selling fraction ζ(ω) ∈ [0, 1] given the private gain G(ω) = p(ω) + U(ω): 1 if G > r̄, 0 if
 * G < r̄; indifferent consumers (|G − r̄| ≤ tol) get `ifIndifferent` (default 1).
 */
export function participation(G: number[], rbar: number, ifIndifferent = 1, tol = 1e-12): number[] {
  return G.map((g) => (g > rbar + tol ? 1 : g < rbar - tol ? 0 : ifIndifferent));
}
