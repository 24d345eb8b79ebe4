import { LpError, LpInfeasibleError } from './errors.js';
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

/**
 * Is lp proven infeasible (the verdict confirmed without presolve)? False on any other outcome, a solver failure
 * included: for callers that use it to skip work that the full path would decide anyway.
 */
export function provenInfeasible(solver: LpSolver, lp: LinearProgram): boolean {
  try {
    solver.solve(lp, { confirmInfeasible: true });
    return false;
  } catch (e) {
    if (e instanceof LpInfeasibleError) return true;
    if (e instanceof LpError) return false;
    throw e;
  }
}
