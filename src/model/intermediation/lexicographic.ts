import { createRequire } from 'node:module';
import { LpInfeasibleError, LpSolverError, type LinearProgram, type LpRow, type LpSolution, type LpSolver } from '../../lp/index.js';

/**
 * Lexicographic maximisation of `lp` (sense 'max'): maximise costs[0], then costs[1] over the optimal set of
 * costs[0], and so on. Returns the successive optimal solutions, one per cost (the last one is the selected
 * point). Used for GP's selection x*_q (e2.ts, platformDesign.ts) and the consumer-best design (value.ts).
 *
 * With a solver that gives row duals (HiGHS), each next stage runs on the previous stage's optimal face itself
 * (`onOptimalFaces`): by complementary slackness, for any optimal dual y the optimal set is {x feasible : x_j at its
 * bound where the reduced cost c_j − Σ_i y_i A_ij points away from it, row i at its bound where y_i ≠ 0}. So a
 * later stage cannot buy its objective with a sliver of the earlier one. The older way — keeping each optimum as a
 * row cost·x ≥ v − 1e-9·max(1,|v|) (`withSlackRows`, also the fallback without duals) — let the buyer stages move
 * records the platform values at a loss within that slack, at any exchange rate: a type's payoff of 0 became
 * ~1e-8…1e-7 at its first records, which rejected true equilibria at corners (E2 review, 3-type markets).
 * Checks, any failing of which falls back to the slack rows: each stage's duals are dual feasible (a reduced cost
 * or dual that points past an infinite bound is a dual off at the solver's tolerance, which could cut the face
 * too small — a review built such a case with a dual shifted by 5e-8); each stage's own point lies on the face it
 * defines; the final point keeps every stage's optimum; and a stage that ends infeasible or "unknown" (the
 * fixed bounds make the LPs more degenerate) is retried that way too. With `faces`, the faces met before in the same
 * family are tried first, and a face found on optimal faces is kept (`FaceCache`).
 */
export function lexicographicSolve(solver: LpSolver, lp: LinearProgram, costs: number[][], faces?: { cache: FaceCache; family: string }): LpSolution[] {
  try {
    return solveStages(solver, lp, costs, faces);
  } catch (e) {
    // a stage that ends infeasible or "unknown" even with the slack rows, after warm starts from other LPs (seen on
    // a design LP with fees 1e-4 apart, which solved from scratch): once more, every LP from scratch
    if (!((e instanceof LpInfeasibleError || e instanceof LpSolverError) && solver.cold)) throw e;
    return solver.cold(() => solveStages(solver, lp, costs, faces));
  }
}

/** The cached faces, else the stages on optimal faces, else with slack rows (module comment). */
function solveStages(solver: LpSolver, lp: LinearProgram, costs: number[][], faces?: { cache: FaceCache; family: string }): LpSolution[] {
  const known = faces ? faces.cache.get(faces.family) : undefined;
  if (known) {
    for (let k = 0; k < known.length; k++) {
      const at = scratchPoint('a', lp.cost.length);
      if (pointAt(known[k], lp, at) === null) continue;
      const x = new Float64Array(at);
      // most recently used first: the next record vector is usually in the same piece
      if (k > 0) known.unshift(...known.splice(k, 1));
      return costs.map((c) => ({ objective: dot(c, x), x }));
    }
  }
  if (solver.providesDuals) {
    try {
      const { out, face } = onOptimalFaces(solver, lp, costs);
      const last = out[out.length - 1].x;
      const kept = out.every((s, k) => dot(costs[k], last) >= s.objective - SLACK * Math.max(1, Math.abs(s.objective)));
      if (kept) {
        if (faces) remember(faces.cache, faces.family, lp, face, last);
        return out;
      }
    } catch (e) {
      if (!(e instanceof LpInfeasibleError || e instanceof LpSolverError || e instanceof FaceError)) throw e;
    }
  }
  return withSlackRows(solver, lp, costs);
}

/** Duals that cannot define a face (module comment): the caller falls back to slack rows. */
class FaceError extends Error {}

/** A reduced cost or row dual below this (relative to the stage's largest cost) counts as zero. */
export const FACE_TOL = 1e-9;

function dot(c: number[], x: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < c.length; j++) s += c[j] * x[j];
  return s;
}

