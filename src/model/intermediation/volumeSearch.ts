/**
 * The search over one three-dimensional slice of GP E2 (e2Triples.ts: three interior types, one platform):
 * q(x, y, z) = c + x·d₀ + y·d₁ + z·d₂ on the box (0, X₀) × (0, X₁) × (0, X₂).
 *
 * As in two dimensions (sliceSearch.ts), U and every buyer's payoff are linear on the convex polyhedra of the
 * homogeneous selection's fan cut by the slice, now separated by planes. An interior type's price is pinned at
 * r − slope unless its own payoff kinks there along its own axis, and p ∈ ∂U(q) is pinned unless U kinks there, so
 * outside knife-edges an equilibrium with three interior types lies on a wall of U or on an own-axis kink plane of
 * one of the interior buyers' payoffs — usually where three of them meet. The search therefore finds those planes
 * and runs the two-dimensional slice search (`searchSlice`) on each of them, with every other plane's trace among
 * its exact walls (so the vertices where three planes meet are candidates by construction) and the box's faces as
 * walls too; the slice search adds the kinks of the payoffs' mix within the plane by its own scans.
 *
 * Planes:
 * - U's exactly (`valuePlanes`): ⟨g_k − g_l, q⟩ = 0 where pieces k and l are both the least on a two-dimensional
 *   patch inside the box (one small LP per pair).
 * - each interior buyer's own-axis kinks, by scanning (`ownPlanes`): her payoff's breakpoints (`pieceEnds`) on the
 *   (K + 1)² lines along her axis through a grid of the other two coordinates (the grid's first level just inside
 *   the box, as in two dimensions); four breakpoints at the corners of a grid square that fit one plane make a wall;
 *   a breakpoint left over is fitted with breakpoints on short scans a quarter of a grid step away in both grid
 *   directions, preferring planes the scans on the opposite sides confirm; every fitted plane must show the kink
 *   where it predicts it between the breakpoints it was fitted to.
 *
 * A knife-edge set that fills a three-dimensional cell of the planes' arrangement (every price pinned) is found on
 * the cell's faces, as polygons of the planes that bound it (the set of equilibria is closed, so the faces pass too),
 * and reported as such, not as the whole cell; with no plane at all the box is one cell, and its three middle planes
 * are searched instead.
 *
 * Not found: walls that fit between the scan grid's lines (narrower than about 1/K of the box in both grid
 * directions) and that do not pass near a leftover breakpoint, or whose kinks `pieceEnds` misses; and what the
 * two-dimensional search misses on a plane (sliceSearch.ts).
 */
import type { LpSolver } from '../../lp/index.js';
import { solveOrNull } from '../../lp/index.js';
import { onLine, pieceEnds, type PointStaged } from './pieceEnds.js';
import { makeLine, searchSlice, SCAN_STRIPS, type Line, type Pt } from './sliceSearch.js';

export type Pt3 = [number, number, number];

/** The plane ⟨n, p⟩ = c, n a unit normal (its largest coordinate in absolute value positive). */
export interface Plane {
  n: Pt3;
  c: number;
}

function makePlane(n: Pt3, c: number): Plane | null {
  const s = Math.hypot(...n);
  if (!(s > 0) || !Number.isFinite(s) || !Number.isFinite(c)) return null;
  const big = n.reduce((b, v) => (Math.abs(v) > Math.abs(b) ? v : b), 0);
  const sign = big < 0 ? -1 : 1;
  return { n: n.map((v) => (sign * v) / s) as Pt3, c: (sign * c) / s };
}

function planeThrough(a: Pt3, b: Pt3, c: Pt3): Plane | null {
  const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
  const n: Pt3 = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  // three points (nearly) in line span no plane
  if (Math.hypot(...n) <= 1e-12 * Math.hypot(...u) * Math.hypot(...v)) return null;
  return makePlane(n, n[0] * a[0] + n[1] * a[1] + n[2] * a[2]);
}

/** Adds a plane unless an equal one (normals and offsets within 1e-7, either orientation) is there. */
function addPlane(planes: Plane[], p: Plane | null, scale: number): void {
  if (!p) return;
  // either orientation: where two coordinates tie for the largest, the sign rule of makePlane can go either way
  // (review: (±0.577, ∓0.577, ∓0.577) both kept, searched twice, each one's trace on the other a null line)
  const same = (o: Plane, k: number) => o.n.every((v, i) => Math.abs(v - k * p.n[i]) <= 1e-7) && Math.abs(o.c - k * p.c) <= 1e-7 * scale;
  if (!planes.some((o) => same(o, 1) || same(o, -1))) planes.push(p);
}

