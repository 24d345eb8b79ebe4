/**
 * GP E2 with several platforms: equilibria with two split types w < v, each between two uses (keep ↔ platform i,
 * or platform i ↔ platform j), and every other type at a corner (keeps everything or sells everything to one
 * platform). The one-platform analogue is e2Pairs.ts; both run the slice search of sliceSearch.ts.
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
 * to MAX_TWO_SPLIT_SLICES of them: two types with two or three platforms, three or four types with one platform
 * (several merchants; four types take 18–29 s on random markets, review).
 * Not searched: what `searchSlice` misses (its module comment), a type split over three uses, and three or more
 * split types.
 */
import type { LpSolver } from '../../lp/index.js';
import { checkE2Multi, endsAt, newE2MultiMemo, passesSampledBoundsMulti, payAt, type E2MultiEquilibrium, type E2MultiMarket, type E2MultiMemo } from './e2Multi.js';
import { E2ResolutionError } from './e2.js';
import { platformPieces } from './platformDesign.js';
import { affineWalls, searchSlice, type Line, type Pt } from './sliceSearch.js';

/** Most slices searched for two split types (module comment); beyond, `twoSplitTypes` is false. */
export const MAX_TWO_SPLIT_SLICES = 40;

/** Two split types, the others at corners: which uses each moves between, and the corners. */
export interface SplitSlice {
  types: [number, number];
  /** [from, to] per moving type: −1 = kept, i = platform i; x (resp. y) records go to `to`, the rest to `from`. */
  uses: [[number, number], [number, number]];
  /** use[ω] of the other types: −1 = keeps everything, i = sells everything to platform i. */
  corner: number[];
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

/** Every slice of the module comment (types without records excluded). */
export function splitSlices(qBar: number[], I: number): SplitSlice[] {
  const N = qBar.length;
  const segs = segments(I);
  const out: SplitSlice[] = [];
  for (let w = 0; w < N; w++) {
    for (let v = w + 1; v < N; v++) {
      if (!(qBar[w] > 0 && qBar[v] > 0)) continue;
      const others = qBar.map((_, k) => k).filter((k) => k !== w && k !== v && qBar[k] > 0);
      for (const sw of segs) {
        for (const sv of segs) {
          for (let c = 0; c < (I + 1) ** others.length; c++) {
            const corner = qBar.map(() => -1);
            others.forEach((k, n) => (corner[k] = (Math.floor(c / (I + 1) ** n) % (I + 1)) - 1));
            out.push({ types: [w, v], uses: [sw, sv], corner });
          }
        }
      }
    }
  }
  return out;
}

/** Weights of the scanned payoffs: distinct irrationals. */
const WEIGHTS = [1, 0.6180339887498949, 0.41421356237309515, 0.7320508075688772, 0.2360679774997898, 0.3166247903554];

/** Every equilibrium of one slice (module comment). */
export function splitSliceEquilibria(solver: LpSolver, m: E2MultiMarket, s: SplitSlice, pieces: number[][][], memo: E2MultiMemo = newE2MultiMemo(m.designs.length), strips?: number): Array<E2MultiEquilibrium & { twoSplit: TwoSplit }> {
  const I = m.designs.length;
  const [w, v] = s.types;
  const T: Pt = [m.qBar[w], m.qBar[v]];
  // q_i(x, y) = c_i + x dx_i + y dy_i
  const c = m.designs.map((_, i) => m.qBar.map((qb, k) => (s.corner[k] === i ? qb : 0)));
  const dx = m.designs.map(() => m.qBar.map(() => 0));
  const dy = m.designs.map(() => m.qBar.map(() => 0));
  s.types.forEach((t, n) => {
    const [from, to] = s.uses[n];
    const d = n === 0 ? dx : dy;
    d[to][t] = 1;
    if (from >= 0) {
      d[from][t] = -1;
      c[from][t] = m.qBar[t];
    }
  });
  const records = (p: Pt) => c.map((ci, i) => ci.map((x, k) => x + p[0] * dx[i][k] + p[1] * dy[i][k]));
  const moving = m.designs.map((_, i) => dx[i].some((x) => x !== 0) || dy[i].some((x) => x !== 0));
  const walls: Line[] = [];
  m.designs.forEach((_, i) => {
    if (moving[i]) affineWalls(pieces[i], c[i], dx[i], dy[i], T[0], T[1], walls);
  });
  // a record of type t at its own breakpoints: those of H_{to,t} at t's holding there, and of H_{from,t} mirrored
  const snap = (rec: number[][]): number[][] => {
    const out = rec.map((q) => q.slice());
    s.types.forEach((t, n) => {
      const [from, to] = s.uses[n];
      const x = rec[to][t];
      const cands = endsAt(solver, m, to, t, rec[to], memo).map((e) => e.t);
      if (from >= 0) cands.push(...endsAt(solver, m, from, t, rec[from], memo).map((e) => m.qBar[t] - e.t));
      const near = cands.find((u) => u > 0 && u < m.qBar[t] && Math.abs(u - x) <= 1e-8 * Math.max(1, m.qBar[t]));
      if (near === undefined) return;
      out[to][t] = near;
      if (from >= 0) out[from][t] = m.qBar[t] - near;
    });
    return out;
  };
  const hits = searchSlice({
    X: T[0],
    Y: T[1],
    band: 1e-8 * Math.max(...m.qBar),
    walls,
    strips,
    scan: (p) => {
      const rec = records(p);
      let f = 0;
      let k = 0;
      for (let i = 0; i < I; i++) {
        if (!moving[i]) continue;
        const b = payAt(solver, m, i, rec[i], memo).buyer;
        for (const t of s.types) f += WEIGHTS[k++ % WEIGHTS.length] * b[t];
      }
      return f;
    },
    decide: (p) => {
      const rec = records(p);
      const e = checkE2Multi(solver, m, rec, memo);
      if (e || !passesSampledBoundsMulti(solver, m, rec, memo)) return e;
      const moved = snap(rec);
      return moved.some((q, i) => q.some((x, k) => x !== rec[i][k])) ? checkE2Multi(solver, m, moved, memo) : null;
    },
  });
  return hits.map((h) => ({
    ...h.eq,
    twoSplit: { types: s.types, ...(h.from && h.to ? { from: records(h.from), to: records(h.to) } : {}), ...(h.cell ? { cell: h.cell.map(records) } : {}) },
  }));
}

/**
 * All two-split equilibria over every slice, or `searched: false` when there are more than MAX_TWO_SPLIT_SLICES
 * slices or a slice's payoffs do not resolve into linear pieces (that slice is skipped).
 */
export function twoSplitEquilibria(solver: LpSolver, m: E2MultiMarket, memo: E2MultiMemo, onSlice?: () => void): { equilibria: Array<E2MultiEquilibrium & { twoSplit: TwoSplit }>; complete: boolean } {
  const slices = splitSlices(m.qBar, m.designs.length);
  if (slices.length > MAX_TWO_SPLIT_SLICES) return { equilibria: [], complete: false };
  const pieces = m.designs.map((d) => platformPieces(solver, d).gradients);
  const equilibria: Array<E2MultiEquilibrium & { twoSplit: TwoSplit }> = [];
  let complete = true;
  for (const s of slices) {
    try {
      equilibria.push(...splitSliceEquilibria(solver, m, s, pieces, memo));
    } catch (e) {
      if (!(e instanceof E2ResolutionError)) throw e;
      complete = false;
    }
    onSlice?.();
  }
  return { equilibria, complete };
}
