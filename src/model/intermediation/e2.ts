/**
 * GP E2: buyer ownership, Nash–Walras equilibrium, and the second-best benchmark SB (GP §4, Definition 2,
 * Proposition 2; MODEL.md A.6.3), for one platform with one merchant (GP's example).
 *
 * Notation: platform payoff u_1 = γ_u·max(ω−a,0) + γ_π·a1[ω≥a] (`game`), buyer payoff g(a,ω) = β(ω)·max(ω−a,0)
 * (`buyerWeights`), privacy value r_ω of a kept record (`keepValue`). q(ω) = records sold to the platform,
 * q_0 = q̄ − q kept (no disposal, GP L144).
 *
 * Selection x*_q (GP "fix once and for all", L68): lexicographic — maximise Σ u_1 X (platform-optimal), then
 * Σ g X (buyer-best in aggregate, as in E1 and SB), then each type's own Σ_a g(a,ω)X(a,ω) in type order; this
 * makes the per-type buyer payoff H_ω(q) = q(ω)·G_1ω(q) = Σ_a g(a,ω) X*_q(a,ω) single-valued.
 *
 * Equilibrium (Definition 2) at a candidate q:
 *  (platform) p ∈ ∂U(q): (p, λ) dual-feasible with Σ p q ≤ U(q) (one LP, as in the GLP checker);
 *  (buyer ω)  t* = q(ω) maximises φ_ω(t) = r_ω(q̄(ω) − t) + H_ω(t; q_{−ω}) + p(ω) t on [0, q̄(ω)] —
 *     the representative buyer internalises her own effect on H_ω, others' quantities fixed (Nash–Walras).
 *     φ_ω is piecewise linear, so t* is optimal iff lo_ω ≤ p(ω) ≤ hi_ω with
 *       lo_ω = r_ω + sup_{t<t*} (H(t) − H(t*))/(t* − t),  hi_ω = r_ω + inf_{t>t*} (H(t*) − H(t))/(t − t*),
 *     and the chord slopes are monotone on each linear piece of H, so sup/inf are taken over piece ends.
 *  Both together are one LP feasibility problem in (p, λ); market clearing holds by construction.
 * Breakpoints of H_ω along t are located by bisection (`E2_RESOLUTION`): the search is exact up to that
 * resolution and assumes every linear piece of H_ω is longer than q̄(ω)/`E2_SEGMENTS` or detectable by the
 * four-point linearity test on its segment (H is piecewise linear with few pieces in the pricing model).
 * Candidates: every type sells all or nothing, or one type is interior (at a breakpoint of H_ω or inside a
 * linear piece, where a flat φ_ω gives a continuum). With two types, both interior is searched too (rays and
 * cones of the homogeneous selection, `bothInterior`). With three to five types, exactly two interior types and
 * the others at corners (`twoInteriorEquilibria`, e2Pairs.ts; `searched.twoInterior`; `twoInteriorMaxTypes` can
 * lower the five), and three interior types with the other types at 0 (homogeneity: with three types, every
 * allocation with three interior); with four types (unless `manyInterior` is false), three interior next to a type that sells
 * everything and all four interior (three-dimensional slices, e2Volumes.ts), and with five types when `manyInterior`
 * is true, three interior next to corner types and four interior next to a type at 0; otherwise, among four or five
 * types, those are not searched (`searched.severalInterior = false`; the flags count only types with records: with at most
 * two of them, severalInterior is twoInterior).
 * SB = max_q U(q) + Σ_ω H_ω(q) + Σ r_ω(q̄ − q)(ω) is solved exactly by the linear pieces of U (planner.ts).
 */
import { LpSolverError, solveOrNull, type LinearProgram, type LpRow, type LpSolver } from '../../lp/index.js';
import { buildDesignLp, dualFeasibilityRows, obedienceRows, payoffVector, selectionFamily } from './designLp.js';
import { consumerSurplus, platformPayoff, type PricingGame } from './payoffs.js';
import { faceRange, lexicographicSolve, newFaceCache, type FaceCache } from './lexicographic.js';
import { solvePriceSet } from './priceSet.js';
import { designPieces } from './planner.js';
import { valueKinksAlong } from './pieces.js';
import { E2_RESOLUTION, E2_SEGMENTS, E2ResolutionError, END_BAND, MAX_LINE_EVALUATIONS, buyerStaged, mixStaged, pieceEnds, selectionStages, shift } from './pieceEnds.js';
import { VectorMap } from './vectorMap.js';

export { buyerStaged, E2_RESOLUTION, E2_SEGMENTS, E2ResolutionError, END_BAND, MAX_LINE_EVALUATIONS, pieceEnds, selectionStages };
import { MAX_TWO_INTERIOR_TYPES, MAX_TWO_INTERIOR_TYPES_HARD, pairSlices, threeInteriorEquilibria, tripleTypes, twoInteriorEquilibria } from './e2Pairs.js';
import { e2VolumeMarket, manyInteriorEquilibria, MAX_VOLUME_TYPES, VOLUME_TYPES, volumes } from './e2Volumes.js';
import { assertUnitMasses } from './massUnit.js';

export interface E2Market {
  game: PricingGame;
  buyerWeights: number[];
  qBar: number[];
  keepValue: number[];
}


/** U(q) and every H_ω(q): what the E2 searches read. */
export type E2Values = Pick<E2Payoffs, 'value' | 'buyer'>;

export interface E2Payoffs {
  /** U(q), the platform's value. */
  value: number;
  /** H_ω(q) = Σ_a g(a,ω) X*_q(a,ω). */
  buyer: number[];
  X: number[][];
}

function buyerVector(m: E2Market): number[] {
  return payoffVector(m.game, (a, w) => m.buyerWeights[m.game.types.indexOf(w)] * consumerSurplus(a, w));
}

/** Whether g(a, ω) = 0 for every use a of a payoff vector laid out a·N + ω (then H_ω ≡ 0 exactly). */
export function payoffFree(g: ArrayLike<number>, N: number, w: number): boolean {
  for (let j = w; j < g.length; j += N) if (g[j] !== 0) return false;
  return true;
}

