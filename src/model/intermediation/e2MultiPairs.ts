/**
 * GP E2 with several platforms: equilibria with two split types w < v, each between two uses (keep ↔ platform i,
 * or platform i ↔ platform j), and equilibria with one type split over three uses (keep, i, j, or i, j, k); every
 * other type at a corner (keeps everything or sells everything to one platform). The one-platform analogue is
 * e2Pairs.ts; both run the slice search of sliceSearch.ts.
 *
 * A three-way slice is the triangle x + y ≤ q̄(w): x records of type w at one use, y at another, the rest at the
 * third (`simplex` in sliceSearch.ts).
 *
 * A slice is (x, y) ∈ (0, q̄(w)) × (0, q̄(v)): type w gives x records to its segment's second use and q̄(w) − x to
 * its first, v likewise with y. Every platform's records are affine in (x, y): q_i(x, y) = c_i + x dx_i + y dy_i.
 * Its value U_i is concave piecewise linear (its linear pieces, `platformPieces`), so its walls are exact
 * (`affineWalls`); the buyers' payoffs H_iω of the moving types are scanned (a mix with irrational weights, so that
 * no two kinks cancel). The exact test at a point is `checkE2Multi` (common price p ∈ ∂U_i(q_i) for every platform,
 * each buyer's deviation vertices); a point that fails it but passes the sampled bounds is tried again with each
 * moving record moved onto a breakpoint of its own lines within 1e-8·q̄ (walls are located to about 1e-10).
 * As with one platform, a split type's price is pinned unless its payoff kinks along its own segment, and p is
 * pinned unless a value kinks, so outside knife-edges the equilibria lie on the walls' vertices and lines.
 *
 * Slices: C(N, 2) pairs × S² segment choices (S = I(I+1)/2) × (I+1)^(N−2) corners of the others; searched only up
 * to MAX_TWO_SPLIT_SLICES of them (each kind counted on its own) and MAX_TWO_SPLIT_TYPES types: two types with up to six platforms, three types
 * with two or three, four types with two, three to five types with one platform (several merchants).
 * Three-way slices: N × C(I+1, 3) × (I+1)^(N−1), under the same limit. Not searched: what `searchSlice` misses
 * (its module comment), a type split over four or more uses, a split type next to a three-way one, and three or
 * more split types.
 */
import type { LpSolver } from '../../lp/index.js';
import { checkE2Multi, endsAt, newE2MultiMemo, passesSampledBoundsMulti, payAt, payRange, type E2MultiEquilibrium, type E2MultiMarket, type E2MultiMemo } from './e2Multi.js';
import { E2ResolutionError, meet, mixStaged } from './pieceEnds.js';
import { platformPieces } from './platformDesign.js';
import { rayEntry } from './rayEntry.js';
import { affineWalls, searchSlice, type Line, type Pt } from './sliceSearch.js';

/**
 * Most slices searched for two split types, and for three-way splits (module comment), and most types; beyond,
 * not searched. 700 since the selection's faces are cached (lexicographic.ts `FaceCache`): four types with two
 * platforms (6 pairs × 3² segment choices × 3² corners = 486, and 108 three-way; 12 random markets 0.5–4.3 s for
 * all 594) and three types with three platforms (432 + 192; 9 random markets 0.8–2.4 s); five types with one
 * platform (80; nine random markets with two merchants took 0.4–27 s for the whole search). Before the cache the limit was 81 (three types with two platforms,
 * 0.6–11 s each then). Five types with two platforms: their 2,430 two-split slices stay out (13–19 s with the
 * three-way ones), their 405 three-way slices are searched (a random such market 3.5 → 7.6 s, review).
 */
export const MAX_TWO_SPLIT_SLICES = 700;
export const MAX_TWO_SPLIT_TYPES = 5;
/**
 * Most slices a scenario may ask for (`equilibriumSearch.maxSplitSlices`): each costs ~2–15 ms on the bench's
 * machine (five types with two platforms: 2,835 slices, 11–44 s), so 100,000 is an hour or so.
 */
export const MAX_TWO_SPLIT_SLICES_HARD = 100_000;

/**
 * Are `count` slices of a market with P types with records searched (at most `maxSlices`, default
 * MAX_TWO_SPLIT_SLICES, and MAX_TWO_SPLIT_TYPES types)?
 */
