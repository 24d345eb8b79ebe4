/**
 * GP E2, one platform: equilibria with three interior types in three-dimensional slices (volumeSearch.ts), for
 * markets with four or five types with records (VOLUME_TYPES, MAX_VOLUME_TYPES).
 *
 * - Three interior types i < j < k next to types that sell everything: the slice q = base + x e_i + y e_j + z e_k,
 *   base the other types at q̄ or 0, not all at 0 (then the slice is homogeneous and e2Pairs.ts's
 *   `threeInteriorEquilibria` searches it on faces instead).
 * - Four interior types (with five, the fifth at 0): x*_q is positively homogeneous, so (as for three, e2Pairs.ts) each ray's equilibria are
 *   {λ ≥ λ*} up to the box, and a ray carries one iff its point at (1 − E2_PAIR_INSET)·λ_max does; those points lie
 *   on the four faces q(f) = (1 − E2_PAIR_INSET)·q̄(f), each a slice of the other three types interior.
 *
 * The exact test is `checkE2`, retried at the interior records moved onto their own lines' breakpoints (as the
 * two-dimensional slices do). What the volume search misses is in volumeSearch.ts's module comment.
 */
import type { LpSolver } from '../../lp/index.js';
import { checkE2, checkE2Snapped, E2ResolutionError, E2_PAIR_INSET, payoffsAt, pieceEnds, selectionRange, selectionStages, tightenByChords, type E2Equilibrium, type E2Market, type E2Memo } from './e2.js';
import { buyerOnLine, MIX_WEIGHTS } from './pieceEnds.js';
import { rayEntry } from './rayEntry.js';
import { searchVolume, valuePlanes, volumePlanes, type Plane, type Pt3, type VolumeHit, type VolumeProblem } from './volumeSearch.js';

/**
 * The number of types with records for which the volumes are every allocation with three or more interior types that
 * the other searches leave (then `severalInterior` can be true).
 */
export const VOLUME_TYPES = 4;
/**
 * Five types with records: the 50 volumes (three interior next to two corner types, not both at 0; four interior
 * next to a fifth type at 0, on faces) are searched too; four interior next to a type that sells everything and all
 * five interior are four-dimensional, not searched.
 */
export const MAX_VOLUME_TYPES = 5;

/** Most planes searched in one volume (a random four-type market's volume had 23; VolumeLimitError past it). */
export const MAX_VOLUME_PLANES = 60;
/**
 * Most exact tests in one volume: the planes do not bound the work — a volume of 6 planes of a market with one
 * mass × 1e-4 took thousands of tests on one plane and ran out of memory on the next (review).
 */
export const MAX_VOLUME_DECISIONS = 40_000;

/** A volume past MAX_VOLUME_PLANES or MAX_VOLUME_DECISIONS: skipped, and the search says it is not complete. */
export class VolumeLimitError extends RangeError {
  constructor(what: string) {
    super(`a volume of the E2 search was skipped: ${what}`);
  }
}

/**
 * Each interior buyer's condition re-checked on a fine scan of her own line around her records (half-width the
 * least of the distances to her line's ends, 1% of it, and the least interior record): the whole-line scan of
 * `checkE2` locates kinks to a resolution relative to q̄, and a set of a volume within 5·10⁻⁵ of a face, whose
 * pieces scale with that distance, passed it while buyer 2 gained 3.6e-6 by selling 5e-6 more (review). Only
 * rejects: the chords bound p(ω) (`tightenByChords`), and an empty intersection with its exact interval fails.
 */
function locallyConfirmed<T>(vm: VolumeMarket<T>, e: T, types: number[]): boolean {
  const records = vm.recordsOf(e);
  const least = Math.min(...types.map((w) => records[w]));
  return types.every((w) => {
    const T = vm.qBar[w];
    const t0 = records[w];
    const d = Math.min(t0, T - t0, 1e-2 * T, least);
    if (!(d > 0)) return true;
    const at = (t: number) => vm.payoffs(records.map((x, k) => (k === w ? t : x)));
    const h = (t: number) => at(t).buyer[w];
    const dir = records.map((_, k) => (k === w ? 1 : 0));
    const staged = (s: number) => {
      const q = records.map((x, k) => (k === w ? t0 - d + s : x));
      return buyerOnLine(vm.payoffs(q), w, s, (want) => vm.range(q, dir, want));
    };
    const ts = pieceEnds(staged, 2 * d).map((p) => t0 - d + p.t);
    const b = { lo: -Infinity, hi: Infinity };
    tightenByChords(b, ts, t0, h(t0), vm.keepValue[w], T, T, h);
    const iv = vm.intervalsOf(e)[w];
    const tol = 1e-9 * Math.max(1, Math.abs(iv.lower), Math.abs(iv.upper));
    return b.lo <= iv.upper + tol && b.hi >= iv.lower - tol;
  });
}