/** Each stage on the optimal face of the previous ones (module comment). */
function onOptimalFaces(solver: LpSolver, lp: LinearProgram, costs: number[][]): { out: LpSolution[]; face: FinalFace } {
  const colLower = [...lp.colLower];
  const colUpper = [...lp.colUpper];
  const rows = lp.rows.map((r) => ({ ...r }));
  // the bound each row is held at on the face (rows that are equalities of lp: their lower one)
  const held: Array<'lower' | 'upper' | undefined> = lp.rows.map((r) => (r.lower === r.upper ? 'lower' : undefined));
  const out: LpSolution[] = [];
  for (const cost of costs) {
    if (out.length && faceIsPoint(colLower, colUpper, rows)) {
      const last = out[out.length - 1];
      out.push({ objective: dot(cost, last.x), x: last.x });
      continue;
    }
    const sol = solver.solve({ ...lp, cost, colLower, colUpper, rows }, { duals: true });
    out.push(sol);
    const y = sol.rowDual;
    if (!y) throw new FaceError();
    const eps = FACE_TOL * Math.max(1, ...cost.map(Math.abs));
    // reduced costs d_j = c_j − Σ_i y_i A_ij (max: d_j < 0 ⇒ x_j at its lower bound, d_j > 0 ⇒ at its upper)
    const d = [...cost];
    rows.forEach((r, i) => {
      if (y[i] !== 0) r.indices.forEach((j, k) => (d[j] -= y[i] * r.values[k]));
    });
    // the stage's own point must lie on the face it defines (to the solver's feasibility tolerance, scaled)
    const onFace = (v: number, at: number) => Math.abs(v - at) <= 1e-7 * Math.max(1, Math.abs(at));
    d.forEach((dj, j) => {
      if (dj < -eps) {
        if (!Number.isFinite(colLower[j]) || !onFace(sol.x[j], colLower[j])) throw new FaceError();
        colUpper[j] = colLower[j];
      } else if (dj > eps) {
        if (!Number.isFinite(colUpper[j]) || !onFace(sol.x[j], colUpper[j])) throw new FaceError();
        colLower[j] = colUpper[j];
      }
    });
    // y_i = ∂value/∂(active bound): a binding lower bound has y_i < 0 (max), a binding upper bound y_i > 0
    rows.forEach((r, i) => {
      if (Math.abs(y[i]) <= eps) return;
      const bound = y[i] < 0 ? r.lower : r.upper;
      const activity = r.indices.reduce((acc, j, k) => acc + r.values[k] * sol.x[j], 0);
      if (!Number.isFinite(bound) || !onFace(activity, bound)) throw new FaceError();
      held[i] ??= y[i] < 0 ? 'lower' : 'upper';
      r.lower = bound;
      r.upper = bound;
    });
  }
  return { out, face: { colLower, colUpper, held } };
}

/** The last stage's face as `onOptimalFaces` leaves it: its column bounds, and the bound each held row is at. */
interface FinalFace {
  colLower: number[];
  colUpper: number[];
  held: Array<'lower' | 'upper' | undefined>;
}

/**
 * Final faces of earlier solves of one LP family (`family`: the same rows' coefficients, columns and costs; only
 * row and column bounds differ — GP's design LP at another record vector q), each pinned at the solver's vertex:
 * the face's equations plus the bounds and rows active there. Each stage's duals are dual feasible whatever the
 * bounds, so where the point that these equations give at new bounds is feasible, it satisfies complementary
 * slackness with every stage's duals: it is a lexicographic optimum there, with every stage's value. When the face
 * is one point that is the selection itself; when it is larger (the stages' values unique, x not), it is the vertex
 * with the same active set, as a warm-started simplex would return. The selection x*_q is piecewise linear in q and
 * successive record vectors of a search mostly fall in pieces met before, so most selections become a small linear
 * solve instead of N + 2 LPs (a five-type E2 search 41 → 6 s and 58 → 6 s; random three-type markets 35 → 5 s).
 * Only systems of full column rank with condition number below MAX_FACE_CONDITION that give back the solver's
 * own point are kept; a point is taken only if it is feasible and its held rows are at their bounds to
 * FACE_FEASIBILITY relative to its size (x*_q is homogeneous in q).
 */
export type FaceCache = Map<string, PointFace[]>;

export function newFaceCache(): FaceCache {
  return new Map();
}

