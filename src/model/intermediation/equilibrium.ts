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
import { LpError, LpInfeasibleError, LpSolverError, maxResidual, provenInfeasible, RESIDUAL_TOL, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { buildDesignLp, dualFeasibilityRows, obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { offPathBounds, offPathSurplus } from './participation.js';
import { massUnit, powerOfTwoNear } from './massUnit.js';
import { supergradientIntervals } from './supergradient.js';
import { faceKeepsOptimum, optimalFaceOf, tightFaceRows, zeroFaceColumns, type OptimalFace } from './optimalFace.js';

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
  const [wx, wy] = [welfare(x), welfare(y)];
  // welfare equal to rounding (W ≡ 0 on a cone comes out as ±1e-17) is a tie: the records decide, so that the order
  // does not depend on rounding (q̄ and 2q̄ listed their sets in different orders — units.test.ts)
  const dw = Math.abs(wy - wx) > 1e-12 * Math.max(1, Math.abs(wx), Math.abs(wy)) ? wy - wx : 0;
  return dw || sum(y.records) - sum(x.records);
}

export const EQ_TOL = 1e-9;
/** Intermediate tolerance of `checkCandidate` (between the exact LP and EQ_TOL). */
export const SIDE_TOL = 1e-13;
/** The tolerances `checkCandidate` tries in turn (`onToleranceLadder`). */
const LADDER = [0, SIDE_TOL, EQ_TOL] as const;
/**
 * The least divisor of a gain row (records at masses of order 1): the row is divided by q(ω) so that the solver's
 * tolerance is one on G, but by no less than this (coefficients u/q(ω) of at most ~1e14 at the input envelope).
 */
export const GAIN_ROW_FLOOR = 1e-8;
/** The least slack of a price cap above its exact interval (`Context.caps`): HiGHS's feasibility tolerance. */
export const PRICE_CAP_SLACK = 1e-10;

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
  extra: {
    /** Upper bounds on the prices (`Context.caps`). */
    priceUpper?: readonly number[];
    /** P_q's optimal face (optimalFace.ts): its zero columns are 0 and its tight rows tight, to `tolerance`. */
    face?: OptimalFace | null;
  } = {},
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
  // on the optimal face the columns with a positive reduced cost are 0 (exactly): the row Σ vX ≥ V − tol alone let a
  // type with few records buy another treatment, its surplus drifting by ~tol/q(ω) (review: a false continuum of a
  // type of mass 4e-6, U(0) = 0.49999 where every optimal design gives 0.5)
  const rows: LpRow[] = [...design.rows.slice(0, N), ...tightFaceRows(design.rows.slice(N), extra.face ?? null, tol)];
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
      // G(ω) − r̄ ≷ 0 with a tolerance on G itself: the row q(ω)·G(ω) divided by q(ω), so that the solver's own
      // feasibility tolerance (1e-10, absolute) is one on G too (on q·G it let G(ω) fall 1e-10 / q(ω) short of r̄:
      // 1.6e-6 at q(ω) = 6e-5, and a type that must not sell passed)
      // (divided by at least GAIN_ROW_FLOOR: records of 2e-16 made coefficients u/q of 1e16, which HiGHS refuses —
      // "passModel failed", a solver failure the search counted, review; below it the row is q/floor·(G − r̄))
      const g = gainCols(w);
      const d = Math.max(q[w], GAIN_ROW_FLOOR);
      const k = q[w] / d; // 1 exactly unless q(ω) is below the floor
      const row = { indices: g.indices, values: g.values.map((v) => v / d) };
      if (role !== 'zero') rows.push({ ...row, lower: (rbar - tolerance) * k, upper: Infinity });
      if (role !== 'full') rows.push({ ...row, lower: -Infinity, upper: (rbar + tolerance) * k });
    } else {
      rows.push({ indices: [pCol(w)], values: [1], lower: -Infinity, upper: rbar - offPath[w] + tol });
    }
  });
  const cost = new Array<number>(nCols).fill(0);
  game.fees.forEach((a, ai) => game.types.forEach((w, wi) => (cost[ai * N + wi] = consumerSurplus(a, w))));
  const colUpper = new Array<number>(nCols).fill(Infinity);
  extra.priceUpper?.forEach((u, w) => (colUpper[pCol(w)] = u));
  zeroFaceColumns(colUpper, extra.face ?? null, 0);
  return {
    lp: { sense: 'max', cost, colLower: new Array<number>(nCols).fill(0), colUpper, rows },
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

interface Context {
  V: number;
  /** The off-path surpluses of unsold types (NaN for the others), computed on first use (`ruledOut`). */
  offPath(): number[];
  /**
   * P_q's optimal face from the design LP's dual at q (optimalFace.ts), when it keeps an optimal design (else null:
   * the value row alone decides, as before). Every optimal X satisfies complementary slackness with any optimal dual,
   * so the face cuts off no optimal design.
   */
  face: OptimalFace | null;
  /**
   * Caps p(ω) ≤ upper(ω) + slack on the support LP's prices, or undefined when the support x needs none. The
   * zero-profit row Σ q p ≤ V + tol and the solver's own 1e-10 on the dual rows let a type with a small q(ω) take a
   * price up to ~(tol + 1e-10) / q(ω) above its exact record-price interval (review: q(0) = 2e-6 priced 1e-4 above its
   * interval [1, 1], which made a type that must not sell pass G ≥ r̄, and a false equilibrium was reported first,
   * `exact: true`). The exact intervals at q (supergradient.ts: the tangent LP, free of that division) are computed
   * once per q; caps are returned only if some price is above its interval's upper end by more than the rung's slack
   * (at least PRICE_CAP_SLACK).
   */
  caps(x: ArrayLike<number>, tolerance: number): number[] | undefined;
}

/** Everything needed to test a candidate q: V(q), the off-path surpluses of unsold types and the price caps. */
function context(solver: LpSolver, game: PricingGame, q: number[], scale: number): Context {
  const design = buildDesignLp(game, q);
  const sol = solver.solve(design, { confirmInfeasible: true, duals: solver.providesDuals });
  const V = sol.objective;
  const face = sol.rowDual ? faceAt(solver, game, design, V, Array.from(sol.rowDual.subarray(0, game.types.length))) : null;
  let offPathAt: number[] | undefined;
  const offPath = () => (offPathAt ??= q.map((x, w) => (x > 0 ? NaN : offPathSurplus(solver, game, q, w, scale))));
  const N = game.types.length;
  const nX = game.fees.length * N;
  const sold = q.flatMap((x, w) => (x > 0 ? [w] : []));
  let upper: number[] | undefined;
  const caps = (x: ArrayLike<number>, tolerance: number): number[] | undefined => {
    // not below the solver's own feasibility tolerance: a cap it cannot meet would make the exact rungs infeasible
    const slack = Math.max(tolerance, PRICE_CAP_SLACK) * Math.max(1, Math.abs(V));
    if (!upper) {
      upper = new Array<number>(N).fill(Infinity);
      try {
        const intervals = supergradientIntervals(solver, design, sol.x, sold);
        sold.forEach((w, k) => (upper![w] = intervals[k].upper));
      } catch (e) {
        // no exact interval (a tangent LP ended unbounded or unknown: seen with fees 1e-10 apart): no caps
        if (!(e instanceof LpError)) throw e;
      }
    }
    const u = upper;
    if (!sold.some((w) => x[nX + w] > u[w] + slack)) return undefined;
    return u.map((v) => v + slack);
  };
  return { V, offPath, face, caps };
}

/** The optimal face of P_q (`design`, value V) that the dual g defines, if it keeps an optimal design. */
function faceAt(solver: LpSolver, game: PricingGame, design: LinearProgram, V: number, g: number[]): OptimalFace | null {
  const face = optimalFaceOf(solver, game, g);
  if (!face) return null;
  try {
    return faceKeepsOptimum(solver, design, game.types.length, V, face) ? face : null;
  } catch (e) {
    if (e instanceof LpError) return null;
    throw e;
  }
}

/**
 * Is q an equilibrium with these roles? Returns the consumer-best support or null. Tries the exact LP
 * (tolerance 0) first and the EQ_TOL-relaxed one last (`onToleranceLadder`), so that reported prices carry no
 * tolerance slack whenever the exact system is feasible in floating point. With `worst`, the support returned is the
 * consumer-worst one (least welfare); `rungs` replaces the ladder's tolerances.
 */
export function checkCandidate(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], scale: number, worst = false, rungs: readonly number[] = LADDER): Equilibrium | null {
  // at masses of order 1: q/σ with σ the power of two nearest `scale`, so that the LPs at q and at 2q are the same LP,
  // and so is the support picked among ties (the gain rows divided by q(ω) made them differ: units.test.ts)
  const sigma = checkUnit(scale);
  const e = checkAtUnit(solver, game, q.map((x) => x / sigma), rbar, roles, scale / sigma, worst, rungs);
  return e && { ...e, records: q, X: e.X.map((row) => row.map((x) => x * sigma)), value: e.value * sigma, welfare: e.welfare * sigma };
}

