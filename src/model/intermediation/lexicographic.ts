import { LpInfeasibleError, type LinearProgram, type LpRow, type LpSolution, type LpSolver } from '../../lp/index.js';

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
  const keep = (cost: number[], v: number, slack: number): LpRow => ({ indices: cost.map((_, j) => j), values: cost, lower: v - slack * Math.max(1, Math.abs(v)), upper: Infinity });
  const out: LpSolution[] = [];
  for (const cost of costs) {
    let sol: LpSolution;
    try {
      sol = solver.solve({ ...lp, cost, rows });
    } catch (e) {
      // the rows kept so far can be infeasible together at the solver's tight tolerance (seen on a GP selection
      // at a degenerate q: the last optimum over-reported by ~1e-8); the last kept row is loosened to LOOSE_SLACK
      // once, and the earlier stages stand; if that is not enough (a record of 4e-7 next to ones near 1, found by
      // a random-market comparison), every kept row is loosened the same way
      if (!(e instanceof LpInfeasibleError) || !out.length) throw e;
      const prev = out[out.length - 1];
      rows[rows.length - 1] = keep(costs[out.length - 1], prev.objective, LOOSE_SLACK);
      try {
        sol = solver.solve({ ...lp, cost, rows });
      } catch (e2) {
        if (!(e2 instanceof LpInfeasibleError)) throw e2;
        out.forEach((o, k) => (rows[lp.rows.length + k] = keep(costs[k], o.objective, LOOSE_SLACK)));
        sol = solver.solve({ ...lp, cost, rows });
      }
    }
    rows.push(keep(cost, sol.objective, SLACK));
    out.push(sol);
  }
  return out;
}

/** Relative slack of a kept optimum, and the looser one of the retry. */
export const SLACK = 1e-9;
export const LOOSE_SLACK = 1e-7;
