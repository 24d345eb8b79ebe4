/**
 * HiGHS (WASM) backend: primal solution, row duals and a checked model status. The WASM module is loaded
 * once per process (`loadHighsSolver` memoises the promise) and one native model instance is reused for
 * every solve; `solve` itself is synchronous.
 */
import * as highsModule from 'highs';
import type { Highs, Model, ModelData, ModelStatusCode, ObjectiveSense } from 'highs';
import { LpError, LpInfeasibleError, LpLimitError, LpSolverError, LpUnboundedError } from './errors.js';
import type { LinearProgram, LpVariant, LpSolution, LpSolver, SolveOptions } from './types.js';

const BACKEND = 'highs';
let loading: Promise<Highs> | undefined;

type Loader = () => Promise<Highs>;

/**
 * The package's types describe a CommonJS module while Node's ESM import gets `highs.mjs`, whose default
 * export is the loader; accept either shape.
 */
function resolveLoader(): Loader {
  const m = highsModule as unknown as { default: Loader | { default: Loader } };
  return typeof m.default === 'function' ? m.default : m.default.default;
}

/** The process-wide HiGHS module. */
export function loadHighs(): Promise<Highs> {
  loading ??= resolveLoader()();
  return loading;
}

const STATUS_NAMES: Record<number, string> = {
  0: 'not set', 1: 'load error', 2: 'model error', 3: 'presolve error', 4: 'solve error', 5: 'postsolve error',
  6: 'empty', 7: 'optimal', 8: 'infeasible', 9: 'unbounded or infeasible', 10: 'unbounded',
  11: 'objective bound', 12: 'objective target', 13: 'time limit', 14: 'iteration limit', 15: 'unknown',
  16: 'solution limit', 17: 'interrupted',
};

/** Throws the typed error for a non-optimal status. */
export function checkHighsStatus(code: ModelStatusCode | number): void {
  const name = STATUS_NAMES[code] ?? `code ${code}`;
  if (code === 7) return;
  if (code === 8) throw new LpInfeasibleError(BACKEND, name);
  if (code === 10 || code === 9) throw new LpUnboundedError(BACKEND, name);
  if (code === 13 || code === 14 || code === 11 || code === 12 || code === 16 || code === 17) {
    throw new LpLimitError(BACKEND, name);
  }
  throw new LpSolverError(BACKEND, name);
}

function toCsr(lp: LinearProgram): { starts: Int32Array; indices: Int32Array; values: Float64Array } {
  let nnz = 0;
  for (const r of lp.rows) nnz += r.indices.length;
  const starts = new Int32Array(lp.rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  lp.rows.forEach((r, i) => {
    starts[i] = k;
    for (let t = 0; t < r.indices.length; t++) {
      indices[k] = r.indices[t];
      values[k] = r.values[t];
      k++;
    }
  });
  starts[lp.rows.length] = k;
  return { starts, indices, values };
}

class HighsSolver implements LpSolver {
  readonly name = 'highs' as const;
  readonly providesDuals = true;
  private readonly highs: Highs;
  private readonly inf: number;

  constructor(highs: Highs) {
    this.highs = highs;
    this.inf = highs.infinity;
  }

  private bound(v: number): number {
    return v === Infinity ? this.inf : v === -Infinity ? -this.inf : v;
  }

  private modelData(lp: LinearProgram): ModelData {
    const n = lp.cost.length;
    const m = lp.rows.length;
    return {
        numCols: n,
        numRows: m,
        sense: (lp.sense === 'max' ? -1 : 1) as ObjectiveSense,
        colCost: lp.cost,
        colLower: lp.colLower.map((v) => this.bound(v)),
        colUpper: lp.colUpper.map((v) => this.bound(v)),
        rowLower: lp.rows.map((r) => this.bound(r.lower)),
        rowUpper: lp.rows.map((r) => this.bound(r.upper)),
        matrix: { format: 'csr', numRows: m, numCols: n, ...toCsr(lp) },
    };
  }

  private configure(model: Model, options: SolveOptions): void {
    model.options.set({
      output_flag: false,
      primal_feasibility_tolerance: 1e-10,
      dual_feasibility_tolerance: 1e-10,
      ...(options.timeLimit !== undefined ? { time_limit: options.timeLimit } : {}) });
  }

  solveEach(lp: LinearProgram, variants: LpVariant[], options: SolveOptions = {}): Array<number | LpError> {
    return typed(() => this.highs.withModel((model) => {
      this.configure(model, options);
      model.passModel(this.modelData(lp));
      const all = { kind: 'range', from: 0, to: lp.cost.length - 1 } as const;
      let costChanged = false;
      let changedRows: number[] = [];
      return variants.map((o) => {
        for (const r of changedRows) model.changeRowBounds(r, this.bound(lp.rows[r].lower), this.bound(lp.rows[r].upper));
        changedRows = [];
        model.changeObjectiveSense(((o.sense ?? lp.sense) === 'max' ? -1 : 1) as ObjectiveSense);
        if (o.cost) {
          model.changeColsCost(all, o.cost);
          costChanged = true;
        } else if (costChanged) {
          model.changeColsCost(all, lp.cost);
          costChanged = false;
        }
        for (const b of o.rowBounds ?? []) {
          model.changeRowBounds(b.row, this.bound(b.lower), this.bound(b.upper));
          changedRows.push(b.row);
        }
        try {
          checkHighsStatus(model.run().modelStatus);
          return model.getObjectiveValue();
        } catch (e) {
          if (e instanceof LpError) return e;
          throw e;
        }
      });
    }));
  }

  solve(lp: LinearProgram, options: SolveOptions = {}): LpSolution {
    return typed(() => this.highs.withModel((model) => {
      this.configure(model, options);
      model.passModel(this.modelData(lp));
      const run = model.run();
      checkHighsStatus(run.modelStatus);
      const sol = model.getSolution();
      const out: LpSolution = { objective: model.getObjectiveValue(), x: Float64Array.from(sol.colValue) };
      if (options.duals) out.rowDual = Float64Array.from(sol.rowDual);
      return out;
    }));
  }
}

/**
 * The HiGHS wrapper throws plain errors when a model cannot be loaded or run (e.g. "passModel failed with
 * HiGHS status -1" on coefficients beyond its limits) and the WASM runtime aborts when out of memory:
 * report both as an LpSolverError (a typed failure, never a number).
 */
function typed<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LpError) throw e;
    throw new LpSolverError(BACKEND, 'error', `the solver failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

let instance: Promise<LpSolver> | undefined;

/** The shared HiGHS-backed solver (created once per process). */
export function highsSolver(): Promise<LpSolver> {
  instance ??= loadHighs().then((h) => new HighsSolver(h));
  return instance;
}