/** `checkCandidate`'s unit: the power of two nearest `scale` (always, unlike `massUnit`: q and 2q give the same LPs). */
const checkUnit = powerOfTwoNear;

/**
 * Does q meet the conditions with these roles without tolerance (the support LP at tolerance 0 only)? False where
 * that cannot be told: a record below GAIN_ROW_FLOOR in `checkCandidate`'s units (its gain row is divided by the
 * floor, not by q(ω), so HiGHS's 1e-7 is a tolerance on q(ω)·G/1e-8, not on G — a review found points with G(ω)
 * short of r̄ by 0.006 and 0.3 accepted at q(ω) = 1e-9 and 1e-12); null on a solver failure at tolerance 0 (the
 * caller counts it: the answer is unknown).
 */
export function meetsExactly(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], scale: number): boolean | null {
  const sigma = checkUnit(scale);
  if (q.some((x) => x > 0 && x / sigma < GAIN_ROW_FLOOR)) return false;
  try {
    return checkCandidate(solver, game, q, rbar, roles, scale, false, [0]) !== null;
  } catch (e) {
    if (e instanceof LpSolverError) return null;
    throw e;
  }
}

function checkAtUnit(solver: LpSolver, game: PricingGame, q: number[], rbar: number, roles: Role[], scale: number, worst: boolean, rungs: readonly number[]): Equilibrium | null {
  const ctx = context(solver, game, q, scale);
  if (ruledOut(solver, game, q, ctx, rbar, roles, rungs)) return null;
  const { V } = ctx;
  const offPath = ctx.offPath();
  return onToleranceLadder((tol) => {
    const solveAt = (caps?: number[]) => {
      const built = supportLp(game, q, V, rbar, roles, offPath, -1, tol, { priceUpper: caps, face: ctx.face });
      // `worst`: the consumer-worst support instead (the least welfare among the equilibria at q)
      const lp = worst ? { ...built.lp, cost: built.lp.cost.map((c) => -c) } : built.lp;
      const r = solver.solve(lp);
      return loose(lp, r.x) ? undefined : r.x;
    };
    let x = solveAt();
    const caps = x && ctx.caps(x, tol);
    if (caps) x = solveAt(caps);
    return x && describe(game, q, rbar, roles, { value: V, ...unpackSupport(game, x) }, offPath);
  }, rungs);
}

