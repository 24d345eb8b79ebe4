/**
 * GP E2, two types, several platforms: every equilibrium in which two platforms i, j hold records at a crossing of
 * the edges of their price regions (sharedKinks.ts `crossing`). There the price is pinned, p = p*, and the records
 * lie on the edges' rays: q_i = x·d_i, q_j = y·d_j, the other platforms hold nothing, the rest is kept
 * (x, y > 0, x d_i + y d_j ≤ q̄). Every platform's condition p* ∈ ∂U_k(q_k) then holds, so only the buyers' remain.
 *
 * With two types every H_kω is positively homogeneous (the selection is a lexicographic LP, homogeneous in q) and
 * piecewise linear, so it is linear on the cones of a fan of rays: its "fan" is t ↦ H_kω((1 − t, t)) on [0, 1]
 * (`pieceEnds`), and H_kω(q) = (q(0) + q(1))·fan(q(1)/(q(0) + q(1))). With p fixed, buyer ω's condition at (x, y) is
 * slack_v = φ_ω(t*) − φ_ω(v) ≥ 0 for every deviation vertex v (e2Multi.ts), φ_ω(t) = Σ_k H_kω(t_k; q_k(−ω)) +
 * (p*(ω) − r_ω)·Σ t. Along buyer ω's own line at platform k the payoff kinks where (t, s_k) crosses a ray of the
 * fan, t = ρ·s_k, with s_k = q_k(−ω) linear in (x, y); so every slack is affine in (x, y) between the lines
 *   ρ·s_k = q̄(ω) (a breakpoint reaches the buyer's total), ρ·s_i + ρ′·s_j = q̄(ω) (two breakpoints fill it),
 * and the feasibility lines x d_i(ω) + y d_j(ω) = q̄(ω). On each cell of their arrangement each slack (a vertex is
 * labelled by which end of each platform's line it takes) is fitted affinely from the cell's points and checked at
 * them (a failed check — a missed line — makes the search incomplete rather than wrong), and the cell's equilibria
 * are the convex polygon {every slack ≥ −ε}: exact, as polygons, up to the fans' resolution (1e-10).
 * Each set found is confirmed by the exact test `checkE2Multi` at its centre (a disagreement: incomplete).
 * Points within `band` of x = 0 or y = 0 (one holder) are left to the other candidates.
 */
import type { LpSolver } from '../../lp/index.js';
import { checkE2Multi, payAt, payRange, type E2MultiEquilibrium, type E2MultiMarket, type E2MultiMemo } from './e2Multi.js';
import { buyerOnLine, pieceEnds } from './pieceEnds.js';
import { solveSquare } from './pieces.js';
import type { SharedKink } from './sharedKinks.js';
import { cells, type Line, type Pt } from './sliceSearch.js';

/**
 * Sets within this fraction of the box of an axis are left to the one-holder candidates (`crossingEquilibria`): the
 * slacks' tolerance widens a set by ε/slope, and a platform holding h records passes the exact test at prices up to
 * 1e-9/h inside its region, so such slivers are closures of one-holder sets, not two-holder ones (review: 1.03e-6 of
 * the box at a price 1e-3 off the crossing).
 */
export const AXIS_SLIVER = 1e-5;

/** Sets thinner than this fraction of the box are segments, and shorter ones points (the slacks' widening). */
export const THIN = 1e-6;

/** t ↦ H((1 − t, t)) at its breakpoints, t ∈ [0, 1]. */
type Fan = Array<{ t: number; h: number }>;

/** H(q) from its fan (module comment). */
export function fromFan(fan: Fan, q0: number, q1: number): number {
  const s = q0 + q1;
  if (!(s > 0)) return 0;
  const t = Math.min(1, Math.max(0, q1 / s));
  let lo = 0;
  let hi = fan.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fan[mid].t <= t) lo = mid;
    else hi = mid;
  }
  const [a, b] = [fan[lo], fan[hi]];
  const h = b.t > a.t ? a.h + ((t - a.t) / (b.t - a.t)) * (b.h - a.h) : a.h;
  return s * h;
}

/** The fan of H_kω (module comment). */
export function payoffFan(solver: LpSolver, m: E2MultiMarket, k: number, w: number, memo: E2MultiMemo): Fan {
  return pieceEnds((t) => {
    const q = [1 - t, t];
    return buyerOnLine(payAt(solver, m, k, q, memo), w, t, (want) => payRange(m, k, q, [-1, 1], memo, want));
  }, 1);
}

