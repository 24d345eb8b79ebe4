/**
 * Exact search of GLP equilibria over every participation pattern, using the linear pieces of V
 * (MODEL.md A.3.1, A.2.4; `pieces.ts`). Notation: a pattern gives each type a role — `zero` (q(ω) = 0),
 * `full` (q(ω) = q̄(ω)) or `interior` (0 < q(ω) < q̄(ω), the indifferent types, set I). G = {g_1 … g_K} are the
 * pieces of V: V(q) = min_k ⟨g_k, q⟩ on R_+^N, each g_k dual-feasible.
 *
 * **Superdifferential.** For q ≥ 0 let A(q) = {k : ⟨g_k, q⟩ = V(q)} (active pieces). Then
 *   ∂V(q) = conv{g_k : k ∈ A(q)} + cone{e_ω : q(ω) = 0}.
 * Proof: V = f + ι with f = min_k ⟨g_k, ·⟩ finite on R^N (its superdifferential is the convex hull of the
 * active gradients) and ι the concave indicator of R_+^N (superdifferential cone{e_ω : q(ω) = 0}); the sum rule
 * holds because f is finite everywhere. Every g_k is dual-feasible, so the formula needs no assumption on which
 * dual vertices G contains beyond V = min_k ⟨g_k, ·⟩.
 * The cone part only raises p(ω) on unsold types, whose condition p(ω) + U_off(ω) ≤ r̄ is an upper bound: it
 * never helps, so p = Σ_{k∈F} μ_k g_k with μ ∈ Δ(F) for some F ⊆ A(q) suffices.
 *
 * **Face LP.** Fix a pattern and a set F of pieces ("face": the q at which every piece of F is active). On it
 * V(q) = ⟨g_f, q⟩ for any f ∈ F, so "X solves P_q" ⇔ X feasible, obedient and Σ vX ≥ ⟨g_f, q⟩ (the planner's
 * argument, planner.ts), linear in (q, X). With p = Σ μ_k g_k the consumer conditions read
 *   interior ω:  q(ω)·p(ω) + Σ_a u(a,ω) X(a,ω) = r̄ q(ω),
 *   full ω:      q̄(ω)·p(ω) + Σ_a u(a,ω) X(a,ω) ≥ r̄ q̄(ω),
 *   zero ω:      p(ω) ≤ r̄ − U_off(ω).
 * Only q(ω)·p(ω) for interior ω can be nonlinear, and only when p(ω) varies over conv(G_F), i.e. when the
 * g_k(ω), k ∈ F, differ ("bilinear types" B). If B = ∅ (always for a single piece, |F| = 1, a cell of V) every
 * condition is linear in (q_I, μ, X): ONE LP decides existence, and its projection on q_I is the whole
 * equilibrium set of the pattern on that face (a polytope; we report its exact coordinate extents by 2|I| LPs and
 * its welfare-best point: W = ⟨g_f, q⟩ + Σ u X − r̄ Σq is linear there too).
 * The union over all F with F ⊆ A(q) of these sets is the equilibrium set (F = A(q) covers every supergradient),
 * so enumerating every F whose "all of F active" set meets the pattern's slice is exhaustive. The family of such
 * F is closed under subsets, so it is enumerated depth-first with one small q-only LP per candidate.
 * If B ≠ ∅ and the face is a single point of the slice (always the case with one interior type: (g_k − g_f)(ω)
 * ≠ 0 for some k pins q(ω) by ⟨g_k − g_f, q⟩ = 0), q is fixed and `checkCandidate` (one LP in (X, p, λ)) is
 * exact. Remaining case — B ≠ ∅ on a face of positive dimension (≥ 2 interior types at a kink whose prices
 * differ on them): the conditions are bilinear (products q(ω)·p(ω), ω ∈ B), and in this order:
 *  1. a few boxes of the branch-and-bound certificate (`certifyFace.ts`, McCormick relaxation) on the whole band:
 *     most such faces carry no equilibrium and are settled here (`certifiedFaces`);
 *  2. a segment with two pieces is solved exactly by the lift of `segmentFace.ts` (`liftedFaces`);
 *  3. otherwise the full certificate on the face's extremes (`certifiedFaces`);
 *  4. a face left over (it carries an equilibrium, or the certificate gives up) is bounded exactly by branch and
 *     bound over its prices (`boundFace.ts`, `boundedFaces`), or certified empty by it;
 *  5. where a branch and bound stops short of its tolerance, its bounds give an outer box (`bilinearFaces`; not
 *     exact); a face where it finds no point is searched on the segment between its coordinate extremes on a grid
 *     with bisection to adjacent doubles (`bilinearFaces`; not exact).
 *
 * Off-path surpluses U_off(ω) of unsold types are evaluated at a point of the face and every reported point is
 * re-checked by `checkCandidate`, which evaluates them at that point (`offPathMismatches` counts mismatches).
 * Points with an interior type within the boundary band of 0 or q̄(ω) are left to the pattern whose closure they
 * are (`boundaryBand`, `interiorPoint`).
 */