interface PointFace {
  free: Int32Array;
  /** Columns fixed on the face or at a bound at the vertex, and whether at lp's upper bound (1) or lower (0). */
  fixedCols: Int32Array;
  fixedUpper: Uint8Array;
  /** Rows held at a bound on the face or active at the vertex, and whether at the upper bound (1) or lower (0). */
  eqRows: Int32Array;
  eqUpper: Uint8Array;
  /** x_free = pinv · (held bounds − fixed columns' part): the face's equations solved once, row-major free × eq. */
  pinv: Float64Array;
  /** Per row of lp: 0 not held, 1 held at its lower bound, 2 at its upper. */
  held: Uint8Array;
}

/** Most faces kept per family (least recently used dropped), and the worst conditioning kept. */
const FACES_PER_FAMILY = 256;
const MAX_FACE_CONDITION = 1e6;
/**
 * A column or row within this (relative to max |x|) of a bound at the solver's point is held there; where that face
 * does not give the point back, the second (records of ~1e-9·scale elsewhere put entries of the point below the
 * first: an off-path selection at q = (1e-9, 0, 0.61) kept no face, so its limit ε → 0+ was only checked).
 */
const VERTEX_TOLS = [1e-9, 1e-14];
/**
 * Feasibility of a cached face's point at new bounds, and the residual of its held rows, relative to max(|held
 * bounds|, |x|). Tight: a point a little outside its face's region is that face extended past a kink, off the
 * selection by about this much times the slopes' difference (at 1e-9 a review found H off by 5e-9 at kinks, above
 * `pieceEnds`' linearity test); the LP then decides instead.
 */
const FACE_FEASIBILITY = 1e-12;

function remember(cache: FaceCache, family: string, lp: LinearProgram, f: FinalFace, x: ArrayLike<number>): void {
  for (const tol of VERTEX_TOLS) {
    const face = pointFace(lp, f, x, tol);
    if (!face) continue;
    const list = cache.get(family) ?? [];
    list.unshift(face);
    if (list.length > FACES_PER_FAMILY) list.pop();
    cache.set(family, list);
    return;
  }
}

/** The face of f pinned at the solver's point x, entries within tol (relative) of a bound held there, if it is kept. */
function pointFace(lp: LinearProgram, f: FinalFace, x: ArrayLike<number>, tol: number): PointFace | undefined {
  // relative to the point's own size, not max(1, ·): x*_q is homogeneous in q, and records of 1e-8 near the origin
  // must not pass for another piece's (a ray's start moved from the origin to 0.03 with an absolute tolerance)
  const scale = Math.max(...Array.from(x, Math.abs));
  const at = (v: number, bound: number) => Math.abs(v - bound) <= tol * scale;
  const free: number[] = [];
  const fixed: Array<{ j: number; upper: boolean }> = [];
  f.colLower.forEach((l, j) => {
    if (l === f.colUpper[j]) fixed.push({ j, upper: l !== lp.colLower[j] });
    else if (at(x[j], lp.colLower[j])) fixed.push({ j, upper: false });
    else if (at(x[j], lp.colUpper[j])) fixed.push({ j, upper: true });
    else free.push(j);
  });
  const eq = f.held.flatMap((h, i) => {
    if (h) return [{ i, upper: h === 'upper' }];
    const r = lp.rows[i];
    const activity = r.indices.reduce((acc, j, k) => acc + r.values[k] * x[j], 0);
    return at(activity, r.lower) ? [{ i, upper: false }] : at(activity, r.upper) ? [{ i, upper: true }] : [];
  });
  const column = new Map(free.map((j, k) => [j, k]));
  const E = eq.map(({ i }) => {
    const row = new Array<number>(free.length).fill(0);
    lp.rows[i].indices.forEach((j, k) => {
      const c = column.get(j);
      if (c !== undefined) row[c] += lp.rows[i].values[k];
    });
    return row;
  });
  let pinv = new Float64Array(0);
  if (free.length) {
    if (E.length < free.length) return;
    const { Matrix, SingularValueDecomposition } = loadMlMatrix();
    const svd = new SingularValueDecomposition(new Matrix(E), { autoTranspose: true });
    const s = svd.diagonal;
    if (!(s[0] > 0) || s.filter((v) => v > s[0] / MAX_FACE_CONDITION).length < free.length) return;
    pinv = Float64Array.from(svd.inverse().to2DArray().flat());
  }
  const held = new Uint8Array(lp.rows.length);
  for (const { i, upper } of eq) held[i] = upper ? 2 : 1;
  const face: PointFace = {
    free: Int32Array.from(free),
    fixedCols: Int32Array.from(fixed, (f) => f.j),
    fixedUpper: Uint8Array.from(fixed, (f) => (f.upper ? 1 : 0)),
    eqRows: Int32Array.from(eq, (e) => e.i),
    eqUpper: Uint8Array.from(eq, (e) => (e.upper ? 1 : 0)),
    pinv,
    held,
  };
  // the face must give back this solve's own point (else its equations are not what the solver's point satisfies)
  const back = scratchPoint('a', lp.cost.length);
  if (pointAt(face, lp, back) === null || back.some((v, j) => Math.abs(v - x[j]) > 1e-9 * scale)) return undefined;
  return face;
}

