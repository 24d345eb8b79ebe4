import type { LinearProgram, LpSolution, LpSolver } from '../../lp/index.js';

/**
 * Lexicographic maximisation of `lp` (sense 'max'; the kept rows are ≥) over `costs`: maximise costs[0],
 * keep that optimum as a row cost·x ≥ v − 1e-9·max(1,|v|), maximise costs[1] over what remains, and so on.
 * Returns the successive optimal solutions, one per cost (the last one is the selected point). Used for GP's
 * selection x*_q (e2.ts, platformDesign.ts).
 *
 * The kept optimum carries a slack relative to |v| (absolute below |v| = 1): the solver reports v only up to
 * its own tolerances, which scale with the magnitude of the objective, so an exact row (slack 0) or a fixed
 * absolute slack can cut off the reported optimum itself when v is large and make the next stage infeasible;
 * 1e-9 relative is far above that rounding and far below any payoff difference the model distinguishes.
 */
export function lexicographicSolve(solver: LpSolver, lp: LinearProgram, costs: number[][]): LpSolution[] {
  const rows = [...lp.rows];
  return costs.map((cost) => {
    const sol = solver.solve({ ...lp, cost, rows });
    const v = sol.objective;
    rows.push({ indices: cost.map((_, j) => j), values: cost, lower: v - 1e-9 * Math.max(1, Math.abs(v)), upper: Infinity });
    return sol;
  });
}
