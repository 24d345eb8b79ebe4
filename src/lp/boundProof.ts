/**
 * A proof of infeasibility by bound propagation, for LPs whose "infeasible" verdict decides something
 * (SolveOptions.confirmInfeasible). Every row and column bound is first relaxed by `tol` (relative to the bound,
 * at least absolute), and rounding is allowed for in every sum, so "proved" means: no point violates every row and
 * bound by at most `tol` — a stronger statement than the solver's own verdict at its 1e-10 tolerance, and one that
 * does not depend on presolve or on a simplex path.
 */
import type { LinearProgram } from './types.js';

/** Relative rounding allowance on an activity sum (a few ulps per term, with room). */
const ROUNDING = 1e-12;
/** A bound's gain (relative) that earns another sweep. */
const SWEEP_GAIN = 1e-6;

/**
 * Is the LP infeasible by interval arithmetic over its rows, tightening column bounds row by row for at most
 * `passes` sweeps? False means "not proved", not "feasible". `rowBounds` are the row bounds in force.
 */
export function provedInfeasible(lp: LinearProgram, rowBounds: ReadonlyArray<readonly [number, number]>, tol = 1e-9, passes = 8): boolean {
  const relax = (x: number) => tol * Math.max(1, Math.abs(x));
  const lo = lp.colLower.map((x) => x - relax(x));
  const hi = lp.colUpper.map((x) => x + relax(x));
  if (lo.some((x, j) => x > hi[j])) return true;
  for (let pass = 0; pass < passes; pass++) {
    let tightened = false;
    for (let i = 0; i < lp.rows.length; i++) {
      const { indices, values } = lp.rows[i];
      const L0 = rowBounds[i][0];
      const U0 = rowBounds[i][1];
      // the row's least and greatest activity over the box: finite parts, and how many terms are infinite
      let mn = 0;
      let mx = 0;
      let mnInf = 0;
      let mxInf = 0;
      let size = 0;
      for (let k = 0; k < indices.length; k++) {
        const a = values[k];
        const j = indices[k];
        const x = a > 0 ? a * lo[j] : a * hi[j];
        const y = a > 0 ? a * hi[j] : a * lo[j];
        if (x === -Infinity) mnInf++;
        else {
          mn += x;
          size += Math.abs(x);
        }
        if (y === Infinity) mxInf++;
        else {
          mx += y;
          size += Math.abs(y);
        }
      }
      // a sum of n rounded products errs by at most (n + 1)·2⁻⁵³ of Σ|terms| (a review's row of 2.5e7 terms of 1e-16
      // each lost them all under the flat 1e-12: proved infeasible at a feasible point)
      const eps = Math.max(ROUNDING, (indices.length + 1) * Number.EPSILON) * size;
      const L = L0 - relax(L0) - eps;
      const U = U0 + relax(U0) + eps;
      if ((mxInf === 0 && mx < L) || (mnInf === 0 && mn > U)) return true;
      // each column's bounds implied by the row and the other columns' bounds
      for (let k = 0; k < indices.length; k++) {
        const a = values[k];
        if (a === 0) continue;
        const j = indices[k];
        const x = a > 0 ? a * lo[j] : a * hi[j];
        const y = a > 0 ? a * hi[j] : a * lo[j];
        const restMin = mnInf - (x === -Infinity ? 1 : 0) > 0 ? -Infinity : mn - (x === -Infinity ? 0 : x);
        const restMax = mxInf - (y === Infinity ? 1 : 0) > 0 ? Infinity : mx - (y === Infinity ? 0 : y);
        // L − restMax ≤ a·x_j ≤ U − restMin, each end widened by the sum's rounding
        const up = U - restMin + eps;
        const dn = L - restMax - eps;
        let newLo = (a > 0 ? dn : up) / a;
        let newHi = (a > 0 ? up : dn) / a;
        newLo -= ROUNDING * Math.abs(newLo);
        newHi += ROUNDING * Math.abs(newHi);
        // another sweep only for a gain that matters (else near-equal bounds creep for every pass)
        if (newLo > lo[j] && Number.isFinite(newLo)) {
          if (newLo - lo[j] > SWEEP_GAIN * Math.max(1, Math.abs(newLo))) tightened = true;
          lo[j] = newLo;
        }
        if (newHi < hi[j] && Number.isFinite(newHi)) {
          if (hi[j] - newHi > SWEEP_GAIN * Math.max(1, Math.abs(newHi))) tightened = true;
          hi[j] = newHi;
        }
        if (lo[j] > hi[j]) return true;
      }
    }
    if (!tightened) return false;
  }
  return false;
}