/**
 * Does buyer ω sell nothing at the price p(ω), whatever the others hold? Yes when every slope ∂H_kω/∂q(ω) — the
 * ω-coefficient of H_kω's linear form on each cone of its fan, at every platform k — stays below r_ω − p(ω) by
 * `margin`: then H_kω(t; s) ≤ slope·t < (r_ω − p(ω))·t for t > 0 (H_kω(0; s) = 0), so every sale loses against
 * keeping and t* = 0.
 */
export function sellsNothing(fans: Fan[], w: number, price: number, keepValue: number, margin: number): boolean {
  return fans.every((fan) =>
    fan.every((a, n) => {
      if (n + 1 >= fan.length) return true;
      const b = fan[n + 1];
      // η with ⟨η, (1 − t, t)⟩ = h at both ends: η_1 − η_0 = d, η_0 = h_a − d t_a
      const d = (b.h - a.h) / (b.t - a.t);
      const eta0 = a.h - d * a.t;
      const slope = w === 0 ? eta0 : eta0 + d;
      return slope + price - keepValue < -margin;
    }),
  );
}

/** Breakpoint ratios ρ = t/s of buyer ω's line at a platform (t her records, s the other type's): the fan's rays. */
function ratios(fan: Fan, w: number): number[] {
  return fan.filter((e) => e.t > 0 && e.t < 1).map((e) => (w === 0 ? (1 - e.t) / e.t : e.t / (1 - e.t)));
}

/**
 * Buyer ω's slack at every deviation vertex, by label (per platform: `0`, `T`, `r<m>` — the m-th ratio's
 * breakpoint — or `*`, the coordinate fixed by the total), at the allocation `records` ([k][ω]) and price p(ω).
 */
export function buyerSlacks(fans: Fan[][], records: number[][], w: number, T: number, c: number): Map<string, number> {
  const I = records.length;
  const H = (k: number, t: number) => (w === 0 ? fromFan(fans[k][0], t, records[k][1]) : fromFan(fans[k][1], records[k][0], t));
  const here = records.reduce((acc, q, k) => acc + H(k, q[w]) + c * q[w], 0);
  const ends = records.map((q, k) => {
    const s = q[1 - w];
    const out: Array<{ label: string; t: number }> = [{ label: '0', t: 0 }];
    ratios(fans[k][w], w).forEach((r, n) => {
      if (r * s > 0 && r * s < T) out.push({ label: `r${n}`, t: r * s });
    });
    out.push({ label: 'T', t: T });
    return out;
  });
  const slacks = new Map<string, number>();
  const cap = T * (1 + 1e-12);
  const rec = (k: number, free: number, labels: string[], ts: number[]): void => {
    if (k === I) {
      const sum = ts.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0);
      if (sum > cap) return;
      const v = ts.map((t) => (Number.isNaN(t) ? Math.max(0, T - sum) : t));
      slacks.set(labels.join(','), here - v.reduce((acc, t, n) => acc + H(n, t) + c * t, 0));
      return;
    }
    if (k === free) return rec(k + 1, free, [...labels, '*'], [...ts, NaN]);
    for (const e of ends[k]) rec(k + 1, free, [...labels, e.label], [...ts, e.t]);
  };
  for (let free = -1; free < I; free++) rec(0, free, [], []);
  return slacks;
}

/** The part of a convex polygon where a x + b y ≥ c (Sutherland–Hodgman against one half-plane). */
function clipPolygon(poly: Pt[], a: number, b: number, c: number): Pt[] {
  const out: Pt[] = [];
  const f = (p: Pt) => a * p[0] + b * p[1] - c;
  poly.forEach((p, n) => {
    const q = poly[(n + 1) % poly.length];
    const [fp, fq] = [f(p), f(q)];
    if (fp >= 0) out.push(p);
    if ((fp >= 0) !== (fq >= 0)) {
      const s = fp / (fp - fq);
      out.push([p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])]);
    }
  });
  return out;
}

/**
 * Least-squares affine fit v ≈ α + β·p over the points (normal equations; three unknowns), or null. Thin cells give
 * nearly singular equations: only an exact 0 pivot is refused, the caller checks the fit at every point.
 */
function affineFit(pts: Pt[], vals: number[]): [number, number, number] | null {
  const S = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const r = [0, 0, 0];
  pts.forEach((p, n) => {
    const row = [1, p[0], p[1]];
    for (let a = 0; a < 3; a++) {
      r[a] += row[a] * vals[n];
      for (let b = 0; b < 3; b++) S[a][b] += row[a] * row[b];
    }
  });
  const x = solveSquare(S, r, 0);
  return x ? [x[0], x[1], x[2]] : null;
}

