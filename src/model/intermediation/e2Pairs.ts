/**
 * GP E2, one platform: equilibria with exactly two interior types i < j and every other type at a corner (sells
 * nothing or everything), for 3 ≤ N ≤ MAX_TWO_INTERIOR_TYPES types (with N = 2, `bothInterior` in e2.ts uses
 * homogeneity instead; the tests compare the two).
 *
 * On the slice q(x, y) = base + x e_i + y e_j, (x, y) ∈ (0, q̄_i) × (0, q̄_j), U and every H_ω are piecewise linear:
 * x*_q is positively homogeneous, so they are linear on the cones of a polyhedral fan, which the slice cuts in
 * convex polygons separated by straight walls. At a point, an interior type's own condition lo ≤ p ≤ hi (checkE2)
 * pins its price to r − slope unless its own payoff kinks there along its own line, and p ∈ ∂U(q) pins p unless U
 * kinks there (two linear pieces of U active, or more). A two-interior equilibrium needs p(i) and p(j) to meet
 * both, so outside knife-edges it lies where walls meet (a vertex of their arrangement) or along a line that is a
 * wall of two kinds at once (as the pooling rays q(0)/q(1) = ρ of the two-type case, kinks of both H_0 and H_1).
 *
 * Walls: U's exactly, from its linear pieces g_k (the lines ⟨g_k − g_l, q(x, y)⟩ = 0 along which both pieces are
 * active somewhere in the box). The buyers' walls from the breakpoints of H_i + MIX·H_j (`pieceEnds`, resolution
 * 1e-10·q̄; the irrational weight keeps two kinks from cancelling) along the lines y = k q̄_j/K and x = k q̄_i/K,
 * k = 0…K (K = PAIR_SCAN_STRIPS; the line k = 0 moved just inside the box, where neither payoff is 0 for want of
 * records; both families, since a wall near a corner of the box can miss every line of one): breakpoints on three
 * consecutive lines that are collinear form a wall, and a breakpoint left over (its wall ends or bends between
 * lines) is joined to every breakpoint on short scans q̄/(4K) on both sides of it. Each wall is extended to its
 * whole line, which only refines the arrangement.
 *
 * Candidates, each decided by the exact test `checkE2` (a point that fails it but passes its sampled bounds is
 * tried again with each interior record moved onto a breakpoint of its own line within 1e-8·q̄: walls are located
 * to about 1e-10, and a chord over the gap is noise):
 *  - every vertex of the arrangement inside the box;
 *  - every edge, at its midpoint; an edge that passes is extended to its ends or, where it stops, to the boundary
 *    by bisection (`extent` of e2.ts: the set is taken to be an interval containing the midpoint, as for one
 *    interior type), consecutive passing edges of a line are merged, and the result is one segment (`from`, `to`);
 *  - every cell, at its vertices' mean (a knife-edge: both prices pinned by flat φ and equal to U's); a cell that
 *    passes is reported with its polygon (`cell`), its equilibria not delimited further.
 * Points within the band 1e-8·max q̄ of the box belong to other patterns (as everywhere in E2). Not searched:
 * walls that fit between two neighbouring scan lines of each family (narrower than about q̄/K in both
 * directions) or whose kink the four-point test of `pieceEnds` misses where they cross, and three or more
 * interior types.
 */
import type { LpSolver } from '../../lp/index.js';
import { checkE2, E2ResolutionError, extent, lineEnds, newE2Memo, passesSampledBounds, payoffsAt, pieceEnds, type E2Equilibrium, type E2Market, type E2Memo } from './e2.js';
import { designPieces } from './planner.js';

/** Scan lines per direction − 1. */
export const PAIR_SCAN_STRIPS = 4;

/**
 * Most types for which `findE2` searches two interior types: the slices grow as C(N, 2)·2^(N−2) and each costs a
 * few hundred to a few thousand payoff evaluations, mostly the scans (random markets: 3 types 0.17 → 1.1 s per
 * market, 4 types 0.6 → 7.6 s; one 5-type market 45 s).
 */