/**
 * What the selection needs of a market whatever q: P_q's rows other than the resource rows, its column bounds and
 * objective, and the buyer stages' costs (Σ g X, then each type's own). A search builds it once (`E2Memo`).
 */
export interface E2Design {
  template: LinearProgram;
  g: number[];
  perType: number[][];
}

export function e2Design(m: E2Market): E2Design {
  const N = m.game.types.length;
  const template = buildDesignLp(m.game, new Array<number>(N).fill(0));
  const g = buyerVector(m);
  return { template, g, perType: m.game.types.map((_, w) => g.map((c, j) => (j % N === w ? c : 0))) };
}

/** P_q: the template with the resource rows' bounds at q (rows 0..N−1, designLp.ts). */
function selectionLp(template: LinearProgram, N: number, q: ArrayLike<number>): LinearProgram {
  return { ...template, rows: template.rows.map((r, i) => (i < N ? { ...r, lower: q[i], upper: q[i] } : r)) };
}

/**
 * Where, on the line q + s·e, the selection's stages are affine around q — the interval [lo, hi] ∋ 0 of s that a
 * cached face of the selection certifies (lexicographic.ts `faceRange`; the first containing `want`), or undefined.
 * The selection at q must have been computed with this memo (its face is then cached, unless evicted).
 */
export function selectionRange(m: E2Market, q: number[], e: number[], memo: E2Memo, want?: readonly [number, number]): [number, number] | undefined {
  const design = (memo.design ??= e2Design(m));
  const N = m.game.types.length;
  return faceRange(memo.faces, selectionFamily(q), selectionLp(design.template, N, q), selectionLp(design.template, N, q.map((x, k) => x + e[k])), want);
}

/** The selection x*_q and its payoffs (module comment). */
export function e2Payoffs(solver: LpSolver, m: E2Market, q: number[], faces?: FaceCache, design: E2Design = e2Design(m)): E2Payoffs {
  const N = m.game.types.length;
  const { template, g } = design;
  // P_q: the template with the resource rows' bounds at q (rows 0..N−1, designLp.ts)
  const lp = selectionLp(template, N, q);
  const costs = [lp.cost, g];
  for (let w = 0; w < N; w++) if (q[w] > 0) costs.push(design.perType[w]);
  const sols = lexicographicSolve(solver, lp, costs, faces && { cache: faces, family: selectionFamily(q) });
  const value = sols[0].objective;
  const last = sols[sols.length - 1];
  const buyer = new Array<number>(N).fill(0);
  const X = m.game.fees.map((_, a) => m.game.types.map((__, w) => Math.max(0, last.x[a * N + w])));
  // per-type payoffs from the final X (consistent with the stages: lexicographic.ts)
  for (let w = 0; w < N; w++) buyer[w] = m.game.fees.reduce((s, _, a) => s + g[a * N + w] * X[a][w], 0);
  return { value, buyer, X };
}


/**
 * [lo, hi] for p(ω) that make t* a best response of the representative ω-buyer (module comment). Ends within
 * `near` of t* are t*'s own breakpoint, located on another line to the breakpoint resolution (a chord over such a
 * distance is rounding noise), and are skipped; every other chord carries the payoffs' rounding, CHORD_ROUNDING
 * relative, over its length.
 */
function buyerBounds(ends: Array<{ t: number; h: number }>, tStar: number, hStar: number, r: number, near: number, rounding = CHORD_ROUNDING): { lo: number; hi: number } {
  let lo = -Infinity;
  let hi = Infinity;
  for (const e of ends) {
    const slack = (rounding * Math.max(1, Math.abs(e.h), Math.abs(hStar))) / Math.abs(e.t - tStar);
    if (e.t < tStar - near) lo = Math.max(lo, (e.h - hStar) / (tStar - e.t) - slack);
    if (e.t > tStar + near) hi = Math.min(hi, (hStar - e.h) / (e.t - tStar) + slack);
  }
  return { lo: r + lo, hi: r + hi };
}

/**
 * Rounding of a payoff, relative, in the exact buyer bounds' chords. On a three-interior face point (1e-6·q̄ from
 * the box) the chord to q̄ is 8.4e-7 long: payoffs 1.8000000000000023 and …063 made its slope −4.8e-9 on a flat
 * piece, beyond the 1e-9 tolerance, and the point failed a re-check that 0.98 of it passed (review). The LPs'
 * payoffs carry more: a kink 2.4e-6 from t* came out 1e-13 above the line it ends (HiGHS and javascript-lp-solver
 * alike), and with 4e-15 the exact test's verdict flipped from point to point of a knife-edge region (a four-type
 * γ = (0, 0) market: 611 of 2,902 points inside reported cells failed it, and the region came out as 3,194 entries
 * of slivers in 360 s; 43 entries in 4 s with 1e-12). A buyer's gain below 1e-12·max(1, |H|) is rounding.
 */
export const CHORD_ROUNDING = 1e-12;