/** A breakpoint along a scan line and the change of slope there. */
interface Kink {
  t: number;
  jump: number;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, k) => s + v * b[k], 0);

/**
 * Walls of U(q) = min_k ⟨g_k, q⟩ on the slice q = c + Σ_a p_a·d_a, p ∈ [0, box]: the planes ⟨g_k − g_l, q⟩ = 0 on
 * which pieces k and l are both the least on a two-dimensional patch (the largest margin t by which every other
 * piece lies above them on the plane is positive; pieces equal to k on the whole plane do not count).
 */
export function valuePlanes(solver: LpSolver, gradients: number[][], c: number[], d: [number[], number[], number[]], box: Pt3, planes: Plane[]): void {
  const scale = Math.max(...box);
  // piece m on the slice: coef[m]·p + off[m]
  const coef = gradients.map((g) => d.map((da) => dot(g, da)) as Pt3);
  const off = gradients.map((g) => dot(g, c));
  const size = Math.max(1, ...gradients.map((g, m) => Math.abs(off[m]) + coef[m].reduce((s, v, a) => s + Math.abs(v) * box[a], 0)));
  const tol = 1e-12 * size;
  for (let k = 0; k < gradients.length; k++) {
    for (let l = k + 1; l < gradients.length; l++) {
      const a = coef[k].map((v, i) => v - coef[l][i]) as Pt3;
      const b = off[l] - off[k];
      const plane = makePlane(a, b);
      if (!plane) continue;
      // the other pieces, less those that coincide with k on this plane (their difference a multiple of k − l's)
      const others = gradients.map((_, m) => m).filter((m) => {
        if (m === k || m === l) return false;
        const dm = [...coef[m].map((v, i) => v - coef[k][i]), off[m] - off[k]];
        const dk = [...a, -b];
        const t = dot(dm, dk) / dot(dk, dk);
        return dm.some((v, i) => Math.abs(v - t * dk[i]) > tol);
      });
      // max t: (coef[m] − coef[k])·p + off[m] − off[k] ≥ t for every other m, a·p = b, p in the box
      const lp = {
        sense: 'max' as const,
        cost: [0, 0, 0, 1],
        colLower: [0, 0, 0, -Infinity],
        colUpper: [box[0], box[1], box[2], size],
        rows: [
          { indices: [0, 1, 2], values: [...a], lower: b, upper: b },
          ...others.map((m) => ({ indices: [0, 1, 2, 3], values: [...coef[m].map((v, i) => v - coef[k][i]), -1], lower: off[k] - off[m], upper: Infinity })),
        ],
      };
      const sol = solveOrNull(solver, lp);
      if (sol && sol.objective > tol) addPlane(planes, plane, scale);
    }
  }
}

/**
 * Own-axis kink planes of f along axis k (module comment): breakpoints on the grid of lines along k, fitted into
 * planes; `inset` places the grid's first level just inside the box.
 */