export const MAX_TWO_INTERIOR_TYPES = 4;

/** Weight of H_j in the scanned payoff H_i + MIX·H_j. */
const MIX = 0.6180339887498949;

/** The line a x + b y = c, (a, b) a unit normal (its larger coordinate positive). */
interface Line {
  a: number;
  b: number;
  c: number;
}

type Pt = [number, number];

function makeLine(a: number, b: number, c: number): Line | null {
  const s = Math.hypot(a, b);
  if (!(s > 0) || !Number.isFinite(s)) return null;
  // the sign of the larger coordinate, so that a line found nearly axis-parallel (a ≈ ±1e-12) and the same line
  // found exactly axis-parallel get the same normal
  const sign = (Math.abs(a) >= Math.abs(b) ? a : b) < 0 ? -1 : 1;
  return { a: (sign * a) / s, b: (sign * b) / s, c: (sign * c) / s };
}

function through(p: Pt, r: Pt): Line | null {
  // normal (−dy, dx)
  const a = -(r[1] - p[1]);
  const b = r[0] - p[0];
  return makeLine(a, b, a * p[0] + b * p[1]);
}

/** Adds a line unless an equal one (normals and offsets within 1e-7, either orientation) is there. */
function addLine(lines: Line[], l: Line | null, scale: number): void {
  if (!l) return;
  const same = (o: Line, k: number) => Math.abs(o.a - k * l.a) <= 1e-7 && Math.abs(o.b - k * l.b) <= 1e-7 && Math.abs(o.c - k * l.c) <= 1e-7 * scale;
  if (!lines.some((o) => same(o, 1) || same(o, -1))) lines.push(l);
}

/**
 * The part of a line inside [m, X − m] × [m, Y − m] as a segment [P(0), P(1)], or null (m: a margin, default 0).
 */
function clip(l: Line, X: number, Y: number, margin = 0): [Pt, Pt] | null {
  // direction (b, −a), through the point nearest the origin
  const d: Pt = [l.b, -l.a];
  const o: Pt = [l.a * l.c, l.b * l.c];
  let lo = -Infinity;
  let hi = Infinity;
  for (const [k, M] of [[0, X], [1, Y]] as const) {
    if (Math.abs(d[k]) < 1e-15) {
      if (o[k] < margin || o[k] > M - margin) return null;
      continue;
    }
    const t0 = (margin - o[k]) / d[k];
    const t1 = (M - margin - o[k]) / d[k];
    lo = Math.max(lo, Math.min(t0, t1));
    hi = Math.min(hi, Math.max(t0, t1));
  }
  if (!(hi > lo)) return null;
  return [
    [o[0] + lo * d[0], o[1] + lo * d[1]],
    [o[0] + hi * d[0], o[1] + hi * d[1]],
  ];
}

/** U's walls on the slice: pieces k, l both active on a stretch of their equality line inside the box. */
function uWalls(gradients: number[][], base: number[], i: number, j: number, X: number, Y: number, lines: Line[]): void {
  const scale = Math.max(X, Y);
  const off = gradients.map((g) => g.reduce((s, gw, w) => s + gw * base[w], 0));
  const at = (k: number, p: Pt) => gradients[k][i] * p[0] + gradients[k][j] * p[1] + off[k];
  for (let k = 0; k < gradients.length; k++) {
    for (let l = k + 1; l < gradients.length; l++) {
      const line = makeLine(gradients[k][i] - gradients[l][i], gradients[k][j] - gradients[l][j], off[l] - off[k]);
      if (!line) continue;
      const seg = clip(line, X, Y);
      if (!seg) continue;
      // where along the segment is k (= l) the least of all pieces? an interval of s
      let lo = 0;
      let hi = 1;
      for (let m = 0; m < gradients.length && lo <= hi; m++) {
        // at(m) − at(k) ≥ 0 is affine in s
        const f0 = at(m, seg[0]) - at(k, seg[0]);
        const f1 = at(m, seg[1]) - at(k, seg[1]);
        const tol = 1e-12 * Math.max(1, Math.abs(at(k, seg[0])), Math.abs(at(k, seg[1])));
        const slope = f1 - f0;
        if (Math.abs(slope) <= tol) {
          if (f0 < -tol) hi = -1;
        } else if (slope > 0) lo = Math.max(lo, (-tol - f0) / slope);
        else hi = Math.min(hi, (-tol - f0) / slope);
      }
      if (hi - lo > 1e-9) addLine(lines, line, scale);
    }
  }
}