import { LpSolverError, solveOrNull, type LinearProgram, type LpRow, type LpSolver, type SolveOptions } from '../../lp/index.js';
import { obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { offPathLowerBound, offPathSurplus, offPathUnprovenCount } from './participation.js';
import { powerOfTwoNear } from './massUnit.js';
import { byReportingRule, checkCandidate, DEFAULT_SEARCH, GAIN_ROW_FLOOR, type Equilibrium, type EquilibriumSearch, type Role, type SearchOptions } from './equilibrium.js';
import { designPieces } from './planner.js';
import { MAX_PIECE_TYPES, MAX_PIECE_TYPES_HARD } from './pieces.js';
import { bilinearScalar, maxWelfareOnSegment, segmentSet, type SegmentFace, type SegmentSet } from './segmentFace.js';
import { certifyFace, CONFIRMED_NODES, type FaceRelaxation } from './certifyFace.js';
import { maximiseOnFace, type FaceMax, type FaceObjective } from './boundFace.js';
import { faceHoldsAt, optimalFaceOf, tightFaceRows, zeroFaceColumns, type OptimalFace } from './optimalFace.js';
import { patternMayHaveEquilibrium } from './patternGate.js';
import { VectorMap } from './vectorMap.js';
import { HullLimitError, HullOracleError } from '../geometry/hull3.js';

/**
 * Default limits of the exact search (types: piece enumeration, 3^N patterns; pieces and faces: LP count). A
 * scenario may raise the types and faces limits (`equilibriumSearch`, up to MAX_SEARCH_TYPES_HARD and
 * MAX_SEARCH_FACES_HARD): the search stays exact, only slower (docs/intermediation.md, "Larger markets").
 */
export const MAX_SEARCH_TYPES = MAX_PIECE_TYPES;
export const MAX_SEARCH_TYPES_HARD = MAX_PIECE_TYPES_HARD;
export const MAX_SEARCH_PIECES = 64;
/**
 * Interior records within BOUNDARY_BAND·max q̄ of 0 or q̄(ω) count as on the boundary of the pattern's box (10×
 * the 1e-9 relaxation of the face LPs): such points are closures of another pattern's set.
 */
export const BOUNDARY_BAND = 1e-8;

/** The band of each type: BOUNDARY_BAND·max q̄, but at most 1e-3·q̄(ω), so that a tiny mass keeps an interior. */
export function boundaryBand(qBar: number[]): number[] {
  const scale = Math.max(...qBar);
  return qBar.map((m) => Math.min(BOUNDARY_BAND * scale, 1e-3 * m));
}

/**
 * A point of the pattern's open box (every interior type strictly between its band and q̄ − band) standing for q:
 * q itself, or, on a homogeneous slice (where a point stands for its ray), q if it is inside the box and otherwise
 * the point λq of the ray at the geometric middle of the admissible λ. Null when there is none: q then belongs to
 * another pattern's closure.
 */
function interiorPoint(q: number[], I: number[], qBar: number[], band: number[], homogeneous: boolean): number[] | null {
  if (!homogeneous) return I.every((w) => q[w] > band[w] && q[w] < qBar[w] - band[w]) ? q : null;
  if (I.some((w) => !(q[w] > 0))) return null;
  const lo = Math.max(...I.map((w) => band[w] / q[w]));
  const hi = Math.min(...I.map((w) => (qBar[w] - band[w]) / q[w]));
  if (!(lo < hi)) return null;
  // not an end of the admissible λ, which would sit on the band: the middle (the geometric one put a one-type cone,
  // λ ∈ (1e-8, 1), at 1e-4·q̄ — review)
  const lambda = lo < 1 && 1 < hi ? 1 : (lo + hi) / 2;
  return q.map((x, w) => (I.includes(w) ? lambda * x : x));
}
/**
 * The set a point z of a homogeneous slice stands for: the ray λz, 0 < λ ≤ min_I q̄(ω)/z(ω) (clipped by the box). Its
 * interior types' extents run from 0; W ≡ 0 on it (no full type: at any equilibrium ⟨p, q⟩ = V(q), so
 * W = Σ_sold q(G − r̄), and G = r̄ for interior types).
 */
export function rayRegion(z: number[], I: number[], F: number[], qBar: number[]): NonNullable<Equilibrium['region']> {
  const top = Math.min(...I.map((w) => qBar[w] / z[w]));
  return { types: I, lower: I.map(() => 0), upper: I.map((w) => Math.min(qBar[w], top * z[w])), pieces: F, welfareMin: 0, segment: { from: z, to: z, cone: true, welfareBound: 0 } };
}

/**
 * Boxes of the certificate tried on a bilinear face before its extremes are computed (their infeasibility is
 * confirmed without presolve: certifyFace.ts CONFIRMED_NODES).
 */
export const QUICK_CERTIFY_NODES = CONFIRMED_NODES;
/** Face LPs (pattern × face) before the search gives up. */
export const MAX_SEARCH_FACES = 20000;
export const MAX_SEARCH_FACES_HARD = 10_000_000;

/** The face-LP limit that goes with a types limit: MAX_SEARCH_FACES, ×4 per type beyond MAX_SEARCH_TYPES (3^N patterns, and more pieces of V). */
export function defaultMaxFaces(maxTypes: number): number {
  return Math.min(MAX_SEARCH_FACES_HARD, MAX_SEARCH_FACES * 4 ** Math.max(0, maxTypes - MAX_SEARCH_TYPES));
}

/** Thrown when the exact search would exceed a limit; the checker turns it into an InputError. */
export class SearchLimitError extends Error {
  constructor(
    readonly limit: 'types' | 'pieces' | 'faces',
    readonly value: number,
    readonly max: number,
  ) {
    super(`exact equilibrium search: ${value} ${limit} exceeds the limit of ${max}`);
    this.name = 'SearchLimitError';
  }
}

export interface ExactSearchInfo {
  method: 'pieces';
  patterns: number;
  /** Patterns ruled out by their relaxation LP (patternGate.ts) before any face. */
  gatedPatterns: number;
  /** Segment faces skipped because a larger face (one more active piece) is the same segment. */
  dominatedFaces: number;
  pieces: number;
  faces: number;
  /** Face LPs that were linear (cells and faces where the interior types' prices are fixed). */
  linearFaces: number;
  /** Faces where q is pinned to one point (checked by `checkCandidate`). */
  pointFaces: number;
  /**
   * Positive-dimensional faces with bilinear conditions not settled exactly (not exact): reported with the outer box
   * of a branch and bound that stopped short of its tolerance, or searched by grid + bisection.
   */
  bilinearFaces: number;
  /** Bilinear faces that are segments with two pieces, solved exactly by the lift of `segmentFace.ts`. */
  liftedFaces: number;
  /** Points of lifted faces where the arithmetic verdict and the fixed-q LP (`checkCandidate`) disagree. */
  liftMismatches: number;
  /** Other bilinear faces certified by branch and bound to carry no equilibrium (certifyFace.ts). */
  certifiedFaces: number;
  /** Other bilinear faces that carry equilibria, with exact extents and welfare range by branch and bound (boundFace.ts). */
  boundedFaces: number;
  /** Faces whose bilinear types all have constant records there (hence linear; counted in linearFaces too). */
  fixedBilinearFaces: number;
  /** Reported points whose re-check by `checkCandidate` failed (off-path surplus not constant on the face). */
  offPathMismatches: number;
  /**
   * Off-path surpluses the search took without a selection face proving the limit ε → 0+ (participation.ts: the
   * value repeated at ε/1000, a check, not a proof); the search is then not exact. 0 on every fuzz run so far.
   */
  offPathUnproven: number;
  /**
   * Fixed-q checks whose LP the solver could not decide at any tolerance (HiGHS "unknown" after its retries,
   * docs/numerics.md): counted as "not an equilibrium there" instead of ending the search; the search is then not exact.
   */
  solverFailures: number;
}

interface Slice {
  roles: Role[];
  I: number[];
  /** q with the fixed coordinates set (interior coordinates 0). */
  fixed: number[];
  /**
   * Lower bound on Σ_I q. With a full type, 1e-9·max q̄ (only excludes faces touching q_I = 0). Without one the
   * slice is homogeneous: V, P_q, the consumer conditions (multiplied by q(ω)) and the off-path surpluses are
   * invariant under q → s·q, so the equilibrium set is a cone ∩ box; every ray of it reaches Σ_I q ≥ min_I q̄
   * inside the box, so η = min_I q̄(ω) loses no ray and keeps the tolerances relative to q meaningful.
   */
  eta: number;
}

const relEq = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, scale);

/** Columns: q_I (|I|), μ_F (|F|), X (M·N). */
function faceLp(
  game: PricingGame,
  qBar: number[],
  rbar: number,
  s: Slice,
  G: number[][],
  F: number[],
  offPath: number[] | null,
  tol: number,
  fixedQ: ReadonlyMap<number, number> = new Map(),
  face: OptimalFace | null = null,
): { lp: LinearProgram; nI: number; nF: number; bilinear: number[] } {
  const N = game.types.length;
  const M = game.fees.length;
  const nI = s.I.length;
  const nF = F.length;
  const xOff = nI + nF;
  const nCols = xOff + M * N;
  const g0 = G[F[0]];
  const rows: LpRow[] = [];
  const qIdx = (w: number) => s.I.indexOf(w);
  const scale = Math.max(1, ...qBar);
  const t = tol * scale;
  // gain rows are divided by records in units of the power of two nearest the largest mass (at least GAIN_ROW_FLOOR),
  // so that q̄ and 2q̄ give the same LP up to the scaling of X and q (and the same vertex among ties — units.test.ts)
  const unit = powerOfTwoNear(Math.max(...qBar));
  const divisor = (x: number) => Math.max(x / unit, GAIN_ROW_FLOOR);
  // resource rows Σ_a X(a,ω) − q(ω) = fixed(ω)
  for (let w = 0; w < N; w++) {
    const indices = game.fees.map((_, a) => xOff + a * N + w);
    const values = indices.map(() => 1);
    if (qIdx(w) >= 0) {
      indices.push(qIdx(w));
      values.push(-1);
    }
    rows.push({ indices, values, lower: s.fixed[w], upper: s.fixed[w] });
  }
  // on the optimal face of g0 (optimalFace.ts) the rows with a positive multiplier are tight
  // (with the same tolerance t as the optimality row below: an exact equality among rows that carry 1e-9 emptied a
  // genuine set about 1e-10 wide in q — review; the columns below stay exact, they are what pins a tiny type)
  rows.push(...tightFaceRows(obedienceRows(game, xOff), face, t));
  const lin = (g: number[], coef = 1) => {
    // ⟨g, q⟩ = Σ_I g(ω) q(ω) + const
    const indices: number[] = [];
    const values: number[] = [];
    let c = 0;
    for (let w = 0; w < N; w++) {
      if (qIdx(w) >= 0) {
        if (g[w] !== 0) {
          indices.push(qIdx(w));
          values.push(coef * g[w]);
        }
      } else c += coef * g[w] * s.fixed[w];
    }
    return { indices, values, c };
  };
  // optimality Σ vX ≥ ⟨g0, q⟩
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  {
    const l = lin(g0, -1);
    rows.push({ indices: [...v.map((_, j) => xOff + j), ...l.indices], values: [...v, ...l.values], lower: -l.c - t, upper: Infinity });
  }
  // face: ⟨g_k − g0, q⟩ = 0 (k ∈ F), ⟨g_h − g0, q⟩ ≥ 0 (h ∉ F)
  G.forEach((g, h) => {
    if (h === F[0]) return;
    const d = g.map((x, w) => x - g0[w]);
    const l = lin(d);
    if (F.includes(h)) rows.push({ indices: l.indices, values: l.values, lower: -l.c, upper: -l.c });
    else rows.push({ indices: l.indices, values: l.values, lower: -l.c, upper: Infinity });
  });
  rows.push({ indices: F.map((_, i) => nI + i), values: F.map(() => 1), lower: 1, upper: 1 });
  // Σ_I q ≥ η: faces that meet the slice only at q_I = 0 carry no interior point (see `slack`)
  rows.push({ indices: s.I.map((_, i) => i), values: s.I.map(() => 1), lower: s.eta, upper: Infinity });
  const bilinear: number[] = [];
  const uCols = (w: number) => ({ indices: game.fees.map((_, a) => xOff + a * N + w), values: game.fees.map((a) => consumerSurplus(a, game.types[w])) });
  s.roles.forEach((role, w) => {
    if (role === 'interior') {
      const varies = F.some((k) => !relEq(G[k][w], g0[w], Math.abs(g0[w])));
      const c = fixedQ.get(w);
      if (varies && c !== undefined) {
        // q(ω) = c on the whole face: c·p(ω) + U_X(ω) = r̄ c (± tol·c) is linear in (μ, X); divided by c (at least
        // GAIN_ROW_FLOOR), so that the solver's own tolerance is one on G, as in the fixed-q check
        const u = uCols(w);
        const d = divisor(c);
        const row = { indices: [...u.indices, ...F.map((_, i) => nI + i)], values: [...u.values.map((x) => x / d), ...F.map((k) => (c / d) * G[k][w])] };
        rows.push({ ...row, lower: (rbar - tol) * (c / d), upper: (rbar + tol) * (c / d) });
        return;
      }
      if (varies) {
        bilinear.push(w);
        return;
      }
      // |G(ω) − r̄| ≤ tol, multiplied by q(ω): the tolerance scales with q(ω) (an absolute one would let any
      // tiny q(ω) pass); divided by q̄(ω) (at least GAIN_ROW_FLOOR), so that the solver's own tolerance is one on
      // G·q(ω)/q̄(ω), not on q(ω)·G (a type of mass 2e-6 passed 1e-4 short of r̄ — review)
      const u = uCols(w);
      const d = divisor(qBar[w]);
      const uu = u.values.map((x) => x / d);
      rows.push({ indices: [...u.indices, qIdx(w)], values: [...uu, (g0[w] - rbar + tol) / d], lower: 0, upper: Infinity });
      rows.push({ indices: [...u.indices, qIdx(w)], values: [...uu, (g0[w] - rbar - tol) / d], lower: -Infinity, upper: 0 });
    } else if (role === 'full') {
      // G(ω) ≥ r̄ − tol: q̄(ω)·G(ω) divided by q̄(ω) (at least GAIN_ROW_FLOOR), as in the fixed-q check — with the
      // absolute t on q̄·G a type of mass 2e-6 passed 5e-4 short of r̄, which the check then rejected (review: the
      // search counted a mismatch and was not exact)
      const u = uCols(w);
      const d = divisor(qBar[w]);
      rows.push({ indices: [...u.indices, ...F.map((_, i) => nI + i)], values: [...u.values.map((x) => x / d), ...F.map((k) => (qBar[w] / d) * G[k][w])], lower: (rbar - tol) * (qBar[w] / d), upper: Infinity });
    } else if (offPath) {
      rows.push({ indices: F.map((_, i) => nI + i), values: F.map((k) => G[k][w]), lower: -Infinity, upper: rbar - offPath[w] + t });
    }
  });
  const colLower = new Array<number>(nCols).fill(0);
  const colUpper = new Array<number>(nCols).fill(Infinity);
  s.I.forEach((w, i) => (colUpper[i] = qBar[w]));
  // ... and the columns with a positive reduced cost are 0: platform optimality without the 1e-9 slack of the row
  // above, which let a type with few records buy another treatment (its surplus drifting by ~1e-9/q(ω))
  zeroFaceColumns(colUpper, face, xOff);
  return { lp: { sense: 'max', cost: new Array<number>(nCols).fill(0), colLower, colUpper, rows }, nI, nF, bilinear };
}

