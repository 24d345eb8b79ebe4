/**
 * The GLP equilibrium set in closed form when full disclosure is optimal at every q (MODEL.md A.4.2): γ_π > γ_u ≥ 0,
 * Ω ⊂ A and every ω > 0 (`fullDisclosureApplies`). Valid for any number of types, so markets beyond the exact
 * search's type limit (exactSearch.ts) are searched exhaustively in this family too.
 *
 * Proof sketch (docs/intermediation.md, "Full disclosure: the equilibrium set in closed form"):
 * - v(a, ω) = γ_u (ω − a) + γ_π a < γ_π ω for a < ω (γ_u < γ_π), v = 0 < γ_π ω for a > ω, and v(ω, ω) = γ_π ω;
 *   X(a, ω) = q(ω)·1[a = ω] is obedient (a segment of one type is charged that type). So full disclosure is the
 *   UNIQUE optimum of P_q at every q, V(q) = γ_π Σ ω q(ω) on R_+^N, and U(ω, x*) = u(ω, ω) = 0 — also off the
 *   path (the off-path mechanism is an optimum at q + ε e_ω, hence full disclosure).
 * - ∂V(q) = {γ_π ω} + cone{e_ω : q(ω) = 0}: p(ω) = γ_π ω where q(ω) > 0, p(ω) ≥ γ_π ω where q(ω) = 0.
 * - So G(ω) = p(ω), and (c) reads type by type: q(ω) > 0 needs γ_π ω ≥ r̄; q(ω) < q̄(ω) needs a price in
 *   [γ_π ω, r̄] (unsold) or γ_π ω ≤ r̄ (sold). Hence: γ_π ω > r̄ ⇒ q(ω) = q̄(ω); γ_π ω < r̄ ⇒ q(ω) = 0;
 *   γ_π ω = r̄ ⇒ any q(ω) ∈ [0, q̄(ω)]. The types decide independently: the set is a box.
 * The set is reported as the exact search reports it: one entry per role pattern of the indifferent types (zero,
 * full, interior — the last as a `region` over the open interval), each point re-checked by the fixed-q support
 * LP `checkCandidate`, which also supplies the reported prices and segmentation.
 */
import { LpSolverError, type LpSolver } from '../../lp/index.js';
import { byReportingRule, checkCandidate, EQ_TOL, type Equilibrium, type Role } from './equilibrium.js';
import type { PricingGame } from './payoffs.js';
import { bbmApplies } from './welfare.js';

/** Indifferent types beyond this many (3^k role patterns) are left to the general search. */
export const MAX_INDIFFERENT_TYPES = 6;

/** Is full disclosure optimal at every q (γ_π > γ_u ≥ 0, Ω ⊂ A, ω > 0)? */
export function fullDisclosureApplies(game: PricingGame): boolean {
  return game.gammaPi > game.gammaU && game.gammaU >= 0 && bbmApplies(game);
}

export interface FullDisclosureSearch {
  equilibria: Equilibrium[];
  /** Types with γ_π ω = r̄ (within EQ_TOL, the tolerance of the consumer conditions in `checkCandidate`). */
  indifferentTypes: number[];
  /** Role patterns of the indifferent types (3^k). */
  patterns: number;
  /** Entries whose fixed-q re-check failed (0 unless the closed form and the LP disagree). */
  mismatches: number;
}

/**
 * Every GLP equilibrium of a full-disclosure market (`fullDisclosureApplies`), or null when the closed form does
 * not apply here (a type with no mass, or more than MAX_INDIFFERENT_TYPES indifferent types).
 */
export function fullDisclosureEquilibria(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number): FullDisclosureSearch | null {
  if (!fullDisclosureApplies(game) || !qBar.every((m) => m > 0)) return null;
  const margin = game.types.map((w) => game.gammaPi * w - rbar);
  const indifferent = margin.flatMap((d, w) => (Math.abs(d) <= EQ_TOL ? [w] : []));
  if (indifferent.length > MAX_INDIFFERENT_TYPES) return null;
  const base: Role[] = margin.map((d) => (d > 0 ? 'full' : 'zero'));
  const scale = Math.max(...qBar);
  const equilibria: Equilibrium[] = [];
  let mismatches = 0;
  const patterns = 3 ** indifferent.length;
  for (let code = 0; code < patterns; code++) {
    const roles = base.slice();
    indifferent.forEach((w, k) => (roles[w] = (['zero', 'full', 'interior'] as const)[Math.floor(code / 3 ** k) % 3]));
    const records = roles.map((r, w) => (r === 'full' ? qBar[w] : r === 'interior' ? qBar[w] / 2 : 0));
    let e: Equilibrium | null;
    try {
      e = checkCandidate(solver, game, records, rbar, roles, scale);
    } catch (err) {
      // an undecidable re-check counts as a failed one: the general search takes the market
      if (!(err instanceof LpSolverError)) throw err;
      e = null;
    }
    if (!e) {
      mismatches++;
      continue;
    }
    const interior = indifferent.filter((w) => roles[w] === 'interior');
    if (interior.length > 0) {
      // W is linear along the box with slope γ_π ω − r̄ (|·| ≤ EQ_TOL) in each interior type: its infimum is at an end
      const drop = interior.reduce((s, w) => s + (qBar[w] / 2) * Math.abs(margin[w]), 0);
      e.region = { types: interior, lower: interior.map(() => 0), upper: interior.map((w) => qBar[w]), pieces: [0], welfareMin: e.welfare - drop };
      // as the exact search reports a set of one interior type
      if (interior.length === 1) e.continuum = { type: interior[0], from: 0, to: qBar[interior[0]] };
    }
    equilibria.push(e);
  }
  // the reporting rule on the exact welfare Σ q(ω)(γ_π ω − r̄): the LP's W carries rounding (~1e-16) that would
  // otherwise order the entries of an indifferent type at random
  const exactWelfare = (e: Equilibrium) => e.records.reduce((s, x, w) => s + x * margin[w], 0);
  equilibria.sort((x, y) => byReportingRule(x, y, exactWelfare));
  return { equilibria, indifferentTypes: indifferent, patterns, mismatches };
}