/** Weights of H_j and H_k in the scanned mix H_i + MIX·H_j + MIX²·H_k (irrational: kinks do not cancel); MIX is MIX_WEIGHTS[1]. */
const MIX = MIX_WEIGHTS[1];

/** Where a volume's entry lies, in the platform's record vectors q (`E2Equilibrium.manyInterior`). */
export type ManyInterior = NonNullable<E2Equilibrium['manyInterior']>;

/**
 * What the volume search needs of a market with one platform: with one merchant (e2.ts, `e2VolumeMarket`) or
 * several (e2Multi.ts), whose equilibria have types T.
 */
export interface VolumeMarket<T> {
  qBar: number[];
  /** r_ω. */
  keepValue: number[];
  /** Gradients of U's linear pieces (planner.ts `designPieces`, platformDesign.ts `platformPieces`). */
  gradients: number[][];
  /** U and H_ω at the platform's records q (H per type). */
  payoffs: (q: number[]) => { value: number; buyer: number[] };
  /** Where the selection is affine on q + s·e around q (e2.ts `selectionRange`), or undefined; after `payoffs(q)`. */
  range: (q: number[], e: number[], want?: readonly [number, number]) => readonly [number, number] | undefined;
  /** Cells the slice searches reported at their centre only so far, and the count's increment (E2Memo.partialCells). */
  partialCells: () => number;
  onPartial: (cells: number) => void;
  /** The exact test at q (`checkE2`). */
  check: (q: number[]) => T | null;
  /** The exact test with the slice searches' snap retry for the moving `types` (`checkE2Snapped`). */
  checkSnapped: (q: number[], types: number[]) => T | null;
  /** The platform's records of an equilibrium, and its exact price intervals. */
  recordsOf: (e: T) => number[];
  intervalsOf: (e: T) => Array<{ lower: number; upper: number }>;
}

/** findE2's market (one merchant) for the volume search; `gradients`: U's pieces (planner.ts `designPieces`). */
export function e2VolumeMarket(solver: LpSolver, m: E2Market, memo: E2Memo, gradients: number[][]): VolumeMarket<E2Equilibrium> {
  return {
    qBar: m.qBar,
    keepValue: m.keepValue,
    gradients,
    payoffs: (q) => payoffsAt(solver, m, q, memo),
    range: (q, e, want) => selectionRange(m, q, e, memo, want),
    partialCells: () => memo.partialCells,
    onPartial: (n) => (memo.partialCells += n),
    check: (q) => checkE2(solver, m, q, memo),
    checkSnapped: (q, types) => checkE2Snapped(solver, m, q, types, memo),
    recordsOf: (e) => e.records,
    intervalsOf: (e) => e.priceIntervals,
  };
}

/** One volume: the three moving types, the records of the others, and the face type when four are interior. */
export interface Volume {
  types: [number, number, number];
  base: number[];
  face?: number;
}

/**
 * The volumes of a market with VOLUME_TYPES or MAX_VOLUME_TYPES types with records (else none): every triple of them
 * moving, the other types at corners (0 or q̄), not all at 0 (that slice is homogeneous: e2Pairs.ts's three-interior
 * faces); and four types interior, the rest at 0, on the faces q(f) = (1 − E2_PAIR_INSET)·q̄(f) of one of them.
 */