/** The face ∩ slice in q alone: the face LP without consumer conditions (its last row is Σ_I q ≥ η). */
function faceOnlyLp(game: PricingGame, qBar: number[], s: Slice, G: number[][], F: number[]): LinearProgram {
  const roles = s.roles.map(() => 'zero' as Role);
  // zero roles without off-path rows: no consumer conditions at all
  return faceLp(game, qBar, 0, { ...s, roles }, G, F, null, 0).lp;
}

/**
 * A point of lp (columns q_I first) whose least distance to the open box band < q(ω) < q̄ − band of the interior
 * types is largest (one more column, that distance), or null where it has none inside the box. On a homogeneous
 * slice only the lower side counts (a point stands for its ray, scaled into the box: `interiorPoint`).
 */
function deepestPoint(solver: LpSolver, lp: LinearProgram, I: number[], qBar: number[], band: number[], homogeneous: boolean): Float64Array | null {
  const n = lp.cost.length;
  const rows = [...lp.rows];
  I.forEach((w, i) => {
    rows.push({ indices: [i, n], values: [1, -1], lower: band[w], upper: Infinity });
    if (!homogeneous) rows.push({ indices: [i, n], values: [1, 1], lower: -Infinity, upper: qBar[w] - band[w] });
  });
  const x = trySolve(solver, { sense: 'max', cost: [...new Array<number>(n).fill(0), 1], colLower: [...lp.colLower, -Infinity], colUpper: [...lp.colUpper, Infinity], rows });
  return x && x[n] > 0 ? x.subarray(0, n) : null;
}

function trySolve(solver: LpSolver, lp: LinearProgram, options?: SolveOptions): Float64Array | null {
  return solveOrNull(solver, lp, options)?.x ?? null;
}

/** Infeasible rules a face out: confirmed without presolve (SolveOptions.confirmInfeasible). */
const CERTIFYING = { confirmInfeasible: true } as const;

function patterns(qBar: number[]): Role[][] {
  const free = qBar.map((m, k) => (m > 0 ? k : -1)).filter((k) => k >= 0);
  const out: Role[][] = [];
  const total = 3 ** free.length;
  for (let code = 0; code < total; code++) {
    const roles: Role[] = qBar.map(() => 'zero');
    let c = code;
    for (const k of free) {
      roles[k] = (['zero', 'full', 'interior'] as const)[c % 3];
      c = Math.floor(c / 3);
    }
    out.push(roles);
  }
  return out;
}

export interface ExactSearchOptions {
  /** Grid points on a bilinear face segment (then bisection). */
  gridPoints: number;
  /** Solve segment faces with two pieces exactly (default); false searches them on the grid (tests compare). */
  liftSegments?: boolean;
  /** Try to certify other bilinear faces empty before the grid (default); false skips it (tests compare). */
  certify?: boolean;
  /** Bound the equilibria of a bilinear face the certificate finds one on (default); false sends it to the grid. */
  boundFaces?: boolean;
  /** Treat bilinear types with constant records on a face as linear (default); false leaves them bilinear. */
  fixConstant?: boolean;
  /** Rule out patterns by one relaxation LP before their faces (default); false enumerates every pattern's faces. */
  gate?: boolean;
  /** Linear faces restricted to the platform-optimal face by complementary slackness (default true; optimalFace.ts). */
  optimalFaces?: boolean;
  /** Most types searched (default MAX_SEARCH_TYPES, at most MAX_SEARCH_TYPES_HARD). */
  maxTypes?: number;
  /** Most face LPs (default `defaultMaxFaces(maxTypes)`). */
  maxFaces?: number;
  /** Called after each participation pattern with (patterns done, patterns in all). */
  onProgress?: (done: number, total: number) => void;
  /** Called with every lifted segment face and its set S (diagnostics and tests). */
  onLift?: (face: SegmentFace, set: SegmentSet) => void;
}

/**
 * Every equilibrium of the pattern/face decomposition above. Returns the equilibria (one representative per
 * face set, with `continuum`/`region` extents) and what the search did.
 */
