import type { LpError } from './errors.js';

/**
 * A linear program in row form, shared by every backend:
 *
 *   max / min  Σ_j cost[j]·x[j]
 *   s.t.       rowLower[i] ≤ Σ_j A[i][j]·x[j] ≤ rowUpper[i]
 *              colLower[j] ≤ x[j] ≤ colUpper[j]
 *
 * Infinite bounds are written as ±Infinity. Rows are sparse (`indices`, `values` of equal length).
 */
export interface LpRow {
  indices: number[];
  values: number[];
  lower: number;
  upper: number;
}

export interface LinearProgram {
  sense: 'max' | 'min';
  cost: number[];
  colLower: number[];
  colUpper: number[];
  rows: LpRow[];
}

export interface SolveOptions {
  /** Ask the backend for row duals (refused by a backend that has none). */
  duals?: boolean;
  /** Wall-clock limit in seconds (highs only). */
  timeLimit?: number;
  /**
   * An "infeasible" verdict is re-solved without presolve (highs), whose verdict stands. For LPs the caller knows to
   * be feasible (a design LP P_q: the uninformative segmentation at the uniform optimal fee meets every row) and LPs
   * whose infeasibility certifies something (a bilinear face's relaxation: no equilibrium there). HiGHS's presolve
   * at our 1e-10 tolerances has called both kinds infeasible where the plain simplex ends optimal (P_q at
   * q = (0, 0.27, 0.5399999999); a McCormick relaxation with a 3.9e-6 row: an equilibrium missed, `exact: true`).
   * Most such verdicts are settled without the re-solve by a proof of infeasibility by bound propagation, at a
   * tolerance ten times the solver's (boundProof.ts).
   */
  confirmInfeasible?: boolean;
}

/**
 * An optimal solution. `rowDual[i]` is ∂(optimal value)/∂(bound of row i) for the active bound, in the
 * objective's own sense (for a max problem a binding `≤` row has a non-negative dual).
 */
export interface LpSolution {
  objective: number;
  x: Float64Array;
  rowDual?: Float64Array;
}

/** A variant of a base LP (`solveEach`): its own objective and/or changed row bounds. */
export interface LpVariant {
  sense?: 'max' | 'min';
  cost?: number[];
  rowBounds?: Array<{ row: number; lower: number; upper: number }>;
}

export interface LpSolver {
  readonly name: 'highs' | 'javascript-lp-solver';
  readonly providesDuals: boolean;
  /** Solves to optimality or throws an `LpError` subclass; never returns a non-optimal point. */
  solve(lp: LinearProgram, options?: SolveOptions): LpSolution;
  /**
   * Solves several variants of `lp` (each variant applied to the base LP, not to the previous variant).
   * Each entry is the optimal value or the typed error of that solve (e.g. `LpUnboundedError`,
   * `LpInfeasibleError`); highs reuses one model and warm-starts every variant from the previous basis.
   */
  solveEach(lp: LinearProgram, variants: LpVariant[], options?: SolveOptions): Array<number | LpError>;
  /**
   * Runs `f` with every solve from scratch (no warm start, a fresh model), for a retry where a warm start may have
   * misled the solver (highs only; lexicographic.ts).
   */
  readonly cold?: <T>(f: () => T) => T;
  /**
   * Drops what the solver keeps between solves (highs: the model warm starts begin from), so the next solve starts
   * afresh. Every exported checker function calls it first, so a scenario's result does not depend on what the
   * process solved before (a simulate run of another market with the same types and fees left the basis the next
   * solve's first LP warm-started from, and where V kinks at q̄ its duals changed vertex — review).
   */
  readonly forget?: () => void;
}