/**
 * Buffers for the points of cached faces at trial bounds (most are rejected, so a point is copied only when kept):
 * two, as `rangeOf` compares a face's points at two bounds, and the held rows' right-hand sides. Allocating them per
 * trial, and the faces' fields as arrays of objects, was a quarter of the E2 benchmark's time (facePoint and GC).
 */
const scratch = { a: new Float64Array(0), b: new Float64Array(0), rhs: new Float64Array(0) };

/** A view of n entries of buffer `which`, grown as needed (families of different sizes alternate in E2Multi). */
function scratchPoint(which: 'a' | 'b', n: number): Float64Array {
  if (scratch[which].length < n) scratch[which] = new Float64Array(n);
  return scratch[which].length === n ? scratch[which] : scratch[which].subarray(0, n);
}

/**
 * The point a cached face's equations give at lp's bounds, feasible or not, written to x (every column: each is
 * fixed or free); returns its scale (max |held bound|, |free x|), or null where a bound it needs is infinite.
 */
function facePoint(face: PointFace, lp: LinearProgram, x: Float64Array): number | null {
  const { fixedCols, fixedUpper, eqRows, eqUpper, free, pinv } = face;
  for (let k = 0; k < fixedCols.length; k++) {
    const j = fixedCols[k];
    const v = fixedUpper[k] ? lp.colUpper[j] : lp.colLower[j];
    if (!Number.isFinite(v)) return null;
    x[j] = v;
  }
  // the held rows' right-hand sides take the fixed columns' part only: free ones at 0 until solved for
  for (let k = 0; k < free.length; k++) x[free[k]] = 0;
  let scale = 0;
  const m = eqRows.length;
  if (scratch.rhs.length < m) scratch.rhs = new Float64Array(m);
  const b = scratch.rhs;
  for (let e = 0; e < m; e++) {
    const r = lp.rows[eqRows[e]];
    const bound = eqUpper[e] ? r.upper : r.lower;
    if (!Number.isFinite(bound)) return null;
    scale = Math.max(scale, Math.abs(bound));
    let s = bound;
    for (let k = 0; k < r.indices.length; k++) s -= r.values[k] * x[r.indices[k]];
    b[e] = s;
  }
  for (let k = 0, at = 0; k < free.length; k++) {
    let v = 0;
    for (let t = 0; t < m; t++, at++) v += pinv[at] * b[t];
    x[free[k]] = v;
    scale = Math.max(scale, Math.abs(v));
  }
  return scale;
}

/**
 * The point of a cached face at lp's bounds, written to x, or null when it is not feasible there (`FaceCache`);
 * returns `facePoint`'s scale.
 */
function pointAt(face: PointFace, lp: LinearProgram, x: Float64Array): number | null {
  const scale = facePoint(face, lp, x);
  if (scale === null) return null;
  const tol = FACE_FEASIBILITY * scale;
  for (let j = 0; j < x.length; j++) if (x[j] < lp.colLower[j] - tol || x[j] > lp.colUpper[j] + tol) return null;
  // every row within its bounds, and held rows at their bound (complementary slackness with the stages' duals; an
  // over-determined face whose equations do not all hold at these bounds gives a least-squares point off them)
  for (let i = 0; i < lp.rows.length; i++) {
    const r = lp.rows[i];
    let a = 0;
    for (let k = 0; k < r.indices.length; k++) a += r.values[k] * x[r.indices[k]];
    if (a < r.lower - tol || a > r.upper + tol) return null;
    const h = face.held[i];
    if (h !== 0 && Math.abs(a - (h === 2 ? r.upper : r.lower)) > tol) return null;
  }
  return scale;
}