export function slicesSearched(count: number, P: number, maxSlices = MAX_TWO_SPLIT_SLICES): boolean {
  return count <= maxSlices && P <= MAX_TWO_SPLIT_TYPES;
}

/**
 * A plane of allocations: `kind` two — types [w, v], uses [[from, to], [from, to]] (x records of w go to `to`, the
 * rest to `from`; y likewise for v); three — type [w], uses [[rest, xUse, yUse]]. −1 = kept, i = platform i.
 * `corner`: use of the other types (−1 = keeps everything, i = sells everything to platform i).
 */
export interface SplitSlice {
  kind: 'two' | 'three';
  types: number[];
  uses: number[][];
  corner: number[];
  /** A type (its corner: kept) of which `platform` holds `records` instead (the three-interior faces). */
  level?: { type: number; platform: number; records: number };
}

/** A two-split equilibrium's description (E2MultiEquilibrium.twoSplit). */
export type TwoSplit = NonNullable<E2MultiEquilibrium['twoSplit']>;

/** The segments between two uses: keep ↔ i, then i ↔ j. */
function segments(I: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < I; i++) out.push([-1, i]);
  for (let i = 0; i < I; i++) for (let j = i + 1; j < I; j++) out.push([i, j]);
  return out;
}

/** The corners of the types in `others` (each a use −1…I−1), as full use vectors (−1 elsewhere). */
function corners(N: number, others: number[], I: number): number[][] {
  const out: number[][] = [];
  for (let c = 0; c < (I + 1) ** others.length; c++) {
    const corner = new Array<number>(N).fill(-1);
    others.forEach((k, n) => (corner[k] = (Math.floor(c / (I + 1) ** n) % (I + 1)) - 1));
    out.push(corner);
  }
  return out;
}

/** Every two-split slice of the module comment (types without records excluded). */
export function splitSlices(qBar: number[], I: number): SplitSlice[] {
  const N = qBar.length;
  const segs = segments(I);
  const out: SplitSlice[] = [];
  for (let w = 0; w < N; w++) {
    for (let v = w + 1; v < N; v++) {
      if (!(qBar[w] > 0 && qBar[v] > 0)) continue;
      const others = qBar.map((_, k) => k).filter((k) => k !== w && k !== v && qBar[k] > 0);
      for (const sw of segs) for (const sv of segs) for (const corner of corners(N, others, I)) out.push({ kind: 'two', types: [w, v], uses: [sw, sv], corner });
    }
  }
  return out;
}

/** Every three-way slice: one type over three of the I + 1 uses, the others at corners. */
export function threeWaySlices(qBar: number[], I: number): SplitSlice[] {
  const N = qBar.length;
  const out: SplitSlice[] = [];
  for (let w = 0; w < N; w++) {
    if (!(qBar[w] > 0)) continue;
    const others = qBar.map((_, k) => k).filter((k) => k !== w && qBar[k] > 0);
    for (let a = -1; a < I; a++) for (let b = a + 1; b < I; b++) for (let c = b + 1; c < I; c++) for (const corner of corners(N, others, I)) out.push({ kind: 'three', types: [w], uses: [[a, b, c]], corner });
  }
  return out;
}

/** records_i(x, y) = c_i + x dx_i + y dy_i on a slice, its box (or triangle) and the moving types. */
function geometry(m: E2MultiMarket, s: SplitSlice): { c: number[][]; dx: number[][]; dy: number[][]; X: number; Y: number } {
  const c = m.designs.map((_, i) => m.qBar.map((qb, k) => (s.corner[k] === i ? qb : 0)));
  if (s.level) c[s.level.platform][s.level.type] = s.level.records;
  const dx = m.designs.map(() => m.qBar.map(() => 0));
  const dy = m.designs.map(() => m.qBar.map(() => 0));
  if (s.kind === 'two') {
    s.types.forEach((t, n) => {
      const [from, to] = s.uses[n];
      const d = n === 0 ? dx : dy;
      d[to][t] = 1;
      if (from >= 0) {
        d[from][t] = -1;
        c[from][t] = m.qBar[t];
      }
    });
    return { c, dx, dy, X: m.qBar[s.types[0]], Y: m.qBar[s.types[1]] };
  }
  const w = s.types[0];
  const [rest, xUse, yUse] = s.uses[0];
  dx[xUse][w] = 1;
  dy[yUse][w] = 1;
  if (rest >= 0) {
    c[rest][w] = m.qBar[w];
    dx[rest][w] = -1;
    dy[rest][w] = -1;
  }
  return { c, dx, dy, X: m.qBar[w], Y: m.qBar[w] };
}