/**
 * Is q ruled out before any off-path surplus is computed? The support LP at the loosest rung with each unsold type's
 * surplus at its lower bound (`offPathBounds`) contains every rung's LP with the true surpluses (their price caps
 * r̄ − U_off + tol only loosen), so its infeasibility — confirmed without presolve — rules out every rung. Most
 * candidates of a large market's search fail so, and the surpluses were ~80% of its time (32 types: 58 s).
 */
function ruledOut(solver: LpSolver, game: PricingGame, q: number[], ctx: Context, rbar: number, roles: Role[], rungs: readonly number[], free: readonly number[] = []): boolean {
  if (!q.some((x) => !(x > 0))) return false;
  const lower = q.map((x, w) => (x > 0 ? NaN : offPathBounds(game, w).lower));
  return provenInfeasible(solver, supportLp(game, q, ctx.V, rbar, roles, lower, free, Math.max(...rungs), { face: ctx.face }).lp);
}

/**
 * A point the solver accepted only at its loose tolerance (HiGHS's last retry, up to 1e-7) does not meet the
 * conditions at the ladder's tolerance: treated as infeasible there (docs/numerics.md).
 */
function loose(lp: LinearProgram, x: ArrayLike<number>): boolean {
  return maxResidual(lp, lp.rows.map((row) => [row.lower, row.upper]), x) > RESIDUAL_TOL;
}

/**
 * `attempt` at each of `rungs` in turn (default 0, SIDE_TOL, EQ_TOL; `meetsExactly`: 0 alone): its first result, or null when every rung is infeasible
 * (`attempt` returns undefined or the LP is infeasible). A solver failure (HiGHS "unknown" after its retries) on a
 * tighter LP moves on to the next, looser one: each contains the previous, so its verdict decides (infeasible there
 * ⇒ infeasible at every tighter tolerance); only if the loosest fails too is the failure thrown.
 */
function onToleranceLadder<T>(attempt: (tol: number) => T | undefined, rungs: readonly number[] = LADDER): T | null {
  let failure: LpSolverError | null = null;
  for (const tol of rungs) {
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
  const ctx = context(solver, game, q, scale);
  if (ruledOut(solver, game, q, ctx, rbar, roles, LADDER, free)) return null;
  const { V } = ctx;
  const offPath = ctx.offPath();
  const N = game.types.length;
  const priceScale = Math.max(1, ...target.map(Math.abs));
  const nearest = (tol: number, caps?: number[]) => {
    const { lp } = supportLp(game, q, V, rbar, roles, offPath, free, tol, { priceUpper: caps, face: ctx.face });
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
    return x;
  };
  return onToleranceLadder((tol) => {
    let x = nearest(tol);
    const caps = x && ctx.caps(x, tol);
    if (caps) x = nearest(tol, caps);
    if (!x) return undefined;
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

