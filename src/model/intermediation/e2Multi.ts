/**
 * GP E2 with several platforms (GP §4, Definition 2, (6); MODEL.md A.6.3): buyer ownership, Nash–Walras.
 *
 * Notation: platforms i ∈ I, each with its design P_i (platformDesign.ts; one merchant or several), U_i(q_i)
 * its value, H_iω(q_i) = q_i(ω)·G_iω(q_i) = Σ_s g_i(s, ω) X*_{q_i}(s, ω) the ω-buyers' payoff from the records
 * platform i holds, under the selection x*_{q_i} of `selectedPayoffs` (platform-optimal, then buyer-best in
 * aggregate, then per type in type order). r_ω = privacy value of a kept record. One price p(ω) per record
 * type, the same at every platform (GP: "there is a market for each type of data record").
 *
 * Definition 2 at a candidate allocation q = (q_0, q_1, …, q_I) with q_0(ω) + Σ_i q_i(ω) = q̄(ω):
 *  (platforms) every q_i maximises U_i(q_i) − ⟨p, q_i⟩ (GP (4)) ⇔ p ∈ ∂U_i(q_i): (p, λ_i) dual-feasible for
 *     P_i and ⟨p, q_i⟩ ≤ U_i(q_i), for every i — including platforms that buy nothing (then p must keep their
 *     demand at zero). One LP in (p, λ_1, …, λ_I).
 *  (buyer ω) t* = (q_1(ω), …, q_I(ω)) maximises φ_ω(t) = Σ_i [H_iω(t_i; q_i(−ω)) + (p(ω) − r_ω) t_i] over
 *     D = {t ≥ 0, Σ t ≤ q̄(ω)} (q_0 = q̄ − Σ t; the buyer internalises her own effect on every H_iω, others'
 *     quantities fixed). Each H_iω is piecewise linear in t_i with breakpoints E_i (e2.ts `pieceEnds`). On a
 *     product of pieces φ_ω is linear and the feasible set is a polytope with one coupling row, so its
 *     maximum sits at a vertex: every t_i at a piece end, or all but one at piece ends and the last one
 *     fixed by Σ t = q̄(ω). That vertex set V_ω does not depend on p. For each v ∈ V_ω the condition
 *     φ_ω(v) ≤ φ_ω(t*) reads a·(p − r_ω) ≤ b with a = Σv − Σt*, b = Σ_i H_i(t*_i) − Σ_i H_i(v_i): a bound
 *     on p(ω) (a ≠ 0) or a price-free test (a = 0: moving records between platforms at a fixed total).
 *     Hence buyer optimality is lo_ω ≤ p(ω) ≤ hi_ω plus price-free tests; the bounds enter the LP above.
 *  (clearing) holds by construction (no disposal).
 * Choices the draft leaves open (documented in docs/intermediation.md): the common price across platforms;
 * p ≥ 0 (GP's ≤ resource rows); the selection x*; H_iω at q_i(ω) = 0 is 0 (no records, no payoff); ties are
 * weak (an indifferent buyer may hold any optimal split).
 *
 * Candidates searched: every type keeps everything or sells everything to one platform ((I+1)^N corners),
 * and one type split between two uses (keep ↔ platform i, or platform i ↔ platform j) with the others at
 * corners: every breakpoint of the relevant H along the segment, and three interior points of every linear
 * piece (all three pass ⇒ reported as `continuum`; the whole piece is not proved); and two split types, the others
 * at corners, and one type split over three uses (e2MultiPairs.ts, up to MAX_TWO_SPLIT_SLICES slices each and
 * MAX_TWO_SPLIT_TYPES types); with one platform, three interior types with the others kept whole
 * (`threeInteriorMulti`) and, with four types, the volumes of e2Volumes.ts (`manyInterior`, default on). Not
 * searched: splits over four or more uses, a split type next to a three-way one, and three or more split types
 * otherwise (`searched`; `candidates` counts the corner and one-split candidates).
 */
import type { LinearProgram, LpRow, LpSolver } from '../../lp/index.js';
import { dualFeasibilityRows, selectionFamily } from './designLp.js';
import { boundsEmpty, boundsFeasible, CHORD_ROUNDING, E2_PAIR_INSET, E2_SEGMENTS, MAX_MEMO_PAYOFFS, payoffFree, pieceEnds, pieceSets, snappedTest, sortByWelfare, tightenByChords, tightenByValueChords } from './e2.js';
import { manyInteriorEquilibria, MAX_VOLUME_TYPES, VOLUME_TYPES, volumes, type VolumeMarket } from './e2Volumes.js';
import { MAX_PIECE_TYPES, valueKinksAlong, type LinearPieces } from './pieces.js';
import { faceRange, newFaceCache, type FaceCache } from './lexicographic.js';
import { buyerStaged, mixStaged, shift } from './pieceEnds.js';
import { VectorMap } from './vectorMap.js';
import { designLpAt, platformPieces, selectedPayoffs, type PlatformDesign, type SelectedPayoffs } from './platformDesign.js';
import { solvePriceSet } from './priceSet.js';
import { tripleTypes } from './e2Pairs.js';
import { MAX_TWO_SPLIT_SLICES, MAX_TWO_SPLIT_TYPES, sliceSearchEquilibria, slicesSearched, splitSlices, threeInteriorMulti, threeWaySlices } from './e2MultiPairs.js';
import { edgeOnLine, meetTolerance, priceRegion, regionsMeet, sharedKinks, strictlyInside, type Pt as PricePt, type SharedKink } from './sharedKinks.js';
import { crossingEquilibria, inSharedKinkSet, payoffFan, sellsNothing, type SharedKinkSet } from './rayPairs.js';
import { assertUnitMasses } from './massUnit.js';

export interface E2MultiMarket {
  designs: PlatformDesign[];
  qBar: number[];
  /** r_ω. */
  keepValue: number[];
}

/** Largest number of corner allocations (I+1)^N searched. */
export const MAX_E2_CORNERS = 4096;
/** Largest number of deviation vertices per buyer (product of the piece-end counts). */
export const MAX_E2_VERTICES = 200_000;
/** Largest number of piece combinations ∏_i |pieces of U_i| in SB. */
export const MAX_SB_COMBINATIONS = 4096;