export function ownPlanes(f: (p: Pt3) => PointStaged<Pt3>, k: 0 | 1 | 2, box: Pt3, inset: number, planes: Plane[], K = SCAN_STRIPS): void {
  const scale = Math.max(...box);
  const [a, b] = [0, 1, 2].filter((x) => x !== k) as [number, number];
  const T = box[k];
  const axis: Pt3 = [0, 0, 0];
  axis[k] = 1;
  const pt = (t: number, u: number, v: number): Pt3 => {
    const p: Pt3 = [0, 0, 0];
    p[k] = t;
    p[a] = u;
    p[b] = v;
    return p;
  };
  // breakpoints with the change of slope there: the payoff is linear on each side of a wall, so the change is the
  // same wherever the wall separates the same two cells — it tells parallel walls apart (without it, breakpoints of
  // two walls parallel to the grid fitted spurious planes across them: 20–58 planes where a handful are)
  const breaks = (u: number, v: number, from = 0, to = T): Kink[] => {
    const e = pieceEnds((s) => onLine(f(pt(from + s, u, v)), axis, s), to - from);
    const out: Kink[] = [];
    for (let n = 1; n + 1 < e.length; n++) {
      const sl = (e[n].h - e[n - 1].h) / (e[n].t - e[n - 1].t);
      const sr = (e[n + 1].h - e[n].h) / (e[n + 1].t - e[n].t);
      out.push({ t: from + e[n].t, jump: sr - sl });
    }
    return out;
  };
  const alike = (x: Kink, y: Kink) => Math.abs(x.jump - y.jump) <= 1e-2 * Math.max(1e-3, Math.abs(x.jump), Math.abs(y.jump));
  const level = (M: number, s: number) => (s === 0 ? inset : (M * s) / K);
  const us = Array.from({ length: K + 1 }, (_, s) => level(box[a], s));
  const vs = Array.from({ length: K + 1 }, (_, s) => level(box[b], s));
  const B = us.map((u) => vs.map((v) => breaks(u, v)));
  const used = B.map((row) => row.map((bs) => bs.map(() => false)));
  // a fitted plane is kept only if the payoff kinks where it predicts, with the same change of slope, on a line
  // between the breakpoints it was fitted to (four breakpoints of two parallel walls, or of a fan of walls with one
  // change of slope, can fit a plane that is neither: a random market's volume had 50 planes, most of them such)
  const confirmed = (p: Plane, u: number, v: number, like: Kink): boolean => {
    if (Math.abs(p.n[k]) < 1e-12) return false;
    const t = (p.c - p.n[a] * u - p.n[b] * v) / p.n[k];
    if (!(t > 0 && t < T)) return true;
    const half = T / (8 * K);
    return breaks(u, v, Math.max(0, t - half), Math.min(T, t + half)).some((x) => Math.abs(x.t - t) <= 1e-7 * Math.max(1, T) && alike(x, like));
  };
  const tolM = 1e-8 * Math.max(1, T);
  for (let s = 0; s < K; s++) {
    for (let t = 0; t < K; t++) {
      // t(u, v) affine over the square: b11 = b10 + b01 − b00 — scaled to the square's actual spacing
      const [u0, u1, v0, v1] = [us[s], us[s + 1], vs[t], vs[t + 1]];
      B[s][t].forEach((k00, n00) =>
        B[s + 1][t].forEach((k10, n10) =>
          B[s][t + 1].forEach((k01, n01) => {
            if (!alike(k00, k10) || !alike(k00, k01)) return;
            const [b00, b10, b01] = [k00.t, k10.t, k01.t];
            const pred = b10 + b01 - b00;
            const n11 = B[s + 1][t + 1].findIndex((x) => Math.abs(x.t - pred) <= tolM && alike(x, k00));
            if (n11 < 0) return;
            const plane = planeThrough(pt(b00, u0, v0), pt(b10, u1, v0), pt(b01, u0, v1));
            if (!plane || !confirmed(plane, (u0 + u1) / 2, (v0 + v1) / 2, k00)) return;
            addPlane(planes, plane, scale);
            used[s][t][n00] = used[s + 1][t][n10] = used[s][t + 1][n01] = used[s + 1][t + 1][n11] = true;
          }),
        ),
      );
    }
  }
  // leftovers: fitted with breakpoints on short scans δ away in each grid direction (a plane that crosses fewer than
  // four corners of every grid square: it ends, bends, or passes near the box's edge)
  const du = box[a] / (4 * K);
  const dv = box[b] / (4 * K);
  // short scans: whole lines here multiplied the planes of markets with many parallel kinks (U ≡ 0) until the
  // search ran out of memory; a plane nearly parallel to one axis's lines is found along another's
  const w = T / (2 * K);
  B.forEach((row, s) =>
    row.forEach((bs, t) =>
      bs.forEach((kt, n) => {
        if (used[s][t][n]) return;
        const bt = kt.t;
        const [u, v] = [us[s], vs[t]];
        const near = (uu: number, vv: number) =>
          uu >= 0 && uu <= box[a] && vv >= 0 && vv <= box[b]
            ? breaks(uu, vv, Math.max(0, bt - w), Math.min(T, bt + w))
                .filter((x) => alike(x, kt))
                .map((x) => x.t)
            : null;
        const here = pt(bt, u, v);
        const sidesU = [1, -1].map((sg) => ({ sg, bs: near(u + sg * du, v) }));
        const sidesV = [1, -1].map((sg) => ({ sg, bs: near(u, v + sg * dv) }));
        // each fit with a point inside the triangle it was fitted on (its centroid), where it is confirmed
        const found: Array<{ p: Plane; at: [number, number] }> = [];
        const fits: Array<{ p: Plane; at: [number, number] }> = [];
        for (const su of sidesU) {
          for (const sv of sidesV) {
            if (!su.bs || !sv.bs) continue;
            for (const x of su.bs) {
              for (const y of sv.bs) {
                const p = planeThrough(here, pt(x, u + su.sg * du, v), pt(y, u, v + sv.sg * dv));
                if (!p) continue;
                const fit = { p, at: [u + (su.sg * du) / 3, v + (sv.sg * dv) / 3] as [number, number] };
                fits.push(fit);
                // confirmed: the opposite scans have breakpoints where the plane predicts them
                const ou = sidesU.find((o) => o.sg === -su.sg)?.bs;
                const ov = sidesV.find((o) => o.sg === -sv.sg)?.bs;
                const okU = ou ? ou.some((z) => Math.abs(z - (2 * bt - x)) <= tolM) : true;
                const okV = ov ? ov.some((z) => Math.abs(z - (2 * bt - y)) <= tolM) : true;
                if (okU && okV && (ou || ov)) found.push(fit);
              }
            }
          }
        }
        for (const { p, at } of found.length ? found : fits) if (confirmed(p, at[0], at[1], kt)) addPlane(planes, p, scale);
      }),
    ),
  );
}