/** An equilibrium set at a shared kink: records[k][ω] at its vertices (one: a point; two: a segment; more: a polygon). */
export type SharedKinkSet = NonNullable<E2MultiEquilibrium['sharedKink']>;

/**
 * Is the allocation `records` ([k][ω]) in the set `sk` (within 1e-7 of the records' scale)? Its records must lie on
 * the set's two rays (nothing elsewhere), and its coordinates (x, y) along them in the convex hull of the set's.
 */
export function inSharedKinkSet(sk: SharedKinkSet, records: number[][]): boolean {
  const [i, j] = sk.platforms;
  const [di, dj] = sk.directions;
  const scale = Math.max(1e-300, ...sk.region.flat(2).map(Math.abs), ...records.flat().map(Math.abs));
  const tol = 1e-7 * scale;
  const coord = (q: number[][]): Pt | null => {
    const x = q[i][0] * di[0] + q[i][1] * di[1];
    const y = q[j][0] * dj[0] + q[j][1] * dj[1];
    const off = q.every((r, k) => k === i || k === j || Math.hypot(r[0], r[1]) <= tol);
    const onRays = Math.hypot(q[i][0] - x * di[0], q[i][1] - x * di[1]) <= tol && Math.hypot(q[j][0] - y * dj[0], q[j][1] - y * dj[1]) <= tol;
    return off && onRays ? [x, y] : null;
  };
  const v = coord(records);
  if (!v) return false;
  return inConvexSet(v, sk.region.map(coord) as Pt[], tol);
}

/** Is v within tol of the convex set with these vertices (one: a point; two: a segment; more: a polygon in order)? */
function inConvexSet(v: Pt, r: Pt[], tol: number): boolean {
  if (r.length === 1) return Math.hypot(v[0] - r[0][0], v[1] - r[0][1]) <= tol;
  if (r.length === 2) {
    const [a, b] = r;
    const d: Pt = [b[0] - a[0], b[1] - a[1]];
    const s = Math.min(1, Math.max(0, ((v[0] - a[0]) * d[0] + (v[1] - a[1]) * d[1]) / (d[0] ** 2 + d[1] ** 2)));
    return Math.hypot(a[0] + s * d[0] - v[0], a[1] + s * d[1] - v[1]) <= tol;
  }
  // either orientation
  const sides = r.map((a, n) => {
    const b = r[(n + 1) % r.length];
    return ((b[0] - a[0]) * (v[1] - a[1]) - (b[1] - a[1]) * (v[0] - a[0])) / Math.hypot(b[0] - a[0], b[1] - a[1]);
  });
  return sides.every((x) => x >= -tol) || sides.every((x) => x <= tol);
}

/** The lines of the module comment in slice coordinates (x, y): q_i = x·d_i, q_j = y·d_j; `fi`, `fj` their fans by buyer. */
export function slackLines(fi: Fan[], fj: Fan[], di: Pt, dj: Pt, T: number[]): Line[] {
  const lines: Line[] = [];
  const add = (a: number, b: number, c: number) => {
    const s = Math.hypot(a, b);
    if (s > 0 && Number.isFinite(s)) lines.push({ a: a / s, b: b / s, c: c / s });
  };
  for (const w of [0, 1]) {
    add(di[w], dj[w], T[w]);
    const [ci, cj] = [di[1 - w], dj[1 - w]];
    const [ri, rj] = [ratios(fi[w], w), ratios(fj[w], w)];
    for (const r of ri) add(r * ci, 0, T[w]);
    for (const r of rj) add(0, r * cj, T[w]);
    for (const r of ri) for (const s of rj) add(r * ci, s * cj, T[w]);
  }
  return lines;
}

/**
 * Each feasible cell's equilibria (module comment): every labelled slack of both buyers (`slacksAt`) fitted affinely
 * from the cell's points and checked at them, the cell clipped to where all are ≥ −1e-9·slackScale. `complete` is
 * false when labels or fits disagree across a cell (a line missing).
 */