type Pt = { t: number; h: number };

export interface E2MultiEquilibrium {
  /** q_i(ω), indexed [platform][ω]. */
  records: number[][];
  /** q_0(ω). */
  kept: number[];
  /** One supporting price vector. */
  prices: number[];
  /** Exact range of each p(ω) over all supporting prices. */
  priceIntervals: Array<{ lower: number; upper: number }>;
  /** W = Σ_i U_i + Σ_i Σ_ω H_iω + Σ_ω r_ω q_0(ω). */
  welfare: number;
  /** U_i(q_i). */
  platformValues: number[];
  /** H_iω, indexed [platform][ω]. */
  buyerSurplus: number[][];
  /** A split type whose whole piece passed at three interior points: (q_0, q_1, …, q_I)(ω) at the ends. */
  continuum?: { type: number; from: number[]; to: number[] };
  /**
   * Two split types, the others at corners (e2MultiPairs.ts): a point; with `from`/`to` (records[i][ω] at its ends)
   * a segment of such equilibria; with `cell` (its polygon's records) a point inside a polygon on which the payoffs
   * are linear — or a convex union of such polygons whose every cell, edge and vertex inside passed (sliceMerge.ts)
   * — whose equilibria (a knife-edge) contain this one and are not delimited further.
   */
  twoSplit?: { types: [number, number]; from?: number[][]; to?: number[][]; cell?: number[][][] };
  /**
   * One type split over three uses (e2MultiPairs.ts): `uses` = [rest, x, y] (−1 = kept, i = platform i); a point,
   * or a segment (`from`/`to`) or cell (`cell`) of such equilibria, as `twoSplit`.
   */
  threeWay?: { type: number; uses: [number, number, number]; from?: number[][]; to?: number[][]; cell?: number[][][] };
  /**
   * Two types: platforms i and j both hold records, at a crossing of their price regions' edges (rayPairs.ts);
   * `region`: the allocations (records[k][ω]) at the vertices of the convex set of such equilibria this one stands
   * for, exactly — one vertex: a point; two: a segment; more: a polygon.
   */
  sharedKink?: { platforms: [number, number]; price: number[]; directions: [number[], number[]]; region: number[][][] };
  /** One platform, three types all interior (e2MultiPairs.ts `threeInteriorMulti`), as E2Equilibrium.threeInterior (records[i][ω]). */
  threeInterior?: { face: number; from?: number[][]; to?: number[][]; cell?: number[][][]; rayFrom?: number[][] };
  /**
   * One platform, four or five types with records: three interior next to types at corners, or four interior
   * (e2Volumes.ts; `manyInterior`), as E2Equilibrium.manyInterior (records[i][ω]).
   */
  manyInterior?: { types: number[]; face?: number; from?: number[][]; to?: number[][]; cell?: number[][][]; rayFrom?: number[][] };
}

export interface E2MultiMemo {
  /** U_i and H_i only (the selection X would take ~5× the memory). */
  pay: Array<VectorMap<Pick<SelectedPayoffs, 'value' | 'buyer'>>>;
  ends: Array<Map<string, Pt[]>>;
  /** Each platform's selection faces met so far (lexicographic.ts `FaceCache`). */
  faces: FaceCache[];
  /** Most payoffs kept per platform before its memo starts afresh (`MAX_MEMO_PAYOFFS`). */
  capacity: number;
  /** Cells the slice searches reported at their centre only (sliceSearch.ts `onPartial`): a search with any is not exhaustive. */
  partialCells: number;
}

export function payAt(solver: LpSolver, m: E2MultiMarket, i: number, q: number[], memo: E2MultiMemo): Pick<SelectedPayoffs, 'value' | 'buyer'> {
  let r = memo.pay[i].get(q);
  if (!r) {
    // a cache: past its capacity (MAX_MEMO_PAYOFFS, e2.ts) it starts afresh, as findE2's
    if (memo.pay[i].size >= memo.capacity) {
      memo.pay[i] = new VectorMap();
      memo.ends[i].clear();
    }
    const p = selectedPayoffs(solver, m.designs[i], q, memo.faces[i]);
    r = { value: p.value, buyer: p.buyer };
    memo.pay[i].set(q, r);
  }
  return r;
}

function lineKey(q: number[], w: number): string {
  return `${w}|${q.map((x, k) => (k === w ? '*' : x)).join()}`;
}

/**
 * Where, on the line q + s·e, platform i's selection is affine around q (e2.ts `selectionRange`, with P_i's design
 * LP), or undefined. The selection at q must have been computed with this memo.
 */
export function payRange(m: E2MultiMarket, i: number, q: number[], e: number[], memo: E2MultiMemo, want?: readonly [number, number]): [number, number] | undefined {
  return faceRange(memo.faces[i], selectionFamily(q), designLpAt(m.designs[i], q), designLpAt(m.designs[i], q.map((x, k) => x + e[k])), want);
}

/** Piece ends of t ↦ H_iω(q_i with q_i(ω) = t) on [0, q̄(ω)]. */
export function endsAt(solver: LpSolver, m: E2MultiMarket, i: number, w: number, q: number[], memo: E2MultiMemo): Pt[] {
  return endsAlongAt(solver, m, i, w, q, memo, lineKey(q, w), (p) => buyerStaged(p, w));
}

/**
 * Breakpoints along the same line of platform i's other buyers whose types it holds records of (a mix, as
 * `othersLineEnds` in e2.ts: their conditions change where their own payoffs kink).
 */
export function othersEndsAt(solver: LpSolver, m: E2MultiMarket, i: number, w: number, q: number[], memo: E2MultiMemo): Pt[] {
  const others = q.map((_, k) => k).filter((k) => k !== w && q[k] > 0);
  return others.length === 0 ? [] : endsAlongAt(solver, m, i, w, q, memo, `o${lineKey(q, w)}`, (p) => mixStaged(p, others));
}

