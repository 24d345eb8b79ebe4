/**
 * The platform-optimal designs as a face of P_q, by complementary slackness with a fixed dual solution.
 *
 * If (g, λ) is feasible in the dual D_q (g(ω) − Σ_o λ_o A_o(j) ≥ v_j for every column j = (a, ω), λ ≥ 0) and
 * ⟨g, q⟩ = V(q) — true at every q where the piece g of V is active — then a feasible, obedient X is optimal in P_q
 * iff X_j = 0 wherever the reduced cost d_j = g(ω) − Σ_o λ_o A_o(j) − v_j is positive and every obedience row with
 * λ_o > 0 is tight (the duality gap Σ d_j X_j + Σ λ_o·slack_o is then 0). Unlike the row Σ vX ≥ V − tol, these
 * are per-column bounds, so a type with few records gets no slack: with the row, a type holding q(ω) records could
 * buy a different treatment for 1e-9 of value, i.e. its surplus could drift by ~1e-9/q(ω) (docs/numerics.md
 * "Records near the band").
 */
import { LpError, solveOrNull, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { buildDesignLp, obedienceRows, payoffVector } from './designLp.js';
import { platformPayoff, type PricingGame } from './payoffs.js';

export interface OptimalFace {
  /** Columns j = a·N + ω with a positive reduced cost: X_j = 0 on the optimal face. */
  zero: boolean[];
  /** Obedience rows (in `obedienceRows` order) with a positive multiplier: tight on the optimal face. */
  tight: boolean[];
}

/** Reduced costs and multipliers at or below this (relative to the largest payoff or price) count as 0. */
export const CS_TOL = 1e-9;

/**
 * The optimal face that the piece g of V defines, through the least multipliers λ (min Σ λ) that make (g, λ)
 * dual-feasible; null if none does (g is then not a piece of V).
 */
export function optimalFaceOf(solver: LpSolver, game: PricingGame, g: readonly number[]): OptimalFace | null {
  const N = game.types.length;
  const obed = obedienceRows(game);
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  // Σ_o (−A_o(j)) λ_o ≥ v_j − g(ω) for every column j
  const rows: LpRow[] = v.map((c, j) => ({ indices: [], values: [], lower: c - g[j % N], upper: Infinity }));
  obed.forEach((r, o) => r.indices.forEach((j, t) => (rows[j].indices.push(o), rows[j].values.push(-r.values[t]))));
  let lambda: ArrayLike<number> = [];
  if (obed.length > 0) {
    const lp = { sense: 'min' as const, cost: obed.map(() => 1), colLower: obed.map(() => 0), colUpper: obed.map(() => Infinity), rows };
    try {
      const sol = solveOrNull(solver, lp);
      if (!sol) return null;
      lambda = sol.x;
    } catch (e) {
      // a solver failure leaves the caller on the slack row
      if (e instanceof LpError) return null;
      throw e;
    }
  } else if (rows.some((r) => r.lower > 0)) return null; // one fee: (g, 0) must be dual-feasible by itself
  const tol = CS_TOL * Math.max(1, ...v.map(Math.abs), ...g.map(Math.abs));
  const d = v.map((c, j) => g[j % N] - c);
  obed.forEach((r, o) => r.indices.forEach((j, t) => (d[j] -= lambda[o] * r.values[t])));
  // (g, λ) only nearly dual-feasible (a piece good to ~1e-9, or λ from HiGHS's loose retry): its face may cut off
  // every optimal design (review: fees 2.499999999 and 2.5, λ on the wrong one of two near-equal rows, d = −2.6e-9)
  if (d.some((x) => x < -0.1 * tol)) return null;
  return { zero: d.map((x) => x > tol), tight: obed.map((_, o) => lambda[o] > tol) };
}

/**
 * The design LP P_q restricted to the face (its optimum is V(q) when the face is right). Callers check that a point
 * where the face's piece is active keeps a design (`faceHoldsAt`) before relying on it.
 */
export function restrictToFace(lp: LinearProgram, N: number, face: OptimalFace): LinearProgram {
  const colUpper = lp.colUpper.slice();
  zeroFaceColumns(colUpper, face, 0);
  return { ...lp, colUpper, rows: [...lp.rows.slice(0, N), ...tightFaceRows(lp.rows.slice(N), face, 0)] };
}

/** The obedience rows (in `obedienceRows` order) with the face's tight ones made equalities, up to `slack`. */
export function tightFaceRows(obedience: readonly LpRow[], face: OptimalFace | null, slack: number): LpRow[] {
  return obedience.map((r, o) => (face?.tight[o] ? { ...r, upper: r.lower + slack } : r));
}

/** Sets to 0 the upper bounds of the face's zero columns, whose X block starts at `offset`. */
export function zeroFaceColumns(colUpper: number[], face: OptimalFace | null, offset: number): void {
  face?.zero.forEach((z, j) => z && (colUpper[offset + j] = 0));
}

/**
 * Does the face keep an optimal design at q (a point where its piece is active)? If the face is exact it keeps
 * every one; if it keeps none, it is wrong (a nearly feasible dual) and the caller falls back to the slack row.
 */
export function faceHoldsAt(solver: LpSolver, game: PricingGame, q: readonly number[], face: OptimalFace): boolean {
  const lp = buildDesignLp(game, q);
  try {
    return faceKeepsOptimum(solver, lp, game.types.length, solver.solve(lp, { confirmInfeasible: true }).objective, face);
  } catch (e) {
    if (e instanceof LpError) return false;
    throw e;
  }
}

/** Does P_q (`design`, N types, value V) restricted to the face still reach V (to 1e-9 relative)? LP errors are thrown. */
export function faceKeepsOptimum(solver: LpSolver, design: LinearProgram, N: number, V: number, face: OptimalFace): boolean {
  const r = solveOrNull(solver, restrictToFace(design, N, face));
  return r !== null && r.objective >= V - 1e-9 * Math.max(1, Math.abs(V));
}
