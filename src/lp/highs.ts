/**
 * HiGHS (WASM) backend: primal solution, row duals and a checked model status. The WASM module is loaded
 * once per process (`loadHighs` memoises the promise) and one native model instance is kept per solver and
 * reused for every solve (warm starts when only bounds/costs change); `solve` itself is synchronous.
 */
import * as highsModule from 'highs';
import type { Highs, Model, ModelStatusCode, ObjectiveSense } from 'highs';
import { LpError, LpInfeasibleError, LpLimitError, LpSolverError, LpUnboundedError } from './errors.js';
import type { LinearProgram, LpVariant, LpSolution, LpSolver, SolveOptions } from './types.js';
import { provedInfeasible } from './boundProof.js';

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

/** Relative residual (per row / bound, scaled by max(1, |bound|)) accepted after the default-tolerance retry. */
export const RESIDUAL_TOL = 1e-9;
/** Residual accepted for HiGHS's default-tolerance optimum, the last step of the retry chain (`run`). */
export const LOOSE_RESIDUAL_TOL = 1e-7;

/** Largest violation of a row or column bound by x, each relative to max(1, |bound|). */
export function maxResidual(lp: LinearProgram, rowBounds: ReadonlyArray<readonly [number, number]>, x: ArrayLike<number>): number {
  let worst = 0;
  const over = (v: number, lo: number, hi: number) => {
    if (v < lo) worst = Math.max(worst, (lo - v) / Math.max(1, Math.abs(lo)));
    if (v > hi) worst = Math.max(worst, (v - hi) / Math.max(1, Math.abs(hi)));
  };
  lp.rows.forEach((r, i) => {
    let v = 0;
    for (let t = 0; t < r.indices.length; t++) v += r.values[t] * x[r.indices[t]];
    over(v, rowBounds[i][0], rowBounds[i][1]);
  });
  for (let j = 0; j < lp.cost.length; j++) over(x[j], lp.colLower[j], lp.colUpper[j]);
  return worst;
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

/** The structure of the LP loaded in the persistent model: same shape and matrix ⇒ only bounds/costs change. */
interface Loaded {
  numCols: number;
  numRows: number;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One native HiGHS model per solver, kept for the life of the process (creating a model costs about as
 * much as solving a small LP: `Highs_create` plus option setting). Each solve either
 *  - re-uses the loaded LP when the new one has the same shape and constraint matrix, changing only the
 *    objective, column bounds and row bounds: HiGHS then starts from the previous optimal basis (a warm
 *    start — the common case in sweeps, tatonnement and the equilibrium search, which re-solve P_q at a
 *    nearby q), or
 *  - passes the new LP into the same model (no model creation).
 * `solveEach` works on the same model. Any failure drops the model; the next solve creates a fresh one.
 */
/**
 * Interior-point iterations allowed in `run`'s retry chain (step 4). HiGHS's IPM never ended on a 16 × 17 price LP
 * of a random four-type GP E2 market at the tight tolerances (iterating without limit; `findE2` with the volume
 * search hung there for over 25 minutes); it normally converges in well under 100. Past the limit the chain goes
 * on (status "iteration limit" is not a verdict). Counted in iterations, not seconds, so results do not depend on
 * the machine.
 */
export const IPM_ITERATION_LIMIT = 1000;
/** HiGHS's own default, restored after the retry chain. */
const IPM_DEFAULT_ITERATION_LIMIT = 2147483647;

class HighsSolver implements LpSolver {
  readonly name = 'highs' as const;
  readonly providesDuals = true;
  private readonly highs: Highs;
  private readonly inf: number;
  private model: Model | undefined;
  private loaded: Loaded | undefined;
  private timeLimit: number | undefined;
  /** Counters (bench/lp.ts): LPs solved warm (bounds/costs changed only), loaded afresh, and re-run after status "unknown" (`run`). */
  readonly stats = { warm: 0, loads: 0, models: 0, retries: 0, looseOptima: 0, freshRetries: 0, failedRetries: 0, failedFirstRuns: 0, presolveRechecks: 0, provedInfeasible: 0 };
  /** Set while `guarded` re-runs a failed solve on a fresh model (`run` then takes a first-run failure to the chain). */
  private onFreshModel = false;
  /** Set to false to load every LP afresh (cold starts; bench/lp.ts compares both). */
  warmStart = true;

  /** `LpSolver.cold`: `f` on a fresh model without warm starts; the model is dropped again after. */
  readonly cold = <T>(f: () => T): T => {
    const warm = this.warmStart;
    this.warmStart = false;
    this.drop();
    try {
      return f();
    } finally {
      this.warmStart = warm;
      this.drop();
    }
  };

  /** `LpSolver.forget`. */
  readonly forget = (): void => this.drop();

  constructor(highs: Highs) {
    this.highs = highs;
    this.inf = highs.infinity;
  }

  private bound(v: number): number {
    return v === Infinity ? this.inf : v === -Infinity ? -this.inf : v;
  }

  private bounds(xs: ArrayLike<number>): Float64Array {
    const out = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = this.bound(xs[i]);
    return out;
  }

  private getModel(options: SolveOptions): Model {
    if (!this.model) {
      this.model = this.highs.createModel();
      this.stats.models++;
      this.model.options.set({ output_flag: false, primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
      this.loaded = undefined;
      this.timeLimit = undefined;
    }
    if (options.timeLimit !== this.timeLimit) {
      this.model.options.set({ time_limit: options.timeLimit ?? Infinity });
      this.timeLimit = options.timeLimit;
    }
    // HiGHS counts `time_limit` against the run time accumulated on the model since its clocks were last reset, so on
    // a reused model the limit would be a budget for every solve together (review): each solve gets the whole limit
    if (options.timeLimit !== undefined) this.model.zeroAllClocks();
    return this.model;
  }

  private drop(): void {
    try {
      this.model?.dispose();
    } catch {
      // the WASM instance may already be unusable after an abort; nothing left to release
    }
    this.model = undefined;
    this.loaded = undefined;
  }

  /** Loads `lp` into the persistent model (warm: bounds and costs only, when the matrix is unchanged). */
  private load(lp: LinearProgram, options: SolveOptions): Model {
    const model = this.getModel(options);
    const n = lp.cost.length;
    const m = lp.rows.length;
    const csr = toCsr(lp);
    const L = this.loaded;
    const sense = (lp.sense === 'max' ? -1 : 1) as ObjectiveSense;
    if (this.warmStart && L && L.numCols === n && L.numRows === m && n > 0 && sameArray(L.starts, csr.starts) && sameArray(L.indices, csr.indices) && sameArray(L.values, csr.values)) {
      const cols = { kind: 'range', from: 0, to: n - 1 } as const;
      model.changeObjectiveSense(sense);
      model.changeColsCost(cols, Float64Array.from(lp.cost));
      model.changeColsBounds(cols, this.bounds(lp.colLower), this.bounds(lp.colUpper));
      if (m > 0) {
        model.changeRowsBounds({ kind: 'range', from: 0, to: m - 1 }, this.bounds(lp.rows.map((r) => r.lower)), this.bounds(lp.rows.map((r) => r.upper)));
      }
      this.stats.warm++;
      return model;
    }
    this.loaded = undefined;
    model.passModel({
      numCols: n,
      numRows: m,
      sense,
      colCost: lp.cost,
      colLower: lp.colLower.map((v) => this.bound(v)),
      colUpper: lp.colUpper.map((v) => this.bound(v)),
      rowLower: lp.rows.map((r) => this.bound(r.lower)),
      rowUpper: lp.rows.map((r) => this.bound(r.upper)),
      matrix: { format: 'csr', numRows: m, numCols: n, ...csr },
    });
    this.loaded = { numCols: n, numRows: m, ...csr };
    this.stats.loads++;
    return model;
  }

  /**
   * Runs `f` on the loaded model; a thrown non-LP error (WASM abort, load failure) drops the model. A run that fails
   * outright ("run failed with HiGHS status -1", seen on a model reused through a long sequence of warm-started
   * solves and retries; the same LP solves on a fresh model) is retried once on a fresh model (`stats.freshRetries`).
   */
  private guarded<T>(f: () => T, retry = true): T {
    try {
      return typed(f);
    } catch (e) {
      if (!(e instanceof LpError) || e instanceof LpSolverError) this.drop();
      if (retry && e instanceof LpSolverError && e.status === 'error') {
        this.stats.freshRetries++;
        this.onFreshModel = true;
        try {
          return this.guarded(f, false);
        } finally {
          this.onFreshModel = false;
        }
      }
      throw e;
    }
  }

  /**
   * Runs the loaded model. HiGHS ends some near-degenerate solves with status "unknown" (15) at our tight
   * feasibility tolerances (1e-10), seen on equilibrium support LPs that are feasible only within ~1e-9. Then:
   *  1. without presolve, from a cleared basis — usually ends optimal or infeasible;
   *  2. at HiGHS's default tolerances (1e-7), accepted if our own residual check finds every row and bound
   *     satisfied within RESIDUAL_TOL (relative);
   *  3. feasibility alone (zero objective) at 1e-10: infeasible there is a proper verdict;
   *  4. the interior-point solver (with crossover) at 1e-10, at most IPM_ITERATION_LIMIT iterations: optimal is a
   *     proper verdict, and so is infeasible unless step 3 found a feasible point (then it is not believed);
   *  5. otherwise HiGHS's optimum at its default tolerances, if our residual check passes at 1e-7 (the LP is then
   *     optimal to 1e-7: counted in `stats.looseOptima`, docs/numerics.md); failing that, "unknown" stands
   *     (LpSolverError).
   * `rowBounds` and `cost` are the row bounds and objective in force (a `solveEach` variant may change them).
   */
  private run(model: Model, lp: LinearProgram, rowBounds: Array<[number, number]>, cost: ArrayLike<number>, confirmInfeasible = false): number {
    let status: number;
    // a first run that fails outright (status -1) is thrown on a reused model (`guarded` tries a fresh one, which
    // cures a model worn by long reuse); on that fresh model it goes through the same chain (seen on support LPs
    // with 1e-8 coefficients, which then end infeasible without presolve), and only a verdict of the chain
    // (optimal, infeasible, unbounded) is taken — anything else rethrows the failure
    let failure: unknown = null;
    try {
      status = model.run().modelStatus;
    } catch (e) {
      if (!this.onFreshModel) throw e;
      failure = e;
      this.stats.failedFirstRuns++;
      status = 15;
    }
    const decided = status === 15 ? this.retry(model, lp, rowBounds, cost) : status;
    if (failure !== null && ![7, 8, 9, 10].includes(decided)) throw failure;
    if (decided !== 8 || !confirmInfeasible) return decided;
    // a proof by bound propagation settles most such verdicts without a second solve (boundProof.ts)
    if (provedInfeasible(lp, rowBounds)) {
      this.stats.provedInfeasible++;
      return 8;
    }
    return this.withoutPresolve(model);
  }

  /**
   * The verdict on an LP called infeasible whose caller asks for confirmation (`SolveOptions.confirmInfeasible`): the
   * simplex without presolve, from a cleared basis (presolve's reductions at 1e-10 have ended such LPs infeasible
   * where the plain simplex ends optimal). Its verdict stands when it is one (optimal, infeasible, unbounded); a run
   * that ends otherwise ("unknown", or failing outright — seen on the search's face LPs) leaves "infeasible".
   */
  private withoutPresolve(model: Model): number {
    this.stats.presolveRechecks++;
    model.options.set({ presolve: 'off' });
    model.clearSolver();
    try {
      const status = model.run().modelStatus;
      return [7, 8, 9, 10].includes(status) ? status : 8;
    } catch {
      return 8;
    } finally {
      model.options.set({ presolve: 'choose' });
    }
  }

  /** The retry chain of `run` after status "unknown" (steps 1–5 there). */
  private retry(model: Model, lp: LinearProgram, rowBounds: Array<[number, number]>, cost: ArrayLike<number>): number {
    let status: number;
    this.stats.retries++;
    const all = { kind: 'range', from: 0, to: lp.cost.length - 1 } as const;
    const tight = { primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 };
    const loose = { primal_feasibility_tolerance: 1e-7, dual_feasibility_tolerance: 1e-7 };
    const rerun = (options: Record<string, string | number>): number => {
      model.options.set(options);
      model.clearSolver();
      try {
        return model.run().modelStatus;
      } catch {
        // a retry that fails outright (HiGHS status -1: seen with the interior-point solver on an LP with 1e-8
        // coefficients) says nothing: the chain goes on as after "unknown"
        this.stats.failedRetries++;
        return 15;
      }
    };
    const residual = () => maxResidual(lp, rowBounds, model.getSolution().colValue);
    try {
      status = rerun({ presolve: 'off' });
      if (status !== 15) return status;
      status = rerun({ presolve: 'choose', ...loose });
      if (status === 7 && residual() <= RESIDUAL_TOL) return 7;
      model.changeColsCost(all, new Float64Array(lp.cost.length));
      try {
        status = rerun(tight);
      } finally {
        model.changeColsCost(all, Float64Array.from(cost));
      }
      if (status === 8) return 8;
      const feasible = status === 7;
      status = rerun({ solver: 'ipm', ipm_iteration_limit: IPM_ITERATION_LIMIT, ...tight });
      if (status === 7 || (status === 8 && !feasible)) return status;
      // HiGHS's default-tolerance optimum, with presolve and then without (presolve can end "unknown" on LPs
      // that are feasible only near the 1e-7 tolerance, where the unpresolved simplex ends optimal)
      for (const presolve of ['choose', 'off']) {
        status = rerun({ solver: 'choose', presolve, ...loose });
        if (status === 7 && residual() <= LOOSE_RESIDUAL_TOL) {
          this.stats.looseOptima++;
          return 7;
        }
      }
      return 15;
    } finally {
      model.options.set({ solver: 'choose', presolve: 'choose', ipm_iteration_limit: IPM_DEFAULT_ITERATION_LIMIT, ...tight });
    }
  }

  solveEach(lp: LinearProgram, variants: LpVariant[], options: SolveOptions = {}): Array<number | LpError> {
    return this.guarded(() => {
      const model = this.load(lp, options);
      // the variants change the loaded LP: forget it so that the next solve restores every bound and cost
      this.loaded = undefined;
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
          const bounds = lp.rows.map((r): [number, number] => [r.lower, r.upper]);
          for (const b of o.rowBounds ?? []) bounds[b.row] = [b.lower, b.upper];
          checkHighsStatus(this.run(model, lp, bounds, o.cost ?? lp.cost, options.confirmInfeasible));
          return model.getObjectiveValue();
        } catch (e) {
          if (e instanceof LpError) return e;
          throw e;
        }
      });
    });
  }

  solve(lp: LinearProgram, options: SolveOptions = {}): LpSolution {
    return this.guarded(() => {
      const model = this.load(lp, options);
      checkHighsStatus(this.run(model, lp, lp.rows.map((r) => [r.lower, r.upper]), lp.cost, options.confirmInfeasible));
      const sol = model.getSolution();
      const out: LpSolution = { objective: model.getObjectiveValue(), x: Float64Array.from(sol.colValue) };
      if (options.duals) out.rowDual = Float64Array.from(sol.rowDual);
      return out;
    });
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