export function exactEquilibria(solver: LpSolver, game: PricingGame, qBar: number[], rbar: number, opts: ExactSearchOptions = { gridPoints: 16 }): { equilibria: Equilibrium[]; info: ExactSearchInfo } {
  const N = game.types.length;
  const maxTypes = Math.min(opts.maxTypes ?? MAX_SEARCH_TYPES, MAX_SEARCH_TYPES_HARD);
  const maxFaces = Math.min(opts.maxFaces ?? defaultMaxFaces(maxTypes), MAX_SEARCH_FACES_HARD);
  if (N > maxTypes) throw new SearchLimitError('types', N, maxTypes);
  const G = designPieces(solver, game, maxTypes).gradients;
  if (G.length > MAX_SEARCH_PIECES) throw new SearchLimitError('pieces', G.length, MAX_SEARCH_PIECES);
  const scale = Math.max(...qBar);
  const band = boundaryBand(qBar);
  const info: ExactSearchInfo = { method: 'pieces', patterns: 0, gatedPatterns: 0, dominatedFaces: 0, pieces: G.length, faces: 0, linearFaces: 0, pointFaces: 0, bilinearFaces: 0, liftedFaces: 0, liftMismatches: 0, certifiedFaces: 0, boundedFaces: 0, fixedBilinearFaces: 0, offPathMismatches: 0, offPathUnproven: 0, solverFailures: 0 };
  const unprovenBefore = offPathUnprovenCount();
  const out: Equilibrium[] = [];
  const verify = (q: number[], roles: Role[]): Equilibrium | null => {
    try {
      return checkCandidate(solver, game, q, rbar, roles, scale);
    } catch (e) {
      // one undecidable point (seen on a grid point of a bilinear face) must not end the whole search
      if (!(e instanceof LpSolverError)) throw e;
      info.solverFailures++;
      return null;
    }
  };
  // the optimal face of each piece, for the linear faces (optimalFace.ts); null leaves the row alone
  const faces = new Map<number, OptimalFace | null>();
  const faceOf = (k: number): OptimalFace | null => {
    if (opts.optimalFaces === false) return null;
    if (!faces.has(k)) faces.set(k, optimalFaceOf(solver, game, G[k]));
    return faces.get(k) ?? null;
  };

  const all = patterns(qBar);
  for (const roles of all) {
    if (info.patterns > 0) opts.onProgress?.(info.patterns, all.length);
    info.patterns++;
    const I = roles.map((r, w) => (r === 'interior' ? w : -1)).filter((w) => w >= 0);
    const fixed = roles.map((r, w) => (r === 'full' ? qBar[w] : 0));
    if (I.length === 0) {
      const e = verify(fixed, roles);
      if (e) push(out, e);
      continue;
    }
    const homogeneous = !roles.includes('full');
    const offLower = offPathLowerBound(game, roles);
    // one relaxation LP for the whole pattern: most patterns carry no equilibrium and need no face enumeration
    if (opts.gate !== false && !patternMayHaveEquilibrium(solver, game, qBar, rbar, roles, G, band, offLower)) {
      info.gatedPatterns++;
      continue;
    }
    const s: Slice = { roles, I, fixed, eta: homogeneous ? Math.min(...I.map((w) => qBar[w])) : 1e-9 * scale };
    const qOf = (x: ArrayLike<number>) => fixed.map((v, w) => (I.includes(w) ? Math.min(qBar[w], Math.max(0, x[I.indexOf(w)])) : v));
    // depth-first over face sets F (closed under subsets), in increasing piece order
    const stack: number[][] = G.map((_, k) => [k]);
    while (stack.length) {
      const F = stack.pop() as number[];
      if (++info.faces > maxFaces) throw new SearchLimitError('faces', info.faces, maxFaces);
      const probe = trySolve(solver, faceOnlyLp(game, qBar, s, G, F), CERTIFYING);
      if (!probe) continue;
      for (let h = F[F.length - 1] + 1; h < G.length; h++) stack.push([...F, h]);
      let built = faceLp(game, qBar, rbar, s, G, F, offLower, 1e-9);
      // most bilinear faces carry no equilibrium: the root box of the certificate (McCormick relaxation on the
      // whole band, one LP) settles them before the constant-record test, the face's extremes, the lift or the
      // full certificate are computed
      if (built.bilinear.length && opts.certify !== false && certifyBilinear(solver, { game, qBar, rbar, s, G, F, B: built.bilinear, band, scale }, null, () => false, 1) === 'empty') {
        info.certifiedFaces++;
        continue;
      }
      // a bilinear type whose records are constant on the face has a linear condition there (not on a homogeneous
      // slice: there records scale along rays)
      const fixedQ = built.bilinear.length && !homogeneous && opts.fixConstant !== false ? constantRecords(solver, faceOnlyLp(game, qBar, s, G, F), I, built.bilinear, scale) : new Map<number, number>();
      if (built.bilinear.length && fixedQ.size === built.bilinear.length) {
        info.fixedBilinearFaces++;
        built = faceLp(game, qBar, rbar, s, G, F, offLower, 1e-9, fixedQ);
      }
      if (built.bilinear.length === 0) {
        info.linearFaces++;
        // the face must keep a design where its piece is active (the probe's point), else the slack row (faceHoldsAt)
        const f0 = faceOf(F[0]);
        const face = f0 && faceHoldsAt(solver, game, qOf(probe), f0) ? f0 : null;
        built = faceLp(game, qBar, rbar, s, G, F, offLower, 1e-9, fixedQ, face);
        // U_off at its lower bound and the 1e-9 relaxation: this LP contains both attempts below, so when it is
        // infeasible the face carries no equilibrium and the off-path surpluses (one design LP each) are not needed
        if (!trySolve(solver, built.lp, CERTIFYING)) continue;
        // U_off at a point of that LP's set as far inside the pattern's open box as it goes, not at the probe: a vertex
        // of the face, often on the box's boundary, where U_off can differ from inside (types 1, 3.5, 4, γ = (1, 0),
        // q̄ = (0.43, 0.23, 0.63), r̄ = 1: U_off(4) = 0.5 at the probe (0, 0.23, 0) — no type-1 segment to pool with —
        // and 3 wherever q(1) > 0; the set found with 0.5 failed its re-checks, and the search was not exact)
        const q0 = qOf((roles.includes('zero') ? deepestPoint(solver, built.lp, I, qBar, band, homogeneous) : null) ?? probe);
        const offPath = q0.map((x, w) => (roles[w] === 'zero' ? offPathSurplus(solver, game, q0, w, scale) : NaN));
        built = faceLp(game, qBar, rbar, s, G, F, offPath, 0, fixedQ, face);
        let x = trySolve(solver, withWelfare(game, qBar, rbar, s, G, F, built.lp));
        if (!x) {
          built = faceLp(game, qBar, rbar, s, G, F, offPath, 1e-9, fixedQ, face);
          x = trySolve(solver, withWelfare(game, qBar, rbar, s, G, F, built.lp));
        }
        if (!x) continue;
        const lp = built.lp;
        const lower: number[] = [];
        const upper: number[] = [];
        const ends: number[][] = [];
        I.forEach((_, i) => {
          const c = new Array<number>(lp.cost.length).fill(0);
          c[i] = 1;
          const hi = trySolve(solver, { ...lp, cost: c, sense: 'max' });
          const lo = trySolve(solver, { ...lp, cost: c, sense: 'min' });
          lower.push(lo ? lo[i] : x[i]);
          upper.push(hi ? hi[i] : x[i]);
          if (lo) ends.push(qOf(lo));
          if (hi) ends.push(qOf(hi));
        });
        // the welfare-best point inside the pattern's open box (the LP's optimum x may lie on the band: a point of
        // another pattern, reported there), else x, else the centroid of the extent points (the set is convex: the
        // centroid lies in it, and off the box boundary whenever the set has relative-interior points inside)
        const W = withWelfare(game, qBar, rbar, s, G, F, lp);
        const inside = homogeneous ? null : trySolve(solver, { ...W, colLower: W.colLower.map((v, j) => (j < I.length ? Math.max(v, band[I[j]] * (1 + 1e-6)) : v)), colUpper: W.colUpper.map((v, j) => (j < I.length ? Math.min(v, qBar[I[j]] - band[I[j]] * (1 + 1e-6)) : v)) });
        const centroid = ends.length ? ends[0].map((_, w) => ends.reduce((acc, q) => acc + q[w], 0) / ends.length) : qOf(x);
        const interior = (q: number[]) => interiorPoint(q, I, qBar, band, homogeneous);
        // a set within the band of q(ω) ∈ {0, q̄(ω)} for an interior type is a tolerance sliver of another
        // pattern's closure (the face LP is retried with a 1e-9 relaxation), not an equilibrium of this pattern.
        // Not the upper band on a homogeneous slice: there the set is the cone over the η-section, which reaches
        // below q̄ along every ray (with one interior type, η = q̄(ω) pins the section to q̄ itself, and every such
        // set was dropped here: test/intermediation/fullDisclosure.test.ts)
        if (I.some((w, i) => upper[i] <= band[w] || (!homogeneous && lower[i] >= qBar[w] - band[w]))) continue;
        // points with an interior type on its box boundary are reported by the pattern they belong to
        const candidates = [...(inside ? [qOf(inside)] : []), qOf(x), centroid].map(interior).filter((q): q is number[] => q !== null);
        const rep = candidates.reduce<Equilibrium | null>((found, q) => found ?? verify(q, roles), null);
        if (!rep) {
          // a set lying on q(ω) ∈ {0, q̄(ω)} for an interior type is the closure of another pattern's set
          if (interior(centroid)) info.offPathMismatches++;
          continue;
        }
        const extended = homogeneous || upper.some((u, i) => u - lower[i] > 1e-12 * Math.max(1, scale));
        if (extended) {
          for (const q of ends) if (interior(q) && !verify(q, roles)) info.offPathMismatches++;
          // a homogeneous slice's set is a cone: its closure reaches q_I = 0
          if (homogeneous) lower.fill(0);
          // the least welfare over the set (efficiency of every equilibrium, not only of the reported one)
          const xMin = trySolve(solver, { ...W, sense: 'min' });
          // (unknown — absent — if that LP fails: never the optimistic reported value). On a homogeneous slice (no
          // full type) W ≡ 0: at any equilibrium ⟨p, q⟩ = V(q), so W = Σ_sold q(G − r̄), and G = r̄ for interior types
          const welfareMin = homogeneous ? 0 : xMin ? Math.min(faceWelfare(W, xMin, s, G[F[0]], qBar, rbar), rep.welfare) : undefined;
          rep.region = { types: I, lower, upper, pieces: F, ...(welfareMin !== undefined ? { welfareMin } : {}) };
          if (I.length === 1) rep.continuum = { type: I[0], from: lower[0], to: upper[0] };
        }
        push(out, rep);
        continue;
      }
      // most bilinear faces carry no equilibrium: a few boxes of the certificate on the whole band settle them
      // before the face's extremes, the lift or the full certificate are computed
      const quick = opts.certify === false ? 'unresolved' : certifyBilinear(solver, { game, qBar, rbar, s, G, F, B: built.bilinear, band, scale }, null, (q) => verify(qOf(q), roles) !== null, QUICK_CERTIFY_NODES);
      if (quick === 'empty') {
        info.certifiedFaces++;
        continue;
      }
      // bilinear interior types: is the face a single point of the slice (a single ray if homogeneous)?
      const base = faceOnlyLp(game, qBar, s, G, F);
      if (homogeneous) base.rows[base.rows.length - 1].upper = s.eta;
      const ext: Array<{ lo: number[]; hi: number[]; span: number; solved: boolean }> = I.map((_, i) => {
        const c = new Array<number>(base.cost.length).fill(0);
        c[i] = 1;
        const loX = trySolve(solver, { ...base, cost: c, sense: 'min' });
        const hiX = trySolve(solver, { ...base, cost: c, sense: 'max' });
        const lo = qOf(loX ?? probe);
        const hi = qOf(hiX ?? probe);
        return { lo, hi, span: hi[I[i]] - lo[I[i]], solved: loX !== null && hiX !== null };
      });
      const widest = ext.reduce((a, b) => (b.span > a.span ? b : a));
      if (widest.span <= 1e-12 * Math.max(1, scale)) {
        info.pointFaces++;
        const z = interiorPoint(widest.lo, I, qBar, band, homogeneous);
        if (!z) continue; // another pattern's point
        const e = verify(z, roles);
        if (!e) continue;
        // on a homogeneous slice the point stands for its ray (the conditions are invariant under q → λq there, as long
        // as no interior type leaves (0, q̄)): reported as the cone over a segment of length 0, as lifted faces report
        // theirs (review: types 1, 2, 3, γ = (2, 0), q̄ = (0.09, 0.9, 0.84), r̄ = 2 — every (0, s, 2s), 0 < s < 0.42 —
        // was reported as the point (0, 0.28, 0.56) alone, nothing saying it stood for more)
        if (homogeneous) e.region = rayRegion(z, I, F, qBar);
        if (homogeneous && I.length === 1) e.continuum = { type: I[0], from: 0, to: qBar[I[0]] };
        push(out, e);
        continue;
      }
      // a segment whose price differences are rank one on the moving interior types (always so with two pieces):
      // exact (segmentFace.ts)
      if (opts.liftSegments !== false && bilinearScalar({ roles, gs: F.map((k) => G[k]), lo: widest.lo, hi: widest.hi }) && isSegment(solver, base, I, ext.indexOf(widest), widest, scale)) {
        // a piece outside F active at both ends is active on the whole segment: the face of F ∪ {h} is the same
        // segment with more prices, so it holds every equilibrium of this one (it is enumerated too) — and the
        // fixed-q check, which sees all of ∂V(q), would count those as mismatches of this face's lift
        // (only when that larger face is lifted exactly too, and its own face LP confirms it: otherwise this face's
        // exact lift is kept, and the larger face goes to the certificate or the grid)
        const g0 = G[F[0]];
        const activeAt = (q: number[], h: number) => Math.abs(G[h].reduce((acc, x, w) => acc + (x - g0[w]) * q[w], 0)) <= 1e-9 * Math.max(1, scale) * Math.max(1, ...G[h].map(Math.abs));
        const extra = G.map((_, h) => h).filter((h) => !F.includes(h) && activeAt(widest.lo, h) && activeAt(widest.hi, h));
        const Fstar = [...F, ...extra].sort((x, y) => x - y);
        if (extra.length && bilinearScalar({ roles, gs: Fstar.map((k) => G[k]), lo: widest.lo, hi: widest.hi }) && trySolve(solver, faceOnlyLp(game, qBar, s, G, Fstar))) {
          info.dominatedFaces++;
          continue;
        }
        const lifted = liftedSegment(solver, game, qBar, rbar, roles, I, homogeneous, F.map((k) => G[k]), widest, scale, verify, opts.onLift);
        if (lifted) {
          info.liftedFaces++;
          info.liftMismatches += lifted.mismatches;
          for (const e of lifted.equilibria) {
            if (e.region) e.region.pieces = F;
            push(out, e);
          }
          continue;
        }
      }
      // otherwise: certify by branch and bound that the face carries no equilibrium (certifyFace.ts)
      if (opts.certify !== false) {
        // the extremes narrow the certificate's box only when every one of them was solved (a fallback point
        // would narrow it unsoundly)
        const extremes = ext.every((e) => e.solved) ? { lo: ext.map((e, i) => e.lo[I[i]]), hi: ext.map((e, i) => e.hi[I[i]]) } : null;
        // an equilibrium the certificate finds is reported (on a face that is not a segment the grid below, which
        // runs along one segment of the face, can miss it)
        const hits: Equilibrium[] = [];
        const keep = (qI: number[]) => {
          const e = verify(qOf(qI), roles);
          // reported only off the band (on a homogeneous slice, as the point of its ray inside the box)
          const z = e ? interiorPoint(qOf(qI), I, qBar, band, homogeneous) : null;
          const r = z ? verify(z, roles) : null;
          if (r) hits.push(r);
          return e !== null;
        };
        const cert = certifyBilinear(solver, { game, qBar, rbar, s, G, F, B: built.bilinear, band, scale }, extremes, keep);
        if (cert === 'empty') {
          info.certifiedFaces++;
          continue;
        }
        // the face's exact extents and welfare range by branch and bound over the prices (boundFace.ts): also where the
        // certificate gave up — a set pinned to a point of the prices, which its boxes of (q, μ) do not reach
        // the branch and bound meets the same points again (each objective restarts at the best points so far)
        const checked = new VectorMap<{ e: Equilibrium | null }>();
        const verifyOnce = (qI: number[]) => {
          const hit = checked.get(qI) ?? { e: verify(qOf(qI), roles) };
          checked.set(qI, hit);
          return hit.e && { ...hit.e };
        };
        const bounded = opts.boundFaces !== false ? boundedFace(solver, { game, qBar, rbar, s, G, F, B: built.bilinear, band, scale }, extremes, verifyOnce) : null;
        if (bounded === 'empty') {
          info.certifiedFaces++;
          continue;
        }
        if (bounded) {
          // a branch and bound that stopped short of its tolerance leaves an outer box: reported, but not exact
          if (bounded.exact) info.boundedFaces++;
          else info.bilinearFaces++;
          push(out, bounded.entry);
          continue;
        }
        for (const e of hits) push(out, e);
      }
      info.bilinearFaces++;
      for (const e of scanSegment(widest.lo, widest.hi, (q) => verify(q, roles), opts.gridPoints)) {
        // as everywhere: a point with an interior type on the band is another pattern's (its closure), reported there
        const z = interiorPoint(e.records, I, qBar, band, homogeneous);
        const r = z === e.records ? e : z ? verify(z, roles) : null;
        if (r) push(out, r);
      }
    }
  }
  opts.onProgress?.(all.length, all.length);
  out.sort(byReportingRule);
  info.offPathUnproven = offPathUnprovenCount() - unprovenBefore;
  return { equilibria: out, info };
}