export interface E2Equilibrium {
  /** q(ω) sold to the platform. */
  records: number[];
  kept: number[];
  /** One supporting price vector (the LP's vertex). */
  prices: number[];
  /** Exact range of each p(ω) over all supporting prices (platform optimality ∩ buyer optimality). */
  priceIntervals: Array<{ lower: number; upper: number }>;
  /** W = U + Σ H + Σ r q_0. */
  welfare: number;
  platformValue: number;
  buyerSurplus: number[];
  /**
   * Set when the interior type's records form a continuum of equilibria: [from, to] within one linear piece of its
   * H_ω (ends tested, boundaries by bisection; `extent`).
   */
  continuum?: { type: number; from: number; to: number };
  /**
   * Two types, both interior (`bothInterior`): the cone of ratios q(0)/q(1) ∈ [ratios[0], ratios[1]] (equal ends: a
   * ray) holding this equilibrium; its equilibria there are the records at least `from` along the ray (a ray), or
   * an up-set of the cone ∩ box whose top is near this point (a cone).
   */
  pair?: { ratios: [number, number]; from?: number[] };
  /**
   * Three or more types: exactly two types interior, the others at corners (e2Pairs.ts). A point; with
   * `from`/`to` (the records at its ends), a segment of such equilibria; with `cell` (its vertices' records), a
   * point inside a polygon on which the payoffs are linear — or a convex union of such polygons whose every cell,
   * edge and vertex inside passed (sliceMerge.ts) — whose equilibria (a knife-edge: both interior types' prices
   * pinned) contain this one and are not delimited further.
   */
  twoInterior?: { types: [number, number]; from?: number[]; to?: number[]; cell?: number[][] };
  /**
   * Three types with records, all interior (e2Pairs.ts `threeInteriorEquilibria`): a point (1 − 10⁻⁶ of the way to
   * the box along its ray, on the face where type `face` fills first), or with `from`/`to` or `cell` a segment or
   * cell of such points on that face, as `twoInterior`; the equilibria are these points' rays from where they enter
   * the set up to the box, and `rayFrom` is that entry on this point's ray (left out when the verdicts along the
   * ray are not monotone: the point is within the tolerance of the set, not on it).
   */
  threeInterior?: { face: number; from?: number[]; to?: number[]; cell?: number[][]; rayFrom?: number[] };
  /**
   * Four types with records (e2Volumes.ts): three types interior next to a type that sells everything, or, with
   * `face`, four types interior (the others at 0) — then, as `threeInterior`, a point 1 − 10⁻⁶ of the way to the box
   * along its ray on the face where type `face` fills first, the equilibria being these points' rays from `rayFrom`.
   * `types`: the interior types. A point; with `from`/`to` a segment, with `cell` a polygon of such points on one
   * of the planes searched (a knife-edge set, not delimited further).
   */
  manyInterior?: { types: number[]; face?: number; from?: number[]; to?: number[]; cell?: number[][]; rayFrom?: number[] };
}

/** The LP over (p, λ): dual-feasible, Σ p q ≤ U(q), lo ≤ p ≤ hi. */
function priceLp(m: E2Market, q: number[], U: number, bounds: Array<{ lo: number; hi: number }>, relTol: number): LinearProgram {
  const N = m.game.types.length;
  const obed = obedienceRows(m.game);
  const v = payoffVector(m.game, (a, w) => platformPayoff(m.game, a, w));
  const dual = dualFeasibilityRows(v, obed, N, (w) => w, (o) => N + o);
  const tol = relTol * Math.max(1, Math.abs(U));
  const rows: LpRow[] = [...dual, { indices: q.map((_, w) => w), values: q, lower: -Infinity, upper: U + tol }];
  const n = N + obed.length;
  return {
    sense: 'max',
    cost: new Array<number>(n).fill(0),
    colLower: [...bounds.map((b) => Math.max(0, b.lo - tol)), ...new Array<number>(obed.length).fill(0)],
    colUpper: [...bounds.map((b) => b.hi + tol), ...new Array<number>(obed.length).fill(Infinity)],
    rows,
  };
}

/** Is q an E2 equilibrium? Returns it with its price set, or null. */
/**
 * Memo of the pure maps q ↦ x*_q payoffs and (line ω, q_{−ω}) ↦ breakpoints of H_ω, shared by the candidates of
 * one `findE2` call: every candidate on a line re-derives the same piece ends of H_ω along it, so without the memo
 * the same LPs are solved again for each candidate (GP example: ≈ 0.6 s of the whole solve).
 */
export interface E2Memo {
  /** U and H only: the selection X itself would take ~5× the memory (a five-type search keeps 550k of these). */
  payoffs: VectorMap<E2Values>;
  ends: Map<string, Array<{ t: number; h: number }>>;
  /** The selection's faces met so far (lexicographic.ts `FaceCache`). */
  faces: FaceCache;
  /** The market's design LP without q (built on first use). */
  design?: E2Design;
  /** Most payoffs kept before the memo starts afresh (`MAX_MEMO_PAYOFFS`). */
  capacity: number;
  /** Cells the slice searches reported at their centre only (sliceSearch.ts `onPartial`): a search with any is not exhaustive. */
  partialCells: number;
}

export function newE2Memo(capacity = MAX_MEMO_PAYOFFS): E2Memo {
  return { payoffs: new VectorMap(), ends: new Map(), faces: newFaceCache(), capacity, partialCells: 0 };
}

/**
 * Most payoffs kept in an E2Memo (~550 bytes each): past it the memo starts afresh (it is a cache; the values are
 * recomputed the same way). A four-type volume search with one mass × 1e-4 kept 3.5 million, 1.9 GB, and a second
 * volume ran out of memory (review).
 */
export const MAX_MEMO_PAYOFFS = 1_500_000;

export function payoffsAt(solver: LpSolver, m: E2Market, q: number[], memo: E2Memo): E2Values {
  let r = memo.payoffs.get(q);
  if (!r) {
    if (memo.payoffs.size >= memo.capacity) {
      memo.payoffs = new VectorMap();
      memo.ends.clear();
    }
    const p = e2Payoffs(solver, m, q, memo.faces, (memo.design ??= e2Design(m)));
    r = { value: p.value, buyer: p.buyer };
    memo.payoffs.set(q, r);
  }
  return r;
}

function lineKey(q: number[], w: number): string {
  return `${w}|${q.map((x, k) => (k === w ? '*' : x)).join()}`;
}

/** Breakpoints of H_ω along the line through q in direction e_ω (memoised). */
export function lineEnds(solver: LpSolver, m: E2Market, q: number[], w: number, memo: E2Memo): Array<{ t: number; h: number }> {
  return endsAlong(solver, m, q, w, memo, lineKey(q, w), (p) => buyerStaged(p, w));
}

/**
 * Breakpoints along the same line of the other buyers' payoffs whose types hold records there (a mix, `mixStaged`):
 * a type kept at a corner is an equilibrium only under conditions that change where its own payoff kinks, and a set
 * on the line can end there inside a piece of H_ω and U (review: (t, 0.7, 0) for t ∈ [0.7, 1.01], bounded by buyer
 * 1's pooling kink min(q(0), q(1)), was reported as its corner end only). Empty when no other type holds records.
 */
export function othersLineEnds(solver: LpSolver, m: E2Market, q: number[], w: number, memo: E2Memo): Array<{ t: number; h: number }> {
  const others = q.map((_, k) => k).filter((k) => k !== w && q[k] > 0);
  return others.length === 0 ? [] : endsAlong(solver, m, q, w, memo, `o${lineKey(q, w)}`, (p) => mixStaged(p, others));
}