/** Every equilibrium of one slice (module comment), with its `twoSplit` or `threeWay` description. */
export function splitSliceEquilibria(solver: LpSolver, m: E2MultiMarket, s: SplitSlice, pieces: number[][][], memo: E2MultiMemo = newE2MultiMemo(m.designs.length), strips?: number): E2MultiEquilibrium[] {
  const I = m.designs.length;
  const { c, dx, dy, X, Y } = geometry(m, s);
  const records = (p: Pt) => c.map((ci, i) => ci.map((x, k) => x + p[0] * dx[i][k] + p[1] * dy[i][k]));
  const moving = m.designs.map((_, i) => dx[i].some((x) => x !== 0) || dy[i].some((x) => x !== 0));
  const walls: Line[] = [];
  m.designs.forEach((_, i) => {
    if (moving[i]) affineWalls(pieces[i], c[i], dx[i], dy[i], X, Y, walls);
  });
  // each coordinate moved onto a breakpoint of a payoff it moves along its own line, within 1e-8: a moving record
  // c + dx x + dy y of type t at platform i is at a breakpoint b of H_{i,t} where x = (b − c − dy y)/dx (y as
  // already moved, so that a point near a wall of the rest use, x + y = const, lands on it and not mirrored — review);
  // the nearest such, and only inside the domain
  const band = 1e-8 * Math.max(...m.qBar);
  const within = (q: Pt) => q[0] > band && q[0] < X - band && q[1] > band && q[1] < Y - band && (s.kind !== 'three' || q[0] + q[1] < X - band);
  const snap = (p: Pt): Pt => {
    const out: Pt = [p[0], p[1]];
    for (const axis of [0, 1] as const) {
      const rec = records(out);
      const [d, o] = axis === 0 ? [dx, dy] : [dy, dx];
      let best: number | undefined;
      m.designs.forEach((_, i) =>
        s.types.forEach((t) => {
          if (d[i][t] === 0) return;
          for (const e of endsAt(solver, m, i, t, rec[i], memo)) {
            const u = (e.t - c[i][t] - o[i][t] * out[1 - axis]) / d[i][t];
            const moved: Pt = axis === 0 ? [u, out[1]] : [out[0], u];
            if (Math.abs(u - out[axis]) <= 1e-8 * Math.max(1, axis === 0 ? X : Y) && within(moved) && (best === undefined || Math.abs(u - out[axis]) < Math.abs(best - out[axis]))) best = u;
          }
        }),
      );
      if (best !== undefined) out[axis] = best;
    }
    return out;
  };
  const held = c.map((ci, i) => ci.map((_, t) => t).filter((t) => !s.types.includes(t) && ci[t] > 0 && moving[i]));
  const hits = searchSlice({
    X,
    Y,
    band,
    walls,
    strips,
    simplex: s.kind === 'three',
    onPartial: (n) => (memo.partialCells += n),
    scan: (p) => {
      const rec = records(p);
      let f = 0;
      let k = 0;
      // each moving platform's selection stages (pieceEnds.ts), one platform's after the other's
      const stages: number[] = [];
      for (let i = 0; i < I; i++) {
        if (!moving[i]) continue;
        const r = payAt(solver, m, i, rec[i], memo);
        // the moving types' payoffs, and those of the types this platform holds that do not move: their conditions
        // change where their own payoffs kink (review: a cell of two split types below a type held whole was lost)
        const scanned = [...s.types, ...held[i]];
        const mix = mixStaged(r, scanned, k);
        k += scanned.length;
        f += mix.h;
        stages.push(...mix.stages);
      }
      // every moving platform's selection affine: the ranges along its own records' direction, met
      const along = (d: Pt, want: readonly [number, number]) =>
        meet(m.designs.map((_, i) => {
          const e = dx[i].map((x, w) => d[0] * x + d[1] * dy[i][w]);
          return e.some((x) => x !== 0) ? payRange(m, i, rec[i], e, memo, want) : ([-Infinity, Infinity] as const);
        }));
      return { h: f, stages, along };
    },
    decide: (p) => {
      const rec = records(p);
      const e = checkE2Multi(solver, m, rec, memo);
      if (e || !passesSampledBoundsMulti(solver, m, rec, memo)) return e;
      const q = snap(p);
      return q[0] !== p[0] || q[1] !== p[1] ? checkE2Multi(solver, m, records(q), memo) : null;
    },
  });
  return hits.map((h) => {
    const where = { ...(h.from && h.to ? { from: records(h.from), to: records(h.to) } : {}), ...(h.cell ? { cell: h.cell.map(records) } : {}) };
    return s.kind === 'two'
      ? { ...h.eq, twoSplit: { types: [s.types[0], s.types[1]] as [number, number], ...where } }
      : { ...h.eq, threeWay: { type: s.types[0], uses: [s.uses[0][0], s.uses[0][1], s.uses[0][2]] as [number, number, number], ...where } };
  });
}