/**
 * The bilinear types whose records are the same at every point of the face (min = max of q(ω) over the q-only
 * face LP), with that value; there q(ω)·p(ω) is linear. Empty unless every bilinear type is constant.
 */
function constantRecords(solver: LpSolver, lp: LinearProgram, I: number[], B: number[], scale: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const w of B) {
    const i = I.indexOf(w);
    const cost = new Array<number>(lp.cost.length).fill(0);
    cost[i] = 1;
    const hi = trySolve(solver, { ...lp, cost, sense: 'max' });
    const lo = trySolve(solver, { ...lp, cost, sense: 'min' });
    if (!hi || !lo || hi[i] - lo[i] > 1e-12 * Math.max(1, scale)) return out;
    out.set(w, (hi[i] + lo[i]) / 2);
  }
  return out;
}


/** A bilinear face of a pattern's slice: the pieces F whose prices differ on the interior types B. */
interface BilinearFace {
  game: PricingGame;
  qBar: number[];
  rbar: number;
  s: Slice;
  G: number[][];
  F: number[];
  B: number[];
  band: number[];
  scale: number;
}

/** The face's coordinate extremes of q_I, when every one was solved. */
type Extremes = { lo: number[]; hi: number[] };

/**
 * Branch and bound on a bilinear face, within the band box (intersected with the face's coordinate extremes when
 * known): 'empty' when every box of (q_I, μ) is certified empty by the McCormick relaxation of the face LP (relaxed
 * by 1e-9, like the linear faces' retry). Unsold types' rows use a lower bound of their off-path surplus, so the
 * relaxation stays valid. Homogeneous slices are normalised (Σ_I q = η), as their face extremes are.
 */