/** A 3-D slice search: the box, U's planes, each interior buyer's payoff (own[k]: kinks along axis k), the mix. */
export interface VolumeProblem<T> {
  box: Pt3;
  /** Points within `band` of the box's faces are left to other candidates. */
  band: number;
  /** Walls known exactly (U's). */
  planes: Plane[];
  /** own[k]: the payoff of the type on axis k, whose kinks along that axis are walls. */
  own: [(p: Pt3) => PointStaged<Pt3>, (p: Pt3) => PointStaged<Pt3>, (p: Pt3) => PointStaged<Pt3>];
  /** A mix of the three payoffs, scanned within each plane (with, where known, exact ranges in the box's coordinates). */
  mix: (p: Pt3) => PointStaged<Pt3>;
  decide: (p: Pt3) => T | null;
  strips?: number;
  /** As SliceProblem's (each plane is a slice search). */
  onPartial?: (cells: number) => void;
}

/** A point, a segment on a plane (`from`, `to`) or a polygon of a plane (`cell`). */
export interface VolumeHit<T> {
  eq: T;
  at: Pt3;
  from?: Pt3;
  to?: Pt3;
  cell?: Pt3[];
}

/** The planes of the volume (U's and the buyers' own-axis kinks; module comment). */
export function volumePlanes<T>(pr: VolumeProblem<T>): Plane[] {
  const scale = Math.max(...pr.box);
  const planes: Plane[] = [];
  for (const p of pr.planes) addPlane(planes, p, scale);
  for (const k of [0, 1, 2] as const) ownPlanes(pr.own[k], k, pr.box, 2 * pr.band, planes, pr.strips);
  return planes;
}

