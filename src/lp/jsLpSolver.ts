/**
 * javascript-lp-solver backend: primal only, for cross-checks on small LPs (it gives no duals and slows
 * down sharply on large information-design LPs). The library's own handling of `unrestricted` variables and of
 * negative bounds is not reliable (a review: max −x with 0 ≤ x ≤ 3 and x ≥ −1 came back at x = −1; a free column
 * made a bounded LP "unbounded", another a feasible one "infeasible"), nor of explicit zero coefficients (a row
 * 0·x ≤ 2 made 2x = 5 "infeasible"). So every column is rewritten over non-negative variables — x = l + x′
 * (finite lower bound), x = u − x′ (only an upper bound), x = x⁺ − x⁻ (free) — finite upper bounds become rows,
 * zero coefficients are dropped, and rows with no coefficient left are checked here.
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

/**
 * Column j in the model's non-negative variables: x_j = offset + Σ_k sign_k · v_k, over the names `v`
 * (one, or two for a free column).
 */
export interface ColumnMap {
  offset: number;
  terms: Array<{ name: string; sign: 1 | -1 }>;
}

function columnMap(lo: number, up: number, j: number): ColumnMap {
  if (lo > -Infinity) return { offset: lo, terms: [{ name: `x${j}`, sign: 1 }] };
  if (up < Infinity) return { offset: up, terms: [{ name: `x${j}`, sign: -1 }] };
  return { offset: 0, terms: [{ name: `x${j}p`, sign: 1 }, { name: `x${j}n`, sign: -1 }] };
}

/**
 * Translates a `LinearProgram` to the solver's JSON model over non-negative variables (exported for tests), with
 * the map back to the columns; null when a row without coefficients cannot hold (the LP is infeasible).
 */
export function toJsModel(lp: LinearProgram, timeoutMs?: number): { model: Model; columns: ColumnMap[] } | null {
  const constraints: Record<string, ConstraintBound> = {};
  const variables: Record<string, Record<string, number>> = {};
  const columns = lp.cost.map((_, j) => columnMap(lp.colLower[j], lp.colUpper[j], j));
  columns.forEach((c, j) => c.terms.forEach((t) => (variables[t.name] = { [OBJ]: t.sign * lp.cost[j] })));
  const addRow = (name: string, indices: readonly number[], values: readonly number[], lower: number, upper: number): boolean => {
    let shift = 0;
    const coef = new Map<string, number>();
    indices.forEach((j, t) => {
      const a = values[t];
      if (a === 0) return;
      shift += a * columns[j].offset;
      for (const term of columns[j].terms) coef.set(term.name, (coef.get(term.name) ?? 0) + term.sign * a);
    });
    for (const [v, a] of coef) if (a === 0) coef.delete(v);
    if (coef.size === 0) return lower <= shift && shift <= upper;
    const b = bound(lower - shift, upper - shift);
    if (!b) return true;
    constraints[name] = b;
    for (const [v, a] of coef) variables[v][name] = a;
    return true;
  };
  for (let i = 0; i < lp.rows.length; i++) {
    const r = lp.rows[i];
    if (!addRow(`r${i}`, r.indices, r.values, r.lower, r.upper)) return null;
  }
  // a finite upper bound next to a finite lower one (the other cases are in the substitution)
  for (let j = 0; j < lp.cost.length; j++) {
    const [lo, up] = [lp.colLower[j], lp.colUpper[j]];
    if (lo > up) return null;
    if (lo > -Infinity && up < Infinity && !addRow(`b${j}`, [j], [1], -Infinity, up)) return null;
  }
  const model: Model = { optimize: OBJ, opType: lp.sense, constraints, variables };
  if (timeoutMs !== undefined) model.options = { timeout: timeoutMs };
  return { model, columns };
}

class JsLpSolver implements LpSolver {
  readonly name = 'javascript-lp-solver' as const;
  readonly providesDuals = false;

  solve(lp: LinearProgram, options: SolveOptions = {}): LpSolution {
    if (options.duals) throw new LpSolverError(BACKEND, 'not run', 'this backend provides no duals');
    const built = toJsModel(lp, options.timeLimit === undefined ? undefined : options.timeLimit * 1000);
    if (!built) throw new LpInfeasibleError(BACKEND, 'infeasible');
    // precision 0 would round; a tiny precision keeps full doubles. `full` = true returns the whole result.
    const res = solver.Solve(built.model, 1e-12) as SolveResult;
    if (!res.feasible) throw new LpInfeasibleError(BACKEND, 'infeasible');
    if (res.bounded === false || !Number.isFinite(res.result)) throw new LpUnboundedError(BACKEND, 'unbounded');
    const x = new Float64Array(lp.cost.length);
    built.columns.forEach((c, j) => {
      x[j] = c.offset;
      for (const t of c.terms) {
        const v = res[t.name];
        if (typeof v === 'number') x[j] += t.sign * v;
      }
    });
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