/**
 * Exact pieces of the selection along a line of bounds, lp(s) = lp0 + s·(lp1 − lp0) (both of `family`; GP's design
 * LP at q + s·e): a cached face feasible at s = 0 stays optimal for every stage wherever its point is feasible, and
 * its point is affine in the bounds, so on the interval of s where it stays feasible — its held rows at their bounds
 * — every stage's value is affine in s (`FaceCache`). Returns that interval [lo, hi] ∋ 0, from the first face whose
 * interval contains `want` (most recently used first), else the widest; undefined when no cached face is feasible at
 * s = 0 or each one's held rows leave their bounds as s moves (an over-determined face, valid at s = 0 alone).
 * Ends are where a constraint of the face's point meets its bound, computed as ratios (exact up to rounding); a
 * constraint at its bound at s = 0 (within FACE_FEASIBILITY) that the motion tightens ends the interval at 0.
 */
export function faceRange(cache: FaceCache, family: string, lp0: LinearProgram, lp1: LinearProgram, want?: readonly [number, number]): [number, number] | undefined {
  // the first faces feasible at s = 0 (most recently used first: the selection's own is usually among the first),
  // at most RANGE_FACES of them: scanning all 256 for a wider one was most of a degenerate market's time (U ≡ H ≡ 0
  // on two merchants: 41 faces per call, 11.7 → 36.8 s), and a narrower range only adds a cut
  let best: [number, number] | undefined;
  let feasible = 0;
  const list = cache.get(family) ?? [];
  for (let k = 0; k < Math.min(list.length, RANGE_SCAN); k++) {
    const face = list[k];
    const x0 = scratchPoint('a', lp0.cost.length);
    const scale0 = pointAt(face, lp0, x0);
    if (scale0 === null) continue;
    const r = rangeOf(face, x0, scale0, lp0, lp1);
    if (!r) continue;
    if (want && r[0] <= want[0] && r[1] >= want[1]) return r;
    if (!best || r[1] - r[0] > best[1] - best[0]) best = r;
    if (++feasible >= RANGE_FACES) break;
  }
  return best;
}

/** Most feasible faces `faceRange` compares, and most faces it looks at (most recently used first). */
const RANGE_FACES = 4;
const RANGE_SCAN = 32;

/** `faceRange` for one face, feasible at lp0 with point x0 of scale scale0 (`pointAt`). */
function rangeOf(face: PointFace, x0: Float64Array, scale0: number, lp0: LinearProgram, lp1: LinearProgram): [number, number] | undefined {
  const x1 = scratchPoint('b', lp1.cost.length);
  const scale1 = facePoint(face, lp1, x1);
  if (scale1 === null) return undefined;
  // what counts as no motion, and as at a bound at s = 0: relative to the sizes of the point and of its motion
  let motion = 0;
  for (let j = 0; j < x0.length; j++) motion = Math.max(motion, Math.abs(x1[j] - x0[j]));
  const still = 1e-12 * Math.max(motion, scale0);
  const tol = FACE_FEASIBILITY * scale0;
  let [lo, hi] = [-Infinity, Infinity];
  // g(s) = g0 + s·(g1 − g0) ≥ 0: the s where it stays so (0 kept: the point is feasible there to `tol`)
  const keep = (g0: number, g1: number): void => {
    const dg = g1 - g0;
    if (Math.abs(dg) <= still) return;
    const s = -g0 / dg;
    if (dg > 0) lo = Math.max(lo, Math.min(0, s));
    else hi = Math.min(hi, Math.max(0, g0 <= tol ? 0 : s));
  };
  const slack = (v0: number, v1: number, l0: number, l1: number, u0: number, u1: number): void => {
    if (Number.isFinite(l0) && Number.isFinite(l1)) keep(v0 - l0, v1 - l1);
    if (Number.isFinite(u0) && Number.isFinite(u1)) keep(u0 - v0, u1 - v1);
  };
  for (let j = 0; j < x0.length; j++) slack(x0[j], x1[j], lp0.colLower[j], lp1.colLower[j], lp0.colUpper[j], lp1.colUpper[j]);
  for (let i = 0; i < lp0.rows.length; i++) {
    const [r0, r1] = [lp0.rows[i], lp1.rows[i]];
    let [a0, a1] = [0, 0];
    for (let k = 0; k < r0.indices.length; k++) {
      a0 += r0.values[k] * x0[r0.indices[k]];
      a1 += r0.values[k] * x1[r0.indices[k]];
    }
    const h = face.held[i];
    if (h !== 0) {
      // a held row must stay at its bound: its residual may not move
      const [b0, b1] = h === 2 ? [r0.upper, r1.upper] : [r0.lower, r1.lower];
      if (Math.abs(a1 - b1 - (a0 - b0)) > 1e-9 * Math.max(motion, scale0, scale1)) return undefined;
    } else slack(a0, a1, r0.lower, r1.lower, r0.upper, r1.upper);
  }
  return lo < hi ? [lo, hi] : undefined;
}