export function volumes(qBar: number[]): Volume[] {
  const withRecords = qBar.map((_, w) => w).filter((w) => qBar[w] > 0);
  if (withRecords.length < VOLUME_TYPES || withRecords.length > MAX_VOLUME_TYPES) return [];
  const out: Volume[] = [];
  const subsets = (from: number[], k: number): number[][] => (k === 0 ? [[]] : from.flatMap((w, i) => subsets(from.slice(i + 1), k - 1).map((rest) => [w, ...rest])));
  for (const others of subsets(withRecords, withRecords.length - 3)) {
    const types = withRecords.filter((w) => !others.includes(w)) as [number, number, number];
    // each other type at 0 or q̄, not all at 0
    for (let mask = 1; mask < 2 ** others.length; mask++) {
      const full = others.filter((_, k) => (mask >> k) & 1);
      out.push({ types, base: qBar.map((q, w) => (full.includes(w) ? q : 0)) });
    }
  }
  for (const four of subsets(withRecords, 4)) {
    for (const face of four) {
      const types = four.filter((w) => w !== face) as [number, number, number];
      out.push({ types, base: qBar.map((q, w) => (w === face ? (1 - E2_PAIR_INSET) * q : 0)), face });
    }
  }
  return out;
}

/** Every equilibrium the volume search finds in one volume (module comment), with where it lies. */
export function volumeEquilibria<T>(solver: LpSolver, vm: VolumeMarket<T>, v: Volume, strips?: number): Array<{ eq: T; manyInterior: ManyInterior }> {
  const { types, base } = v;
  const box = types.map((w) => vm.qBar[w]) as Pt3;
  const q = (p: Pt3) => {
    const out = [...base];
    types.forEach((w, a) => (out[w] = p[a]));
    return out;
  };
  const unit = (w: number) => base.map((_, u) => (u === w ? 1 : 0));
  let decisions = 0;
  const planes: Plane[] = [];
  valuePlanes(solver, vm.gradients, base, [unit(types[0]), unit(types[1]), unit(types[2])], box, planes);
  // each payoff with the selection's stages up to the last moving type (pieceEnds.ts)
  const upTo = Math.max(...types);
  const heldTypes = base.map((_, w) => w).filter((w) => base[w] > 0 && !types.includes(w));
  // where the selection is affine along p + s·d (d in the box's coordinates: the moving types' records)
  const along = (at: number[]) => (d: Pt3, want: readonly [number, number]) => vm.range(at, dirOf(d), want);
  const dirOf = (d: Pt3) => {
    const out = base.map(() => 0);
    types.forEach((w, a) => (out[w] = d[a]));
    return out;
  };
  const buyer = (a: number) => (p: Pt3) => {
    const at = q(p);
    const r = vm.payoffs(at);
    return { h: r.buyer[types[a]], stages: selectionStages(r, upTo), along: along(at) };
  };
  const problem: VolumeProblem<T> = {
    box,
    band: 1e-8 * Math.max(...vm.qBar),
    planes,
    own: [buyer(0), buyer(1), buyer(2)],
    mix: (p) => {
      const at = q(p);
      const r = vm.payoffs(at);
      const b = r.buyer;
      // and the payoff of the type held at q̄ or the face: its condition changes where its own payoff kinks
      const held = heldTypes.reduce((s, w, n) => s + MIX_WEIGHTS[3 + n] * b[w], 0);
      return { h: b[types[0]] + MIX * b[types[1]] + MIX * MIX * b[types[2]] + held, stages: selectionStages(r, Math.max(upTo, ...heldTypes)), along: along(at) };
    },
    decide: (p) => {
      if (++decisions > MAX_VOLUME_DECISIONS) throw new VolumeLimitError(`more than ${MAX_VOLUME_DECISIONS} exact tests`);
      const e = vm.checkSnapped(q(p), types);
      return e && locallyConfirmed(vm, e, types) ? e : null;
    },
    strips,
    onPartial: vm.onPartial,
  };
  // each plane is a slice search whose candidates grow as the planes squared: past MAX_VOLUME_PLANES the volume is
  // left out (reported as not resolved) rather than run for minutes
  const planes3 = volumePlanes(problem);
  if (planes3.length > MAX_VOLUME_PLANES) throw new VolumeLimitError(`${planes3.length} planes, more than ${MAX_VOLUME_PLANES}`);
  const hits = searchVolume(problem, planes3);
  const interior = v.face === undefined ? [...types] : [...types, v.face].sort((x, y) => x - y);
  return mergeHits(hits, Math.max(...box)).map((h) => {
    let rayFrom: number[] | undefined;
    if (v.face !== undefined) {
      const records = vm.recordsOf(h.eq);
      const share = rayEntry((f) => vm.check(records.map((x) => f * x)) !== null);
      rayFrom = share === undefined ? undefined : records.map((x) => share * x);
    }
    return {
      eq: h.eq,
      manyInterior: {
        types: interior,
        ...(v.face !== undefined ? { face: v.face } : {}),
        ...(h.from && h.to ? { from: q(h.from), to: q(h.to) } : {}),
        ...(h.cell ? { cell: h.cell.map(q) } : {}),
        ...(rayFrom ? { rayFrom } : {}),
      },
    };
  });
}