/**
 * The walls of f found by scanning lines: `horizontal` scans f(·, y) on y = kY/K (else f(x, ·) on x = kX/K, with
 * the roles of the coordinates swapped). f is evaluated as f(x, y) in slice coordinates either way.
 */
function scanWalls(f: (p: Pt) => number, X: number, Y: number, horizontal: boolean, inset: number, lines: Line[]): void {
  const K = PAIR_SCAN_STRIPS;
  // work in (u, v): u along the scan lines (length Uu), v across (length Vv)
  const [Uu, Vv] = horizontal ? [X, Y] : [Y, X];
  const pt = (u: number, v: number): Pt => (horizontal ? [u, v] : [v, u]);
  const scale = Math.max(X, Y);
  const breaks = (v: number, from = 0, to = Uu): number[] =>
    pieceEnds((s) => f(pt(from + s, v)), to - from)
      .map((e) => from + e.t)
      .filter((u) => u > from && u < to);
  // the first line just inside the box: on its edge (no records of the type across) that type's payoff is 0 and
  // hides its kinks; on the far edge (all its records) both payoffs show, and its points are partly those the
  // one-interior search evaluated already
  const vs = Array.from({ length: K + 1 }, (_, k) => (k === 0 ? inset : (Vv * k) / K));
  const B = vs.map((v) => breaks(v));
  const used = B.map((b) => b.map(() => false));
  const tolM = 1e-8 * Math.max(1, Uu);
  for (let k = 0; k + 2 <= K; k++) {
    B[k].forEach((b0, n0) =>
      B[k + 1].forEach((b1, n1) => {
        const pred = 2 * b1 - b0;
        const n2 = B[k + 2].findIndex((b2) => Math.abs(b2 - pred) <= tolM);
        if (n2 < 0) return;
        addLine(lines, through(pt(b0, vs[k]), pt(B[k + 2][n2], vs[k + 2])), scale);
        used[k][n0] = used[k + 1][n1] = used[k + 2][n2] = true;
      }),
    );
  }
  // breakpoints left over: joined to every breakpoint on short scans on both sides of them (one of those lines is
  // the wall through it; the others only refine the arrangement — taking the nearest one lost a wall that another
  // crossed closer by, review)
  const delta = Vv / (4 * K);
  const w = Uu / (2 * K);
  B.forEach((bs, k) =>
    bs.forEach((b, n) => {
      if (used[k][n]) return;
      for (const v of [vs[k] + delta, vs[k] - delta]) {
        if (v < 0 || v > Vv) continue;
        for (const b2 of breaks(v, Math.max(0, b - w), Math.min(Uu, b + w))) addLine(lines, through(pt(b, vs[k]), pt(b2, v)), scale);
      }
    }),
  );
}

function intersect(l: Line, m: Line): Pt | null {
  const det = l.a * m.b - m.a * l.b;
  if (Math.abs(det) < 1e-12) return null;
  return [(l.c * m.b - m.c * l.b) / det, (l.a * m.c - m.a * l.c) / det];
}

/** A two-interior equilibrium's description (E2Equilibrium.twoInterior). */
export type TwoInterior = NonNullable<E2Equilibrium['twoInterior']>;

/** Moves each of `types`' records onto a breakpoint of its own line within 1e-8·q̄ (a chord over the gap is noise). */
export function snapToOwnBreakpoints(solver: LpSolver, m: E2Market, q: number[], types: number[], memo: E2Memo): void {
  for (const w of types) {
    const near = lineEnds(solver, m, q, w, memo).find((e) => e.t > 0 && e.t < m.qBar[w] && Math.abs(e.t - q[w]) <= 1e-8 * Math.max(1, m.qBar[w]));
    if (near) q[w] = near.t;
  }
}

