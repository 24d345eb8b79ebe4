/**
 * Where two platforms can both hold records, for two types (GP E2 with several platforms; docs/intermediation.md).
 *
 * Notation: U_i(q) = min_k ⟨g_k, q⟩ on R²₊ (platform i's value, its linear pieces g_k, `platformPieces`), and
 *   C_i = {p : ⟨p, q⟩ ≥ U_i(q) for all q ≥ 0} = conv{g_k} + R²₊,
 * the prices at which platform i demands nothing or is indifferent (its superdifferential at 0).
 *
 * **Lemma.** p ∈ ∂U_i(q_i) with q_i ≠ 0 implies p ∈ ∂C_i (the boundary). U_i is positively homogeneous, so
 * p ∈ ∂U_i(q_i) ⇔ p ∈ C_i and ⟨p, q_i⟩ = U_i(q_i); at an interior p of C_i, p − ε(1, 1) ∈ C_i for some ε > 0,
 * so ⟨p, q⟩ ≥ U_i(q) + ε(q(0) + q(1)) > U_i(q) for every q ≠ 0.
 * Hence in an E2 equilibrium (one price p, in ∂U_i(q_i) for every i) two platforms i ≠ j hold records only if p lies
 * on ∂C_i ∩ ∂C_j, and p ∈ C_k for every other k and p ≥ 0. When no two boundaries meet there, at most one platform
 * holds records in any equilibrium: no type is split between two platforms, and no type over three uses.
 *
 * ∂C_i is a polyline: the ray up from the chain's first vertex (least p(0)), the lower-left convex chain of the
 * g_k, and the ray right from its last vertex (least p(1)). C_i is the intersection of the half-planes
 * ⟨p, n⟩ ≥ U_i(n) for n = e_0, each chain edge's normal (a kink direction of U_i), and e_1.
 *
 * Meetings are found with a tolerance (MEET_TOL of the prices' scale) both ways — pieces that come that close count
 * as meeting, and the half-planes are relaxed by it — so a near-meeting is reported rather than missed: the exact
 * test (`checkE2Multi`) accepts prices to a relative 1e-9.
 */

import { solveOrNull, type LpRow, type LpSolver } from '../../lp/index.js';

export type Pt = [number, number];

/** Tolerance of a meeting, relative to 1 + the largest |g_k(ω)|. */
export const MEET_TOL = 1e-7;

/**
 * A piece of ∂C: from `at`, along `dir`, for s ∈ [0, 1] (a segment) or [0, ∞) (a ray); `normal`: the direction of
 * q at which it is the minimiser of ⟨·, q⟩ over C (platform i's records at a price on it lie on that ray).
 */
interface Piece {
  at: Pt;
  dir: Pt;
  ray: boolean;
  normal: Pt;
}

/** C_i as its boundary chain (vertices from least p(0) to least p(1)) and its half-planes ⟨p, n⟩ ≥ c. */
export interface PriceRegion {
  chain: Pt[];
  halfPlanes: Array<{ n: Pt; c: number }>;
}

