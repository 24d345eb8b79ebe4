/**
 * javascript-lp-solver backend: primal only, for cross-checks on small LPs (it gives no duals and slows
 * down sharply on large information-design LPs). Column bounds other than x ≥ 0 become extra rows.
 */
import * as jsLp from 'javascript-lp-solver';
import type { ConstraintBound, Model, SolveResult, SolverAPI } from 'javascript-lp-solver';
import { LpError, LpInfeasibleError, LpSolverError, LpUnboundedError } from './errors.js';
import type { LinearProgram, LpVariant, LpSolution, LpSolver, SolveOptions } from './types.js';

const BACKEND = 'javascript-lp-solver';

/** Types describe CommonJS, Node's ESM import gets the object as `default`; accept either shape. */
const solver: SolverAPI = ((): SolverAPI => {
  const m = jsLp as unknown as { default?: SolverAPI } & SolverAPI;
  return typeof m.Solve === 'function' ? m : (m.default as SolverAPI);
})();
const OBJ = '__objective';

function bound(lower: number, upper: number): ConstraintBound | undefined {
  const b: ConstraintBound = {};
  if (lower === upper) return { equal: lower };
  if (lower > -Infinity) b.min = lower;
  if (upper < Infinity) b.max = upper;
  return b.min === undefined && b.max === undefined ? undefined : b;
}

/** Translates a `LinearProgram` to the solver's JSON model (exported for tests). */
export function toJsModel(lp: LinearProgram, timeoutMs?: number): Model {
  const constraints: Record<string, ConstraintBound> = {};
  const variables: Record<string, Record<string, number>> = {};
  const unrestricted: Record<string, boolean> = {};
  lp.cost.forEach((c, j) => {
    variables[`x${j}`] = { [OBJ]: c };
  });
  lp.rows.forEach((r, i) => {
    const b = bound(r.lower, r.upper);
    if (!b) return;
    constraints[`r${i}`] = b;
    r.indices.forEach((j, t) => {
      const v = variables[`x${j}`];
      v[`r${i}`] = (v[`r${i}`] ?? 0) + r.values[t];
    });
  });
  lp.colLower.forEach((lo, j) => {
    const up = lp.colUpper[j];
    if (lo < 0) unrestricted[`x${j}`] = true;
    const b = bound(lo === 0 ? -Infinity : lo, up);
    if (b) {
      constraints[`b${j}`] = b;
      variables[`x${j}`][`b${j}`] = 1;
    }
  });
  const model: Model = { optimize: OBJ, opType: lp.sense, constraints, variables, unrestricted };
  if (timeoutMs !== undefined) model.options = { timeout: timeoutMs };
  return model;
}

class JsLpSolver implements LpSolver {
  readonly name = 'javascript-lp-solver' as const;
  readonly providesDuals = false;

  solve(lp: LinearProgram, options: SolveOptions = {}): LpSolution {
    if (options.duals) throw new LpSolverError(BACKEND, 'not run', 'this backend provides no duals');
    const model = toJsModel(lp, options.timeLimit === undefined ? undefined : options.timeLimit * 1000);
    // precision 0 would round; a tiny precision keeps full doubles. `full` = true returns the whole result.
    const res = solver.Solve(model, 1e-12) as SolveResult;
    if (!res.feasible) throw new LpInfeasibleError(BACKEND, 'infeasible');
    if (res.bounded === false || !Number.isFinite(res.result)) throw new LpUnboundedError(BACKEND, 'unbounded');
    const x = new Float64Array(lp.cost.length);
    for (let j = 0; j < x.length; j++) {
      const v = res[`x${j}`];
      x[j] = typeof v === 'number' ? v : 0;
    }
    // The reported `result` is rounded by the library; recompute the objective from x.
    let objective = 0;
    for (let j = 0; j < x.length; j++) objective += lp.cost[j] * x[j];
    return { objective, x };
  }

  solveEach(lp: LinearProgram, variants: LpVariant[], options: SolveOptions = {}): Array<number | LpError> {
    return variants.map((o) => {
      const rows = lp.rows.slice();
      for (const b of o.rowBounds ?? []) rows[b.row] = { ...rows[b.row], lower: b.lower, upper: b.upper };
      try {
        return this.solve({ ...lp, rows, sense: o.sense ?? lp.sense, cost: o.cost ?? lp.cost }, { ...options, duals: false }).objective;
      } catch (e) {
        if (e instanceof LpError) return e;
        throw e;
      }
    });
  }
}

/** The javascript-lp-solver backend (stateless). */
export function jsLpSolver(): LpSolver {
  return new JsLpSolver();
}