function certifyBilinear(solver: LpSolver, c: BilinearFace, extremes: Extremes | null, check: (qI: number[]) => boolean, maxNodes?: number): 'empty' | 'found' | 'unresolved' {
  const f = faceRelaxation(c, extremes);
  return f ? certifyFace(solver, f, check, maxNodes).verdict : 'empty';
}

/**
 * The McCormick relaxation's data for a bilinear face (certifyFace.ts): the face LP with unsold types' off-path
 * surplus at its lower bound, and the band box of q_I — [band, q̄ − band], widened by `margin` (> 1 keeps the box
 * strictly inside the pattern's open box), intersected with the face's coordinate extremes when known. On a
 * homogeneous slice (Σ_I q = η) every ray with a point in the band box has λ ≤ max q̄·|I|/η on it, so its normalised
 * point has q(ω) > band(ω)·η/(max q̄·|I|). Null when the box is empty.
 */
function faceRelaxation(c: BilinearFace, extremes: Extremes | null, margin = 1): FaceRelaxation | null {
  const { game, qBar, rbar, s, G, F, B, band, scale } = c;
  const { I, roles } = s;
  const homogeneous = !roles.includes('full');
  const qLo = I.map((w, i) => Math.max(homogeneous ? (band[w] * s.eta) / (scale * I.length) : band[w] * margin, extremes ? extremes.lo[i] : 0));
  const qHi = I.map((w, i) => Math.min(homogeneous ? s.eta : qBar[w] - band[w] * margin, extremes ? extremes.hi[i] : Infinity));
  if (qLo.some((x, i) => x > qHi[i])) return null;
  const lp = faceLp(game, qBar, rbar, s, G, F, offPathLowerBound(game, roles), 1e-9).lp;
  if (homogeneous) lp.rows.push({ indices: I.map((_, i) => i), values: I.map(() => 1), lower: -Infinity, upper: s.eta });
  return { game, qBar, rbar, I, B, gF: F.map((k) => G[k]), lp, qLo, qHi };
}

/**
 * A bilinear face that carries an equilibrium (the certificate found one), described as a linear face is
 * (boundFace.ts): each interior type's exact extent over the face's equilibria, the least welfare, and the
 * welfare-best point, which is reported (of the points tied with it, the deepest inside the box). All inside the
 * pattern's open box (widened by 1e-6 relative, as the linear faces' welfare-best point); an extent that reaches the
 * band is reported at 0 or q̄(ω), the set's closure (within the band). A branch and bound that stops short of its
 * tolerance gives its bound: an outer box, `exact` false. Null when one finds no point at all (the face then goes
 * to the grid). Homogeneous slices: `boundedCone`.
 */
function boundedFace(solver: LpSolver, c: BilinearFace, extremes: Extremes | null, verify: (qI: number[]) => Equilibrium | null): BoundedFace | 'empty' | null {
  const { game, qBar, rbar, s, G, F, band, scale } = c;
  const margin = 1 + 1e-6;
  const { I } = s;
  const tolQ = BOUNDARY_BAND * Math.max(1, scale);
  const ends = { qBar, band: band.map((b) => b * margin), tolQ };
  if (!s.roles.includes('full')) return boundedCone(solver, c, margin, ends, verify);
  const f = faceRelaxation(c, extremes, margin);
  if (!f) return null;
  // W in the form without records of interior types: at every equilibrium of the face ⟨p, q⟩ = V(q) and G = r̄ for
  // interior types, so W = Σ_full q̄(ω)(p(ω) + U_X(ω) − r̄), linear in (μ, X). The same value at true points, but its
  // relaxation no longer moves with the relaxed products: with ⟨g_f, q⟩ + Σ uX − r̄ Σ q a face where W ≡ 0.09
  // (types 1, 2, 3, 3.15, 4, fees 1…4, γ = (1.4, 0), r̄ = 2.5) kept bounds of 0.0909 over 400 boxes
  const N = game.types.length;
  const W = { cost: new Array<number>(f.lp.cost.length).fill(0), offset: 0 };
  s.roles.forEach((r, w) => {
    if (r !== 'full') return;
    F.forEach((k, j) => (W.cost[I.length + j] += qBar[w] * G[k][w]));
    game.fees.forEach((a, ai) => (W.cost[I.length + F.length + ai * N + w] += consumerSurplus(a, game.types[w])));
    W.offset -= rbar * qBar[w];
  });
  const tolW = 1e-9 * Math.max(1, scale * Math.max(...f.gF.flat().map(Math.abs)));
  const run = faceRuns(solver, f, verify);
  const unit = (i: number, sign: 1 | -1) => W.cost.map((_, j) => (j === i ? sign : 0));
  // first the welfare-best point: 'empty' there certifies the face (the other objectives have the same feasible set)
  const best = run({ cost: W.cost, offset: W.offset, of: (e) => e.welfare }, tolW);
  if (best === 'empty') return 'empty';
  if (!best) return null;
  const least = run({ cost: W.cost.map((x) => -x), offset: -W.offset, of: (e) => -e.welfare }, tolW);
  if (!least || least === 'empty') return null;
  const lower: number[] = [];
  const upper: number[] = [];
  for (const [i, w] of I.entries()) {
    const hi = run({ cost: unit(i, 1), offset: 0, of: (e) => e.records[w] }, tolQ);
    const lo = run({ cost: unit(i, -1), offset: 0, of: (e) => -e.records[w] }, tolQ);
    if (!hi || !lo || hi === 'empty' || lo === 'empty') return null;
    upper.push(upperEnd(w, hi, ends));
    lower.push(lowerEnd(w, lo, ends));
  }
  // among the points found, those as good as the best (W is often constant on the set: then any point ties, and the
  // first one found could sit on the band — review), the one deepest inside the box
  const points = [...run.points(), ...midpoints(run.points(), I, qBar, verify)].filter((e) => e.welfare >= best.value - tolW);
  const entry = { ...deepest(points.length ? points : [best.point], I, ends) };
  entry.region = { types: I, lower, upper, pieces: F, welfareMin: Math.min(-least.bound, entry.welfare) };
  return { entry, exact: run.finished() };
}

/**
 * A bilinear face's entry: exact when every branch and bound finished; else its extents are the bounds, an outer box
 * of the set (the search then is not exact: `bilinearFaces`).
 */
interface BoundedFace {
  entry: Equilibrium;
  exact: boolean;
}

interface FaceEnds {
  qBar: number[];
  /** The band, widened by the margin: the box's distance from 0 and q̄. */
  band: number[];
  tolQ: number;
}

/** An interior type's largest records: the value found, or its bound when unfinished; q̄ where it reaches the box (the closure's). */
function upperEnd(w: number, r: FaceMax, e: FaceEnds): number {
  if (r.bound >= e.qBar[w] - e.band[w] - e.tolQ) return e.qBar[w];
  return r.finished ? r.value : r.bound;
}

/** The least records from a maximisation of −q(ω): as `upperEnd`, 0 at the box. */
function lowerEnd(w: number, r: FaceMax, e: FaceEnds): number {
  if (-r.bound <= e.band[w] + e.tolQ) return 0;
  return r.finished ? -r.value : -r.bound;
}

/**
 * The equilibria among the midpoints of the points found with each other: where every point found lies on the box's
 * boundary (a segment from band to band, W constant on it), its middle is the point to report (the set need not be
 * convex: each midpoint is checked).
 */
function midpoints(points: readonly Equilibrium[], I: number[], qBar: number[], verify: (qI: number[]) => Equilibrium | null): Equilibrium[] {
  const out: Equilibrium[] = [];
  points.forEach((a, i) => points.slice(i + 1).forEach((b) => {
    const mid = I.map((w) => (a.records[w] + b.records[w]) / 2);
    const e = mid.some((x, k) => Math.abs(x - a.records[I[k]]) > 1e-9 * Math.max(1, ...qBar)) ? verify(mid) : null;
    if (e) out.push(e);
  }));
  return out;
}

