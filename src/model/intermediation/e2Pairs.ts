/**
 * GP E2, one platform: equilibria with exactly two interior types i < j and every other type at a corner (sells
 * nothing or everything), for 3 ≤ N ≤ MAX_TWO_INTERIOR_TYPES types (with N = 2, `bothInterior` in e2.ts uses
 * homogeneity instead; the tests compare the two).
 *
 * Each pair and corner of the others is a slice q(x, y) = base + x e_i + y e_j, (x, y) ∈ (0, q̄_i) × (0, q̄_j),
 * searched by `searchSlice` (sliceSearch.ts): U and every H_ω are linear on the polygons of the homogeneous
 * selection's fan cut by the slice. An interior type's own condition lo ≤ p ≤ hi (checkE2) pins its price to
 * r − slope unless its own payoff kinks there along its own line, and p ∈ ∂U(q) pins p unless U kinks there, so
 * outside knife-edges two-interior equilibria lie where walls meet or along a line that is a wall of two kinds at
 * once (as the pooling rays q(0)/q(1) = ρ of the two-type case, kinks of both H_0 and H_1). The walls: U's exactly
 * (its linear pieces), and the kinks of a mix of H_i, H_j and the payoffs of the types held at q̄ or a face (irrational
 * weights keep two kinks from cancelling; `mixStaged`).
 * The exact test at a point is `checkE2`; a point that fails it but passes its sampled bounds is tried again with
 * each interior record moved onto a breakpoint of its own line within 1e-8·q̄ (walls are located to about 1e-10,
 * and a chord over the gap is noise). Points within 1e-8·max q̄ of the box belong to other patterns (as everywhere
 * in E2). Not searched: what `searchSlice` misses (its module comment), three or more interior types, and two
 * with more types than `findE2`'s `twoInteriorMaxTypes` when it is set below MAX_TWO_INTERIOR_TYPES.
 */
import type { LpSolver } from '../../lp/index.js';
import { checkE2, checkE2Snapped, E2ResolutionError, newE2Memo, payoffsAt, selectionRange, type E2Equilibrium, type E2Market, type E2Memo } from './e2.js';
import { designPieces } from './planner.js';
import { rayEntry } from './rayEntry.js';
import { mixStaged } from './pieceEnds.js';
import { affineWalls, searchSlice, type Line, type Pt } from './sliceSearch.js';

/**
 * Most types for which `findE2` searches two interior types by default: all that E2 takes. The slices grow as
 * C(N, 2)·2^(N−2) (80 with five types) and each costs a few hundred to a few thousand payoff evaluations, most of
 * them a small linear solve since the selection's faces are cached (lexicographic.ts `FaceCache`): 18 random
 * five-type markets took 0.25–4.5 s for the whole `findE2` (2–60 s for the slices alone before the cache, when
 * five types were opt-in). `findE2`'s
 * `twoInteriorMaxTypes` (the scenario's `equilibriumSearch.twoInteriorMaxTypes`) can lower it.
 */
export const MAX_TWO_INTERIOR_TYPES = 5;
/** The most `twoInteriorMaxTypes` can be: E2 itself stops at MAX_PIECE_TYPES = 5 types. */
export const MAX_TWO_INTERIOR_TYPES_HARD = 5;

/** A two-interior equilibrium's description (E2Equilibrium.twoInterior). */
export type TwoInterior = NonNullable<E2Equilibrium['twoInterior']>;

/** Every E2 equilibrium with exactly types i and j interior and the others at `base` (module comment). */
export function sliceEquilibria(solver: LpSolver, m: E2Market, i: number, j: number, base: number[], gradients: number[][], memo: E2Memo = newE2Memo(), strips?: number): Array<E2Equilibrium & { twoInterior: TwoInterior }> {
  const X = m.qBar[i];
  const Y = m.qBar[j];
  const q = (p: Pt) => base.map((v, w) => (w === i ? p[0] : w === j ? p[1] : v));
  const unit = (k: number) => base.map((_, w) => (w === k ? 1 : 0));
  const walls: Line[] = [];
  affineWalls(gradients, base, unit(i), unit(j), X, Y, walls);
  const types: [number, number] = [i, j];
  // the moving types' payoffs, and those of the types held at a corner or face: their conditions change where their
  // own payoffs kink, which neither moving payoff need show (review: a cell of (0, 2) with type 1 at q̄ was lost)
  const scanned = [i, j, ...base.map((_, k) => k).filter((k) => k !== i && k !== j && base[k] > 0)];
  const hits = searchSlice({
    X,
    Y,
    band: 1e-8 * Math.max(...m.qBar),
    walls,
    strips,
    scan: (p) => {
      const at = q(p);
      const r = payoffsAt(solver, m, at, memo);
      return { ...mixStaged(r, scanned), along: (d, want) => selectionRange(m, at, base.map((_, w) => (w === i ? d[0] : w === j ? d[1] : 0)), memo, want) };
    },
    decide: (p) => checkE2Snapped(solver, m, q(p), types, memo),
    onPartial: (n) => (memo.partialCells += n),
  });
  return hits.map((h) => ({
    ...h.eq,
    twoInterior: { types, ...(h.from && h.to ? { from: q(h.from), to: q(h.to) } : {}), ...(h.cell ? { cell: h.cell.map(q) } : {}) },
  }));
}