/**
 * One entry per set: a line where several planes meet is searched on each of them, and its segments (cut at
 * different other walls) overlap — they are merged into their union (both ends verified, so the union is one
 * interval of equilibria) and reported at the longest one's point; points on a kept segment, and points and cells
 * within 1e-7 of the box's size of a kept point, are dropped.
 */
export function mergeHits<T>(hits: Array<VolumeHit<T>>, scale: number): Array<VolumeHit<T>> {
  const tol = 1e-7 * scale;
  const sub = (a: Pt3, b: Pt3): Pt3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  const dot3 = (a: Pt3, b: Pt3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const len = (h: VolumeHit<T>) => (h.from && h.to ? Math.hypot(...sub(h.to, h.from)) : 0);
  // distance from p to the line through a segment, and p's parameter along it
  const point = (seg: { from: Pt3; to: Pt3 }, s: number): Pt3 => seg.from.map((v, i) => v + s * (seg.to[i] - v)) as Pt3;
  const along = (seg: { from: Pt3; to: Pt3 }, p: Pt3) => {
    const d = sub(seg.to, seg.from);
    const s = dot3(sub(p, seg.from), d) / dot3(d, d);
    const off = sub(p, point(seg, s));
    return { s, dist: Math.hypot(...off), length: Math.sqrt(dot3(d, d)) };
  };
  const kept: Array<VolumeHit<T>> = [];
  const segments = hits.filter((h) => h.from && h.to).sort((x, y) => len(y) - len(x));
  for (const h of segments) {
    const [a, b] = [h.from as Pt3, h.to as Pt3];
    const host = kept.find((k) => {
      if (!k.from || !k.to) return false;
      const [pa, pb] = [along({ from: k.from, to: k.to }, a), along({ from: k.from, to: k.to }, b)];
      if (pa.dist > tol || pb.dist > tol) return false;
      const slack = tol / pa.length;
      return Math.max(pa.s, pb.s) >= -slack && Math.min(pa.s, pb.s) <= 1 + slack;
    });
    if (!host || !host.from || !host.to) {
      kept.push({ ...h });
      continue;
    }
    const seg = { from: host.from, to: host.to };
    const ss = [0, 1, along(seg, a).s, along(seg, b).s];
    host.from = point(seg, Math.min(...ss));
    host.to = point(seg, Math.max(...ss));
  }
  for (const h of hits) {
    if (h.from && h.to) continue;
    const onSegment = kept.some((k) => k.from && k.to && (() => {
      const r = along({ from: k.from, to: k.to }, h.at);
      return r.dist <= tol && r.s >= -tol / r.length && r.s <= 1 + tol / r.length;
    })());
    const samePoint = kept.some((k) => !k.from && Math.hypot(...sub(k.at, h.at)) <= tol);
    if (!onSegment && !samePoint) kept.push(h);
  }
  return kept;
}

/**
 * All volumes' equilibria; `complete` is false when a volume's payoffs did not resolve into linear pieces
 * (E2ResolutionError) or it had too many planes (VolumeLimitError): that volume is skipped, the rest of E2 stands.
 */
export function manyInteriorEquilibria<T>(solver: LpSolver, vm: VolumeMarket<T>, onVolume?: () => void): { equilibria: Array<{ eq: T; manyInterior: ManyInterior }>; complete: boolean } {
  const equilibria: Array<{ eq: T; manyInterior: ManyInterior }> = [];
  let complete = true;
  const partialBefore = vm.partialCells();
  for (const v of volumes(vm.qBar)) {
    try {
      equilibria.push(...volumeEquilibria(solver, vm, v));
    } catch (e) {
      if (!(e instanceof E2ResolutionError) && !(e instanceof VolumeLimitError)) throw e;
      complete = false;
    }
    onVolume?.();
  }
  return { equilibria, complete: complete && vm.partialCells() === partialBefore };
}