/** Breakpoints of `staged` (a payoff of platform i's selection, with its stages) along q's line in direction e_ω, memoised under `key`. */
function endsAlongAt(solver: LpSolver, m: E2MultiMarket, i: number, w: number, q: number[], memo: E2MultiMemo, key: string, staged: (p: Pick<SelectedPayoffs, 'value' | 'buyer'>) => { h: number; stages: number[] }): Pt[] {
  let r = memo.ends[i].get(key);
  if (!r) {
    const e = q.map((_, k) => (k === w ? 1 : 0));
    r = pieceEnds((s) => {
      const at = q.map((x, k) => (k === w ? s : x));
      return { ...staged(payAt(solver, m, i, at, memo)), range: (a, b) => shift(payRange(m, i, at, e, memo, [a - s, b - s]), s) };
    }, m.qBar[w]);
    memo.ends[i].set(key, r);
  }
  return r;
}

/** H at t by linear interpolation between piece ends (exact at the ends). */
function interp(ends: Pt[], t: number): number {
  for (let k = 0; k < ends.length; k++) {
    if (ends[k].t === t) return ends[k].h;
    if (k + 1 < ends.length && t > ends[k].t && t < ends[k + 1].t) {
      const a = ends[k];
      const b = ends[k + 1];
      return a.h + ((t - a.t) / (b.t - a.t)) * (b.h - a.h);
    }
  }
  return ends[ends.length - 1].h;
}

/** Deviation vertices V_ω of the buyer's problem (module comment). */
export function deviationVertices(ends: Pt[][], total: number): number[][] {
  const I = ends.length;
  const count = ends.reduce((s, e) => s * e.length, 1);
  if (count * (I + 1) > MAX_E2_VERTICES) throw new RangeError(`e2Multi: ${count * (I + 1)} deviation vertices exceed ${MAX_E2_VERTICES}`);
  const out: number[][] = [];
  const tol = 1e-12 * Math.max(1, total);
  const rec = (k: number, acc: number[], free: number): void => {
    if (k === I) {
      const s = acc.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0);
      if (free < 0) {
        if (s <= total + tol) out.push(acc.slice());
      } else {
        const rest = total - s;
        if (rest >= -tol) out.push(acc.map((x) => (Number.isNaN(x) ? Math.max(0, rest) : x)));
      }
      return;
    }
    if (k === free) {
      acc.push(NaN);
      rec(k + 1, acc, free);
      acc.pop();
      return;
    }
    for (const e of ends[k]) {
      acc.push(e.t);
      rec(k + 1, acc, free);
      acc.pop();
    }
  };
  rec(0, [], -1);
  for (let j = 0; j < I; j++) rec(0, [], j);
  return out;
}

/** Bounds [lo, hi] on p(ω) from the buyer's deviations, or null if a price-free test fails. */
function buyerBounds(ends: Pt[][], tStar: number[], hStar: number[], total: number, r: number, rounding: number): { lo: number; hi: number } | null {
  const T = tStar.reduce((a, b) => a + b, 0);
  const H = hStar.reduce((a, b) => a + b, 0);
  let lo = -Infinity;
  let hi = Infinity;
  for (const v of deviationVertices(ends, total)) {
    const a = v.reduce((s, x) => s + x, 0) - T;
    const b = H - v.reduce((s, x, i) => s + (x === tStar[i] ? hStar[i] : interp(ends[i], x)), 0);
    // a chord carries the payoffs' rounding over its length (e2.ts CHORD_ROUNDING)
    const slack = (rounding * Math.max(1, Math.abs(H), Math.abs(H - b))) / Math.abs(a);
    if (Math.abs(a) <= 1e-9 * Math.max(1, total)) {
      if (b < -1e-9 * Math.max(1, Math.abs(H))) return null;
    } else if (a > 0) hi = Math.min(hi, r + b / a + slack);
    else lo = Math.max(lo, r + b / a - slack);
  }
  return { lo, hi };
}

/** The LP over (p, λ_1, …, λ_I): p dual-feasible for every P_i, ⟨p, q_i⟩ ≤ U_i(q_i), lo ≤ p ≤ hi. */
function priceLp(m: E2MultiMarket, records: number[][], values: number[], bounds: Array<{ lo: number; hi: number }>, relTol: number): LinearProgram {
  const N = m.qBar.length;
  const rows: LpRow[] = [];
  let nCols = N;
  m.designs.forEach((d, i) => {
    const off = nCols;
    rows.push(...dualFeasibilityRows(d.u, d.obedience, N, (w) => w, (o) => off + o));
    nCols += d.obedience.length;
    const tol = relTol * Math.max(1, Math.abs(values[i]));
    rows.push({ indices: records[i].map((_, w) => w), values: records[i], lower: -Infinity, upper: values[i] + tol });
  });
  const tol = relTol * Math.max(1, ...values.map(Math.abs));
  return {
    sense: 'max',
    cost: new Array<number>(nCols).fill(0),
    colLower: [...bounds.map((b) => Math.max(0, b.lo - tol)), ...new Array<number>(nCols - N).fill(0)],
    colUpper: [...bounds.map((b) => b.hi + tol), ...new Array<number>(nCols - N).fill(Infinity)],
    rows,
  };
}

export function newE2MultiMemo(I: number, capacity = MAX_MEMO_PAYOFFS): E2MultiMemo {
  return { pay: Array.from({ length: I }, () => new VectorMap()), ends: Array.from({ length: I }, () => new Map()), faces: Array.from({ length: I }, () => newFaceCache()), capacity, partialCells: 0 };
}

/**
 * Bounds on each p(ω) from some of the deviations the exact bounds (`buyerBoundsMulti`) range over — the buyer
 * moves her records at one platform only, to or from what she keeps: to the piece ends of lines already
 * resolved, else to t* ± q̄/1024 and, with `grid`, also to the `E2_SEGMENTS` grid of the line (the points
 * `pieceEnds` evaluates first; memoised either way) — by `tightenByChords` (e2.ts). So they contain the exact
 * bounds, and cost a few selections per line instead of resolving it.
 */
export function sampledBuyerBoundsMulti(solver: LpSolver, m: E2MultiMarket, records: number[][], grid: boolean, memo: E2MultiMemo = newE2MultiMemo(m.designs.length)): Array<{ lo: number; hi: number }> {
  const here = records.map((q, i) => payAt(solver, m, i, q, memo));
  return m.qBar.map((T, w) => {
    if (!(T > 0)) return { lo: 0, hi: Infinity };
    const b = { lo: -Infinity, hi: Infinity };
    tightenSampled(solver, m, records, here, w, grid, memo, b);
    return b;
  });
}

