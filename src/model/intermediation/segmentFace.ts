/**
 * The exact equilibrium set on a one-dimensional face of V — the bilinear case of `exactSearch.ts` that used to
 * be searched on a grid. Written below for two pieces; with k pieces see "More pieces" at the end.
 *
 * Setting. A participation pattern (roles), a face F = {f0, f1} of V (both pieces active, so V(q) = ⟨g0, q⟩),
 * and the face is the segment q(s) = lo + s·d, d = hi − lo, s ∈ [0, 1]. Prices on F are p = g0 + m·Δ,
 * Δ = g1 − g0, m ∈ [0, 1]. GLP (a)–(c) at q(s) (see exactSearch.ts) read, with X the recommendation masses:
 *   Σ_a X(a,ω) = lo(ω) + s·d(ω);  X obedient;  Σ v X ≥ ⟨g0, lo⟩ + s⟨g0, d⟩;
 *   interior ω:  q(ω)p(ω) + U_X(ω) = r̄ q(ω),  q(ω)p(ω) = lo g0 + s·d g0 + m·lo Δ + s·m·d Δ  (all at ω);
 *   full ω:      q̄(ω)(g0 + mΔ)(ω) + U_X(ω) ≥ r̄ q̄(ω);   zero ω:  (g0 + mΔ)(ω) ≤ r̄ − U_off(ω).
 * Every bilinear term is the same product s·m. With t standing for it (and the valid McCormick rows t ≤ s,
 * t ≤ m, t ≥ s + m − 1) the system is linear in (s, m, t, X); let P ⊂ R³ be its projection on (s, m, t).
 * Then the equilibrium parameters are S = {s : ∃m, (s, m, s·m) ∈ P} — exactly, no relaxation: the lift adds
 * rows every true point satisfies, and t = s·m is imposed afterwards.
 *
 * Method. P is a projection, so its H-representation {α s + β m + γ t ≤ b} comes from `hullByOracle` with the
 * lifted LP as support oracle. At fixed s the section {m : (s, m, s m) ∈ P} is an interval cut by
 * (β + γ s)·m ≤ b − α s, so deciding s ∈ S is arithmetic. S is closed and its end points lie where two
 * constraints bind together — (b_i − α_i s)(β_j + γ_j s) = (b_j − α_j s)(β_i + γ_i s), a quadratic in s — or
 * where a constraint's m-coefficient vanishes, or at s ∈ {0, 1}. Between consecutive candidates membership is
 * constant, so testing every candidate and every cell midpoint gives S as a finite union of closed intervals,
 * exact up to the LP tolerance of the oracle.
 *
 * More pieces. With F = {f0, …, f_{k−1}}, p = g0 + Σ_j μ_j Δ_j (μ ≥ 0, Σ μ ≤ 1), and the products are
 * s·d(ω)·Σ_j μ_j Δ_j(ω) for the interior types whose records move (d(ω) ≠ 0). When the Δ_j are rank one on those
 * types — Δ_j(ω) = c_j δ(ω) — every product is s·(Σ_j c_j μ_j)·d(ω)δ(ω): again ONE product s·m with the scalar
 * m = (Σ_j c_j μ_j − cLo)/R ∈ [0, 1] (`bilinearScalar`), while μ stays an LP variable in the linear rows (full and
 * zero types, records that do not move). The same lift, hull and arithmetic then give S exactly. Otherwise the
 * lift does not apply (null) and the face goes to the certificate.
 */