/** Breakpoints of `staged` (a payoff of the selection, with its stages) along q's line in direction e_ω, memoised under `key`. */
function endsAlong(solver: LpSolver, m: E2Market, q: number[], w: number, memo: E2Memo, key: string, staged: (p: E2Values) => { h: number; stages: number[] }): Array<{ t: number; h: number }> {
  let r = memo.ends.get(key);
  if (!r) {
    const e = q.map((_, k) => (k === w ? 1 : 0));
    r = pieceEnds((s) => {
      const at = q.map((x, k) => (k === w ? s : x));
      return { ...staged(payoffsAt(solver, m, at, memo)), range: (a, b) => shift(selectionRange(m, at, e, memo, [a - s, b - s]), s) };
    }, m.qBar[w]);
    memo.ends.set(key, r);
  }
  return r;
}

/**
 * Tightens a buyer's price bounds b = [lo, hi] with the chords of her payoff H from t* to each point t of `ts` in
 * [0, cap] (`h(t)` = H there): a deviation to t bounds p(ω) by r + (H(t) − H(t*))/(t* − t) from below (t < t*) or
 * r + (H(t*) − H(t))/(t − t*) from above. Each chord is widened by 4e-9·max(1, |H|) over its length (rounding of
 * the payoffs), so bounds from some of the points contain the exact ones from all piece ends. Points within the
 * breakpoint resolution of t* are skipped, as in `buyerBounds`. Shared by the sampled-bounds filters of e2.ts and
 * e2Multi.ts.
 */
export function tightenByChords(b: { lo: number; hi: number }, ts: number[], tStar: number, hStar: number, r: number, T: number, cap: number, h: (t: number) => number): void {
  for (const t of ts) {
    if (!(t >= 0 && t <= cap) || Math.abs(t - tStar) <= 10 * E2_RESOLUTION * Math.max(1, T)) continue;
    const ht = h(t);
    const slack = (4e-9 * Math.max(1, Math.abs(ht), Math.abs(hStar))) / Math.abs(t - tStar);
    if (t < tStar) b.lo = Math.max(b.lo, r + (ht - hStar) / (tStar - t) - slack);
    else b.hi = Math.min(b.hi, r + (hStar - ht) / (t - tStar) + slack);
  }
}

/**
 * Tightens p(ω)'s bounds b with the chords of the platform's value U from t* to each point t of `ts` (`u(t)` = U
 * there, the others' records fixed): every p of the price LP is dual feasible, so p·q' ≥ U(q') for all q' ≥ 0, and
 * p·q ≤ U(q) + tol; hence p(ω) ≥ (U(t) − U(t*) − tol)/(t − t*) for t > t*, and p(ω) ≤ (U(t*) − U(t) + tol)/(t* − t)
 * for t < t* (points in [0, cap]; e2Multi.ts: each platform's U_i at its own records). The rows of the LP imply
 * them (with 4e-9·max(1, |U|) over the chord's length for its tolerance and the values' rounding), so they only
 * reject, before any LP (`boundsFeasible`'s `implied`): a five-type E2 search spent half its time in price LPs that
 * these bounds decide (22 → 10 s).
 */
export function tightenByValueChords(b: { lo: number; hi: number }, ts: number[], tStar: number, uStar: number, T: number, cap: number, u: (t: number) => number): void {
  for (const t of ts) {
    if (!(t >= 0 && t <= cap) || Math.abs(t - tStar) <= 10 * E2_RESOLUTION * Math.max(1, T)) continue;
    const ut = u(t);
    const slack = (4e-9 * Math.max(1, Math.abs(ut), Math.abs(uStar))) / Math.abs(t - tStar);
    if (t > tStar) b.lo = Math.max(b.lo, (ut - uStar) / (t - tStar) - slack);
    else b.hi = Math.min(b.hi, (uStar - ut) / (tStar - t) + slack);
  }
}

/**
 * One type's bounds admit no price of the price LP: lo > hi, or they miss the bounds its rows imply (`implied`,
 * compared with `bounds` widened by the LP's column tolerance `tol`).
 */
export function boundsEmpty(b: { lo: number; hi: number }, implied?: { bounds: { lo: number; hi: number }; tol: number }): boolean {
  if (b.lo > b.hi + 1e-9 * Math.max(1, Math.abs(b.hi))) return true;
  return implied !== undefined && Math.max(b.lo - implied.tol, implied.bounds.lo) > Math.min(b.hi + implied.tol, implied.bounds.hi);
}

/**
 * The price LP with these bounds is feasible (lo ≤ hi first): the last step of the sampled-bounds filters.
 * `implied` are bounds the LP's own rows imply (`tightenByValueChords`): where they do not meet `bounds` widened by
 * `tol` (as the LP widens its column bounds: priceLp's tol) the LP is infeasible, without solving it (compared
 * with `bounds` themselves, a review found prices within 1e-9·U of a chord rejected at U = 120 that the LP
 * accepts). A filter may only rule out: an LP the solver cannot decide (status "unknown" after its retries: a
 * five-type market's price LP, feasible only with a price of type 0 — nobody's records — near 5e8 by
 * javascript-lp-solver) counts as feasible, and the exact test decides.
 */
export function boundsFeasible(solver: LpSolver, bounds: Array<{ lo: number; hi: number }>, lp: (bounds: Array<{ lo: number; hi: number }>) => LinearProgram, implied?: { bounds: Array<{ lo: number; hi: number }>; tol: number }): boolean {
  if (bounds.some((b, w) => boundsEmpty(b, implied && { bounds: implied.bounds[w], tol: implied.tol }))) return false;
  try {
    return solveOrNull(solver, lp(bounds)) !== null;
  } catch (e) {
    if (e instanceof LpSolverError) return true;
    throw e;
  }
}