/** The point whose least distance to the box's faces (relative to q̄) is largest. */
function deepest(points: readonly Equilibrium[], I: number[], e: FaceEnds): Equilibrium {
  const depth = (p: Equilibrium) => Math.min(...I.map((w) => Math.min(p.records[w] - e.band[w], e.qBar[w] - e.band[w] - p.records[w]) / e.qBar[w]));
  return points.reduce((a, b) => (depth(b) > depth(a) ? b : a));
}

/**
 * The branch and bounds of one face (boundFace.ts), sharing seeds (each objective starts from the best points so far)
 * and the boxes proven infeasible. `points()` lists every best point, `finished()` whether every run finished.
 */
function faceRuns(solver: LpSolver, f: FaceRelaxation, verify: (qI: number[]) => Equilibrium | null) {
  const seeds: Array<{ prices: number[]; q: number[] }> = [];
  const infeasible = new Set<string>();
  const found: Equilibrium[] = [];
  let allFinished = true;
  const run = (objective: FaceObjective, tol: number): FaceMax | 'empty' | null => {
    const r = maximiseOnFace(solver, f, objective, verify, { tol, seeds, infeasible });
    if (r && r !== 'empty') {
      seeds.push({ prices: r.prices, q: f.I.map((w) => r.point.records[w]) });
      found.push(r.point);
      allFinished &&= r.finished;
    }
    return r;
  };
  return Object.assign(run, { points: () => found, finished: () => allFinished });
}

/**
 * `boundedFace` on a homogeneous slice (no full type), where the conditions are invariant under q → λq and the set
 * is a cone: in records, not normalised, its part in the pattern's open box is the cone clipped by that box, so
 * each interior type's largest records are one branch and bound each (the face LP without the normalisation
 * Σ_I q ≥ η). Lower extents are 0 (the cone reaches q = 0) and W ≡ 0 (see the linear faces); the point reported
 * is the deepest inside the open box of the points found.
 */
function boundedCone(solver: LpSolver, c: BilinearFace, margin: number, ends: FaceEnds, verify: (qI: number[]) => Equilibrium | null): BoundedFace | 'empty' | null {
  const { game, qBar, rbar, s, G, F, B, band } = c;
  const { I } = s;
  const lp = faceLp(game, qBar, rbar, { ...s, eta: 0 }, G, F, offPathLowerBound(game, s.roles), 1e-9).lp;
  const f: FaceRelaxation = { game, qBar, rbar, I, B, gF: F.map((k) => G[k]), lp, qLo: I.map((w) => band[w] * margin), qHi: I.map((w) => qBar[w] - band[w] * margin) };
  const run = faceRuns(solver, f, verify);
  const upper: number[] = [];
  for (const [i, w] of I.entries()) {
    const r = run({ cost: lp.cost.map((_, j) => (j === i ? 1 : 0)), offset: 0, of: (e) => e.records[w] }, ends.tolQ);
    // 'empty' on the first objective certifies the face (every objective has the same feasible set)
    if (r === 'empty') return i === 0 ? 'empty' : null;
    if (!r) return null;
    upper.push(upperEnd(w, r, ends));
  }
  const entry = { ...deepest([...run.points(), ...midpoints(run.points(), I, qBar, verify)], I, ends) };
  entry.region = { types: I, lower: I.map(() => 0), upper, pieces: F, welfareMin: 0 };
  return { entry, exact: run.finished() };
}

/**
 * Is the face (the q-only LP `base`, normalised when homogeneous) the segment between the extremes `seg` of
 * coordinate I[i]? Yes iff every other interior coordinate is the affine function of q(I[i]) the segment gives,
 * over the whole face: min and max of the residual are 0 (2(|I| − 1) LPs).
 */
function isSegment(solver: LpSolver, base: LinearProgram, I: number[], i: number, seg: { lo: number[]; hi: number[] }, scale: number): boolean {
  const wi = I[i];
  const di = seg.hi[wi] - seg.lo[wi];
  return I.every((wj, j) => {
    if (j === i) return true;
    const slope = (seg.hi[wj] - seg.lo[wj]) / di;
    const cost = new Array<number>(base.cost.length).fill(0);
    cost[j] = 1;
    cost[i] = -slope;
    const offset = -seg.lo[wj] + slope * seg.lo[wi];
    return (['max', 'min'] as const).every((sense) => {
      const x = trySolve(solver, { ...base, cost, sense });
      return x !== null && Math.abs(x[j] - slope * x[i] + offset) <= 1e-9 * Math.max(1, scale);
    });
  });
}

/**
 * The equilibria of a segment face, exactly (`segmentSet`: two pieces, or more whose price differences are rank one
 * on the moving interior types), as one representative per component
 * of S with the component's extent in `region`. Every cell midpoint's verdict is re-derived by the fixed-q LP
 * (`checkCandidate`, independent of the lift); disagreements are counted. Null when the off-path surplus of an
 * unsold type is not the same at both ends and the middle (the lift takes it as a constant).
 */
function liftedSegment(
  solver: LpSolver,
  game: PricingGame,
  qBar: number[],
  rbar: number,
  roles: Role[],
  I: number[],
  homogeneous: boolean,
  gs: number[][],
  seg: { lo: number[]; hi: number[] },
  scale: number,
  verify: (q: number[], roles: Role[]) => Equilibrium | null,
  onLift?: (face: SegmentFace, set: SegmentSet) => void,
): { equilibria: Equilibrium[]; mismatches: number } | null {
  const at = (s: number) => seg.lo.map((x, w) => x + s * (seg.hi[w] - x));
  const offAt = (q: number[]) => q.map((x, w) => (roles[w] === 'zero' ? offPathSurplus(solver, game, q, w, scale) : 0));
  const offPath = offAt(at(0.5));
  for (const q of [seg.lo, seg.hi]) if (offAt(q).some((u, w) => Math.abs(u - offPath[w]) > 1e-9 * Math.max(1, Math.abs(u)))) return null;
  let set: SegmentSet | null;
  const face: SegmentFace = { game, qBar, rbar, roles, gs, lo: seg.lo, hi: seg.hi, offPath };
  try {
    set = segmentSet(solver, face);
  } catch (e) {
    if (e instanceof HullLimitError || e instanceof HullOracleError) return null;
    throw e;
  }
  if (!set) return null;
  onLift?.(face, set);
  const band = boundaryBand(qBar);
  const inside = (q: number[]) => interiorPoint(q, I, qBar, band, homogeneous) !== null;
  let mismatches = 0;
  const checked: Array<{ s: number; e: Equilibrium }> = [];
  const test = (s: number, cell: boolean) => {
    const q = interiorPoint(at(s), I, qBar, band, homogeneous);
    if (!q) return;
    const e = verify(q, roles);
    if (cell && (e !== null) !== set.member(s)) mismatches++;
    if (e) checked.push({ s, e });
  };
  set.cuts.forEach((c, k) => {
    test(c, false);
    if (k + 1 < set.cuts.length) test((c + set.cuts[k + 1]) / 2, true);
  });
  const equilibria: Equilibrium[] = [];
  const used = new Set<number>();
  for (const [from, to] of set.components) {
    const here = checked.filter((c) => c.s >= from && c.s <= to);
    here.forEach((c) => used.add(c.s));
    if (!here.length) {
      // a component reached only on the box boundary belongs to another pattern's closure
      if (inside(at(from)) || inside(at(to))) mismatches++;
      continue;
    }
    // the welfare-best point of the component (branch and bound on s; on a cone, of its normalised section, as for
    // linear faces); the best tested point if that point does not pass the fixed-q check
    const [a, b] = homogeneous ? [from, to] : insideBand(seg, I, qBar, band, from, to);
    const best = a <= b ? maxWelfareOnSegment(solver, face, a, b, here.map((c) => c.s).filter((s) => s >= a && s <= b)) : null;
    const q = best ? interiorPoint(at(best.s), I, qBar, band, homogeneous) : null;
    const found = q ? verify(q, roles) : null;
    const tested = here.reduce((a, b) => (b.e.welfare > a.e.welfare ? b : a)).e;
    const rep = found && (homogeneous || found.welfare >= tested.welfare) ? found : tested;
    // the branch and bound's point failing the fixed-q check is a disagreement of the lift and that check
    if (best && q && !found) mismatches++;
    // on a cone W ≡ 0 (no full type; see the linear faces); else the bound of the branch and bound over the part inside the open box
    const welfareBound = homogeneous ? 0 : best && Number.isFinite(best.bound) ? Math.max(best.bound, rep.welfare) : undefined;
    // the least welfare over the component (a lower bound: branch and bound on −W); unknown (absent) if it fails
    const least = homogeneous ? null : maxWelfareOnSegment(solver, face, from, to, here.map((c) => c.s), { sign: -1 });
    const welfareMin = homogeneous ? 0 : least && Number.isFinite(least.bound) ? Math.min(least.bound, rep.welfare) : undefined;
    const segment = { from: at(from), to: at(to), cone: homogeneous, ...(welfareBound !== undefined ? { welfareBound } : {}) };
    rep.region = { ...regionOf(seg, I, qBar, from, to, homogeneous), segment, ...(welfareMin !== undefined ? { welfareMin } : {}) };
    equilibria.push(rep);
  }
  // a verified point the arithmetic put outside every component: at an end of the segment more pieces than F
  // can be active (∂V is larger there, and the point is also another face's); anywhere else it is a mismatch
  for (const c of checked) if (!used.has(c.s)) {
    if (c.s !== 0 && c.s !== 1) mismatches++;
    equilibria.push(c.e);
  }
  return { equilibria, mismatches };
}