/**
 * `sampledBuyerBoundsMulti` for type ω (q̄(ω) > 0), into `b`; with `byValue`, each platform's value chords at
 * the same points too (`tightenByValueChords`: bounds the price LP's rows imply).
 */
function tightenSampled(solver: LpSolver, m: E2MultiMarket, records: number[][], here: Array<Pick<SelectedPayoffs, 'value' | 'buyer'>>, w: number, grid: boolean, memo: E2MultiMemo, b: { lo: number; hi: number }, byValue?: { lo: number; hi: number }): void {
  const T = m.qBar[w];
  const cap = records.reduce((acc, q) => acc - q[w], T);
  records.forEach((q, i) => {
    const known = memo.ends[i].get(lineKey(q, w));
    const ts = known ? known.map((e) => e.t) : [q[w] - T / 1024, q[w] + T / 1024];
    if (!known && grid) ts.push(...Array.from({ length: E2_SEGMENTS + 1 }, (_, k) => (T * k) / E2_SEGMENTS));
    const at = (t: number) => payAt(solver, m, i, q.map((x, k) => (k === w ? t : x)), memo);
    tightenByChords(b, ts, q[w], here[i].buyer[w], m.keepValue[w], T, q[w] + Math.max(0, cap), (t) => at(t).buyer[w]);
    if (byValue) tightenByValueChords(byValue, ts, q[w], here[i].value, T, q[w] + Math.max(0, cap), (t) => at(t).value);
  });
}

/**
 * A necessary condition for `checkE2Multi`, as `passesSampledBounds` in e2.ts: the price LP with the bounds of
 * `sampledBuyerBoundsMulti` is feasible, and meets the bounds of each platform's value chords at the same points.
 * Rounds, each ending in that test: the split types' local points (those whose records go to two or more uses:
 * their prices are pinned, and usually decide alone — five types with two platforms: 2.9M → … selections), then
 * every type's, then the grid of lines not yet resolved. It rules most candidates out before the lines through them
 * are resolved.
 */
export function passesSampledBoundsMulti(solver: LpSolver, m: E2MultiMarket, records: number[][], memo: E2MultiMemo = newE2MultiMemo(m.designs.length)): boolean {
  const here = records.map((q, i) => payAt(solver, m, i, q, memo));
  const values = here.map((h) => h.value);
  const bounds = m.qBar.map((T) => (T > 0 ? { lo: -Infinity, hi: Infinity } : { lo: 0, hi: Infinity }));
  const byValue = m.qBar.map(() => ({ lo: -Infinity, hi: Infinity }));
  // priceLp widens the columns' bounds by 1e-9·max(1, |U_i| over i)
  const implied = { bounds: byValue, tol: 1e-9 * Math.max(1, ...values.map(Math.abs)) };
  const feasible = () => boundsFeasible(solver, bounds, (b) => priceLp(m, records, values, b, 1e-9), implied);
  const open = m.qBar.map((_, w) => w).filter((w) => m.qBar[w] > 0);
  // false as soon as one type's bounds are empty (no LP, and the other types' points are not evaluated)
  const tighten = (ws: number[], grid: boolean) =>
    ws.every((w) => {
      tightenSampled(solver, m, records, here, w, grid, memo, bounds[w], byValue[w]);
      return !boundsEmpty(bounds[w], { bounds: byValue[w], tol: implied.tol });
    });
  const uses = (w: number) => records.filter((q) => q[w] > 0).length + (records.reduce((acc, q) => acc - q[w], m.qBar[w]) > 0 ? 1 : 0);
  const split = open.filter((w) => uses(w) >= 2);
  if (split.length && split.length < open.length && !(tighten(split, false) && feasible())) return false;
  if (!(tighten(open.filter((w) => !split.includes(w) || split.length === open.length), false) && feasible())) return false;
  const unresolved = open.filter((w) => records.some((q, i) => !memo.ends[i].has(lineKey(q, w))));
  if (unresolved.length === 0) return true;
  return tighten(unresolved, true) && feasible();
}

/** Buyer ω's exact bounds [lo, hi] on p(ω) at `records` (module comment), or null where a price-free test fails. */
export function buyerBoundsMulti(solver: LpSolver, m: E2MultiMarket, records: number[][], w: number, memo: E2MultiMemo = newE2MultiMemo(m.designs.length)): { lo: number; hi: number } | null {
  if (!(m.qBar[w] > 0)) return { lo: 0, hi: Infinity };
  const here = records.map((q, i) => payAt(solver, m, i, q, memo).buyer[w]);
  const ends = records.map((q, i) => endsAt(solver, m, i, w, q, memo));
  // no rounding where ω's records are worth nothing to their buyer at any platform (H_ω ≡ 0 exactly: e2.ts checkE2)
  const useless = m.designs.every((d) => payoffFree(d.g, m.qBar.length, w));
  return buyerBounds(ends, records.map((q) => q[w]), here, m.qBar[w], m.keepValue[w], useless ? 0 : CHORD_ROUNDING);
}

/**
 * Is the allocation `records` ([i][ω]; the rest kept) an E2 equilibrium? Returns it with its price set, or null.
 * `prefilter: false` skips `passesSampledBoundsMulti` (same verdicts, slower; for tests of that filter).
 */
export function checkE2Multi(solver: LpSolver, m: E2MultiMarket, records: number[][], memo: E2MultiMemo = newE2MultiMemo(m.designs.length), prefilter = true): E2MultiEquilibrium | null {
  const N = m.qBar.length;
  const here = records.map((q, i) => payAt(solver, m, i, q, memo));
  if (prefilter && !passesSampledBoundsMulti(solver, m, records, memo)) return null;
  const bounds: Array<{ lo: number; hi: number }> = [];
  for (let w = 0; w < N; w++) {
    const b = buyerBoundsMulti(solver, m, records, w, memo);
    if (!b || b.lo > b.hi + 1e-9 * Math.max(1, Math.abs(b.hi))) return null;
    bounds.push(b);
  }
  const values = here.map((h) => h.value);
  const prices = solvePriceSet(solver, (tol) => priceLp(m, records, values, bounds, tol), m.qBar.map((_, w) => w));
  if (!prices) return null;
  const kept = m.qBar.map((qb, w) => Math.max(0, qb - records.reduce((s, q) => s + q[w], 0)));
  const buyerTotal = here.reduce((s, h) => s + h.buyer.reduce((a, b) => a + b, 0), 0);
  return {
    records: records.map((q) => q.slice()),
    kept,
    prices: Array.from(prices.x.subarray(0, N)),
    priceIntervals: prices.intervals,
    welfare: values.reduce((a, b) => a + b, 0) + buyerTotal + kept.reduce((s, k, w) => s + k * m.keepValue[w], 0),
    platformValues: values,
    buyerSurplus: here.map((h) => h.buyer),
  };
}