function cellSets(lines: Line[], X: number, Y: number, feasible: (pt: Pt) => boolean, slacksAt: (pt: Pt) => Array<Map<string, number>>, slackScale: number): { regions: Pt[][]; complete: boolean } {
  const eps = 1e-9 * slackScale;
  let complete = true;
  const regions: Pt[][] = [];
  for (const poly of cells(lines, X, Y)) {
    const g: Pt = [poly.reduce((s, v) => s + v[0], 0) / poly.length, poly.reduce((s, v) => s + v[1], 0) / poly.length];
    if (!feasible(g)) continue;
    const samples: Pt[] = [g, ...poly.map((v): Pt => [g[0] + 0.5 * (v[0] - g[0]), g[1] + 0.5 * (v[1] - g[1])])];
    const at = samples.map(slacksAt);
    let region: Pt[] = poly;
    for (const w of [0, 1]) {
      const labels = [...at[0][w].keys()];
      if (at.some((a) => a[w].size !== labels.length || labels.some((l) => !a[w].has(l)))) {
        complete = false;
        region = [];
        break;
      }
      for (const l of labels) {
        const vals = at.map((a) => a[w].get(l) as number);
        const fit = affineFit(samples, vals);
        if (!fit || samples.some((s, n) => Math.abs(fit[0] + fit[1] * s[0] + fit[2] * s[1] - vals[n]) > 1e-9 * slackScale)) {
          complete = false;
          region = [];
          break;
        }
        region = clipPolygon(region, fit[1], fit[2], -eps - fit[0]);
        if (!region.length) break;
      }
      if (!region.length) break;
    }
    if (region.length) regions.push(region);
  }
  return { regions, complete };
}

/** A set's distinct vertices (within tol): a point, a segment's ends (thinner than `thin`), or a polygon. */
function reduceSet(r0: Pt[], tol: number, thin: number): Pt[] {
  const r = r0.filter((v, n) => r0.findIndex((u) => Math.hypot(u[0] - v[0], u[1] - v[1]) <= tol) === n);
  if (r.length < 2) return r;
  // its two farthest vertices; thinner than `thin`: that segment, shorter: a point
  let best: [Pt, Pt] = [r[0], r[1]];
  for (const a of r) for (const b of r) if (Math.hypot(a[0] - b[0], a[1] - b[1]) > Math.hypot(best[0][0] - best[1][0], best[0][1] - best[1][1])) best = [a, b];
  const [a, b] = best;
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len <= thin) return [a];
  if (r.length < 3) return r;
  const flat = r.every((v) => Math.abs((b[0] - a[0]) * (v[1] - a[1]) - (b[1] - a[1]) * (v[0] - a[0])) / len <= thin);
  return flat ? best : r;
}