/**
 * A necessary condition for `checkE2`, from a few points per line instead of its resolved pieces: each buyer's
 * [lo, hi] from `tightenByChords` contains the exact one, so an infeasible price LP with these bounds rules q out.
 * Lines already resolved give their exact bounds. Rounds, each ending in one price LP: the points t* ± q̄/1024
 * (the local slopes, usually what binds; the interior types' first, then every type's), then the `E2_SEGMENTS`
 * grid that `pieceEnds` evaluates first (memoised either way). At the 5-type GP fuzz market this cut `findE2` from 226 s to 13 s: candidates no longer resolve the
 * other buyers' lines (a few hundred lexicographic LPs each) unless they pass.
 */
export function passesSampledBounds(solver: LpSolver, m: E2Market, q: number[], memo: E2Memo = newE2Memo()): boolean {
  const here = payoffsAt(solver, m, q, memo);
  const bounds = q.map(() => ({ lo: -Infinity, hi: Infinity }));
  const byValue = q.map(() => ({ lo: -Infinity, hi: Infinity }));
  const open: number[] = [];
  q.forEach((tStar, w) => {
    const T = m.qBar[w];
    if (!(T > 0)) bounds[w] = { lo: 0, hi: Infinity };
    else {
      const known = memo.ends.get(lineKey(q, w));
      if (known) bounds[w] = buyerBounds(known, tStar, here.buyer[w], m.keepValue[w], 10 * E2_RESOLUTION * Math.max(1, T));
      else open.push(w);
    }
  });
  // priceLp widens the columns' bounds by 1e-9·max(1, |U|)
  const tol = 1e-9 * Math.max(1, Math.abs(here.value));
  // false as soon as one type's bounds are empty (no LP, and the other types' points are not evaluated)
  const tighten = (w: number, ts: number[]) => {
    const at = (t: number) => payoffsAt(solver, m, q.map((x, k) => (k === w ? t : x)), memo);
    tightenByChords(bounds[w], ts, q[w], here.buyer[w], m.keepValue[w], m.qBar[w], m.qBar[w], (t) => at(t).buyer[w]);
    tightenByValueChords(byValue[w], ts, q[w], here.value, m.qBar[w], m.qBar[w], (t) => at(t).value);
    return !boundsEmpty(bounds[w], { bounds: byValue[w], tol });
  };
  const feasible = () => boundsFeasible(solver, bounds, (b) => priceLp(m, q, here.value, b, 1e-9), { bounds: byValue, tol });
  const local = (w: number) => tighten(w, [q[w] - m.qBar[w] / 1024, q[w] + m.qBar[w] / 1024]);
  // the interior types' local slopes first: they pin those types' prices and usually decide alone (a 5-type
  // two-interior slice: 7,170 of 7,170 candidates ruled out by them, with 38k instead of 60k selections)
  const interior = open.filter((w) => q[w] > 0 && q[w] < m.qBar[w]);
  if (interior.length && interior.length < open.length && !(interior.every(local) && feasible())) return false;
  if (!(open.filter((w) => !interior.includes(w) || interior.length === open.length).every(local) && feasible())) return false;
  if (open.length === 0) return true;
  return open.every((w) => tighten(w, Array.from({ length: E2_SEGMENTS + 1 }, (_, k) => (m.qBar[w] * k) / E2_SEGMENTS))) && feasible();
}

/** `prefilter: false` skips `passesSampledBounds` (same verdicts, slower; for tests of that filter). */
export function checkE2(solver: LpSolver, m: E2Market, q: number[], memo: E2Memo = newE2Memo(), prefilter = true): E2Equilibrium | null {
  const N = q.length;
  // a type whose records are worth nothing to their buyer in any use (g(·, ω) ≡ 0: β(ω) = 0, or ω at most the
  // lowest fee) has H_ω ≡ 0 exactly, so its chords carry no rounding: its price bounds are exact (review: p(1) ≤ 3 +
  // 9.8e-9 for r = 3 at a type with 1e-4 of the largest mass)
  const g = (memo.design ??= e2Design(m)).g;
  const here = payoffsAt(solver, m, q, memo);
  if (prefilter && !passesSampledBounds(solver, m, q, memo)) return null;
  const bounds = q.map((t, w) => {
    if (!(m.qBar[w] > 0)) return { lo: 0, hi: Infinity };
    return buyerBounds(lineEnds(solver, m, q, w, memo), t, here.buyer[w], m.keepValue[w], 10 * E2_RESOLUTION * Math.max(1, m.qBar[w]), payoffFree(g, N, w) ? 0 : CHORD_ROUNDING);
  });
  if (bounds.some((b) => b.lo > b.hi + 1e-9 * Math.max(1, Math.abs(b.hi)))) return null;
  const prices = solvePriceSet(solver, (tol) => priceLp(m, q, here.value, bounds, tol), q.map((_, w) => w));
  if (!prices) return null;
  const kept = q.map((t, w) => m.qBar[w] - t);
  const buyerTotal = here.buyer.reduce((a, b) => a + b, 0);
  return {
    records: q,
    kept,
    prices: Array.from(prices.x.subarray(0, N)),
    priceIntervals: prices.intervals,
    welfare: here.value + buyerTotal + kept.reduce((s, k, w) => s + k * m.keepValue[w], 0),
    platformValue: here.value,
    buyerSurplus: here.buyer,
  };
}

/**
 * All E2 equilibria with at most one interior type (module comment), with two types also those with both interior
 * (`bothInterior`), with three to five types those with two interior, and those with three interior and the other
 * types at 0 (e2Pairs.ts); highest welfare first.
 */