/**
 * All equilibria over the slices (two-split or three-way), or `complete: false` when there are more than
 * `maxSlices` slices (default MAX_TWO_SPLIT_SLICES) or a slice's payoffs do not resolve into linear pieces (that
 * slice is skipped).
 */
export function sliceSearchEquilibria(solver: LpSolver, m: E2MultiMarket, slices: SplitSlice[], memo: E2MultiMemo, onSlice?: () => void, maxSlices = MAX_TWO_SPLIT_SLICES): { equilibria: E2MultiEquilibrium[]; complete: boolean } {
  if (!slicesSearched(slices.length, m.qBar.filter((x) => x > 0).length, maxSlices)) return { equilibria: [], complete: false };
  const pieces = m.designs.map((d) => platformPieces(solver, d).gradients);
  const equilibria: E2MultiEquilibrium[] = [];
  let complete = true;
  // a cell reported at its centre only leaves the search not exhaustive (sliceSearch.ts `onPartial`)
  const partialBefore = memo.partialCells;
  for (const s of slices) {
    try {
      equilibria.push(...splitSliceEquilibria(solver, m, s, pieces, memo));
    } catch (e) {
      if (!(e instanceof E2ResolutionError)) throw e;
      complete = false;
    }
    onSlice?.();
  }
  return { equilibria, complete: complete && memo.partialCells === partialBefore };
}

/**
 * Three types all interior and held by `platform` alone, every other type kept whole (the other platforms hold
 * nothing): as `threeInteriorEquilibria` in e2Pairs.ts (homogeneity: each ray's equilibria an up-set, so the three
 * faces where a type fills first, at 1 − `inset` of its records, are two-split slices keep ↔ platform with that
 * type at the level), reported with `threeInterior: { face, from?, to?, cell?, rayFrom? }` (records[i][ω];
 * `rayFrom` only where the verdicts along the ray at 0.1 … 0.9 are monotone). `types`: the three (default: the only
 * three with records).
 */
export function threeInteriorMulti(solver: LpSolver, m: E2MultiMarket, inset: number, memo: E2MultiMemo, onSlice?: () => void, platform = 0, types = m.qBar.map((_, w) => w).filter((w) => m.qBar[w] > 0)): { equilibria: E2MultiEquilibrium[]; complete: boolean } {
  if (types.length !== 3 || types.some((w) => !(m.qBar[w] > 0))) throw new RangeError('threeInteriorMulti: three types with records expected');
  const slices: SplitSlice[] = types.map((face) => ({
    kind: 'two',
    types: types.filter((w) => w !== face),
    uses: [
      [-1, platform],
      [-1, platform],
    ],
    corner: m.qBar.map(() => -1),
    level: { type: face, platform, records: (1 - inset) * m.qBar[face] },
  }));
  const found = sliceSearchEquilibria(solver, m, slices, memo, onSlice);
  const equilibria = found.equilibria.map((e) => {
    const { twoSplit, ...rest } = e;
    const face = types.find((w) => !twoSplit?.types.includes(w)) as number;
    const top = e.records;
    const scaled = (f: number) => top.map((q) => q.map((x) => f * x));
    const share = rayEntry((f) => checkE2Multi(solver, m, scaled(f), memo) !== null);
    const rayFrom = share === undefined ? undefined : scaled(share);
    return { ...rest, threeInterior: { face, ...(twoSplit?.from && twoSplit.to ? { from: twoSplit.from, to: twoSplit.to } : {}), ...(twoSplit?.cell ? { cell: twoSplit.cell } : {}), ...(rayFrom ? { rayFrom } : {}) } };
  });
  return { equilibria, complete: found.complete };
}
