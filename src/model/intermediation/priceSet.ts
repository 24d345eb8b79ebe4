import { LpInfeasibleError, type LinearProgram, type LpSolver } from '../../lp/index.js';

export interface PriceSet {
  /** A feasible point of the price LP (prices first, as the caller's LP lays them out). */
  x: Float64Array;
  /**
   * Per objective column: its minimum and maximum over the feasible set, within the column's bounds and around x
   * (an LP that fails gives the bound).
   */
  intervals: Array<{ lower: number; upper: number }>;
}

/**
 * The equilibrium price set of E2 (e2.ts, e2Multi.ts): `build(relTol)` is the price LP of the caller; it is
 * tried exactly first and then with a 1e-9 relative slack, so reported prices carry no slack when possible.
 * Returns null when both are infeasible. `columns` are the price columns, one per type, whose range is
 * found by one `solveEach` (min and max of each, in that order).
 */
export function solvePriceSet(solver: LpSolver, build: (relTol: number) => LinearProgram, columns: number[]): PriceSet | null {
  let lp: LinearProgram | null = null;
  let x: Float64Array | null = null;
  for (const tol of [0, 1e-9]) {
    lp = build(tol);
    try {
      x = solver.solve(lp).x;
      break;
    } catch (e) {
      if (!(e instanceof LpInfeasibleError)) throw e;
    }
  }
  if (!x || !lp) return null;
  const feasible = lp;
  const range = solver.solveEach(feasible, columns.flatMap((col) => {
    const c = new Array<number>(feasible.cost.length).fill(0);
    c[col] = 1;
    return [{ sense: 'min' as const, cost: c }, { sense: 'max' as const, cost: c }];
  }));
  // within the column's bounds, around the feasible point: the min and max LPs end at the solver's tolerance, and
  // at rounding level came out below a bound of 0 (−2.5e-12), inverted (lower − upper = 6e-14) or without the
  // reported point (review); an LP that fails gives the bound itself (an outer bound)
  const sol = x;
  return {
    x: sol.map((v, j) => Math.min(feasible.colUpper[j], Math.max(feasible.colLower[j], v))),
    intervals: columns.map((col, k) => {
      const [lo, hi] = [feasible.colLower[col], feasible.colUpper[col]];
      const p = Math.min(hi, Math.max(lo, sol[col]));
      const [a, b] = [range[2 * k], range[2 * k + 1]];
      return { lower: Math.min(p, typeof a === 'number' ? Math.max(lo, a) : lo), upper: Math.max(p, typeof b === 'number' ? Math.min(hi, b) : hi) };
    }),
  };
}