export function findE2(
  solver: LpSolver,
  m: E2Market,
  opts: {
    onProgress?: (done: number, total: number) => void;
    /** Most types with records for which two interior types are searched (default and most MAX_TWO_INTERIOR_TYPES = 5). */
    twoInteriorMaxTypes?: number;
    /**
     * With four types with records: search three interior next to a full type, and four interior (e2Volumes.ts;
     * default true — false skips the volumes, and `severalInterior` is then false). With five: true searches the 50
     * volumes of three interior next to corner types and four interior next to a type at 0 (default false: 2–11×
     * the time of the rest on random markets); `severalInterior` stays false (four-dimensional sets not searched).
     */
    manyInterior?: boolean;
    /** Most payoffs the search's memo keeps before it starts afresh (default MAX_MEMO_PAYOFFS; tests set it low). */
    memoCapacity?: number;
  } = {},
): {
  equilibria: E2Equilibrium[];
  searched: { corners: boolean; oneInterior: boolean; severalInterior: boolean; twoInterior: boolean };
  /** Set when two interior types were not searched for this limit: the types with records, and the limit. */
  twoInteriorLimit?: { types: number; maxTypes: number };
  /**
   * Four or five types with records: every allocation with three interior types and the other types at 0 was
   * searched (every triple's slices resolved) — part of what `severalInterior` leaves out.
   */
  threeInteriorUnsold?: boolean;
  /**
   * Four or five types with records: whether the volume search (three interior next to corner types, four interior)
   * was asked for (`manyInterior`), and whether every volume was searched (none skipped for its planes or payoffs).
   */
  manyInterior?: { requested: boolean; complete: boolean };
} {
  assertUnitMasses(m.qBar, 'findE2');
  const N = m.qBar.length;
  const out: E2Equilibrium[] = [];
  const memo = newE2Memo(opts.memoCapacity);
  const push = (e: E2Equilibrium | null) => {
    if (e && !out.some((o) => o.records.every((x, k) => Math.abs(x - e.records[k]) <= 1e-9))) out.push(e);
  };
  const corners: number[][] = [];
  for (let mask = 0; mask < 1 << N; mask++) corners.push(m.qBar.map((x, k) => (mask & (1 << k) ? x : 0)));
  let pieces: number[][] | undefined;
  const valuePieces = () => (pieces ??= designPieces(solver, m.game).gradients);
  const seen = new Set<string>();
  for (const c of corners) {
    const key = c.join();
    if (seen.has(key)) continue;
    seen.add(key);
    push(checkE2(solver, m, c, memo));
  }
  // progress: the lines through the corners (one interior type), then the two-interior slices
  // P types with records: only they can be interior (the others are at 0 in every candidate)
  const P = m.qBar.filter((x) => x > 0).length;
  const lines = P * 2 ** (N - 1);
  const maxTwo = Math.min(opts.twoInteriorMaxTypes ?? MAX_TWO_INTERIOR_TYPES, MAX_TWO_INTERIOR_TYPES_HARD);
  const slicesSearched = N >= 3 && P >= 2 && P <= maxTwo;
  // three interior types with the other types at 0: every triple of types with records (e2Pairs.ts)
  const triples = tripleTypes(m.qBar);
  // four types with records: three interior next to a full type, and four interior (e2Volumes.ts)
  const manyInterior = opts.manyInterior ?? P <= VOLUME_TYPES;
  const volumeCount = manyInterior ? volumes(m.qBar).length : 0;
  const total = lines + (slicesSearched ? pairSlices(m.qBar).length : 0) + 3 * triples.length + volumeCount;
  let done = 0;
  for (let w = 0; w < N; w++) {
    if (!(m.qBar[w] > 0)) continue;
    for (const c of corners) {
      if (c[w] !== 0) continue;
      opts.onProgress?.(done++, total);
      const line = (s: number) => c.map((x, k) => (k === w ? s : x));
      // the payoff's piece ends and U's kinks along the line (where ∂U is a segment, a point equilibrium can sit
      // inside a linear piece of H_ω: 16 such points in 40 random two-type markets, missed before 2026-11-27)
      const T = m.qBar[w];
      const raw = [...lineEnds(solver, m, line(0), w, memo), ...othersLineEnds(solver, m, line(0), w, memo)].map((e) => e.t).concat(valueKinksAlong(valuePieces(), line(0), w, T)).sort((a, b) => a - b);
      const ends = raw.filter((t, k) => k === 0 || t - raw[k - 1] > E2_RESOLUTION * Math.max(1, T)).map((t) => ({ t }));
      for (let k = 0; k < ends.length; k++) {
        const t = ends[k].t;
        if (t > 0 && t < m.qBar[w]) push(checkE2(solver, m, line(t), memo));
        if (k + 1 < ends.length) {
          const a = ends[k].t;
          const b = ends[k + 1].t;
          for (const { eq, span } of pieceSets((t) => checkE2(solver, m, line(t), memo), a, b, T)) {
            if (span) eq.continuum = { type: w, ...span };
            push(eq);
          }
        }
      }
    }
  }
  const pair = N === 2 && m.qBar.every((x) => x > 0);
  if (pair) for (const e of bothInterior(solver, m, memo)) push(e);
  let twoComplete = slicesSearched;
  if (slicesSearched) {
    const two = twoInteriorEquilibria(solver, m, memo, () => opts.onProgress?.(done++, total));
    two.equilibria.forEach(push);
    twoComplete = two.complete;
  }
  // three types all interior and the others at 0: homogeneous, three face slices per triple (e2Pairs.ts); with
  // P = 3 that is every allocation with three interior types
  let threeComplete = triples.length > 0;
  for (const types of triples) {
    const three = threeInteriorEquilibria(solver, m, E2_PAIR_INSET, memo, () => opts.onProgress?.(done++, total), types);
    three.equilibria.forEach(push);
    threeComplete &&= three.complete;
  }
  let volumesComplete = volumeCount > 0;
  if (volumeCount > 0) {
    const many = manyInteriorEquilibria(solver, e2VolumeMarket(solver, m, memo, valuePieces()), () => opts.onProgress?.(done++, total));
    many.equilibria.forEach(({ eq, manyInterior }) => push({ ...eq, manyInterior }));
    volumesComplete = many.complete;
  }
  opts.onProgress?.(total, total);
  sortByWelfare(out, m.qBar, (e) => [e.records]);
  // two interior types: bothInterior (N = 2) or the slices; with P ≤ 2 no allocation has more; with P = 3 the
  // three-interior faces too
  const twoInterior = P < 2 || pair || twoComplete;
  const limited = N >= 3 && P > maxTwo;
  return {
    equilibria: out,
    searched: {
      corners: true,
      oneInterior: true,
      severalInterior: P < 2 || (P === 2 && twoInterior) || (P === 3 && twoInterior && threeComplete) || (P === VOLUME_TYPES && twoInterior && threeComplete && volumesComplete),
      twoInterior,
    },
    ...(limited ? { twoInteriorLimit: { types: P, maxTypes: maxTwo } } : {}),
    ...(P >= 4 ? { threeInteriorUnsold: threeComplete } : {}),
    ...(P === VOLUME_TYPES || P === MAX_VOLUME_TYPES ? { manyInterior: { requested: manyInterior, complete: volumesComplete } } : {}),
  };
}