/** Every equilibrium with platforms i and j holding records at a crossing kink (module comment). */
export function crossingEquilibria(solver: LpSolver, m: E2MultiMarket, kink: SharedKink, memo: E2MultiMemo): { equilibria: E2MultiEquilibrium[]; complete: boolean } {
  if (!kink.crossing || m.qBar.length !== 2) throw new RangeError('crossingEquilibria: a crossing of two types expected');
  const [i, j] = kink.platforms;
  const [di, dj] = kink.crossing.directions;
  const p = kink.price;
  const T = m.qBar;
  // fans of the two holders; the others hold nothing, so only H_kω(t e_ω) = t H_kω(e_ω) is needed (a two-point fan)
  const fans: Fan[][] = m.designs.map((_, k) =>
    [0, 1].map((w) => {
      if (k === i || k === j) return payoffFan(solver, m, k, w, memo);
      return [
        { t: 0, h: payAt(solver, m, k, [1, 0], memo).buyer[w] },
        { t: 1, h: payAt(solver, m, k, [0, 1], memo).buyer[w] },
      ];
    }),
  );
  const records = (pt: Pt): number[][] =>
    m.designs.map((_, k) => (k === i ? [pt[0] * di[0], pt[0] * di[1]] : k === j ? [pt[1] * dj[0], pt[1] * dj[1]] : [0, 0]));
  const X = Math.min(...[0, 1].map((w) => (di[w] > 0 ? T[w] / di[w] : Infinity)));
  const Y = Math.min(...[0, 1].map((w) => (dj[w] > 0 ? T[w] / dj[w] : Infinity)));
  const scale = Math.max(X, Y);
  const band = 1e-8 * Math.max(...T);
  const lines = slackLines(fans[i], fans[j], di, dj, T);
  const feasible = (pt: Pt) => [0, 1].every((w) => pt[0] * di[w] + pt[1] * dj[w] <= T[w] * (1 + 1e-12));
  const slackScale = 1 + Math.max(...fans.flat(2).map((e) => Math.abs(e.h))) * Math.max(...T);
  const found = cellSets(lines, X, Y, feasible, (pt) => [0, 1].map((w) => buyerSlacks(fans, records(pt), w, T[w], p[w] - m.keepValue[w])), slackScale);
  let complete = found.complete;
  const regions = found.regions.map((r) => clipPolygon(clipPolygon(r, 1, 0, band), 0, 1, band)).filter((r) => r.length > 0);
  // each region reduced to its distinct vertices (a point, a segment's ends, or a polygon); lower-dimensional ones
  // inside a region already kept (a shared edge of two cells) are dropped
  const tol = 1e-7 * scale;
  const reduce = (r: Pt[]) => reduceSet(r, tol, THIN * scale);
  const reduced = regions.map(reduce).sort((a, b) => b.length - a.length);
  // a set within AXIS_SLIVER of x = 0 or y = 0 is the closure of one-holder equilibria (other candidates) widened by
  // the slacks' tolerance: the exact test rejects it (random markets: single points at x ≈ 1e-8)
  const sliver = (r: Pt[]) => r.every((v) => v[0] <= AXIS_SLIVER * X) || r.every((v) => v[1] <= AXIS_SLIVER * Y);
  const kept: Pt[][] = [];
  for (const r of reduced) if (!sliver(r) && !kept.some((k) => k.length >= r.length && r.every((v) => inConvexSet(v, k, tol)))) kept.push(r);
  // onto a feasibility line within THIN (both: their crossing): a vertex there is cut by the slacks' tolerance up to
  // ε/slope inside (1.3e-7 of the box, review), where the exact test sees a buyer keeping that much at a price above
  // r_ω (random markets)
  const snap = (v: Pt): Pt => {
    const near = [0, 1].filter((w) => Math.abs(v[0] * di[w] + v[1] * dj[w] - T[w]) <= THIN * scale * Math.max(1, T[w]));
    if (near.length === 2) {
      const det = di[0] * dj[1] - di[1] * dj[0];
      if (Math.abs(det) > 1e-12) return [(T[0] * dj[1] - T[1] * dj[0]) / det, (di[0] * T[1] - di[1] * T[0]) / det];
    }
    if (near.length >= 1) {
      const w = near[0];
      const n2 = di[w] ** 2 + dj[w] ** 2;
      const e = (v[0] * di[w] + v[1] * dj[w] - T[w]) / n2;
      return [v[0] - e * di[w], v[1] - e * dj[w]];
    }
    return v;
  };
  // a vertex at the band of an axis stands for the set's end on it (a one-holder allocation, another candidate's):
  // reported there when that allocation passes the exact test too (else at the band, as the slice search does)
  const toAxis = (v: Pt): Pt => {
    const w: Pt = [v[0] <= 10 * band ? 0 : v[0], v[1] <= 10 * band ? 0 : v[1]];
    if (w[0] === v[0] && w[1] === v[1]) return v;
    // on a feasibility line too: along the axis onto it
    for (const u of [0, 1]) {
      if (Math.abs(w[0] * di[u] + w[1] * dj[u] - T[u]) > tol * Math.max(1, T[u])) continue;
      if (w[1] === 0 && di[u] > 0) w[0] = T[u] / di[u];
      else if (w[0] === 0 && dj[u] > 0) w[1] = T[u] / dj[u];
    }
    return checkE2Multi(solver, m, records(w), memo) ? w : v;
  };
  // each set confirmed by the exact test: at its centre, else at its first vertex that passes (a point widened into a
  // segment 3e-7 long by the slacks' tolerance, review); a vertex that fails is moved towards that point, by
  // bisection, to the last one that passes — so every vertex reported passes — and the set reduced again
  const passes = (pt: Pt) => checkE2Multi(solver, m, records(pt), memo) !== null;
  const equilibria: E2MultiEquilibrium[] = [];
  for (const r0 of kept) {
    const r1 = r0.map(snap).map(toAxis);
    const centre = snap([r1.reduce((s, v) => s + v[0], 0) / r1.length, r1.reduce((s, v) => s + v[1], 0) / r1.length]);
    const rep = passes(centre) ? centre : r1.find(passes);
    if (!rep) {
      complete = false;
      continue;
    }
    const inward = (v: Pt): Pt => {
      if (passes(v)) return v;
      let [good, bad] = [0, 1];
      for (let k = 0; k < 40; k++) {
        const t = (good + bad) / 2;
        if (passes([rep[0] + t * (v[0] - rep[0]), rep[1] + t * (v[1] - rep[1])])) good = t;
        else bad = t;
      }
      return [rep[0] + good * (v[0] - rep[0]), rep[1] + good * (v[1] - rep[1])];
    };
    const r = reduce(r1.map(inward));
    const at = r.length === 1 ? r[0] : rep;
    const e = checkE2Multi(solver, m, records(at), memo);
    if (!e) {
      complete = false;
      continue;
    }
    equilibria.push({ ...e, sharedKink: { platforms: [i, j], price: [p[0], p[1]], directions: [[di[0], di[1]], [dj[0], dj[1]]], region: r.map(records) } });
  }
  return { equilibria, complete };
}