/** Every slice (pair i < j of types with records, the others at a corner). */
export function pairSlices(qBar: number[]): Array<{ i: number; j: number; base: number[] }> {
  const N = qBar.length;
  const out: Array<{ i: number; j: number; base: number[] }> = [];
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      if (!(qBar[i] > 0 && qBar[j] > 0)) continue;
      // a type without records is at 0 in every slice
      const others = qBar.map((_, w) => w).filter((w) => w !== i && w !== j && qBar[w] > 0);
      for (let mask = 0; mask < 1 << others.length; mask++) {
        const base = qBar.map(() => 0);
        others.forEach((w, k) => (base[w] = mask & (1 << k) ? qBar[w] : 0));
        out.push({ i, j, base });
      }
    }
  }
  return out;
}

/**
 * All two-interior equilibria (N ≥ 3) over every slice; `complete` is false when a slice's payoffs did not resolve
 * into linear pieces (E2ResolutionError: that slice is skipped, the rest of the E2 search stands).
 */
export function twoInteriorEquilibria(solver: LpSolver, m: E2Market, memo: E2Memo, onSlice?: () => void): { equilibria: Array<E2Equilibrium & { twoInterior: TwoInterior }>; complete: boolean } {
  const gradients = designPieces(solver, m.game).gradients;
  const equilibria: Array<E2Equilibrium & { twoInterior: TwoInterior }> = [];
  let complete = true;
  // a cell reported at its centre only leaves the search not exhaustive (sliceSearch.ts `onPartial`)
  const partialBefore = memo.partialCells;
  for (const s of pairSlices(m.qBar)) {
    try {
      equilibria.push(...sliceEquilibria(solver, m, s.i, s.j, s.base, gradients, memo));
    } catch (e) {
      if (!(e instanceof E2ResolutionError)) throw e;
      complete = false;
    }
    onSlice?.();
  }
  return { equilibria, complete: complete && memo.partialCells === partialBefore };
}

/** Every three of the types with records, in increasing order. */
export function tripleTypes(qBar: number[]): number[][] {
  const types = qBar.map((_, w) => w).filter((w) => qBar[w] > 0);
  const out: number[][] = [];
  for (let a = 0; a < types.length; a++) for (let b = a + 1; b < types.length; b++) for (let c = b + 1; c < types.length; c++) out.push([types[a], types[b], types[c]]);
  return out;
}

/** A three-interior equilibrium's description (E2Equilibrium.threeInterior). */
export type ThreeInterior = NonNullable<E2Equilibrium['threeInterior']>;

/**
 * Three types all interior, every other type at 0 (none of its records sold): x*_q is positively homogeneous, so
 * along every ray q = λ·d the equilibria are {λ ≥ λ*} up to the box — the platform's condition and each interior
 * buyer's left-hand one depend on d only, and her right-hand one, like the condition of a buyer who sells nothing,
 * weakens as λ grows (`bothInterior`'s argument, for any direction). So a ray carries an equilibrium iff its point at
 * λ = (1 − E2_PAIR_INSET)·λ_max(d) is one, and those points lie on the three faces q(ω) = (1 − E2_PAIR_INSET)·q̄(ω)
 * (ω the type that fills first) with the other two records inside the box: one slice of two interior types each
 * (`sliceEquilibria`, the third type at that level), searched as the pairs' slices are. A hit stands for the
 * three-interior set through it: `face`, its `from`/`to` or `cell` on the face, and `rayFrom`, where the ray through
 * the reported point enters the set (λ* by bisection; left out when the verdicts along that ray are not monotone —
 * a point within the tolerance of a ray but off it). `types`: the three (default: the only three with records).
 */
export function threeInteriorEquilibria(solver: LpSolver, m: E2Market, inset: number, memo: E2Memo, onSlice?: () => void, types = m.qBar.map((_, w) => w).filter((w) => m.qBar[w] > 0)): { equilibria: E2Equilibrium[]; complete: boolean } {
  if (types.length !== 3 || types.some((w) => !(m.qBar[w] > 0))) throw new RangeError('threeInteriorEquilibria: three types with records expected');
  const gradients = designPieces(solver, m.game).gradients;
  const equilibria: E2Equilibrium[] = [];
  let complete = true;
  // a cell reported at its centre only leaves the search not exhaustive (sliceSearch.ts `onPartial`)
  const partialBefore = memo.partialCells;
  for (const face of types) {
    const [i, j] = types.filter((w) => w !== face);
    const base = m.qBar.map((q, w) => (w === face ? (1 - inset) * q : 0));
    try {
      for (const e of sliceEquilibria(solver, m, i, j, base, gradients, memo)) {
        const { twoInterior, ...rest } = e;
        // λ* along the ray through the reported point: the least scale that is still an equilibrium, by bisection —
        // only when the verdicts at 0.1, 0.2, …, 0.9 of it are monotone (a point reported within the tolerance of a
        // ray, off it by 1e-6, passed at 0.5 and failed at 0.25 of itself while the ray passes all the way down)
        const share = rayEntry((f) => checkE2(solver, m, e.records.map((x) => f * x), memo) !== null);
        const rayFrom = share === undefined ? undefined : e.records.map((x) => share * x);
        equilibria.push({ ...rest, threeInterior: { face, ...(twoInterior.from && twoInterior.to ? { from: twoInterior.from, to: twoInterior.to } : {}), ...(twoInterior.cell ? { cell: twoInterior.cell } : {}), ...(rayFrom ? { rayFrom } : {}) } });
      }
    } catch (e) {
      if (!(e instanceof E2ResolutionError)) throw e;
      complete = false;
    }
    onSlice?.();
  }
  return { equilibria, complete: complete && memo.partialCells === partialBefore };
}
