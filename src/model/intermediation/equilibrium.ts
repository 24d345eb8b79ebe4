/**
 * GLP competitive equilibrium (p*, ζ*, q*, x*) (GLP "a stylized model" (a)-(d); MODEL.md A.3.1, A.3.6):
 *   (a) p* ∈ ∂V(q*)  (the platform's demand at p* contains q*: zero profit, p* ≥ 0)
 *   (b) x* solves P_{q*}
 *   (c) q*(ω) > 0 ⇒ G(ω) ≥ r̄,  q*(ω) < q̄(ω) ⇒ G(ω) ≤ r̄,  G(ω) = p*(ω) + U(ω, x*)
 *   (d) q* = ζ*·q̄
 * At a fixed q, (a)-(c) are linear in (X, p, λ) once (c) is multiplied by q(ω) > 0, so existence is ONE LP
 * over every platform-optimal mechanism and every supporting price (`supportLp`). Unsold types use the
 * off-path convention of `offPathSurplus`.
 */
import { LpInfeasibleError, LpSolverError, maxResidual, RESIDUAL_TOL, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { buildDesignLp, dualFeasibilityRows, obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { offPathSurplus } from './participation.js';
import { massUnit } from './massUnit.js';

/** A type's role in a candidate: sells nothing, sells everything, or is indifferent with 0 < q < q̄. */
export type Role = 'zero' | 'full' | 'interior';

/** The roles read off a record vector q ≤ q̄. */
export function rolesAt(q: number[], qBar: number[]): Role[] {
  return q.map((x, w) => (x <= 0 ? 'zero' : x >= qBar[w] ? 'full' : 'interior'));
}

export interface Equilibrium {
  roles: Role[];
  /** q*. */
  records: number[];
  /** p*, one supporting price vector. */
  prices: number[];
  /** X*(a, ω), indexed [a][ω]. */
  X: number[][];
  /** U(ω, x*) (off-path value where q*(ω) = 0). */
  surplus: number[];
  /** G*(ω) = p*(ω) + U(ω, x*). */
  gain: number[];
  /** V(q*). */
  value: number;
  /** W = V(q*) + Σ q*(U − r̄). */
  welfare: number;
  /** Set when the equilibrium lies in a continuum of equilibria along the interior type's records. */
  continuum?: { type: number; from: number; to: number };
  /**
   * Set when it lies in a set of equilibria of positive dimension (same pattern, same face of V): the exact
   * extent [lower, upper] of each interior type's records over that set, and the pieces F of V whose convex
   * hull supplies the prices there.
   */
  region?: {
    types: number[];
    lower: number[];
    upper: number[];
    pieces: number[];
    /**
     * The least welfare over the set (the reported point has the most): exact on linear faces (an LP), a certified
     * lower bound on lifted segments (branch and bound), 0 on a cone (W ≡ 0 without a full type), an LP over the
     * line cell for the fallback's continua. Absent where not known (sets searched on a grid, a failed minimisation).
     */
    welfareMin?: number;
    /**
     * Set when the set is a segment of a bilinear face (exactSearch.ts / segmentFace.ts): the records at its two
     * ends. With `cone`, the slice is homogeneous and the set is the cone over the segment, clipped by q ≤ q̄.
     * The reported point is the segment's welfare-best (on a cone: of the normalised section).
     */
    segment?: {
      from: number[];
      to: number[];
      cone: boolean;
      /**
       * No equilibrium of the segment inside the pattern's open box has welfare above this (branch and bound,
       * segmentFace.ts); within 1e-9·max(1, |W|) of `welfare` unless the node limit was reached or the branch and
       * bound's point failed the fixed-q check (counted in liftMismatches). 0 on a cone (W ≡ 0 there).
       */
      welfareBound?: number;
    };
  };
}

/**
 * The reporting rule (EQUILIBRIUM_SELECTION): highest welfare W first, then more records traded. `welfare` may
 * replace the reported W by an exact one (fullDisclosure.ts).
 */
export function byReportingRule(x: Equilibrium, y: Equilibrium, welfare: (e: Equilibrium) => number = (e) => e.welfare): number {
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  return welfare(y) - welfare(x) || sum(y.records) - sum(x.records);
}

export const EQ_TOL = 1e-9;
/** Intermediate tolerance of `checkCandidate` (between the exact LP and EQ_TOL). */
export const SIDE_TOL = 1e-13;

interface SupportResult {
  value: number;
  X: number[][];
  prices: number[];
}

/**
 * The joint LP in (X, p, λ): X platform-optimal at q, (p, λ) optimal in the dual D_q, and the consumer
 * conditions for every type whose role is not `free`. Objective: `objective` over the columns (default:
 * maximise Σ u X, the consumer-best support).
 */
export function supportLp(
  game: PricingGame,
  q: number[],
  V: number,
  rbar: number,
  roles: Role[],
  offPath: number[],
  free: number | readonly number[] = -1,
  tolerance = EQ_TOL,
): { lp: LinearProgram; gainCols: (w: number) => { indices: number[]; values: number[] } } {
  const N = game.types.length;
  const M = game.fees.length;
  const nX = M * N;
  const design = buildDesignLp(game, q);
  const obed = obedienceRows(game);
  const pCol = (w: number) => nX + w;
  const lCol = (o: number) => nX + N + o;
  const nCols = nX + N + obed.length;
  const scale = Math.max(1, Math.abs(V), ...q);
  const tol = tolerance * scale;
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  const rows: LpRow[] = [...design.rows];
  rows.push({ indices: v.map((_, j) => j), values: v, lower: V - tol, upper: Infinity });
  // dual feasibility: p(ω) − Σ_O λ_O O_{O,j} ≥ v_j for every column j = (a, ω)
  rows.push(...dualFeasibilityRows(v, obed, N, pCol, lCol));
  rows.push({ indices: q.map((_, w) => pCol(w)), values: q, lower: -Infinity, upper: V + tol });
  // q(ω)·G(ω) = q(ω) p(ω) + Σ_a u(a, ω) X(a, ω)
  const gainCols = (w: number) => ({
    indices: [pCol(w), ...game.fees.map((_, a) => a * N + w)],
    values: [q[w], ...game.fees.map((a) => consumerSurplus(a, game.types[w]))],
  });
  const isFree = (w: number) => (typeof free === 'number' ? w === free : free.includes(w));
  roles.forEach((role, w) => {
    if (isFree(w)) return;
    if (q[w] > 0) {
      // q(ω)·(G(ω) − r̄) ≷ 0 with a tolerance on G itself (times q(ω)), so that a tiny q(ω) gets no slack
      const g = gainCols(w);
      const tw = tolerance * q[w];
      if (role !== 'zero') rows.push({ ...g, lower: rbar * q[w] - tw, upper: Infinity });
      if (role !== 'full') rows.push({ ...g, lower: -Infinity, upper: rbar * q[w] + tw });
    } else {
      rows.push({ indices: [pCol(w)], values: [1], lower: -Infinity, upper: rbar - offPath[w] + tol });
    }
  });
  const cost = new Array<number>(nCols).fill(0);
  game.fees.forEach((a, ai) => game.types.forEach((w, wi) => (cost[ai * N + wi] = consumerSurplus(a, w))));
  return {
    lp: { sense: 'max', cost, colLower: new Array<number>(nCols).fill(0), colUpper: new Array<number>(nCols).fill(Infinity), rows },
    gainCols,
  };
}

function unpackSupport(game: PricingGame, x: ArrayLike<number>): { X: number[][]; prices: number[] } {
  const N = game.types.length;
  return {
    X: game.fees.map((_, a) => game.types.map((__, w) => Math.max(0, x[a * N + w]))),
    prices: game.types.map((_, w) => x[game.fees.length * N + w]),
  };
}

/** Everything needed to test a candidate q: V(q) and the off-path surpluses of unsold types. */
function context(solver: LpSolver, game: PricingGame, q: number[], scale: number): { V: number; offPath: number[] } {
  const V = solver.solve(buildDesignLp(game, q), { feasible: true }).objective;
  const offPath = q.map((x, w) => (x > 0 ? NaN : offPathSurplus(solver, game, q, w, scale)));
  return { V, offPath };
}

/**
 * Is q an equilibrium with these roles? Returns the consumer-best support or null. Tries the exact LP
 * (tolerance 0) first and the EQ_TOL-relaxed one last (`onToleranceLadder`), so that reported prices carry no
 * tolerance slack whenever the exact system is feasible in floating point. With `worst`, the support returned is the
 * consumer-worst one (least welfare).
 */
export function checkCandidate(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], scale: number, worst = false): Equilibrium | null {
  const { V, offPath } = context(solver, game, q, scale);
  return onToleranceLadder((tol) => {
    const built = supportLp(game, q, V, rbar, roles, offPath, -1, tol);
    // `worst`: the consumer-worst support instead (the least welfare among the equilibria at q)
    const lp = worst ? { ...built.lp, cost: built.lp.cost.map((c) => -c) } : built.lp;
    const r = solver.solve(lp);
    return loose(lp, r.x) ? undefined : describe(game, q, rbar, roles, { value: V, ...unpackSupport(game, r.x) }, offPath);
  });
}

/**
 * A point the solver accepted only at its loose tolerance (HiGHS's last retry, up to 1e-7) does not meet the
 * conditions at the ladder's tolerance: treated as infeasible there (docs/numerics.md).
 */
function loose(lp: LinearProgram, x: ArrayLike<number>): boolean {
  return maxResidual(lp, lp.rows.map((row) => [row.lower, row.upper]), x) > RESIDUAL_TOL;
}

/**
 * `attempt` at tolerance 0, SIDE_TOL, EQ_TOL in turn: its first result, or null when every rung is infeasible
 * (`attempt` returns undefined or the LP is infeasible). A solver failure (HiGHS "unknown" after its retries) on a
 * tighter LP moves on to the next, looser one: each contains the previous, so its verdict decides (infeasible there
 * ⇒ infeasible at every tighter tolerance); only if the loosest fails too is the failure thrown.
 */
function onToleranceLadder<T>(attempt: (tol: number) => T | undefined): T | null {
  let failure: LpSolverError | null = null;
  for (const tol of [0, SIDE_TOL, EQ_TOL]) {
    try {
      const r = attempt(tol);
      if (r !== undefined) return r;
      failure = null;
    } catch (e) {
      if (e instanceof LpSolverError) failure = e;
      else if (e instanceof LpInfeasibleError) failure = null;
      else throw e;
    }
  }
  if (failure) throw failure;
  return null;
}

/**
 * Of the equilibria at q with these roles (types in `free` impose no consumer condition: zero-mass types, which have
 * no consumers), the one whose prices are nearest `target` in the max norm over the types with q(ω) > 0, and among
 * those the consumer-best support. Two LPs over `supportLp`'s system with a column t ≥ |p(ω) − target(ω)|: min t, then
 * max Σ u X with t ≤ t* (plus 1e-12·max(1, |target|)). Tolerances as `checkCandidate`, at masses of order 1: q is
 * divided by the checker's mass unit of `scale` (the largest mass) first (`massUnit`). Null when q is no equilibrium
 * with these roles.
 * `simulate` compares a run's prices with this set of equilibrium prices at a point, not with one of them.
 */
export function nearestSupport(
  solver: LpSolver,
  game: PricingGame,
  q: number[],
  rbar: number,
  roles: Role[],
  scale: number,
  target: number[],
  free: readonly number[] = [],
): { equilibrium: Equilibrium; distance: number } | null {
  // the LPs' tolerances are absolute at masses of order 1: solve at q/σ, σ a power of two (exact both ways), and
  // scale the extensive numbers back (review: at masses × 1e-4 a point 5e-5 off the only equilibrium passed)
  const sigma = massUnit([scale]);
  const found = nearestSupportAtUnit(solver, game, q.map((x) => x / sigma), rbar, roles, scale / sigma, target, free);
  if (!found) return null;
  const e = found.equilibrium;
  return { distance: found.distance, equilibrium: { ...e, records: q, X: e.X.map((row) => row.map((x) => x * sigma)), value: e.value * sigma, welfare: e.welfare * sigma } };
}

function nearestSupportAtUnit(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], scale: number, target: number[], free: readonly number[]): { equilibrium: Equilibrium; distance: number } | null {
  const { V, offPath } = context(solver, game, q, scale);
  const N = game.types.length;
  const priceScale = Math.max(1, ...target.map(Math.abs));
  return onToleranceLadder((tol) => {
    const { lp } = supportLp(game, q, V, rbar, roles, offPath, free, tol);
    const nX = game.fees.length * N;
    const t = lp.cost.length;
    const rows: LpRow[] = [...lp.rows];
    q.forEach((x, w) => {
      if (!(x > 0)) return;
      // −t ≤ p(ω) − target(ω) ≤ t
      rows.push({ indices: [nX + w, t], values: [1, -1], lower: -Infinity, upper: target[w] });
      rows.push({ indices: [nX + w, t], values: [1, 1], lower: target[w], upper: Infinity });
    });
    const withT = (sense: 'min' | 'max', cost: number[], tCost: number, tUpper: number): LinearProgram => ({
      sense,
      cost: [...cost, tCost],
      colLower: [...lp.colLower, 0],
      colUpper: [...lp.colUpper, tUpper],
      rows,
    });
    const first = withT('min', new Array<number>(t).fill(0), 1, Infinity);
    const r1 = solver.solve(first);
    if (loose(first, r1.x)) return undefined;
    // the consumer-best support among the nearest; the nearest itself if that LP fails (it contains r1's point)
    const second = withT('max', lp.cost, 0, Math.max(0, r1.x[t]) + 1e-12 * priceScale);
    let x: ArrayLike<number> = r1.x;
    try {
      const r2 = solver.solve(second);
      if (!loose(second, r2.x)) x = r2.x;
    } catch (e) {
      if (!(e instanceof LpSolverError || e instanceof LpInfeasibleError)) throw e;
    }
    const support = unpackSupport(game, x);
    const distance = Math.max(0, ...q.map((qw, w) => (qw > 0 ? Math.abs(support.prices[w] - target[w]) : 0)));
    return { equilibrium: describe(game, q, rbar, roles, { value: V, ...support }, offPath), distance };
  });
}

