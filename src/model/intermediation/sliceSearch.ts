/**
 * The search over one two-dimensional slice shared by GP E2's candidates with two records moving at once
 * (e2Pairs.ts: two interior types, one platform; e2MultiPairs.ts: two split types, several platforms).
 *
 * On a slice (x, y) ∈ [0, X] × [0, Y] the values and buyers' payoffs are piecewise linear on convex polygons
 * separated by straight walls (the fan of a positively homogeneous selection, cut by an affine plane). An exact
 * test `decide` pins each moving type's price unless the point is on a kink of its own payoff along its own line,
 * and each platform's price set is a point unless the point is on a kink of its value, so outside knife-edges the
 * equilibria lie on the vertices and lines of the walls' arrangement.
 *
 * Walls: those of the values exactly (`affineWalls`, from their linear pieces), and those of a mix of the payoffs
 * found by scanning (`scanWalls`): breakpoints (`pieceEnds`, resolution 1e-10) on the lines y = kY/K and x = kX/K,
 * k = 0…K (K = SCAN_STRIPS; the line k = 0 just inside the box, where no record of the type across hides its
 * payoff; both families, since a wall near a corner can miss every line of one); breakpoints on three consecutive
 * lines that are collinear form a wall, and a breakpoint left over (its wall ends or bends between lines) is joined
 * to every breakpoint on short scans Y/(4K) on both sides of it — except, where two of those are in line with it
 * across, to breakpoints on walls already known. Every wall is extended to its whole line, which only refines the
 * arrangement. Probe rounds (`searchSlice`) skip points inside the union of passing cells.
 *
 * `searchSlice` decides every vertex inside the box, every edge at its midpoint (a passing edge is extended to its
 * ends — each taken if it and the points half and nine tenths of the way to it pass — or, where it stops, to the
 * boundary by bisection; consecutive passing edges of one line are merged into one segment), and every cell at
 * its vertices' mean (a knife-edge: both prices pinned; the cell is returned whole only if it passes 1% of the way
 * from each vertex too, else its centre alone and the wall that cuts it is traced; cells left so after the last
 * round are reported through `onPartial`; a cell failing at its centre is tried 1% from each vertex on a set found
 * in the slice, and a passing point there is reported and traced the same way); passing cells are then joined into convex unions where everything
 * inside passed (sliceMerge.ts). The callers scan the moving types' payoffs and those of the types held at q̄ or a
 * face; walls no scanned payoff shows (a type held at 0, whose payoff is 0 on the slice, kinks in its own slope
 * only; a condition that turns inside a cell) are found only by those checks.
 * Points within `band` of the box's edges belong to other candidates and are not decided here.
 * Not found: walls that fit between two neighbouring scan lines of each family (narrower than about 1/K of the box
 * both ways) and cut no passing cell 1% from a vertex nor an edge's checked points.
 */
import { onLine, pieceEnds, type PointStaged } from './pieceEnds.js';
import { mergeCells, toSegment, vertexMean } from './sliceMerge.js';
import { NearGrid } from './nearGrid.js';

/** Scan lines per direction − 1. */
export const SCAN_STRIPS = 4;


/** The line a x + b y = c, (a, b) a unit normal (its larger coordinate positive). */
export interface Line {
  a: number;
  b: number;
  c: number;
}

export type Pt = [number, number];