export interface E2MultiSearch {
  equilibria: E2MultiEquilibrium[];
  searched: { corners: boolean; oneSplitType: boolean; twoSplitTypes: boolean; threeWaySplits: boolean; fourWaySplits: boolean; severalSplitTypes: boolean; candidates: number };
  /**
   * Two types with records, several platforms: the prices at which two platforms' values kink together
   * (sharedKinks.ts) — the only prices at which two platforms can both hold records. Empty: in every equilibrium
   * at most one platform holds records, so splits over three or more uses and between platforms are vacuous.
   */
  sharedKinks?: SettledKink[];
  /**
   * Two types: an equilibrium with two platforms holding records was found at no shared kink — possible only within
   * the exact test's tolerance (a platform holding h records passes it up to 1e-9/h inside its region) — so the
   * kinks do not settle the search.
   */
  strayTwoHolders?: boolean;
  /**
   * Three or more types, several platforms: no two platforms' price regions meet (sharedKinks.ts `regionsMeet`), so
   * at most one platform holds records in any equilibrium (unless `strayTwoHolders`).
   */
  regionsApart?: boolean;
  /** One platform: two split types were not searched because the market has more types with records than `twoInteriorMaxTypes`. */
  twoInteriorLimit?: { types: number; maxTypes: number };
  /**
   * The two-split or three-way slices that were not searched because there are more of that kind than `maxSlices`
   * (the option, default MAX_TWO_SPLIT_SLICES), where that leaves the kind's `searched` flag false: the counts of
   * both kinds and the limit. Left out when the type limit (MAX_TWO_SPLIT_TYPES) decides, which no option raises,
   * and when another argument settled the kind (three-way splits with `sharedKinks` or `regionsApart`).
   */
  sliceLimit?: { twoSplit: number; threeWay: number; maxSlices: number };
  /** One platform, four or five types with records: as `findE2`'s (three interior, the others kept whole). */
  threeInteriorUnsold?: boolean;
  /** One platform, four types with records: as `findE2`'s (the volume search asked for, and every volume searched). */
  manyInterior?: { requested: boolean; complete: boolean };
}

/**
 * One platform (of several merchants) for the volume search (e2Volumes.ts): its records q are records[0], the exact
 * test `checkE2Multi` with the slice searches' snap retry (e2.ts `snappedTest`).
 */
function oneVolumeMarket(solver: LpSolver, m: E2MultiMarket, gradients: number[][], memo: E2MultiMemo): VolumeMarket<E2MultiEquilibrium> {
  const check = (q: number[]) => checkE2Multi(solver, m, [q], memo);
  return {
    qBar: m.qBar,
    keepValue: m.keepValue,
    gradients,
    payoffs: (q) => payAt(solver, m, 0, q, memo),
    range: (q, e, want) => payRange(m, 0, q, e, memo, want),
    partialCells: () => memo.partialCells,
    onPartial: (n) => (memo.partialCells += n),
    check,
    checkSnapped: (q, types) => snappedTest(q, types, m.qBar, { check, passes: (x) => passesSampledBoundsMulti(solver, m, [x], memo), ends: (x, w) => endsAt(solver, m, 0, w, x, memo) }),
    recordsOf: (e) => e.records[0],
    intervalsOf: (e) => e.priceIntervals,
  };
}

/**
 * A shared kink (sharedKinks.ts) and how its allocations with two holders were searched: `crossingSearch` (exactly,
 * rayPairs.ts), `twoSplitSlice` (a crossing of two axis rays), `threeWaySlices` (an overlap along an axis, or a
 * meeting where the buyer of `idleType` sells nothing: `sellsNothing`), or `notSearched`.
 */
export type SettledKink = SharedKink & { by: 'crossingSearch' | 'twoSplitSlice' | 'threeWaySlices' | 'sellsNothing' | 'notSearched'; idleType?: number };

/** The allocations an equilibrium entry stands for: its own, and its set's ends or cell vertices (records[i][ω]). */
export function setPoints(e: E2MultiEquilibrium): number[][][] {
  const pts = [e.records];
  const c = e.continuum;
  if (c) for (const v of [c.from, c.to]) pts.push(e.records.map((q, i) => q.map((x, w) => (w === c.type ? v[1 + i] : x))));
  for (const s of [e.twoSplit, e.threeWay]) if (s) pts.push(...(s.from && s.to ? [s.from, s.to] : []), ...(s.cell ?? []));
  return pts;
}