const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** C = conv{g_k} + R²₊ for two types (module comment). */
export function priceRegion(gradients: number[][]): PriceRegion {
  if (gradients.length === 0 || gradients.some((g) => g.length !== 2)) throw new RangeError('priceRegion: two-type gradients expected');
  const pts = gradients.map((g): Pt => [g[0], g[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Andrew's lower hull, left to right
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    if (!lower.length || lower[lower.length - 1][0] !== p[0] || lower[lower.length - 1][1] !== p[1]) lower.push(p);
  }
  // the lower-left chain ends at the first vertex of least p(1) (the hull rises after it)
  let end = 0;
  for (let k = 1; k < lower.length; k++) if (lower[k][1] < lower[end][1]) end = k;
  const chain = lower.slice(0, end + 1);
  const halfPlanes: Array<{ n: Pt; c: number }> = [{ n: [1, 0], c: chain[0][0] }];
  for (let k = 0; k + 1 < chain.length; k++) {
    const [a, b] = [chain[k], chain[k + 1]];
    const raw: Pt = [a[1] - b[1], b[0] - a[0]];
    const len = Math.hypot(raw[0], raw[1]);
    const n: Pt = [raw[0] / len, raw[1] / len];
    halfPlanes.push({ n, c: n[0] * a[0] + n[1] * a[1] });
  }
  halfPlanes.push({ n: [0, 1], c: chain[chain.length - 1][1] });
  return { chain, halfPlanes };
}

function pieces(r: PriceRegion): Piece[] {
  const out: Piece[] = [{ at: r.chain[0], dir: [0, 1], ray: true, normal: [1, 0] }];
  for (let k = 0; k + 1 < r.chain.length; k++) out.push({ at: r.chain[k], dir: [r.chain[k + 1][0] - r.chain[k][0], r.chain[k + 1][1] - r.chain[k][1]], ray: false, normal: r.halfPlanes[k + 1].n });
  out.push({ at: r.chain[r.chain.length - 1], dir: [1, 0], ray: true, normal: [0, 1] });
  return out;
}

const along = (pc: Piece, s: number): Pt => [pc.at[0] + s * pc.dir[0], pc.at[1] + s * pc.dir[1]];

/** Distance from x to a piece. */
function distance(x: Pt, pc: Piece): number {
  const len2 = pc.dir[0] ** 2 + pc.dir[1] ** 2;
  let s = ((x[0] - pc.at[0]) * pc.dir[0] + (x[1] - pc.at[1]) * pc.dir[1]) / len2;
  s = Math.max(0, pc.ray ? s : Math.min(1, s));
  const p = along(pc, s);
  return Math.hypot(p[0] - x[0], p[1] - x[1]);
}

/**
 * The part {at + s·dir : s ∈ [lo, hi]} of a line inside the relaxed half-planes (and p ≥ −tol), as its parameter
 * range, or null.
 */
function clipRange(at: Pt, dir: Pt, lo: number, hi: number, planes: Array<{ n: Pt; c: number }>, tol: number): { lo: number; hi: number } | null {
  for (const { n, c } of [...planes, { n: [1, 0] as Pt, c: 0 }, { n: [0, 1] as Pt, c: 0 }]) {
    // ⟨at + s dir, n⟩ ≥ c − tol
    const base = n[0] * at[0] + n[1] * at[1] - (c - tol);
    const slope = n[0] * dir[0] + n[1] * dir[1];
    if (Math.abs(slope) < 1e-15) {
      if (base < 0) return null;
    } else if (slope > 0) lo = Math.max(lo, -base / slope);
    else hi = Math.min(hi, -base / slope);
    if (!(hi >= lo)) return null;
  }
  return { lo, hi };
}

/** A point of a line inside the relaxed half-planes (`clipRange`): the first of its range, or null. */
function clipped(at: Pt, dir: Pt, lo: number, hi: number, planes: Array<{ n: Pt; c: number }>, tol: number): Pt | null {
  const r = clipRange(at, dir, lo, hi, planes, tol);
  if (!r) return null;
  const s = Number.isFinite(r.lo) ? r.lo : r.hi;
  return Number.isFinite(s) ? [at[0] + s * dir[0], at[1] + s * dir[1]] : at;
}

/**
 * A meeting of ∂C_i and ∂C_j at a price p where every C_k holds and p ≥ 0 (module comment). `crossing`: two edges
 * cross at p, away (by more than the tolerance) from their ends and from every other platform's boundary, so p is
 * the only price at which both hold records, and then q_i, q_j lie on the rays `directions` (the edges' normals);
 * otherwise a vertex of C_i or C_j, an overlap of edges or a third platform's boundary is within the tolerance.
 */
export interface SharedKink {
  platforms: [number, number];
  price: Pt;
  crossing?: { directions: [Pt, Pt] };
  /**
   * Two edges with the same normal `direction` overlap (within the tolerance): the meeting is the segment of prices
   * from `price` to `to` (null: unbounded). Inside it both platforms' records lie on that one ray; its ends are
   * also listed as meetings at one price.
   */
  overlap?: { direction: Pt; to: Pt | null };
}

/** The tolerance of meetings among these regions: MEET_TOL of 1 + the prices' largest coordinate. */
export function meetTolerance(regions: PriceRegion[]): number {
  return MEET_TOL * (1 + Math.max(...regions.flatMap((r) => r.chain.flatMap((v) => [Math.abs(v[0]), Math.abs(v[1])]))));
}

/** p lies inside C by more than tol (every half-plane with room tol): by the lemma, that platform holds nothing at p. */
export function strictlyInside(r: PriceRegion, p: Pt, tol: number): boolean {
  return r.halfPlanes.every(({ n, c }) => n[0] * p[0] + n[1] * p[1] > c + tol);
}

/**
 * Does ∂C contain a segment of the line ⟨p, n⟩ = c (an edge of C on it, within tol)? If not, ∂C meets that line in
 * at most two points (C is convex).
 */
export function edgeOnLine(r: PriceRegion, n: Pt, c: number, tol: number): boolean {
  return r.halfPlanes.some((h) => Math.abs(h.n[0] - n[0]) <= tol && Math.abs(h.n[1] - n[1]) <= tol && Math.abs(h.c - c) <= tol);
}

/**
 * Every pair of platforms whose boundaries meet (within MEET_TOL) at a price inside all C_k with p ≥ 0, with one
 * such price per meeting piece pair. Empty ⇒ at most one platform holds records in any E2 equilibrium.
 */
export function sharedKinks(regions: PriceRegion[]): SharedKink[] {
  const scale = 1 + Math.max(...regions.flatMap((r) => r.chain.flatMap((v) => [Math.abs(v[0]), Math.abs(v[1])])));
  const tol = meetTolerance(regions);
  const planes = regions.flatMap((r) => r.halfPlanes);
  const out: SharedKink[] = [];
  const all = regions.map(pieces);
  // one entry per meeting point; a crossing found again as a touch (an end within the tolerance) is a touch
  const record = (i: number, j: number, p: Pt | null, directions?: [Pt, Pt]) => {
    if (!p) return;
    const near = all.some((ps, k) => k !== i && k !== j && ps.some((pc) => distance(p, pc) <= tol));
    const old = out.find((o) => !o.overlap && o.platforms[0] === i && o.platforms[1] === j && Math.hypot(o.price[0] - p[0], o.price[1] - p[1]) <= tol);
    if (old) {
      if (!directions) delete old.crossing;
    } else out.push({ platforms: [i, j], price: p, ...(directions && !near ? { crossing: { directions } } : {}) });
  };
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      for (const a of all[i]) {
        for (const b of all[j]) {
          const la = Math.hypot(a.dir[0], a.dir[1]);
          const lb = Math.hypot(b.dir[0], b.dir[1]);
          const det = a.dir[0] * b.dir[1] - a.dir[1] * b.dir[0];
          const d: Pt = [b.at[0] - a.at[0], b.at[1] - a.at[1]];
          if (Math.abs(det) > 1e-12 * la * lb) {
            // a.at + s a.dir = b.at + t b.dir, with both parameters in range up to tol
            const s = (d[0] * b.dir[1] - d[1] * b.dir[0]) / det;
            const t = (d[0] * a.dir[1] - d[1] * a.dir[0]) / det;
            const inA = s >= -tol / la && (a.ray || s <= 1 + tol / la);
            const inB = t >= -tol / lb && (b.ray || t <= 1 + tol / lb);
            // strictly inside both pieces (by more than the tolerance): a crossing
            const inner = s > tol / la && (a.ray || s < 1 - tol / la) && t > tol / lb && (b.ray || t < 1 - tol / lb);
            if (inA && inB) record(i, j, clipped(along(a, s), [0, 0], 0, 0, planes, tol), inner ? [a.normal, b.normal] : undefined);
          } else if (Math.abs(d[0] * a.dir[1] - d[1] * a.dir[0]) / la <= tol) {
            // parallel and (nearly) on one line: the overlap, in a's parameter
            const proj = (x: Pt) => ((x[0] - a.at[0]) * a.dir[0] + (x[1] - a.at[1]) * a.dir[1]) / (la * la);
            const [b0, b1] = [proj(b.at), b.ray ? (a.dir[0] * b.dir[0] + a.dir[1] * b.dir[1] > 0 ? Infinity : -Infinity) : proj(along(b, 1))];
            const lo = Math.max(-tol / la, Math.min(b0, b1) - tol / la);
            const hi = Math.min(a.ray ? Infinity : 1 + tol / la, Math.max(b0, b1) + tol / la);
            // longer than the tolerance: a segment of prices, inside every C_k (exactly if it can be, else relaxed);
            // shorter: its ends are the meetings at one price found below
            const range = hi - lo > 3 * (tol / la) ? (clipRange(a.at, a.dir, Math.max(0, Math.min(b0, b1)), Math.min(a.ray ? Infinity : 1, Math.max(b0, b1)), planes, 0) ?? clipRange(a.at, a.dir, lo, hi, planes, tol)) : null;
            if (range && range.hi - range.lo > tol / la) {
              const at = (x: number): Pt => [a.at[0] + x * a.dir[0], a.at[1] + x * a.dir[1]];
              out.push({ platforms: [i, j], price: at(range.lo), overlap: { direction: a.normal, to: Number.isFinite(range.hi) ? at(range.hi) : null } });
            }
          }
          // ends closer than tol to the other piece (a near touch the parameter test above misses)
          for (const [x, other] of [
            [a.at, b],
            [b.at, a],
            ...(a.ray ? [] : [[along(a, 1), b] as [Pt, Piece]]),
            ...(b.ray ? [] : [[along(b, 1), a] as [Pt, Piece]]),
          ] as Array<[Pt, Piece]>) {
            if (distance(x, other) <= tol) record(i, j, clipped(x, [0, 0], 0, 0, planes, tol));
          }
        }
      }
    }
  }
  // rounding noise of the intersections (1e-16 for a 0) printed as such: coordinates that small are 0
  const clean = (p: Pt): Pt => [Math.abs(p[0]) <= 1e-12 * scale ? 0 : p[0], Math.abs(p[1]) <= 1e-12 * scale ? 0 : p[1]];
  return out.map((k) => ({ ...k, price: clean(k.price), ...(k.overlap ? { overlap: { ...k.overlap, to: k.overlap.to && clean(k.overlap.to) } } : {}) }));
}

