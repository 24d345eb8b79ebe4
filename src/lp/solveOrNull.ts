import { LpInfeasibleError } from './errors.js';
import type { LinearProgram, LpSolution, LpSolver, SolveOptions } from './types.js';

/** The optimal solution, or null when the LP is infeasible; every other LP error is rethrown. */
export function solveOrNull(solver: LpSolver, lp: LinearProgram, options?: SolveOptions): LpSolution | null {
  try {
    return solver.solve(lp, options);
  } catch (e) {
    if (e instanceof LpInfeasibleError) return null;
    throw e;
  }
}