/** E2 equilibria among the candidates of the module comment, highest welfare first. */
export function findE2Multi(
  solver: LpSolver,
  m: E2MultiMarket,
  opts: {
    onProgress?: (done: number, total: number) => void;
    /**
     * One platform (several merchants): the most types with records for which two split types (two interior
     * types) are searched — default MAX_TWO_SPLIT_TYPES; lower skips them (`twoInteriorLimit`), as `findE2`'s.
     */
    twoInteriorMaxTypes?: number;
    /** Most slices searched of each kind (two split types; one type split over three uses): default MAX_TWO_SPLIT_SLICES. */
    maxSlices?: number;
    /**
     * One platform, four types with records: search three interior next to a full type, and four interior
     * (e2Volumes.ts; default true — false skips the volumes); five types: the 50 volumes when true (default false).
     */
    manyInterior?: boolean;
    /** Most payoffs each platform's memo keeps before it starts afresh (default MAX_MEMO_PAYOFFS; tests set it low). */
    memoCapacity?: number;
  } = {},
): E2MultiSearch {
  assertUnitMasses(m.qBar, 'findE2Multi');
  const N = m.qBar.length;
  const I = m.designs.length;
  if (N > MAX_PIECE_TYPES) throw new RangeError(`findE2Multi: at most ${MAX_PIECE_TYPES} types`);
  if ((I + 1) ** N > MAX_E2_CORNERS) throw new RangeError(`findE2Multi: ${(I + 1) ** N} corner allocations exceed ${MAX_E2_CORNERS}`);
  const memo = newE2MultiMemo(I, opts.memoCapacity);
  const out: E2MultiEquilibrium[] = [];
  const pieceCache: LinearPieces[] = [];
  const piecesOf = (i: number) => (pieceCache[i] ??= platformPieces(solver, m.designs[i]));
  const valuePieces = (i: number) => piecesOf(i).gradients;
  let candidates = 0;
  const same = (a: number[][], b: number[][]) => a.every((q, i) => q.every((x, w) => Math.abs(x - b[i][w]) <= 1e-9));
  const check = (records: number[][]) => {
    candidates++;
    return checkE2Multi(solver, m, records, memo);
  };
  const push = (e: E2MultiEquilibrium | null) => {
    if (e && !out.some((o) => same(o.records, e.records))) out.push(e);
  };
  // use[ω] ∈ {−1 = keep, 0..I−1 = platform}
  const assignments: number[][] = [];
  for (let c = 0; c < (I + 1) ** N; c++) assignments.push(Array.from({ length: N }, (_, w) => (Math.floor(c / (I + 1) ** w) % (I + 1)) - 1));
  const allocate = (use: number[]) => m.designs.map((_, i) => m.qBar.map((qb, w) => (use[w] === i ? qb : 0)));
  for (const use of assignments) push(check(allocate(use)));
  // one split type ω: segments keep ↔ i (s to i) and i ↔ j (s to i, q̄ − s to j); progress counts them
  const lines = m.qBar.filter((x) => x > 0).length * (I + 1) ** (N - 1) * ((I * (I + 1)) / 2);
  const P = m.qBar.filter((x) => x > 0).length;
  const limited = I === 1 && opts.twoInteriorMaxTypes !== undefined && P > Math.max(2, opts.twoInteriorMaxTypes);
  const twoSlices = limited ? [] : splitSlices(m.qBar, I);
  const threeSlices = threeWaySlices(m.qBar, I);
  const maxSlices = opts.maxSlices ?? MAX_TWO_SPLIT_SLICES;
  const counted = (n: number) => (slicesSearched(n, P, maxSlices) ? n : 0);
  // one platform: three interior types with the others kept whole, every triple (e2MultiPairs.ts threeInteriorMulti)
  const triples = I === 1 ? tripleTypes(m.qBar) : [];
  // one platform, four types with records (five when asked): three interior next to corner types, four interior (e2Volumes.ts)
  const manyInterior = opts.manyInterior ?? P <= VOLUME_TYPES;
  const volumeCount = I === 1 && manyInterior ? volumes(m.qBar).length : 0;
  const segments = lines + counted(twoSlices.length) + counted(threeSlices.length) + 3 * triples.length + volumeCount;
  let done = 0;
  for (let w = 0; w < N; w++) {
    const T = m.qBar[w];
    if (!(T > 0)) continue;
    for (const use of assignments) {
      if (use[w] !== -1) continue;
      const base = allocate(use);
      const segs: Array<[number, number]> = [];
      for (let i = 0; i < I; i++) segs.push([-1, i]);
      for (let i = 0; i < I; i++) for (let j = i + 1; j < I; j++) segs.push([i, j]);
      for (const [from, to] of segs) {
        opts.onProgress?.(done++, segments);
        const at = (s: number) => base.map((q, i) => q.map((x, k) => (k !== w ? x : i === to ? s : i === from ? T - s : 0)));
        const vec = (s: number) => [from === -1 ? T - s : 0, ...m.designs.map((_, i) => (i === to ? s : i === from ? T - s : 0))];
        // the payoffs' piece ends and the values' kinks along the segment (as in findE2)
        // (and the other buyers' at both platforms: `othersEndsAt`)
        const along = (i: number) => [...endsAt(solver, m, i, w, base[i], memo), ...othersEndsAt(solver, m, i, w, base[i], memo)].map((e) => e.t).concat(valueKinksAlong(valuePieces(i), base[i], w, T));
        const ts = along(to);
        if (from >= 0) ts.push(...along(from).map((t) => T - t));
        const sorted = [...new Set([0, T, ...ts.filter((t) => t >= 0 && t <= T)])].sort((a, b) => a - b);
        const pts = sorted.filter((t, k) => k === 0 || t - sorted[k - 1] > 1e-12 * Math.max(1, T));
        for (let k = 0; k < pts.length; k++) {
          if (pts[k] > 0 && pts[k] < T) push(check(at(pts[k])));
          if (k + 1 < pts.length) {
            const a = pts[k];
            const b = pts[k + 1];
            // each set inside the piece around its middle or a quarter point (e2.ts `pieceSets`)
            for (const { eq, span } of pieceSets((t) => check(at(t)), a, b, T)) {
              if (span) eq.continuum = { type: w, from: vec(span.from), to: vec(span.to) };
              push(eq);
            }
          }
        }
      }
    }
  }
  const two = sliceSearchEquilibria(solver, m, twoSlices, memo, () => opts.onProgress?.(done++, segments), maxSlices);
  two.equilibria.forEach(push);
  const three = sliceSearchEquilibria(solver, m, threeSlices, memo, () => opts.onProgress?.(done++, segments), maxSlices);
  three.equilibria.forEach(push);
  // one platform: three types all interior, the others kept whole, for every triple (e2MultiPairs.ts); with P = 3
  // that is every allocation with three interior types
  const interiorRuns = triples.map((types) => threeInteriorMulti(solver, m, E2_PAIR_INSET, memo, () => opts.onProgress?.(done++, segments), 0, types));
  interiorRuns.forEach((r) => r.equilibria.forEach(push));
  const many = volumeCount > 0 ? manyInteriorEquilibria(solver, oneVolumeMarket(solver, m, valuePieces(0), memo), () => opts.onProgress?.(done++, segments)) : undefined;
  many?.equilibria.forEach(({ eq, manyInterior: v }) =>
    push({ ...eq, manyInterior: { types: v.types, ...(v.face !== undefined ? { face: v.face } : {}), ...(v.from && v.to ? { from: [v.from], to: [v.to] } : {}), ...(v.cell ? { cell: v.cell.map((q) => [q]) } : {}), ...(v.rayFrom ? { rayFrom: [v.rayFrom] } : {}) } }),
  );
  const allInterior = I === 1 && P === 3 ? interiorRuns[0] : undefined;
  opts.onProgress?.(segments, segments);
  // two types, several platforms: two platforms hold records together only at a price where their values kink
  // together (sharedKinks.ts); each such meeting is settled (`SettledKink.by`) or not:
  //  - a crossing: their records lie on two rays, searched exactly (rayPairs.ts) unless both rays are axes (each type
  //    then with one holder: the two-split slice keep ↔ i, keep ↔ j, searched above);
  //  - an overlap of edges along an axis: inside it both hold only that type, over keep and the two platforms (the
  //    three-way slices); its ends are listed as meetings at one price;
  //  - a meeting at one price where some buyer sells nothing whatever the others hold (`sellsNothing`): only the
  //    other type can be held, over keep and the two platforms (the three-way slices).
  // With three or more platforms the last two hold only where no third platform can hold records too (review of
  // 2026-11-27): a meeting's price strictly inside every other C_k (by the lemma, k holds nothing there), and an
  // overlap's line carrying no edge of another C_k (∂C_k, convex, then meets it in at most two points, which are
  // meetings listed on their own); otherwise not searched.
  // Every meeting settled ⇒ every allocation with two holders is searched.
  const regions = N === 2 && P === 2 && I >= 2 ? m.designs.map((_, i) => priceRegion(valuePieces(i))) : undefined;
  const raw = regions ? sharedKinks(regions) : undefined;
  const exact: E2MultiEquilibrium[] = [];
  const fans = raw?.length ? m.designs.map((_, i) => [0, 1].map((w) => payoffFan(solver, m, i, w, memo))) : [];
  const meetTol = regions ? meetTolerance(regions) : 0;
  const others = (k: SharedKink) => (regions ?? []).filter((_, i) => !k.platforms.includes(i));
  // the pair's buyers only: the other platforms hold nothing at a price strictly inside their regions
  const idleType = (k: SharedKink) =>
    others(k).every((r) => strictlyInside(r, k.price, meetTol))
      ? [0, 1].find((w) => sellsNothing(k.platforms.map((i) => fans[i][w]), w, k.price[w], m.keepValue[w], 1e-6 * Math.max(1, Math.abs(m.keepValue[w]), ...k.price.map(Math.abs))))
      : undefined;
  const axis = (d: number[]) => d[0] === 0 || d[1] === 0;
  const lineFree = (k: SharedKink, d: PricePt) => others(k).every((r) => !edgeOnLine(r, d, d[0] * k.price[0] + d[1] * k.price[1], meetTol));
  const kinks = raw?.map((k): SettledKink => {
    if (k.overlap) return { ...k, by: axis(k.overlap.direction) && lineFree(k, k.overlap.direction) && three.complete ? 'threeWaySlices' : 'notSearched' };
    if (!k.crossing) {
      const w = idleType(k);
      return w !== undefined && three.complete ? { ...k, by: 'sellsNothing', idleType: w } : { ...k, by: 'notSearched' };
    }
    if (k.crossing.directions.every(axis)) return { ...k, by: two.complete ? 'twoSplitSlice' : 'notSearched' };
    const found = crossingEquilibria(solver, m, k, memo);
    exact.push(...found.equilibria);
    return { ...k, by: found.complete ? 'crossingSearch' : 'notSearched' };
  });
  // the lemma is exact, the exact test is not: a platform holding h records passes it at prices up to 1e-9/h inside
  // its region (review: regions nested 5e-7 apart, masses (1, 0.001)), so an equilibrium the other searches found
  // with two holders away from every meeting voids the claim rather than contradicting it
  const band = 1e-8 * Math.max(...m.qBar);
  // does a meeting (a price, or an overlap's segment or ray of prices) meet the equilibrium's box of prices?
  const atMeeting = (e: E2MultiEquilibrium) =>
    (kinks ?? []).some((k) => {
      const end = k.overlap ? (k.overlap.to ?? [k.price[0] + (k.overlap.direction[1] > 0 ? 1e9 : 0), k.price[1] + (k.overlap.direction[0] > 0 ? 1e9 : 0)]) : k.price;
      let [lo, hi] = [0, 1];
      e.priceIntervals.forEach((iv, w) => {
        const [a, d] = [k.price[w], end[w] - k.price[w]];
        const [l, u] = [iv.lower - 1e-7, iv.upper + 1e-7];
        if (Math.abs(d) < 1e-15) {
          if (a < l || a > u) hi = -1;
        } else {
          const [t0, t1] = [(l - a) / d, (u - a) / d].sort((x, y) => x - y);
          [lo, hi] = [Math.max(lo, t0), Math.min(hi, t1)];
        }
      });
      return hi >= lo;
    });
  // three or more types, several platforms: no two regions meet (`regionsMeet`, an LP per pair of their rows) ⇒
  // at most one platform holds records, so only splits between keeping and one platform remain: with three types
  // with records, all three interior at each platform (`threeInteriorMulti`) besides the two-split slices
  const apart = N >= 3 && I >= 2 && P >= 2 && !regionsMeet(solver, m.designs.map((_, i) => piecesOf(i)));
  const eachInterior = apart && P === 3 ? m.designs.map((_, i) => threeInteriorMulti(solver, m, E2_PAIR_INSET, memo, undefined, i)) : [];
  eachInterior.forEach((r) => r.equilibria.forEach(push));
  const stray = out.some((e) => e.records.filter((q) => q.some((x) => x > band)).length >= 2 && !atMeeting(e));
  const holdersCovered = kinks !== undefined && !stray && kinks.every((k) => k.by !== 'notSearched');
  // with three or more types: one holder, unless an equilibrium with two turned up (within the exact test's tolerance)
  const oneHolder = apart && !stray;
  // a set found by the other searches (a continuum, segment or cell) that lies in an exact set is replaced by it;
  // points stay, as they were reported before (a set's ends among them)
  const covered = (e: E2MultiEquilibrium) => setPoints(e).length > 1 && exact.some((x) => x.sharedKink && setPoints(e).every((q) => inSharedKinkSet(x.sharedKink as SharedKinkSet, q)));
  const rest = out.filter((e) => !covered(e));
  out.length = 0;
  out.push(...rest);
  exact.forEach(push);
  sortByWelfare(out, m.qBar, (e) => e.records);
  const threeWaySplits = I < 2 || three.complete || holdersCovered || oneHolder;
  // a kind over the limit matters only where nothing else settled it (review: three-way splits settled by the
  // shared kinks were reported as left out, with a value to set)
  const sliceLimited = P <= MAX_TWO_SPLIT_TYPES && (twoSlices.length > maxSlices || (threeSlices.length > maxSlices && !threeWaySplits));
  return {
    equilibria: out,
    ...(kinks ? { sharedKinks: kinks, strayTwoHolders: stray } : {}),
    ...(N >= 3 && I >= 2 && P >= 2 ? { regionsApart: apart, strayTwoHolders: stray } : {}),
    // over the types with records (P of them; a type without records cannot be split):
    // threeWaySplits: every split of a type over three uses; fourWaySplits: over four or more (never searched,
    // vacuous when at most one platform holds records); severalSplitTypes: every allocation with two or more split
    // types (with two platforms, a split type next to a three-way one is not searched; with one holder, two types
    // split between keeping and the same platform are the two-split slices)
    searched: {
      corners: true,
      oneSplitType: true,
      twoSplitTypes: P < 2 || (two.complete && !limited),
      threeWaySplits,
      fourWaySplits: I < 3 || holdersCovered || oneHolder,
      severalSplitTypes:
        P < 2 ||
        (two.complete && !limited && P === 2 && (I < 2 || holdersCovered || oneHolder)) ||
        (two.complete && !limited && allInterior?.complete === true) ||
        (two.complete && !limited && I === 1 && P === VOLUME_TYPES && interiorRuns.every((r) => r.complete) && many?.complete === true) ||
        (two.complete && !limited && oneHolder && P === 3 && eachInterior.every((r) => r.complete)),
      candidates,
    },
    ...(limited ? { twoInteriorLimit: { types: P, maxTypes: opts.twoInteriorMaxTypes as number } } : {}),
    ...(sliceLimited ? { sliceLimit: { twoSplit: twoSlices.length, threeWay: threeSlices.length, maxSlices } } : {}),
    ...(I === 1 && P >= 4 ? { threeInteriorUnsold: interiorRuns.every((r) => r.complete) } : {}),
    ...(I === 1 && (P === VOLUME_TYPES || P === MAX_VOLUME_TYPES) ? { manyInterior: { requested: manyInterior, complete: many?.complete === true } } : {}),
  };
}