import { solveOrNull, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { hullByOracle, type HalfSpace, type Vec3 } from '../geometry/hull3.js';
import { maximiseOnInterval } from '../geometry/intervalBranchBound.js';
import { obedienceRows, payoffVector } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import type { Role } from './equilibrium.js';

export interface SegmentFace {
  game: PricingGame;
  qBar: number[];
  rbar: number;
  roles: Role[];
  /** The face's pieces' gradients g_0 … g_{k−1} (prices p = g_0 + Σ_j μ_j (g_j − g_0), μ in the simplex). */
  gs: number[][];
  /** The face's ends: q(s) = lo + s (hi − lo). */
  lo: number[];
  hi: number[];
  /** U_off(ω) for zero-role types (constant on the face; the caller checks). */
  offPath: number[];
}

export interface SegmentSet {
  /** Closed components [from, to] ⊆ [0, 1] of S, in increasing order. */
  components: Array<[number, number]>;
  /** Candidate end points (sorted) — S is constant on each open cell between consecutive candidates. */
  cuts: number[];
  /** s ∈ S, decided from P's half-spaces. */
  member: (s: number) => boolean;
  /** Affine dimension of P (−1: empty), its half-spaces and the oracle LPs solved. */
  dim: number;
  halfSpaces: number;
  oracleCalls: number;
}

/** Slack on P's half-spaces when deciding membership (coordinates s, m, t are all in [0, 1]). */
export const SEGMENT_TOL = 1e-9;

/**
 * The one scalar the products depend on (module comment): Δ_j(ω) = c_j·δ(ω) for every interior ω whose records move
 * along the segment (d(ω) ≠ 0), so Σ_j μ_j Δ_j(ω) = (Σ_j c_j μ_j)·δ(ω); the scalar Σ_j c_j μ_j ranges over
 * [cLo, cLo + R] on the simplex and m = (Σ_j c_j μ_j − cLo)/R ∈ [0, 1]. Null when the differences are not rank
 * one there (the lift does not apply).
 */
export function bilinearScalar(f: Pick<SegmentFace, 'roles' | 'gs' | 'lo' | 'hi'>): { c: number[]; delta: number[]; cLo: number; R: number } | null {
  const { roles, gs, lo, hi } = f;
  const g0 = gs[0];
  const Ds = gs.slice(1).map((g) => g.map((x, w) => x - g0[w]));
  const scale = Math.max(1, ...gs.flat().map(Math.abs));
  const moving = roles.map((r, w) => (r === 'interior' && Math.abs(hi[w] - lo[w]) > 1e-12 * Math.max(1, Math.abs(lo[w]), Math.abs(hi[w])) ? w : -1)).filter((w) => w >= 0);
  // δ: the largest difference on the moving types, normalised at its largest coordinate
  let ref = { j: -1, w: -1, size: 0 };
  Ds.forEach((D, j) => moving.forEach((w) => Math.abs(D[w]) > ref.size && (ref = { j, w, size: Math.abs(D[w]) })));
  // no product at all (prices vary only on types whose records do not move): m is pinned at 0, t = s·m = 0
  if (ref.j < 0 || ref.size <= 1e-12 * scale) return { c: Ds.map(() => 0), delta: g0.map(() => 0), cLo: 0, R: 1 };
  const delta = g0.map((_, w) => Ds[ref.j][w] / Ds[ref.j][ref.w]);
  const c = Ds.map((D) => D[ref.w]);
  if (!Ds.every((D, j) => moving.every((w) => Math.abs(D[w] - c[j] * delta[w]) <= 1e-9 * scale))) return null;
  const cLo = Math.min(0, ...c);
  const R = Math.max(0, ...c) - cLo;
  return { c, delta, cLo, R };
}

/**
 * Columns: s, m, t, then μ_1 … μ_{k−1}, then X(a, ω). `tol` relaxes the interior types' equalities by tol·q(ω).
 * s is kept in `box` = [a, b] with McCormick's rows for t = s·m on [a, b] × [0, 1]; with a = b they force t = a·m,
 * so the LP is the face's exact fixed-s LP. Null when the lift does not apply (`bilinearScalar`).
 */
function liftedLp(f: SegmentFace, tol: number, box: [number, number] = [0, 1]): LinearProgram | null {
  const { game, qBar, rbar, roles, gs, lo, hi, offPath } = f;
  const k = bilinearScalar(f);
  if (!k) return null;
  const N = game.types.length;
  const M = game.fees.length;
  const g0 = gs[0];
  const Ds = gs.slice(1).map((g) => g.map((x, w) => x - g0[w]));
  const MU = 3;
  const X0 = MU + Ds.length;
  const nCols = X0 + M * N;
  const mu = Ds.map((_, j) => MU + j);
  const d = hi.map((x, w) => x - lo[w]);
  const rows: LpRow[] = [];
  for (let w = 0; w < N; w++) {
    const indices = game.fees.map((_, a) => X0 + a * N + w);
    const values = indices.map(() => 1);
    indices.push(0);
    values.push(-d[w]);
    rows.push({ indices, values, lower: lo[w], upper: lo[w] });
  }
  rows.push(...obedienceRows(game, X0));
  const v = payoffVector(game, (a, w) => platformPayoff(game, a, w));
  const g0d = g0.reduce((acc, x, w) => acc + x * d[w], 0);
  const g0lo = g0.reduce((acc, x, w) => acc + x * lo[w], 0);
  rows.push({ indices: [...v.map((_, j) => X0 + j), 0], values: [...v, -g0d], lower: g0lo, upper: Infinity });
  // the simplex of μ and the scalar: Σ_j c_j μ_j − R m = cLo
  rows.push({ indices: mu, values: mu.map(() => 1), lower: -Infinity, upper: 1 });
  rows.push({ indices: [...mu, 1], values: [...k.c, -k.R], lower: k.cLo, upper: k.cLo });
  const uIdx = (w: number) => game.fees.map((_, a) => X0 + a * N + w);
  const uVal = (w: number) => game.fees.map((a) => consumerSurplus(a, game.types[w]));
  roles.forEach((role, w) => {
    const muVal = (scaleBy: number) => Ds.map((D) => scaleBy * D[w]);
    if (role === 'interior') {
      // q(ω)p(ω) = lo g0 + s d g0 + lo Σ μ_j Δ_j + s d δ (cLo + R m):
      // [s: d g0 − r̄ d + d δ cLo, t: d δ R, μ: lo Δ_j, X: u] = r̄ lo − lo g0, relaxed by ±tol·(lo + s d)
      const indices = [0, 2, ...mu, ...uIdx(w)];
      const c0 = d[w] * (g0[w] - rbar) + d[w] * k.delta[w] * k.cLo;
      const ct = d[w] * k.delta[w] * k.R;
      const rhs = rbar * lo[w] - lo[w] * g0[w];
      const row = (slack: number): number[] => [c0 + slack * d[w], ct, ...muVal(lo[w]), ...uVal(w)];
      rows.push({ indices, values: row(tol), lower: rhs - tol * lo[w], upper: Infinity });
      rows.push({ indices, values: row(-tol), lower: -Infinity, upper: rhs + tol * lo[w] });
    } else if (role === 'full') {
      rows.push({ indices: [...mu, ...uIdx(w)], values: [...muVal(qBar[w]), ...uVal(w)], lower: qBar[w] * (rbar - g0[w]), upper: Infinity });
    } else {
      rows.push({ indices: mu, values: muVal(1), lower: -Infinity, upper: rbar - offPath[w] - g0[w] });
    }
  });
  rows.push(...mcCormickRows(box));
  const [a, b] = box;
  const colLower = new Array<number>(nCols).fill(0);
  const colUpper = new Array<number>(nCols).fill(Infinity);
  colLower[0] = a;
  colUpper[0] = b;
  colUpper[1] = colUpper[2] = 1;
  return { sense: 'max', cost: new Array<number>(nCols).fill(0), colLower, colUpper, rows };
}

/**
 * McCormick's rows for t = s·m on [a, b] × [0, 1] (columns s = 0, m = 1, t = 2): (s − a)m ≥ 0, (b − s)(1 − m) ≥ 0,
 * (s − a)(1 − m) ≥ 0, (b − s)m ≥ 0 with s·m replaced by t. Together with the box they describe the convex hull of
 * the graph of s·m over it; with a = b they force t = a·m.
 */
export function mcCormickRows([a, b]: [number, number]): LpRow[] {
  return [
    { indices: [2, 1], values: [1, -a], lower: 0, upper: Infinity },
    { indices: [2, 0, 1], values: [1, -1, -b], lower: -b, upper: Infinity },
    { indices: [2, 0, 1], values: [1, -1, -a], lower: -Infinity, upper: -a },
    { indices: [2, 1], values: [1, -b], lower: -Infinity, upper: 0 },
  ];
}

/** The m-interval {m ∈ [0, 1] : (β + γ s) m ≤ b − α s + tol for every half-space}, or null. */
export function mInterval(H: readonly HalfSpace[], s: number, tol = SEGMENT_TOL): [number, number] | null {
  let lo = 0;
  let hi = 1;
  for (const { a, b } of H) {
    const c = a[1] + a[2] * s;
    const r = b - a[0] * s + tol;
    if (c > 0) hi = Math.min(hi, r / c);
    else if (c < 0) lo = Math.max(lo, r / c);
    else if (r < 0) return null;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Real roots in [0, 1] of A s² + B s + C (nothing when the polynomial vanishes identically). */
function rootsIn01(A: number, B: number, C: number): number[] {
  const big = Math.max(Math.abs(A), Math.abs(B), Math.abs(C));
  if (big === 0) return [];
  const out: number[] = [];
  if (Math.abs(A) <= 1e-14 * big) {
    if (Math.abs(B) > 1e-14 * big) out.push(-C / B);
  } else {
    const disc = B * B - 4 * A * C;
    if (disc < -1e-14 * big * big) return [];
    const sq = Math.sqrt(Math.max(0, disc));
    // the cancellation-free pair of roots
    const k = -(B + (B >= 0 ? sq : -sq)) / 2;
    out.push(k / A);
    if (k !== 0) out.push(C / k);
  }
  return out.filter((s) => s >= -1e-12 && s <= 1 + 1e-12).map((s) => Math.min(1, Math.max(0, s)));
}

/** Candidate ends of S from the half-spaces (see the module comment); always includes 0 and 1. */
function candidates(H: readonly HalfSpace[]): number[] {
  const raw = [0, 1];
  for (let i = 0; i < H.length; i++) {
    const [ai, bi, gi] = H[i].a;
    const di = H[i].b;
    if (gi !== 0) raw.push(...rootsIn01(0, gi, bi));
    for (let j = i + 1; j < H.length; j++) {
      const [aj, bj, gj] = H[j].a;
      const dj = H[j].b;
      // (d_i − α_i s)(β_j + γ_j s) − (d_j − α_j s)(β_i + γ_i s)
      const A = -ai * gj + aj * gi;
      const B = di * gj - ai * bj - dj * gi + aj * bi;
      const C = di * bj - dj * bi;
      raw.push(...rootsIn01(A, B, C));
    }
  }
  // keep only points on or near R (a loose test: the exact end points pass it)
  const kept = raw.filter((s) => s === 0 || s === 1 || mInterval(H, s, 1e-7) !== null);
  kept.sort((x, y) => x - y);
  const out: number[] = [];
  for (const s of kept) if (!out.length || s - out[out.length - 1] > 1e-12) out.push(s);
  if (out[out.length - 1] !== 1) out.push(1);
  return out;
}

/**
 * S = {s ∈ [0, 1] : ∃m ∈ [0, 1], (s, m, s·m) ∈ P} from P's half-spaces: membership is arithmetic, and S is
 * constant on the open cells between consecutive candidates, so the candidates and the cell midpoints decide it.
 */
export function setFromHalfSpaces(H: readonly HalfSpace[]): Pick<SegmentSet, 'components' | 'cuts' | 'member'> {
  const member = (s: number) => mInterval(H, s) !== null;
  const cuts = candidates(H);
  const components: Array<[number, number]> = [];
  let open: number | null = null;
  for (let k = 0; k < cuts.length; k++) {
    const inCut = member(cuts[k]);
    const inCell = k + 1 < cuts.length && member((cuts[k] + cuts[k + 1]) / 2);
    // a cell inside S makes its closed ends members (S is closed), even where rounding says otherwise
    if ((inCut || inCell) && open === null) open = cuts[k];
    if (open !== null && !inCell) {
      components.push([open, cuts[k]]);
      open = null;
    }
  }
  return { components, cuts, member };
}

/** S for one segment face (see the module comment); null when the lift does not apply (`bilinearScalar`). */
export function segmentSet(solver: LpSolver, f: SegmentFace): SegmentSet | null {
  let calls = 0;
  for (const tol of [0, 1e-9]) {
    const lp = liftedLp(f, tol);
    if (!lp) return null;
    const argmax = (c: Vec3): Vec3 | null => {
      const cost = lp.cost.slice();
      cost[0] = c[0];
      cost[1] = c[1];
      cost[2] = c[2];
      const x = solveOrNull(solver, { ...lp, cost })?.x;
      return x ? [x[0], x[1], x[2]] : null;
    };
    const hull = hullByOracle(argmax, SEGMENT_TOL);
    calls += hull.calls;
    if (hull.dim < 0) continue;
    return { ...setFromHalfSpaces(hull.halfSpaces), dim: hull.dim, halfSpaces: hull.halfSpaces.length, oracleCalls: calls };
  }
  return { components: [], cuts: [0, 1], member: () => false, dim: -1, halfSpaces: 0, oracleCalls: calls };
}

/** The welfare-best point of a component of S (`maxWelfareOnSegment`). */
export interface SegmentWelfare {
  /** The argmax found, s ∈ [from, to], and W there (the face's fixed-s LP). */
  s: number;
  welfare: number;
  /**
   * No point of [from, to] has W above this (the largest relaxation bound left), welfare ≤ bound; with sign −1 no
   * point has W below it, bound ≤ welfare.
   */
  bound: number;
  /** Relaxation and fixed-s LPs solved. */
  lps: number;
}

/** Most relaxation nodes of `maxWelfareOnSegment` before it stops with bound > welfare. */
export const WELFARE_MAX_NODES = 400;

/**
 * max W over the lifted LP with s ∈ box — W = V(q) + Σ_a,ω u(a,ω) X(a,ω) − r̄ Σ_ω q(ω), V(q(s)) = ⟨g0, q(s)⟩ on the
 * face (the welfare `checkCandidate` reports, with its consumer-best X), linear in (s, X). On a box [a, b] it is a
 * relaxation (McCormick's rows), an upper bound on W over the equilibria with s ∈ [a, b]; on [s, s] it is W at s.
 * Returns the bound and the s where it is attained; null when infeasible or the lift does not apply. `relax` as in
 * `liftedLp`'s tol; with `sign` −1 the same for the least W (a lower bound on a box).
 */
export function welfareOn(solver: LpSolver, f: SegmentFace, box: [number, number], relax = 1e-9, sign: 1 | -1 = 1): { W: number; s: number } | null {
  const lp = liftedLp(f, relax, box);
  if (!lp) return null;
  const { game, rbar, gs, lo, hi } = f;
  const N = game.types.length;
  const d = hi.map((x, w) => x - lo[w]);
  const g0 = gs[0];
  const cost = new Array<number>(lp.cost.length).fill(0);
  cost[0] = g0.reduce((acc, x, w) => acc + x * d[w], 0) - rbar * d.reduce((acc, x) => acc + x, 0);
  const X0 = lp.cost.length - game.fees.length * N;
  payoffVector(game, consumerSurplus).forEach((u, j) => (cost[X0 + j] = u));
  const constant = g0.reduce((acc, x, w) => acc + x * lo[w], 0) - rbar * lo.reduce((acc, x) => acc + x, 0);
  // sign −1: the least W (maximise −W)
  const sol = solveOrNull(solver, { ...lp, cost: cost.map((c) => sign * c), sense: 'max' });
  return sol ? { W: sign * sol.objective + constant, s: sol.x[0] } : null;
}

/**
 * max W (`welfareOn`) over the equilibria of the face with s ∈ [from, to]. W is linear in (s, X), but the set is
 * not convex (t = s·m), so the maximum may lie inside a component, away from every point the set's arithmetic
 * tests: `maximiseOnInterval` (branch and bound on s) with `welfareOn` on [a, b] as the bound and on [s, s] as the
 * value, until every bound is within tol·max(1, |W|) of the best point or `maxNodes` relaxations were solved. The
 * seeds (e.g. the points the set's arithmetic tested) are evaluated first. Null when the lift does not apply or no
 * point of [from, to] is feasible. With `sign` −1 the least W instead (`bound` is then a lower bound).
 */
export function maxWelfareOnSegment(
  solver: LpSolver,
  f: SegmentFace,
  from: number,
  to: number,
  seeds: readonly number[] = [],
  opts: { tol?: number; relax?: number; maxNodes?: number; sign?: 1 | -1 } = {},
): SegmentWelfare | null {
  let lps = 0;
  const sign = opts.sign ?? 1;
  // the search maximises sign·W
  const on = (box: [number, number]) => {
    lps++;
    const r = welfareOn(solver, f, box, opts.relax, sign);
    return r ? { v: sign * r.W, s: r.s } : null;
  };
  const r = maximiseOnInterval(
    (a, b) => {
      const sol = on([a, b]);
      return sol ? { bound: sol.v, at: sol.s } : null;
    },
    (s) => on([s, s])?.v ?? null,
    from,
    to,
    { seeds, tol: opts.tol ?? 1e-9, maxNodes: opts.maxNodes ?? WELFARE_MAX_NODES },
  );
  return r ? { s: r.x, welfare: sign * r.value, bound: sign * r.bound, lps } : null;
}