/**
 * E2 entries by welfare; equal welfare (to rounding) by records relative to q̄ (`holdings`: each platform's records),
 * so that the order does not depend on the search's (a market with welfare tied across its sets listed them in
 * another order at 2q̄). Shared with findE2Multi.
 */
export function sortByWelfare<T extends { welfare: number }>(out: T[], qBar: number[], holdings: (e: T) => number[][]): void {
  const wScale = 1e-12 * Math.max(1, ...out.map((e) => Math.abs(e.welfare)));
  const rel = (e: T) => holdings(e).flatMap((q) => q.map((x, w) => (qBar[w] > 0 ? x / qBar[w] : 0)));
  out.sort((x, y) => {
    if (Math.abs(y.welfare - x.welfare) > wScale) return y.welfare - x.welfare;
    const [a, b] = [rel(x), rel(y)];
    const k = a.findIndex((v, w) => Math.abs(v - b[w]) > 1e-9);
    return k < 0 ? 0 : a[k] - b[k];
  });
}

/**
 * The extent of a continuum on [a, b] (a piece of a line between breakpoints of H_ω, of the other buyers' payoffs
 * and of U, or part of one) from a point `mid` that is an equilibrium (default the middle): each end is tested and,
 * when it fails, the boundary is located by bisection from `mid`. The set is taken to be an interval there —
 * checked at its ends and `mid`, not proved (`pieceSets`).
 */
export function extent(ok: (t: number) => boolean, a: number, b: number, mid = (a + b) / 2): { from: number; to: number } {
  const edge = (end: number): number => {
    if (ok(end)) return end;
    let [good, bad] = [mid, end];
    for (let k = 0; k < 60 && Math.abs(bad - good) > E2_RESOLUTION * Math.max(1, Math.abs(b)); k++) {
      const t = (good + bad) / 2;
      if (ok(t)) good = t;
      else bad = t;
    }
    return good;
  };
  return { from: edge(a), to: edge(b) };
}

/**
 * The sets of a one-interior line's piece [a, b] (between breakpoints): the middle and the quarter points are
 * tested, and from each that passes, in that order and not inside a set found already, the set's extent by
 * bisection between the failing test points on either side (`extent`); `span` only when longer than the
 * resolution. A component that holds none of the three points is missed. Shared by findE2 and findE2Multi (before,
 * findE2 tested the middle only, and findE2Multi reported passing quarter points next to a failing one as points).
 */
export function pieceSets<E>(check: (t: number) => E | null, a: number, b: number, T: number): Array<{ eq: E; span?: { from: number; to: number } }> {
  const inner = [0.25, 0.5, 0.75].map((f) => ({ t: a + f * (b - a), eq: check(a + f * (b - a)) }));
  const out: Array<{ eq: E; span?: { from: number; to: number } }> = [];
  const spans: Array<{ from: number; to: number }> = [];
  for (const n of [1, 0, 2]) {
    const { t, eq } = inner[n];
    if (!eq || spans.some((s) => t >= s.from && t <= s.to)) continue;
    const below = inner.slice(0, n).filter((o) => !o.eq).pop();
    const above = inner.slice(n + 1).find((o) => !o.eq);
    const span = extent((x) => check(x) !== null, below?.t ?? a, above?.t ?? b, t);
    spans.push(span);
    out.push({ eq, ...(span.to - span.from > E2_RESOLUTION * Math.max(1, T) ? { span } : {}) });
  }
  return out;
}

/** U and every buyer's H, read off the selection's payoffs. */
function parts(N: number): Array<(p: E2Values) => number> {
  return [(p) => p.value, ...Array.from({ length: N }, (_, k) => (p: E2Values) => p.buyer[k])];
}

/**
 * Moves each of `types`' records onto a breakpoint of its own line within 1e-8·q̄ (a chord over the gap is noise);
 * `ends(q, ω)`: the breakpoints of H_ω along q's line in direction e_ω.
 */
export function snapToOwnBreakpoints(q: number[], types: number[], qBar: number[], ends: (q: number[], w: number) => Array<{ t: number }>): void {
  for (const w of types) {
    const near = ends(q, w).find((e) => e.t > 0 && e.t < qBar[w] && Math.abs(e.t - q[w]) <= 1e-8 * Math.max(1, qBar[w]));
    if (near) q[w] = near.t;
  }
}

/**
 * The slice searches' exact test at q (`types` the moving ones): `check`, and when that fails but the sampled
 * bounds pass (`passes`), again at the moving records moved onto their own lines' breakpoints (walls are located to
 * ~1e-10; a chord over the gap is noise). Snapping every point would resolve both lines for candidates the bounds
 * rule out. For one merchant `checkE2Snapped`; e2Multi.ts uses it for one platform of several merchants.
 */
export function snappedTest<T>(q: number[], types: number[], qBar: number[], t: { check: (q: number[]) => T | null; passes: (q: number[]) => boolean; ends: (q: number[], w: number) => Array<{ t: number }> }): T | null {
  const e = t.check(q);
  if (e || !t.passes(q)) return e;
  const moved = [...q];
  snapToOwnBreakpoints(moved, types, qBar, t.ends);
  return moved.some((x, w) => x !== q[w]) ? t.check(moved) : null;
}

/** `snappedTest` with `checkE2` (one platform, one merchant). */
export function checkE2Snapped(solver: LpSolver, m: E2Market, q: number[], types: number[], memo: E2Memo): E2Equilibrium | null {
  return snappedTest(q, types, m.qBar, {
    check: (x) => checkE2(solver, m, x, memo),
    passes: (x) => passesSampledBounds(solver, m, x, memo),
    ends: (x, w) => lineEnds(solver, m, x, w, memo),
  });
}

/** How far inside the box the two-type candidates are taken (relative), and inside a cone from its edge ray. */
export const E2_PAIR_INSET = 1e-6;

