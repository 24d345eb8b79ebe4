import { LpInfeasibleError } from './errors.js';
import type { LinearProgram, LpSolution, LpSolver } from './types.js';

/** The optimal solution, or null when the LP is infeasible; every other LP error is rethrown. */
export function solveOrNull(solver: LpSolver, lp: LinearProgram): LpSolution | null {
  try {
    return solver.solve(lp);
  } catch (e) {
    if (e instanceof LpInfeasibleError) return null;
    throw e;
  }
}
