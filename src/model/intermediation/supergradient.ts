/**
 * Exact one-sided derivatives of an LP value function with respect to row bounds (MODEL.md A.2.5).
 *
 * For V concave and piecewise linear, the projection of the superdifferential ∂V(q) on coordinate ω is
 *   [ V'(q; +e_ω), −V'(q; −e_ω) ] = [ min p(ω), max p(ω) ] over the optimal dual face,
 * since the directional derivative of a concave function is the support function of ∂V. The upper end is
 * +∞ when the direction −e_ω is infeasible (q(ω) = 0: records cannot be removed).
 *
 * Directional derivatives come from the *tangent LP* at an optimal x* of `max c·x s.t. rows, x ≥ 0`:
 *   V'(b; d) = max c·z  s.t.  (equality rows) A_i z = d_i,  (tight inequality rows) A_i z ≥ d_i (resp. ≤),
 *                             z_j ≥ 0 where x*_j = 0,  z_j free where x*_j > 0.
 * Its LP dual is min d·y over {dual feasible y complementary to x*}, which is the whole optimal dual face
 * for *any* optimal x*, so the value is exact (no ε-perturbation); only the classification "x*_j = 0" /
 * "row tight" uses a tolerance (`ACTIVE_TOL` relative to the largest bound). HiGHS solves all 2·|rows|
 * tangent LPs on one model, changing only the right-hand side (dual simplex warm starts).
 */
import { LpError, LpInfeasibleError, type LinearProgram, type LpRow, type LpSolver, type LpVariant } from '../../lp/index.js';

export interface PriceInterval {
  lower: number;
  upper: number;
}

/** Relative tolerance for "x*_j = 0" and "row i is tight" in the tangent LP. */
export const ACTIVE_TOL = 1e-9;

function activity(r: LpRow, x: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < r.indices.length; t++) s += r.values[t] * x[r.indices[t]];
  return s;
}

/** The tangent LP at x* with all right-hand sides 0 (variants set d on the rows of interest). */
export function tangentLp(primal: LinearProgram, x: ArrayLike<number>): LinearProgram {
  if (primal.sense !== 'max') throw new RangeError('tangentLp: expects a max LP');
  if (primal.colLower.some((l) => l !== 0) || primal.colUpper.some((u) => u !== Infinity)) {
    throw new RangeError('tangentLp: expects x ≥ 0 without upper bounds');
  }
  let scale = 0;
  for (const r of primal.rows) {
    if (Number.isFinite(r.lower)) scale = Math.max(scale, Math.abs(r.lower));
    if (Number.isFinite(r.upper)) scale = Math.max(scale, Math.abs(r.upper));
  }
  const tol = ACTIVE_TOL * scale;
  const rows: LpRow[] = primal.rows.map((r) => {
    if (r.lower === r.upper) return { ...r, lower: 0, upper: 0 };
    const act = activity(r, x);
    const tightLow = Number.isFinite(r.lower) && act - r.lower <= tol;
    const tightUp = Number.isFinite(r.upper) && r.upper - act <= tol;
    return { ...r, lower: tightLow ? 0 : -Infinity, upper: tightUp ? 0 : Infinity };
  });
  return {
    sense: 'max',
    cost: primal.cost,
    colLower: primal.cost.map((_, j) => (x[j] > tol ? -Infinity : 0)),
    colUpper: primal.cost.map(() => Infinity),
    rows,
  };
}

/**
 * The exact interval [V'(+e_r), −V'(−e_r)] for each row r in `rows`, given an optimal x* of `primal`.
 * For an equality row the perturbed row is A_r z = ±1; for a tight one-sided row the bound moves by ±1.
 */
export function supergradientIntervals(solver: LpSolver, primal: LinearProgram, x: ArrayLike<number>, rows: number[]): PriceInterval[] {
  const tan = tangentLp(primal, x);
  const variants: LpVariant[] = rows.flatMap((r) => {
    const row = tan.rows[r];
    const moved = (d: number): LpVariant => ({
      rowBounds: [{ row: r, lower: row.lower === -Infinity ? -Infinity : d, upper: row.upper === Infinity ? Infinity : d }],
    });
    return [moved(1), moved(-1)];
  });
  const res = solver.solveEach(tan, variants);
  const value = (v: number | LpError, ifInfeasible: number): number => {
    if (v instanceof LpInfeasibleError) return ifInfeasible;
    if (v instanceof LpError) throw v;
    return v;
  };
  return rows.map((_, k) => ({ lower: value(res[2 * k], -Infinity), upper: -value(res[2 * k + 1], -Infinity) }));
}

/**
 * One-sided directional derivatives of the LP value in its row bounds: for each direction d (row → d_r),
 * V'(b; d) by the tangent LP at x* with rhs d (−Infinity when the direction leaves the feasible set).
 */
export function directionalDerivatives(solver: LpSolver, primal: LinearProgram, x: ArrayLike<number>, directions: Array<Map<number, number>>): number[] {
  const tan = tangentLp(primal, x);
  const variants: LpVariant[] = directions.map((d) => ({
    rowBounds: [...d.entries()].map(([r, v]) => {
      const row = tan.rows[r];
      return { row: r, lower: row.lower === -Infinity ? -Infinity : v, upper: row.upper === Infinity ? Infinity : v };
    }),
  }));
  return solver.solveEach(tan, variants).map((v) => {
    if (v instanceof LpInfeasibleError) return -Infinity;
    if (v instanceof LpError) throw v;
    return v;
  });
}