export function makeLine(a: number, b: number, c: number): Line | null {
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

/**
 * Walls of a concave piecewise-linear value V(q) = min_k ⟨g_k, q⟩ on the slice q(x, y) = c + x·dx + y·dy: the lines
 * ⟨g_k − g_l, q(x, y)⟩ = 0 along which both pieces are active (the least) on a stretch inside the box.
 */
export function affineWalls(gradients: number[][], c: number[], dx: number[], dy: number[], X: number, Y: number, lines: Line[]): void {
  const scale = Math.max(X, Y);
  const dot = (g: number[], v: number[]) => g.reduce((s, gw, w) => s + gw * v[w], 0);
  const off = gradients.map((g) => dot(g, c));
  const gx = gradients.map((g) => dot(g, dx));
  const gy = gradients.map((g) => dot(g, dy));
  const at = (k: number, p: Pt) => gx[k] * p[0] + gy[k] * p[1] + off[k];
  for (let k = 0; k < gradients.length; k++) {
    for (let l = k + 1; l < gradients.length; l++) {
      const line = makeLine(gx[k] - gx[l], gy[k] - gy[l], off[l] - off[k]);
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
export function scanWalls(f: (p: Pt) => PointStaged<Pt>, X: number, Y: number, horizontal: boolean, inset: number, lines: Line[], K = SCAN_STRIPS): void {
  // work in (u, v): u along the scan lines (length Uu), v across (length Vv)
  const [Uu, Vv] = horizontal ? [X, Y] : [Y, X];
  const pt = (u: number, v: number): Pt => (horizontal ? [u, v] : [v, u]);
  const dir: Pt = horizontal ? [1, 0] : [0, 1];
  const scale = Math.max(X, Y);
  const breaks = (v: number, from = 0, to = Uu): number[] =>
    pieceEnds((s) => onLine(f(pt(from + s, v)), dir, s), to - from)
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
  // crossed closer by, review), unless a pair across them is in line with them (below)
  const delta = Vv / (4 * K);
  const w = Uu / (2 * K);
  B.forEach((bs, k) =>
    bs.forEach((b, n) => {
      if (used[k][n]) return;
      const sides = [vs[k] + delta, vs[k] - delta].filter((v) => v >= 0 && v <= Vv).map((v) => ({ v, bs: breaks(v, Math.max(0, b - w), Math.min(Uu, b + w)) }));
      // a breakpoint on each side in line with b (to the breakpoints' accuracy) is the wall through it, and joins to
      // breakpoints of walls already known are not made: they only refine the arrangement, whose candidates grow as
      // its lines squared (a 5-type slice: 77 lines, 7,238 candidates and 14.5 s; 4.4 s with this rule, and on 134
      // random markets the same equilibria); without such a pair every join is made
      const paired = new Set<number>();
      if (sides.length === 2) {
        for (const up of sides[0].bs) {
          for (const dn of sides[1].bs) {
            if (Math.abs(up + dn - 2 * b) > tolM) continue;
            addLine(lines, through(pt(dn, sides[1].v), pt(up, sides[0].v)), scale);
            paired.add(up).add(dn);
          }
        }
      }
      // the rest: joined to b, unless a pair was found and the breakpoint is on a wall already known (a wall that
      // starts at b — a T-junction on the straight one — has its breakpoints on no known line: review)
      const known = (p: Pt) => lines.some((l) => Math.abs(l.a * p[0] + l.b * p[1] - l.c) <= tolM);
      for (const { v, bs: b2s } of sides) {
        for (const b2 of b2s) if (!paired.has(b2) && !(paired.size && known(pt(b2, v)))) addLine(lines, through(pt(b, vs[k]), pt(b2, v)), scale);
      }
    }),
  );
}

function intersect(l: Line, m: Line): Pt | null {
  const det = l.a * m.b - m.a * l.b;
  if (Math.abs(det) < 1e-12) return null;
  return [(l.c * m.b - m.c * l.b) / det, (l.a * m.c - m.a * l.c) / det];
}


/** A slice search (module comment): the box, the exact walls, the payoff mix to scan and the exact test. */
export interface SliceProblem<T> {
  X: number;
  Y: number;
  /** Points within `band` of the box's edges are left to other candidates. */
  band: number;
  /** Walls known exactly (the values'). */
  walls: Line[];
  /**
   * A mix of the moving types' payoffs, with the selection's stages and, where known, their exact range along a
   * direction (pieceEnds.ts); its kinks are walls.
   */
  scan: (p: Pt) => PointStaged<Pt>;
  /** The exact test at a point: an equilibrium there, or null. */
  decide: (p: Pt) => T | null;
  /**
   * Called with the number of cells reported at their centre only, when any are left after the last round (a wall
   * no scan shows crosses them and was not traced): the search is then not exhaustive there (review).
   */
  onPartial?: (cells: number) => void;
  /** Scan lines per direction − 1 (default SCAN_STRIPS). */
  strips?: number;
  /**
   * The domain is the triangle x + y ≤ X (X = Y) instead of the box: its diagonal is a wall and points within
   * `band` of it are left to other candidates too (a type split three ways: x and y at two uses, the rest at a third).
   */
  simplex?: boolean;
}

/** A point, a segment (`from`, `to`: its ends, in increasing x then y) or a cell (`cell`: its polygon). */
export interface SliceHit<T> {
  eq: T;
  /** A point of the hit (the point itself; a segment's middle or where it was found; a cell's centre). */
  at: Pt;
  from?: Pt;
  to?: Pt;
  cell?: Pt[];
}

/** Rounds of `probeAround` after the first search (each only when the last one found a point not probed yet). */
const PROBE_ROUNDS = 4;

/**
 * A slice's scan on the triangle x + y ≤ X: a point past the diagonal is read at its projection onto it, and each
 * point's range (`along`) is cut where its line crosses the diagonal — a projected point's is the projection's,
 * which moves along d − (rate/2)(1, 1) (rate = d_x + d_y) while the point stays past (searchSlice's comment).
 */
export function onTriangle(scan: (p: Pt) => PointStaged<Pt>, X: number): (p: Pt) => PointStaged<Pt> {
  return (p: Pt): PointStaged<Pt> => {
    const over = (p[0] + p[1] - X) / 2;
    const past = over > 0;
    const r = scan(past ? [p[0] - over, p[1] - over] : p);
    if (typeof r === 'number' || !r.along) return r;
    const along = r.along;
    return {
      h: r.h,
      stages: r.stages,
      // the point read moves along d, or past the diagonal along the projection's d − (rate/2)(1, 1), while the
      // line stays on its side: the range is cut where it reaches the diagonal, at s = −2·over/rate, when it moves
      // toward it (without a range past the diagonal the four-point test decided those lines: review)
      along: (d, want) => {
        const rate = d[0] + d[1];
        const a = along(past ? [d[0] - rate / 2, d[1] - rate / 2] : d, want);
        if (!a || rate === 0) return a;
        const cross = (-2 * over) / rate;
        return (past ? rate < 0 : rate > 0) ? [a[0], Math.min(a[1], cross)] : [Math.max(a[0], cross), a[1]];
      },
    };
  };
}

/** Every vertex, edge and cell of the walls' arrangement decided by `decide` (module comment). */
export function searchSlice<T>(pr: SliceProblem<T>): Array<SliceHit<T>> {
  const { X, Y, band } = pr;
  const scale = Math.max(X, Y);
  const lines: Line[] = [];
  for (const l of pr.walls) addLine(lines, l, scale);
  if (pr.simplex) addLine(lines, makeLine(1, 1, X), scale);
  // on a triangle the scans and probes still run over the box: beyond the diagonal the payoffs are read at the
  // point's projection onto it (continuous, with kinks only where the diagonal's are; the allocation itself would
  // be infeasible there — a platform's records below 0 — and its LP throws, review); a scan line's projection bends
  // at the diagonal, so its stages are concave on each side of it only (pieceEnds.ts) — the diagonal is a wall anyway
  // (each point keeps its range up to the diagonal, a projected one the projection's)
  const scan = pr.simplex ? onTriangle(pr.scan, X) : pr.scan;
  const K = pr.strips ?? SCAN_STRIPS;
  scanWalls(scan, X, Y, true, 2 * band, lines, K);
  scanWalls(scan, X, Y, false, 2 * band, lines, K);
  // the exact test is deterministic: decided points are kept across rounds
  const memo = new Map<string, T | null>();
  const decide = (p: Pt): T | null => {
    const key = `${p[0]},${p[1]}`;
    if (!memo.has(key)) memo.set(key, pr.decide(p));
    return memo.get(key) ?? null;
  };
  // A set of equilibria can turn where walls meet, onto a wall too short for the scans (a random market's segment
  // went on along a wall 0.06 long, found with 16 strips and missed with 4): every point where a found set ends,
  // and every found vertex, is probed for the walls through it (`probed`), and the arrangement is decided again.
  // An edge whose midpoint fails may still hold a set that starts at such a point and ends where a wall the scans
  // missed crosses it (the same market): edges from a probed point are tried next to it too. And a later round's
  // new line can cut a set so that no edge's middle lies in it (review: a set reported as one point of it): edges
  // also try the points of every set found so far (`known`: ends and middles).
  const probed: Pt[] = [];
  const known: Pt[] = [];
  const remember = (hs: Array<SliceHit<T>>) => hs.forEach((h) => known.push(h.at, ...(h.from && h.to ? [h.from, h.to] : [])));
  // cells that pass at their centre but not near a vertex (`decideArrangement`): a wall the scans missed crosses
  // them (a full type's own slope kinks there, which no scanned payoff shows — the review's market, and a closed form
  // of e2Pairs.test.ts whose "whole box" was the part q(0) ≥ q(1) of it). Each is traced: the pass/fail boundary on
  // two segments parallel to centre → failing point, 1e-3 of its length apart, located by bisection, and the line
  // through the two boundary points added (the next round decides the arrangement with it)
  const partial: Array<{ at: Pt; fail: Pt }> = [];
  const traced: Pt[] = [];
  // a traced line lies on the boundary of a passing region to the bisection's precision, where the exact test's
  // verdict turns on rounding (a review's check found a segment on one failing on a fresh memo): it splits cells,
  // and its own edges and vertices are not decided
  const tracedLines = new Set<Line>();
  const inSlice = insideOf(pr);
  const ok = (p: Pt) => inSlice(p) && decide(p) !== null;
  const boundary = (c: Pt, f: Pt): Pt | null => {
    if (!ok(c) || ok(f)) return null;
    let [g, b] = [c, f];
    for (let k = 0; k < 60 && Math.hypot(b[0] - g[0], b[1] - g[1]) > 1e-12 * scale; k++) {
      const m: Pt = [(g[0] + b[0]) / 2, (g[1] + b[1]) / 2];
      if (ok(m)) g = m;
      else b = m;
    }
    return g;
  };
  const trace = ({ at: c, fail: f }: { at: Pt; fail: Pt }): boolean => {
    if (traced.some((o) => Math.hypot(o[0] - c[0], o[1] - c[1]) <= 1e-9 * scale)) return false;
    traced.push(c);
    // 1e-3 of centre → f, across it
    const n: Pt = [-1e-3 * (f[1] - c[1]), 1e-3 * (f[0] - c[0])];
    const b1 = boundary([c[0] + n[0], c[1] + n[1]], [f[0] + n[0], f[1] + n[1]]);
    const b2 = boundary([c[0] - n[0], c[1] - n[1]], [f[0] - n[0], f[1] - n[1]]);
    if (!b1 || !b2) return false;
    const n0 = lines.length;
    addLine(lines, through(b1, b2), scale);
    if (lines.length > n0) tracedLines.add(lines[n0]);
    return true;
  };
  let hits = decideArrangement(lines, pr, decide, probed, known, partial, tracedLines);
  remember(hits);
  for (let round = 0; round < PROBE_ROUNDS; round++) {
    let fresh = partial.filter(trace).length;
    const passing = hits.flatMap((h) => (h.cell ? [h.cell] : []));
    // inside the passing cells' union (every point around p, 1e-6 of the box away, strictly inside one) a set does
    // not end: the cells are reported whole (a U ≡ 0 three-type market whose equilibria fill regions of a slice
    // probed every edge between its cells, 15 → 31 → 96 lines and on, for over 20 minutes); on its boundary a set
    // can go on along a wall the scans missed (review), and is probed
    const r = 1e-6 * scale;
    const amidPassing = (p: Pt) =>
      passing.length > 0 &&
      Array.from({ length: 8 }, (_, k): Pt => [p[0] + r * Math.cos((k * Math.PI) / 4), p[1] + r * Math.sin((k * Math.PI) / 4)]).every((o) => passing.some((c) => inConvex(o, c, 0)));
    for (const h of hits) {
      for (const p of h.cell ? [] : h.from && h.to ? [h.from, h.to] : [h.at]) {
        if (probed.some((o) => Math.hypot(o[0] - p[0], o[1] - p[1]) <= 1e-9 * scale)) continue;
        if (amidPassing(p)) continue;
        probed.push(p);
        fresh++;
        probeAround(scan, p, X, Y, lines);
      }
    }
    if (fresh === 0) break;
    partial.length = 0;
    hits = decideArrangement(lines, pr, decide, probed, known, partial, tracedLines);
    remember(hits);
  }
  if (partial.length > 0) pr.onPartial?.(partial.length);
  // knife-edge regions as few polygons (sliceMerge.ts)
  return mergeCells(hits, cells(lines, X, Y), scale, decide, partial.map((c) => c.at));
}

/**
 * p lies in the convex polygon `poly` (either orientation), or within `tol` of each edge's line on the wrong side
 * (near a thin wedge's apex that reaches further out: keep `tol` small). A polygon without three distinct vertices
 * contains nothing.
 */
export function inConvex(p: Pt, poly: Pt[], tol: number): boolean {
  const distinct = poly.filter((v, k) => poly.findIndex((u) => u[0] === v[0] && u[1] === v[1]) === k);
  if (distinct.length < 3) return false;
  let sign = 0;
  for (let k = 0; k < poly.length; k++) {
    const a = poly[k];
    const b = poly[(k + 1) % poly.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    // signed distance of p from the edge's line
    const d = ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / len;
    if (Math.abs(d) <= tol) continue;
    const s = Math.sign(d);
    if (sign !== 0 && s !== sign) return false;
    sign = s;
  }
  return true;
}

/**
 * The walls through p: breakpoints of f on short lines on each side of it, at distances δ and 4δ (δ = 1e-3 of the
 * box); a breakpoint at δ and one at 4δ in line with p give the wall through both (located to the breakpoints'
 * 1e-10, not to p's bisection), a breakpoint at δ without a partner the line through it and p.
 */
function probeAround(f: (p: Pt) => PointStaged<Pt>, p: Pt, X: number, Y: number, lines: Line[]): void {
  const scale = Math.max(X, Y);
  const d = 1e-3 * scale;
  // breakpoints of f on the line at offset v across, within ±w of p along (horizontal: along x)
  const scan = (horizontal: boolean, v: number, w: number): Pt[] => {
    const [c, M, N] = horizontal ? [p[0], X, Y] : [p[1], Y, X];
    const [lo, hi] = [Math.max(0, c - w), Math.min(M, c + w)];
    if (!(hi > lo) || v < 0 || v > N) return [];
    const at = (u: number): Pt => (horizontal ? [u, v] : [v, u]);
    const dir: Pt = horizontal ? [1, 0] : [0, 1];
    return pieceEnds((s) => onLine(f(at(lo + s)), dir, s), hi - lo)
      .map((e) => lo + e.t)
      .filter((u) => u > lo && u < hi)
      .map(at);
  };
  // a breakpoint on a line the arrangement has is that line's (its offset along the probe line located to 1e-10):
  // no new line. Without this, points 1e-7 from a fan of walls through the origin (x*_q is homogeneous in q) drew
  // each fan wall again through themselves, ~1e-4 off in angle: slivers whose sets' ends were probed in turn — a
  // knife-edge plane of the volume search went 34 → 86 → 222 lines in three rounds and past 40,000 exact tests
  const known = (x: Pt) => lines.some((l) => Math.abs(l.a * x[0] + l.b * x[1] - l.c) <= 1e-8 * scale);
  for (const horizontal of [true, false]) {
    for (const side of [1, -1]) {
      const across = horizontal ? p[1] : p[0];
      const near = scan(horizontal, across + side * d, 2 * d).filter((b) => !known(b));
      const far = scan(horizontal, across + side * 4 * d, 8 * d);
      for (const b of near) {
        const want: Pt = [p[0] + 4 * (b[0] - p[0]), p[1] + 4 * (b[1] - p[1])];
        const partner = far.find((c) => Math.hypot(c[0] - want[0], c[1] - want[1]) <= 1e-2 * d);
        addLine(lines, through(partner ? b : p, partner ?? b), scale);
      }
    }
  }
}

/**
 * The interval around a passing parameter `good` within [a, b]: each end if it passes, else the boundary by
 * bisection (as `extent` of e2.ts, from `good` instead of the middle).
 */
function grow(ok: (s: number) => boolean, good: number, a: number, b: number): { from: number; to: number } {
  const edge = (end: number): number => {
    // an end that passes is taken only if the points half and nine tenths of the way to it pass too: a wall the
    // scans missed can cut the edge between them and the end pass again, at a vertex (review: a two-merchant
    // knife-edge market reported a segment whose last 13% failed — a full type's own slope kinks there, which no
    // scanned payoff shows)
    const bad0 = [good + 0.5 * (end - good), good + 0.9 * (end - good), end].find((t) => !ok(t));
    if (bad0 === undefined) return end;
    let [g, bad] = [good, bad0];
    for (let k = 0; k < 60 && Math.abs(bad - g) > 1e-10; k++) {
      const t = (g + bad) / 2;
      if (ok(t)) g = t;
      else bad = t;
    }
    return g;
  };
  return { from: edge(a), to: edge(b) };
}

/** One pass over the arrangement of `lines` (module comment); `at` is a point of each hit. */
/** Strictly inside the slice's domain, `band` away from its edges (and its diagonal on a triangle). */
function insideOf<T>(pr: SliceProblem<T>): (p: Pt) => boolean {
  const { X, Y, band } = pr;
  return (p) => p[0] > band && p[0] < X - band && p[1] > band && p[1] < Y - band && (!pr.simplex || p[0] + p[1] < X - band);
}

function decideArrangement<T>(lines: Line[], pr: SliceProblem<T>, decide: (p: Pt) => T | null, found: Pt[], known: Pt[], partial: Array<{ at: Pt; fail: Pt }>, traced: ReadonlySet<Line>): Array<SliceHit<T>> {
  const { X, Y, band } = pr;
  const scale = Math.max(X, Y);
  const inside = insideOf(pr);
  const out: Array<SliceHit<T>> = [];
  // edges: every line's, between its crossings with the others
  const segments: Array<[Pt, Pt]> = [];
  for (const l of lines) {
    if (traced.has(l)) continue;
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
    let open: { from: number; to: number; mid: { eq: T; at: Pt } } | null = null;
    const close = () => {
      if (open) {
        const [a, b] = [at(open.from), at(open.to)].sort((u, v) => u[0] - v[0] || u[1] - v[1]);
        segments.push([a, b]);
        // reported at the segment's middle (whatever the refinement of the line), else where it was first found
        const s = (open.from + open.to) / 2;
        const middle = decide(at(s));
        out.push({ eq: middle ?? open.mid.eq, at: middle ? at(s) : open.mid.at, from: a, to: b });
      }
      open = null;
    };
    // edges shorter than 1e-7 of the box are where several walls cross at one point (located to ~1e-12 each): that
    // point is a vertex, and points that close to an equilibrium pass the test within its tolerance (a random
    // market gave a "segment" 2.6e-8 long through a vertex that 16 strips found as the point it is)
    const tiny = (1e-7 * scale) / Math.sqrt(len2);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [s0, s1] = [cuts[k], cuts[k + 1]];
      if (s1 - s0 <= tiny) continue;
      const ok = (s: number) => {
        const p = at(s);
        return inside(p) && decide(p) !== null;
      };
      // the midpoint; else, from an end at a found point, the point 1e-3 of the edge away from it — at least 1e-5 of
      // the box, since points within the tolerance of a found equilibrium pass too (they gave segments 1e-9 long);
      // else a point of a set found before that lies inside the edge
      const isFound = (s: number) => found.some((o) => Math.hypot(o[0] - at(s)[0], o[1] - at(s)[1]) <= 1e-8 * scale);
      const step = Math.max(1e-3 * (s1 - s0), 100 * tiny);
      const near = step < (s1 - s0) / 2 ? [...(isFound(s0) ? [s0 + step] : []), ...(isFound(s1) ? [s1 - step] : [])] : [];
      const onEdge = known
        .map((o) => ({ o, s: ((o[0] - seg[0][0]) * d[0] + (o[1] - seg[0][1]) * d[1]) / len2 }))
        .filter(({ o, s }) => s > s0 + tiny && s < s1 - tiny && Math.hypot(at(s)[0] - o[0], at(s)[1] - o[1]) <= 1e-9 * scale)
        .map(({ s }) => s);
      const tries = [(s0 + s1) / 2, ...near, ...onEdge];
      const good = tries.find((s) => ok(s));
      if (good === undefined) {
        close();
        continue;
      }
      const mid = at(good);
      const e = decide(mid) as T;
      const ext = grow(ok, good, s0, s1);
      const cur: { from: number; to: number; mid: { eq: T; at: Pt } } | null = open;
      // a tiny edge skipped between two passing ones: still the same segment
      if (cur && cur.to >= s0 - 2 * tiny && ext.from <= s0) cur.to = ext.to;
      else {
        close();
        open = { from: ext.from, to: ext.to, mid: { eq: e, at: mid } };
      }
      if (ext.to < s1) close();
    }
    close();
  }
  // within 1e-7 of a reported segment, by distance (a segment can be short, and a parametric test then rejects
  // its own end: a random market reported a vertex next to a 2e-8 segment through it)
  const onSegment = (p: Pt) => segments.some(([a, b]) => toSegment(p, a, b).off <= 1e-7 * scale);
  // a point found within 1e-7 of p (not a segment or a cell): the same equilibrium
  const nearPoint = (p: Pt) => out.some((o) => !o.from && !o.cell && Math.hypot(o.at[0] - p[0], o.at[1] - p[1]) <= 1e-7 * scale);
  // vertices
  const seen = new NearGrid(1e-9 * scale);
  for (let a = 0; a < lines.length; a++) {
    for (let b = a + 1; b < lines.length; b++) {
      if (traced.has(lines[a]) || traced.has(lines[b])) continue;
      const p = intersect(lines[a], lines[b]);
      if (!p || !inside(p) || onSegment(p)) continue;
      if (!seen.addIfFar(p)) continue;
      // a vertex within 1e-7 of one already found is the same equilibrium (two walls crossing that close by)
      if (nearPoint(p)) continue;
      const e = decide(p);
      if (e) out.push({ eq: e, at: p });
    }
  }
  // cells: a point inside each (knife-edges: both moving types' prices pinned by flat payoffs)
  for (const poly of cells(lines, X, Y)) {
    const p = vertexMean(poly);
    if (!inside(p) || onSegment(p)) continue;
    // a cell within 1e-7 of its centre (walls crossing that close by) is a vertex, as above: the same equilibrium as
    // a point found within 1e-7, else a point (a random four-type market reported its equilibrium twice, as a point
    // and as a cell whose corners agreed to 1e-7)
    const dot = poly.every((v) => Math.hypot(v[0] - p[0], v[1] - p[1]) <= 1e-7 * scale);
    if (dot && nearPoint(p)) continue;
    const e = decide(p);
    if (!e) {
      // a cell failing at its centre can hold a region that a wall no scanned payoff shows cuts off (a buyer's
      // condition turning inside the cell: two platforms, a 2-D knife-edge region below a reported segment — review):
      // tried 1% from each vertex that lies on a set found here (an edge's segment or a vertex: a region borders the
      // sets on its walls; every vertex cost four-type markets 13% more), and a passing point is reported and traced
      // towards the centre (`partial`)
      if (dot) continue;
      const onFound = (v: Pt) => onSegment(v) || nearPoint(v);
      for (const v of poly) {
        if (!onFound(v)) continue;
        const x: Pt = [v[0] + 0.01 * (p[0] - v[0]), v[1] + 0.01 * (p[1] - v[1])];
        if (!inside(x) || onSegment(x) || out.some((o) => Math.hypot(o.at[0] - x[0], o.at[1] - x[1]) <= 1e-9 * scale)) continue;
        const ex = decide(x);
        if (!ex) continue;
        partial.push({ at: x, fail: p });
        out.push({ eq: ex, at: x });
        break;
      }
      continue;
    }
    // the whole cell only if it passes near each vertex too (1% of the way to the centre): a missed wall can cross
    // it (the review's market above: two cells with failing parts); else its centre alone, and the cell is kept out
    // of merged regions (`partial`)
    const fail = dot ? undefined : poly.map((v): Pt => [v[0] + 0.01 * (p[0] - v[0]), v[1] + 0.01 * (p[1] - v[1])]).find((x) => inside(x) && decide(x) === null);
    if (fail) partial.push({ at: p, fail });
    out.push(dot || fail ? { eq: e, at: p } : { eq: e, at: p, cell: poly });
  }
  return out;
}

/** The cells of the lines' arrangement in the box, as convex polygons (the box split by one line after another). */
export function cells(lines: Line[], X: number, Y: number): Pt[][] {
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