function describe(game: PricingGame, q: number[], rbar: number, roles: Role[], s: SupportResult, offPath: number[]): Equilibrium {
  const surplus = game.types.map((w, k) => {
    if (!(q[k] > 0)) return offPath[k];
    let t = 0;
    game.fees.forEach((a, ai) => (t += s.X[ai][k] * consumerSurplus(a, w)));
    return t / q[k];
  });
  const gain = surplus.map((u, k) => s.prices[k] + u);
  const welfare = s.value + q.reduce((acc, x, k) => acc + (x > 0 ? x * (surplus[k] - rbar) : 0), 0);
  return { roles, records: q, prices: s.prices, X: s.X, surplus, gain, value: s.value, welfare };
}

export interface SearchOptions {
  /** Kept for compatibility (the search is exhaustive on the piece structure; see exactSearch.ts). */
  maxCornerTypes: number;
  /** Kept for compatibility. */
  maxInteriorTypes: number;
  /** Grid points on a face where the conditions are bilinear (then bisection). */
  gridPoints: number;
}

export const DEFAULT_SEARCH: SearchOptions = { maxCornerTypes: 10, maxInteriorTypes: 4, gridPoints: 32 };

export interface EquilibriumSearch {
  equilibria: Equilibrium[];
  /** What was searched. */
  searched: { corners: boolean; oneInterior: boolean; severalInterior: boolean };
}