/** Every equilibrium `searchSlice` finds on the volume's planes (module comment). */
export function searchVolume<T>(pr: VolumeProblem<T>, planes = volumePlanes(pr)): Array<VolumeHit<T>> {
  const { box, band } = pr;
  const scale = Math.max(...box);
  const out: Array<VolumeHit<T>> = [];
  const inside = (q: Pt3) => q.every((v, k) => v > band && v < box[k] - band);
  // a vertex where three planes meet is decided on each of them, at coordinates equal to ~1e-15: one decision per
  // point of a 1e-12·scale grid (points that close are one equilibrium to the exact test's tolerance anyway)
  const decided = new Map<string, T | null>();
  const grid = 1e-12 * scale;
  const decide = (q: Pt3): T | null => {
    const key = q.map((v) => Math.round(v / grid)).join();
    if (!decided.has(key)) decided.set(key, pr.decide(q));
    return decided.get(key) ?? null;
  };
  // without any plane the box is one cell, where the payoffs are linear: its three middle planes stand in, so that a
  // knife-edge filling it (nothing at stake) is found, as polygons of those planes
  const searched = planes.length > 0 ? planes : ([0, 1, 2] as const).map((k) => ({ n: [0, 1, 2].map((i) => (i === k ? 1 : 0)) as Pt3, c: box[k] / 2 }));
  for (const plane of searched) {
    // parametrised by its two coordinates other than the one it is steepest in: q_m = (c − n_a x − n_b y) / n_m
    const m = [0, 1, 2].reduce((best, k) => (Math.abs(plane.n[k]) > Math.abs(plane.n[best]) ? k : best), 0);
    const [a, b] = [0, 1, 2].filter((x) => x !== m) as [number, number];
    const nm = plane.n[m];
    const lift = (p: Pt): Pt3 => {
      const q: Pt3 = [0, 0, 0];
      q[a] = p[0];
      q[b] = p[1];
      q[m] = (plane.c - plane.n[a] * p[0] - plane.n[b] * p[1]) / nm;
      return q;
    };
    // outside the box (q_m beyond its range) the payoffs are read at the clamped point: continuous, with kinks only
    // where the box's faces are, and those are walls (a scan line's clamped path bends there, so its stages are
    // concave on each side only: pieceEnds.ts)
    const clamp = (q: Pt3): Pt3 => q.map((v, k) => Math.min(box[k], Math.max(0, v))) as Pt3;
    const walls: Line[] = [];
    const trace = (o: Plane) => makeLine(o.n[a] - (o.n[m] * plane.n[a]) / nm, o.n[b] - (o.n[m] * plane.n[b]) / nm, o.c - (o.n[m] * plane.c) / nm);
    for (const o of searched) {
      if (o === plane) continue;
      const l = trace(o);
      if (l) walls.push(l);
    }
    // the box's faces q_m = 0 and q_m = X_m
    for (const face of [0, box[m]]) {
      const l = makeLine(plane.n[a], plane.n[b], plane.c - nm * face);
      if (l) walls.push(l);
    }
    const hits = searchSlice<T>({
      X: box[a],
      Y: box[b],
      band,
      walls,
      strips: pr.strips,
      onPartial: pr.onPartial,
      scan: (p) => {
        // the plane's direction d is the box's D = (d_a, d_b, −(n_a d_a + n_b d_b)/n_m); the clamped point moves along
        // D with the coordinates outside the box held, affine while each coordinate stays inside (or outside) the box:
        // the range is cut where one crosses a face (a clamped point had none, and the four-point test decided)
        const q = lift(p);
        const r = pr.mix(clamp(q));
        if (typeof r === 'number') return r;
        if (!r.along) return { h: r.h, stages: r.stages };
        const along = r.along;
        return {
          h: r.h,
          stages: r.stages,
          along: (d, want) => {
            const D: Pt3 = [0, 0, 0];
            D[a] = d[0];
            D[b] = d[1];
            D[m] = -(plane.n[a] * d[0] + plane.n[b] * d[1]) / nm;
            return clampedRange(q, D, box, along, want);
          },
        };
      },
      decide: (p) => {
        const q = lift(p);
        return inside(q) ? decide(q) : null;
      },
    });
    for (const h of hits) {
      const hit: VolumeHit<T> = {
        eq: h.eq,
        at: lift(h.at),
        ...(h.from && h.to ? { from: lift(h.from), to: lift(h.to) } : {}),
        ...(h.cell ? { cell: h.cell.map(lift) } : {}),
      };
      out.push(hit);
    }
  }
  return out;
}

/**
 * The range of s around 0 on which the box-clamped point clamp(q + s·D) moves affinely and `along` (the range of
 * the payoffs at clamp(q), in the direction the clamped point moves: D with the coordinates outside the box held)
 * holds: each coordinate inside the box stays between its faces, each outside stays past the face it is past.
 * Undefined when `along` is.
 */
export function clampedRange(q: Pt3, D: Pt3, box: Pt3, along: (d: Pt3, want: readonly [number, number]) => readonly [number, number] | undefined, want: readonly [number, number]): [number, number] | undefined {
  const out = q.map((v, k) => v < 0 || v > box[k]);
  const got = along(D.map((x, k) => (out[k] ? 0 : x)) as Pt3, want);
  if (!got) return undefined;
  let [lo, hi] = got;
  for (let k = 0; k < 3; k++) {
    if (D[k] === 0) continue;
    // where the coordinate reaches the faces 0 and box[k]
    const [s0, s1] = [-q[k] / D[k], (box[k] - q[k]) / D[k]];
    if (!out[k]) {
      lo = Math.max(lo, Math.min(s0, s1));
      hi = Math.min(hi, Math.max(s0, s1));
    } else {
      // past a face, it stays past while it moves away from the face, until it reaches it when moving toward it
      // (decided by the sign of D, not of the crossing: at q = −5e-324 that rounds to 0 — a fast-check case)
      const [cross, toward] = q[k] < 0 ? [s0, D[k] > 0] : [s1, D[k] < 0];
      if (toward) hi = Math.min(hi, cross);
      else lo = Math.max(lo, cross);
    }
  }
  return lo <= 0 && hi >= 0 ? [lo, hi] : undefined;
}