/**
 * Two types, both interior (q ∈ (0, q̄)²). x*_q is positively homogeneous (the lexicographic LP scales with q), so
 * U, H_0 and H_1 are linear on the cones between finitely many rays q(0)/q(1) = ρ_k (their kinks, found along
 * q = (t, 1) and q = (1, t) by `pieceEnds`). With ρ = q(0)/q(1) and the buyers' lines scaled by q(1) (resp. q(0)),
 * the platform's condition and the buyers' conditions to the left of their own record (lo_ω) depend on ρ only,
 * and the right-hand conditions (hi_ω) get weaker as the record grows (the line beyond it shrinks, in scaled
 * terms): along a ray the equilibria are {λ ≥ λ*} up to the box, and inside a cone — where a buyer can be
 * interior only if φ_ω is flat, so that lo and hi are equal constants — they form an up-set in both records.
 * So one `checkE2` per kink ray, at λ = (1 − E2_PAIR_INSET)·λ_max, and one per open cone, at its point nearest the
 * box corner (inset the same way), decides each; λ* on a ray is found by bisection. Sets thinner than the inset
 * are missed.
 */
function bothInterior(solver: LpSolver, m: E2Market, memo: E2Memo): E2Equilibrium[] {
  const [Q0, Q1] = m.qBar;
  const at = (q: number[]) => payoffsAt(solver, m, q, memo);
  // kink ratios: ρ = t on (t, 1), ρ = 1/t on (1, t); ρ = 1 closes both scans
  const kinks = new Set<number>([1]);
  for (const f of parts(2)) {
    // U, H_0, H_1 are the selection's stages (with Σ H): each scanned with them (pieceEnds.ts)
    const staged = (q: number[], t: number, e: number[]) => {
      const p = at(q);
      return { h: f(p), stages: selectionStages(p, 1), range: (a: number, b: number) => shift(selectionRange(m, q, e, memo, [a - t, b - t]), t) };
    };
    for (const e of pieceEnds((t) => staged([t, 1], t, [1, 0]), 1)) if (e.t > 0 && e.t < 1) kinks.add(e.t);
    for (const e of pieceEnds((t) => staged([1, t], t, [0, 1]), 1)) if (e.t > 0 && e.t < 1) kinks.add(1 / e.t);
  }
  const rays = [...kinks].sort((a, b) => a - b);
  const corner = Q0 / Q1;
  const lambdaMax = (rho: number) => Math.min(Q0 / rho, Q1);
  const point = (rho: number, lambda: number) => [rho * lambda, lambda];
  const out: E2Equilibrium[] = [];
  // records within 1e-8·max q̄ of 0 belong to the pattern with that type unsold (as in the GLP search's band)
  const band = 1e-8 * Math.max(Q0, Q1);
  // a kink ratio found on (t, 1) or (1, t) places the kink on a buyer's own line only to ~1e-10·max(ρ, 1/ρ)
  const snap = (q: number[]) => snapToOwnBreakpoints(q, [0, 1], m.qBar, (x, w) => lineEnds(solver, m, x, w, memo));
  const test = (rho: number, ratios: [number, number]) => {
    const top = lambdaMax(rho);
    const q = point(rho, top * (1 - E2_PAIR_INSET));
    if (q.some((x) => x <= band)) return;
    if (ratios[0] === ratios[1]) snap(q);
    const e = checkE2(solver, m, q, memo);
    if (!e) return;
    e.pair = { ratios };
    if (ratios[0] === ratios[1]) {
      // the smallest λ that is still an equilibrium (monotone along the ray), by bisection
      let lo = 0;
      let hi = top * (1 - E2_PAIR_INSET);
      for (let k = 0; k < 50 && hi - lo > E2_RESOLUTION * Math.max(1, top); k++) {
        const mid = (lo + hi) / 2;
        if (checkE2(solver, m, point(rho, mid), memo)) hi = mid;
        else lo = mid;
      }
      e.pair.from = point(rho, hi);
    }
    out.push(e);
  };
  for (const rho of rays) test(rho, [rho, rho]);
  const edges = [0, ...rays, Infinity];
  for (let k = 0; k + 1 < edges.length; k++) {
    const [a, b] = [edges[k], edges[k + 1]];
    // the cone's point nearest the box corner: on the corner's ray, or just inside its edge ray next to it
    const rho = corner > a && corner < b ? corner : corner <= a ? a + E2_PAIR_INSET * Math.min(b - a, a) : b - E2_PAIR_INSET * Math.min(b - a, b);
    test(rho, [a, b]);
  }
  return out;
}

/**
 * SB = max_q U(q) + Σ H(q) + Σ r_ω(q̄ − q)(ω) (aggregate buyer-best selection), one LP per linear piece of U
 * (same argument as `plannerByPieces`).
 */
export function secondBest(solver: LpSolver, m: E2Market): { welfare: number; records: number[] } {
  const N = m.qBar.length;
  const nX = m.game.fees.length * N;
  const pieces = designPieces(solver, m.game);
  const v = payoffVector(m.game, (a, w) => platformPayoff(m.game, a, w));
  const g = buyerVector(m);
  const constant = m.qBar.reduce((s, x, w) => s + x * m.keepValue[w], 0);
  let best = { welfare: -Infinity, records: m.qBar.map(() => 0) };
  for (const p of pieces.gradients) {
    const rows: LpRow[] = m.game.types.map((_, w) => {
      const idx = m.game.fees.map((__, a) => a * N + w);
      return { indices: [...idx, nX + w], values: [...idx.map(() => 1), -1], lower: 0, upper: 0 };
    });
    rows.push(...obedienceRows(m.game));
    rows.push({ indices: [...v.map((_, j) => j), ...p.map((_, w) => nX + w)], values: [...v, ...p.map((x) => -x)], lower: 0, upper: Infinity });
    const sol = solver.solve({
      sense: 'max',
      cost: [...v.map((c, j) => c + g[j]), ...m.keepValue.map((r) => -r)],
      colLower: new Array<number>(nX + N).fill(0),
      colUpper: [...new Array<number>(nX).fill(Infinity), ...m.qBar],
      rows,
    });
    if (sol.objective + constant > best.welfare + 1e-12) best = { welfare: sol.objective + constant, records: Array.from(sol.x.subarray(nX)) };
  }
  return best;
}
