import { LpInfeasibleError, type LinearProgram, type LpSolver } from '../../lp/index.js';

export interface PriceSet {
  /** A feasible point of the price LP (prices first, as the caller's LP lays them out). */
  x: Float64Array;
  /** Per objective column: its minimum and maximum over the feasible set (an LP error is written as Infinity). */
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
  const val = (r: number | Error) => (typeof r === 'number' ? r : Infinity);
  return { x, intervals: columns.map((_, k) => ({ lower: val(range[2 * k]), upper: val(range[2 * k + 1]) })) };
}