/** Every E2 equilibrium with exactly types i and j interior and the others at `base` (module comment). */
export function sliceEquilibria(solver: LpSolver, m: E2Market, i: number, j: number, base: number[], gradients: number[][], memo: E2Memo = newE2Memo()): Array<E2Equilibrium & { twoInterior: TwoInterior }> {
  const X = m.qBar[i];
  const Y = m.qBar[j];
  const scale = Math.max(X, Y);
  const q = (p: Pt) => base.map((v, w) => (w === i ? p[0] : w === j ? p[1] : v));
  // records within 1e-8·max q̄ of 0 or q̄ belong to another pattern (as in bothInterior)
  const band = 1e-8 * Math.max(...m.qBar);
  const lines: Line[] = [];
  uWalls(gradients, base, i, j, X, Y, lines);
  // kinks of either payoff, in either direction (a wall of H_j crossing the box near a corner may meet no line
  // of one family); the irrational weight keeps kinks of the two from cancelling
  const f = (p: Pt) => {
    const b = payoffsAt(solver, m, q(p), memo).buyer;
    return b[i] + MIX * b[j];
  };
  scanWalls(f, X, Y, true, 2 * band, lines);
  scanWalls(f, X, Y, false, 2 * band, lines);
  const inside = (p: Pt) => p[0] > band && p[0] < X - band && p[1] > band && p[1] < Y - band;
  const types: [number, number] = [i, j];
  // checkE2 at a point of a line; if that fails but the sampled bounds pass, again with the interior records moved
  // onto their own lines' breakpoints: a point 5e-10 off a scanned wall fails (review), and snapping every point
  // would resolve both lines for candidates the bounds rule out
  const decide = (p: Pt): E2Equilibrium | null => {
    const c = q(p);
    const e = checkE2(solver, m, c, memo);
    if (e || !passesSampledBounds(solver, m, c, memo)) return e;
    const moved = [...c];
    snapToOwnBreakpoints(solver, m, moved, types, memo);
    return moved.some((x, w) => x !== c[w]) ? checkE2(solver, m, moved, memo) : null;
  };
  const out: Array<E2Equilibrium & { twoInterior: TwoInterior }> = [];
  // edges: every line's, between its crossings with the others
  const segments: Array<[Pt, Pt]> = [];
  for (const l of lines) {
    // the part of the line inside the band (its ends are then tested, not bisected towards the box)
    const seg = clip(l, X, Y, 2 * band);
    if (!seg) continue;
    const d: Pt = [seg[1][0] - seg[0][0], seg[1][1] - seg[0][1]];
    const at = (s: number): Pt => [seg[0][0] + s * d[0], seg[0][1] + s * d[1]];
    const len2 = d[0] * d[0] + d[1] * d[1];
    const cuts = [0, 1];
    for (const o of lines) {
      if (o === l) continue;
      const p = intersect(l, o);
      if (!p) continue;
      const s = ((p[0] - seg[0][0]) * d[0] + (p[1] - seg[0][1]) * d[1]) / len2;
      if (s > 0 && s < 1) cuts.push(s);
    }
    cuts.sort((x, y) => x - y);
    let open: { from: number; to: number; mid: E2Equilibrium } | null = null;
    const close = () => {
      if (open) {
        // ends in increasing x (then y)
        const [a, b] = [at(open.from), at(open.to)].sort((u, v) => u[0] - v[0] || u[1] - v[1]);
        segments.push([a, b]);
        out.push({ ...open.mid, twoInterior: { types, from: q(a), to: q(b) } });
      }
      open = null;
    };
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [s0, s1] = [cuts[k], cuts[k + 1]];
      if (s1 - s0 <= 1e-9) continue;
      const mid = at((s0 + s1) / 2);
      const e = inside(mid) ? decide(mid) : null;
      if (!e) {
        close();
        continue;
      }
      const ok = (s: number) => {
        const p = at(s);
        return inside(p) && decide(p) !== null;
      };
      const ext = extent(ok, s0, s1);
      const cur: { from: number; to: number; mid: E2Equilibrium } | null = open;
      // an edge shorter than 1e-9 (three walls meeting, located to ~1e-12) was skipped: still the same segment
      if (cur && cur.to >= s0 - 1e-9 && ext.from <= s0) cur.to = ext.to;
      else {
        close();
        open = { from: ext.from, to: ext.to, mid: e };
      }
      if (ext.to < s1) close();
    }
    close();
  }
  const onSegment = (p: Pt) =>
    segments.some(([a, b]) => {
      const d: Pt = [b[0] - a[0], b[1] - a[1]];
      const len2 = d[0] * d[0] + d[1] * d[1];
      const s = len2 > 0 ? ((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2 : 0;
      if (s < -1e-9 || s > 1 + 1e-9) return false;
      return Math.hypot(a[0] + s * d[0] - p[0], a[1] + s * d[1] - p[1]) <= 1e-8 * scale;
    });
  // vertices
  const seen: Pt[] = [];
  for (let a = 0; a < lines.length; a++) {
    for (let b = a + 1; b < lines.length; b++) {
      const p = intersect(lines[a], lines[b]);
      if (!p || !inside(p) || onSegment(p)) continue;
      if (seen.some((s) => Math.abs(s[0] - p[0]) <= 1e-9 * scale && Math.abs(s[1] - p[1]) <= 1e-9 * scale)) continue;
      seen.push(p);
      const e = decide(p);
      if (e) out.push({ ...e, twoInterior: { types } });
    }
  }
  // cells: a point inside each (their equilibria are knife-edges: both interior types' prices pinned by flat φ)
  for (const poly of cells(lines, X, Y)) {
    const p: Pt = [poly.reduce((t, v) => t + v[0], 0) / poly.length, poly.reduce((t, v) => t + v[1], 0) / poly.length];
    if (!inside(p) || onSegment(p)) continue;
    const e = checkE2(solver, m, q(p), memo);
    if (e) out.push({ ...e, twoInterior: { types, cell: poly.map(q) } });
  }
  return out;
}

/** The cells of the lines' arrangement in the box, as convex polygons (the box split by one line after another). */
function cells(lines: Line[], X: number, Y: number): Pt[][] {
  const tol = 1e-12 * Math.max(1, X, Y);
  let polys: Pt[][] = [
    [
      [0, 0],
      [X, 0],
      [X, Y],
      [0, Y],
    ],
  ];
  for (const l of lines) {
    const next: Pt[][] = [];
    for (const poly of polys) {
      const side = poly.map((v) => l.a * v[0] + l.b * v[1] - l.c);
      if (side.every((s) => s >= -tol) || side.every((s) => s <= tol)) {
        next.push(poly);
        continue;
      }
      const pos: Pt[] = [];
      const neg: Pt[] = [];
      poly.forEach((v, k) => {
        const w = poly[(k + 1) % poly.length];
        const [sv, sw] = [side[k], side[(k + 1) % poly.length]];
        if (sv >= -tol) pos.push(v);
        if (sv <= tol) neg.push(v);
        if ((sv > tol && sw < -tol) || (sv < -tol && sw > tol)) {
          const t = sv / (sv - sw);
          const c: Pt = [v[0] + t * (w[0] - v[0]), v[1] + t * (w[1] - v[1])];
          pos.push(c);
          neg.push(c);
        }
      });
      if (pos.length >= 3) next.push(pos);
      if (neg.length >= 3) next.push(neg);
    }
    polys = next;
  }
  return polys;
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
  for (const s of pairSlices(m.qBar)) {
    try {
      equilibria.push(...sliceEquilibria(solver, m, s.i, s.j, s.base, gradients, memo));
    } catch (e) {
      if (!(e instanceof E2ResolutionError)) throw e;
      complete = false;
    }
    onSlice?.();
  }
  return { equilibria, complete };
}