/**
 * The face {bounds, rows with lower = upper} is one point: its equality rows have full rank on the free columns
 * (sufficient, not necessary: inequalities can pin a point too). Every later stage would return that point, so
 * `onOptimalFaces` stops solving there (random 3-type E2 markets: 144k → 64k LPs, 11.6 → 6.3 s).
 */
function faceIsPoint(colLower: number[], colUpper: number[], rows: LpRow[]): boolean {
  const free = colLower.map((l, j) => (l < colUpper[j] ? j : -1)).filter((j) => j >= 0);
  if (free.length === 0) return true;
  const at = new Map(free.map((j, k) => [j, k]));
  const eq = rows.filter((r) => r.lower === r.upper).map((r) => {
    const row = new Array<number>(free.length).fill(0);
    r.indices.forEach((j, k) => {
      const c = at.get(j);
      if (c !== undefined) row[c] += r.values[k];
    });
    return row;
  }).filter((row) => row.some((v) => v !== 0));
  if (eq.length < free.length) return false;
  // the same faces recur from one record vector to the next (the design LP's rows do not depend on q)
  const key = `${free.join(',')}|${eq.map((row) => row.join(',')).join(';')}`;
  const hit = rankMemo.get(key);
  if (hit !== undefined) return hit;
  if (rankMemoChars + key.length > RANK_MEMO_CHARS) {
    rankMemo.clear();
    rankMemoChars = 0;
  }
  const point = fullColumnRank(eq, free.length);
  rankMemo.set(key, point);
  rankMemoChars += key.length;
  return point;
}

/**
 * Memo of `fullColumnRank` by the face's matrix, cleared when its keys pass RANK_MEMO_CHARS characters (~2 bytes
 * each). The SVD was a third of a 5-type E2 slice search's time, and the same faces recur (23.8 → 14.5 s).
 */
const rankMemo = new Map<string, boolean>();
let rankMemoChars = 0;
const RANK_MEMO_CHARS = 8_000_000;

function fullColumnRank(eq: number[][], columns: number): boolean {
  const { Matrix, SingularValueDecomposition } = loadMlMatrix();
  // rank with a relative cut of RANK_TOL, not SVD's own (~1e-16·s₀): rows dependent in exact arithmetic but apart by
  // rounding (0.1 from 1000.3 − 1000.2) count as dependent, as the solver (feasibility 1e-7) treats them (review)
  const s = new SingularValueDecomposition(new Matrix(eq), { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  return s.filter((v) => v > RANK_TOL * s[0]).length === columns;
}

/** Singular values below this times the largest count as zero in `faceIsPoint`. */
const RANK_TOL = 1e-9;

/** ml-matrix, loaded on first use as in scenario/validate.ts (sweep workers of the leakage family never need it). */
let mlMatrix: typeof import('ml-matrix') | undefined;
const loadMlMatrix = (): typeof import('ml-matrix') => (mlMatrix ??= createRequire(import.meta.url)('ml-matrix') as typeof import('ml-matrix'));

/**
 * Keep each optimum as a row cost·x ≥ v − 1e-9·max(1,|v|) and maximise the next cost over what remains. The
 * slack is relative to |v| (absolute below |v| = 1): the solver reports v only up to its own tolerances, which
 * scale with the magnitude of the objective, so an exact row can cut off the reported optimum itself.
 */
function withSlackRows(solver: LpSolver, lp: LinearProgram, costs: number[][]): LpSolution[] {
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