/**
 * The part of [from, to] where every interior type's records stay inside the pattern's open box (off its band;
 * the rest belongs to other patterns' closures): an interval, since q(s) is affine. Empty when from > to.
 */
function insideBand(seg: { lo: number[]; hi: number[] }, I: number[], qBar: number[], band: number[], from: number, to: number): [number, number] {
  let a = from;
  let b = to;
  for (const w of I) {
    const d = seg.hi[w] - seg.lo[w];
    // strictly inside: the band widened by a relative 1e-6
    const [lo, hi] = [band[w] * (1 + 1e-6), qBar[w] - band[w] * (1 + 1e-6)];
    if (d === 0) {
      if (!(seg.lo[w] >= lo && seg.lo[w] <= hi)) return [1, 0];
      continue;
    }
    const [s1, s2] = [(lo - seg.lo[w]) / d, (hi - seg.lo[w]) / d];
    a = Math.max(a, Math.min(s1, s2));
    b = Math.min(b, Math.max(s1, s2));
  }
  return [a, b];
}

/**
 * Extent of each interior type's records over the component [from, to] of the segment. Homogeneous slices: the
 * set is the cone over the segment, clipped by the box — lower 0, and upper_i = max over s of
 * min_ω q̄(ω) z_i(s)/z_ω(s), a minimum of Möbius (monotone) functions of s, so its maximum is at an end or where
 * two of them cross (q̄(ω) z_ω'(s) = q̄(ω') z_ω(s), linear in s).
 */
export function regionOf(seg: { lo: number[]; hi: number[] }, I: number[], qBar: number[], from: number, to: number, homogeneous: boolean): NonNullable<Equilibrium['region']> {
  const at = (s: number) => seg.lo.map((x, w) => x + s * (seg.hi[w] - x));
  if (!homogeneous) {
    const [a, b] = [at(from), at(to)];
    return { types: I, lower: I.map((w) => Math.min(a[w], b[w])), upper: I.map((w) => Math.max(a[w], b[w])), pieces: [] };
  }
  const ss = [from, to];
  for (const w of I) for (const w2 of I) {
    if (w2 <= w) continue;
    // q̄(w) z_w2(s) = q̄(w2) z_w(s)
    const c0 = qBar[w] * seg.lo[w2] - qBar[w2] * seg.lo[w];
    const c1 = qBar[w] * (seg.hi[w2] - seg.lo[w2]) - qBar[w2] * (seg.hi[w] - seg.lo[w]);
    if (c1 !== 0 && -c0 / c1 > from && -c0 / c1 < to) ss.push(-c0 / c1);
  }
  const reach = (z: number[], wi: number) => Math.min(...I.filter((w) => z[w] > 0).map((w) => (qBar[w] * z[wi]) / z[w]));
  return { types: I, lower: I.map(() => 0), upper: I.map((wi) => Math.max(...ss.map((s) => reach(at(s), wi)))), pieces: [] };
}

/** W at a solution x of a face LP with `withWelfare`'s objective: that objective plus the full types' constant. */
function faceWelfare(W: LinearProgram, x: ArrayLike<number>, s: Slice, g: number[], qBar: number[], rbar: number): number {
  let v = 0;
  for (let j = 0; j < W.cost.length; j++) v += W.cost[j] * x[j];
  s.roles.forEach((r, w) => (v += r === 'full' ? qBar[w] * (g[w] - rbar) : 0));
  return v;
}


/** Adds the objective W = ⟨g_f, q⟩ + Σ u X − r̄ Σ_I q (constants dropped) to a face LP. */
function withWelfare(game: PricingGame, qBar: number[], rbar: number, s: Slice, G: number[][], F: number[], lp: LinearProgram): LinearProgram {
  const N = game.types.length;
  const nI = s.I.length;
  const xOff = nI + F.length;
  const cost = new Array<number>(lp.cost.length).fill(0);
  s.I.forEach((w, i) => (cost[i] = G[F[0]][w] - rbar));
  game.fees.forEach((a, ai) => game.types.forEach((w, wi) => (cost[xOff + ai * N + wi] = consumerSurplus(a, w))));
  void qBar;
  return { ...lp, cost, sense: 'max' };
}

/** Grid on the segment [a, b] plus bisection (to adjacent doubles) at every change of the verdict. */
function scanSegment(a: number[], b: number[], check: (q: number[]) => Equilibrium | null, K: number): Equilibrium[] {
  const at = (t: number) => a.map((x, w) => x + t * (b[w] - x));
  const ts = Array.from({ length: K + 1 }, (_, k) => k / K);
  const res = ts.map((t) => check(at(t)));
  const found: Equilibrium[] = res.filter((e): e is Equilibrium => e !== null);
  for (let k = 0; k + 1 < ts.length; k++) {
    if ((res[k] === null) === (res[k + 1] === null)) continue;
    let lo = ts[k];
    let hi = ts[k + 1];
    const okLo = res[k] !== null;
    let best: Equilibrium | null = okLo ? res[k] : res[k + 1];
    for (let it = 0; it < 60; it++) {
      const m = (lo + hi) / 2;
      if (m === lo || m === hi) break;
      const e = check(at(m));
      if ((e !== null) === okLo) {
        lo = m;
        if (okLo && e) best = e;
      } else {
        hi = m;
        if (!okLo && e) best = e;
      }
    }
    if (best) found.push(best);
  }
  return found;
}

/**
 * Adds e unless the list has it: same roles and point, and — when both are sets — the same extent. Two sets of one
 * pattern on different faces can share their reported point (a knife-edge market had [0, 0.2] × {0.2} and
 * [0.2, 0.43] × [0.2, 0.9], both reported at (0.2, 0.2)); only the point was compared before, and one set was lost.
 */
function push(list: Equilibrium[], e: Equilibrium): void {
  const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
  const near = (a: number[], b: number[]) => a.length === b.length && a.every((x, k) => Math.abs(x - b[k]) <= tol(x));
  // r's set contains s's: equal extents at the same point (taken as the same set — with two or more interior types
  // an assumption, never seen to fail), or — with one interior type, where a set is an interval of one line — r's
  // interval contains s's (with two or more, a box inside another box proves nothing)
  const contains = (r: Equilibrium['region'], s: Equilibrium['region']) =>
    !s || (!!r && r.types.join() === s.types.join() && ((near(r.lower, s.lower) && near(r.upper, s.upper)) || (r.types.length === 1 && r.lower[0] <= s.lower[0] + tol(s.lower[0]) && r.upper[0] >= s.upper[0] - tol(s.upper[0]))));
  const at = list.findIndex((o) => o.roles.join() === e.roles.join() && near(o.records, e.records) && (contains(o.region, e.region) || contains(e.region, o.region)));
  if (at < 0) list.push(e);
  else if (!contains(list[at].region, e.region)) list[at] = e;
}

/**
 * All GLP equilibria on the type grid (exhaustive over participation patterns and faces of V; see the module
 * comment), sorted by the reporting rule: highest welfare first, then more records traded. Throws
 * `SearchLimitError` beyond MAX_SEARCH_TYPES types, MAX_SEARCH_PIECES pieces or MAX_SEARCH_FACES face LPs
 * (`limits` may raise the types and faces limits, and report progress).
 */
export function findEquilibria(
  solver: LpSolver,
  game: PricingGame,
  qBar: number[],
  rbar: number,
  opts: SearchOptions = DEFAULT_SEARCH,
  limits: Pick<ExactSearchOptions, 'maxTypes' | 'maxFaces' | 'onProgress'> = {},
): EquilibriumSearch & { info: ExactSearchInfo } {
  const { equilibria, info } = exactEquilibria(solver, game, qBar, rbar, { gridPoints: opts.gridPoints, ...limits });
  return { equilibria, searched: { corners: true, oneInterior: true, severalInterior: true }, info };
}