/**
 * Any number of types: can two platforms' regions C_i, C_j have boundary points in common inside every C_k (p ≥ 0),
 * within MEET_TOL? C_k = {p : ⟨p, d⟩ ≥ U_k(d) for every ray d of U_k's fan} (`vertices`: its cells' vertices on the
 * simplex, U_k(d) = min_g ⟨g, d⟩ over its pieces), and a boundary point makes one of those rows tight: one small
 * feasibility LP per pair of rows (d of i, d′ of j), relaxed by the tolerance. false ⇒ at most one platform holds
 * records in any equilibrium (the lemma above holds for any number of types).
 */
export function regionsMeet(solver: LpSolver, platforms: Array<{ gradients: number[][]; vertices: number[][] }>): boolean {
  const N = platforms[0].gradients[0].length;
  const value = (gs: number[][], d: number[]) => Math.min(...gs.map((g) => g.reduce((s, x, w) => s + x * d[w], 0)));
  const rays = platforms.map((pl) => pl.vertices.map((d) => ({ d, u: value(pl.gradients, d) })));
  const scale = 1 + Math.max(...platforms.flatMap((pl) => pl.gradients.flat().map(Math.abs)));
  const tol = MEET_TOL * scale;
  const cols = Array.from({ length: N }, (_, w) => w);
  const inside: LpRow[] = rays.flat().map(({ d, u }) => ({ indices: cols, values: d, lower: u - tol, upper: Infinity }));
  for (let i = 0; i < platforms.length; i++) {
    for (let j = i + 1; j < platforms.length; j++) {
      for (const a of rays[i]) {
        for (const b of rays[j]) {
          const rows = [...inside, { indices: cols, values: a.d, lower: -Infinity, upper: a.u + tol }, { indices: cols, values: b.d, lower: -Infinity, upper: b.u + tol }];
          const lp = { sense: 'max' as const, cost: new Array<number>(N).fill(0), colLower: new Array<number>(N).fill(-tol), colUpper: new Array<number>(N).fill(Infinity), rows };
          if (solveOrNull(solver, lp) !== null) return true;
        }
      }
    }
  }
  return false;
}