/**
 * SB with several platforms: max_q Σ_i [U_i(q_i) + Σ_ω H_iω(q_i)] + Σ_ω r_ω q_0(ω) s.t. q_0 + Σ_i q_i = q̄.
 * "X_i optimal in P_i at q_i" ⇔ X_i feasible, obedient and Σ u_i X_i ≥ ⟨g_k, q_i⟩ for some linear piece g_k
 * of U_i (pieces.ts), so SB = max over piece combinations (k_1, …, k_I) of one LP in (X_1, …, X_I):
 * the aggregate-buyer-best selection makes Σ_ω H_iω = max Σ g_i X_i over optimal X_i, i.e. maximising
 * Σ (u_i + g_i) X_i − r·Σ_i q_i.
 */
export function secondBestMulti(solver: LpSolver, m: E2MultiMarket): { welfare: number; records: number[][]; combinations: number } {
  const N = m.qBar.length;
  const pieces = m.designs.map((d) => platformPieces(solver, d).gradients);
  const combos = pieces.reduce((s, p) => s * p.length, 1);
  if (combos > MAX_SB_COMBINATIONS) throw new RangeError(`secondBestMulti: ${combos} piece combinations exceed ${MAX_SB_COMBINATIONS}`);
  const offsets: number[] = [];
  let nX = 0;
  for (const d of m.designs) {
    offsets.push(nX);
    nX += d.u.length;
  }
  const constant = m.qBar.reduce((s, x, w) => s + x * m.keepValue[w], 0);
  const cost = new Array<number>(nX).fill(0);
  m.designs.forEach((d, i) => d.u.forEach((c, j) => (cost[offsets[i] + j] = c + d.g[j] - m.keepValue[j % N])));
  const base: LpRow[] = m.qBar.map((qb, w) => {
    const indices: number[] = [];
    m.designs.forEach((d, i) => d.actions.forEach((_, s) => indices.push(offsets[i] + s * N + w)));
    return { indices, values: indices.map(() => 1), lower: -Infinity, upper: qb };
  });
  m.designs.forEach((d, i) => base.push(...d.obedience.map((r) => ({ ...r, indices: r.indices.map((j) => j + offsets[i]) }))));
  let best = { welfare: -Infinity, records: m.designs.map(() => m.qBar.map(() => 0)), combinations: combos };
  for (let c = 0; c < combos; c++) {
    let rest = c;
    const rows = [...base];
    m.designs.forEach((d, i) => {
      const g = pieces[i][rest % pieces[i].length];
      rest = Math.floor(rest / pieces[i].length);
      // Σ u_i X_i − ⟨g, q_i⟩ ≥ 0 with q_i(ω) = Σ_s X_i(s, ω)
      rows.push({ indices: d.u.map((_, j) => offsets[i] + j), values: d.u.map((u, j) => u - g[j % N]), lower: 0, upper: Infinity });
    });
    const sol = solver.solve({ sense: 'max', cost, colLower: new Array<number>(nX).fill(0), colUpper: new Array<number>(nX).fill(Infinity), rows });
    if (sol.objective + constant > best.welfare + 1e-12) {
      best = {
        welfare: sol.objective + constant,
        records: m.designs.map((d, i) => m.qBar.map((_, w) => d.actions.reduce<number>((s, __, a) => s + Math.max(0, sol.x[offsets[i] + a * N + w]), 0))),
        combinations: combos,
      };
    }
  }
  return best;
}
