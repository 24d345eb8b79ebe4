/**
 * H-representation of a polytope P ⊂ R^3 known only through a support oracle: `argmax(c)` returns a point of P
 * maximising ⟨c, z⟩ (an LP solve in practice; P is the projection of a higher-dimensional polytope, so no
 * description of P is at hand).
 *
 * Method (exact up to the oracle's tolerance, finitely many oracle calls): first the affine hull, by asking for
 * the width of P along every direction orthogonal to the span of the points found so far; then, inside the
 * affine hull, the beneath-beyond loop with the oracle — take the hull of the points found (quickhull3d in
 * dimension 3, a monotone chain in dimension 2), and for each facet ⟨n, z⟩ ≤ b ask the oracle for the maximum
 * of ⟨n, z⟩ over P: a point beyond b + tol joins the set, otherwise the facet is a facet of P (within tol).
 * Each round adds points of P beyond the current hull, so the loop ends after at most |vert P| rounds.
 */
import quickhull from 'quickhull3d/dist/quickhull3d.js';

export type Vec3 = [number, number, number];

/** ⟨a, z⟩ ≤ b. Equalities of the affine hull appear as two opposite half-spaces. */
export interface HalfSpace {
  a: Vec3;
  b: number;
}

export interface Hull3 {
  /** Affine dimension of P (0–3), or −1 when P is empty. */
  dim: number;
  halfSpaces: HalfSpace[];
  /** The points of P found (the vertices of P among them). */
  points: Vec3[];
  /** Oracle calls made. */
  calls: number;
}

export class HullLimitError extends Error {
  constructor(readonly calls: number) {
    super(`hull by support oracle: no convergence after ${calls} oracle calls`);
    this.name = 'HullLimitError';
  }
}

/** The oracle found P empty after having returned a point of it (a numerical failure of the LP behind it). */
export class HullOracleError extends Error {
  constructor() {
    super('hull by support oracle: the oracle lost feasibility');
    this.name = 'HullOracleError';
  }
}

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: readonly number[], b: readonly number[]): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: readonly number[], k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const cross = (a: readonly number[], b: readonly number[]): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: readonly number[]) => Math.sqrt(dot(a, a));
const unit = (a: readonly number[]): Vec3 => scale(a, 1 / norm(a));
const AXES: Vec3[] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

/** Orthonormal basis of span{p − origin} by Gram–Schmidt, dropping components shorter than tol. */
function spanBasis(points: readonly Vec3[], origin: Vec3, tol: number): Vec3[] {
  const basis: Vec3[] = [];
  for (const p of points) {
    let r = sub(p, origin);
    for (const e of basis) r = sub(r, scale(e, dot(r, e)));
    if (norm(r) > tol && basis.length < 3) basis.push(unit(r));
  }
  return basis;
}

/** Unit vectors completing `basis` to an orthonormal basis of R^3. */
function complement(basis: readonly Vec3[]): Vec3[] {
  if (basis.length === 0) return AXES.slice();
  if (basis.length === 2) return [unit(cross(basis[0], basis[1]))];
  if (basis.length === 3) return [];
  const e = basis[0];
  const axis = AXES.reduce((best, x) => (Math.abs(dot(x, e)) < Math.abs(dot(best, e)) ? x : best));
  const u = unit(sub(axis, scale(e, dot(axis, e))));
  return [u, unit(cross(e, u))];
}

/**
 * The H-representation of P = conv(oracle). `argmax` returns null when P is empty. `tol` is the absolute
 * width below which P is taken as flat, and the slack allowed when confirming a facet.
 */
export function hullByOracle(argmax: (c: Vec3) => Vec3 | null, tol: number, maxCalls = 2000): Hull3 {
  let calls = 0;
  const call = (c: Vec3): Vec3 | null => {
    if (++calls > maxCalls) throw new HullLimitError(calls);
    return argmax(c);
  };
  const ask = (c: Vec3): Vec3 => {
    const z = call(c);
    if (!z) throw new HullOracleError();
    return z;
  };
  const first = call(AXES[0]);
  if (!first) return { dim: -1, halfSpaces: [], points: [], calls };
  const points: Vec3[] = [first];
  const origin = first;
  // affine hull: widen the span until P has no width orthogonal to it
  let basis: Vec3[] = [];
  for (;;) {
    let grew = false;
    for (const c of complement(basis)) {
      const hi = ask(c);
      const lo = ask(scale(c, -1));
      if (dot(c, hi) - dot(c, lo) > tol) {
        points.push(hi, lo);
        // the origin lies between lo and hi along c (c ⟂ basis), so one of them is more than tol/2 from the span:
        // with tol/2 the basis grows (with tol a width in (tol, 2 tol] would loop until maxCalls)
        basis = spanBasis(points, origin, tol / 2);
        grew = true;
        break;
      }
    }
    if (!grew) break;
  }
  const dim = basis.length;
  const halfSpaces: HalfSpace[] = [];
  for (const c of complement(basis)) {
    const b = dot(c, origin);
    halfSpaces.push({ a: c, b }, { a: scale(c, -1), b: -b });
  }
  if (dim === 0) return { dim, halfSpaces, points, calls };
  if (dim === 1) {
    const e = basis[0];
    const hi = ask(e);
    const lo = ask(scale(e, -1));
    points.push(hi, lo);
    halfSpaces.push({ a: e, b: dot(e, hi) }, { a: scale(e, -1), b: -dot(e, lo) });
    return { dim, halfSpaces, points, calls };
  }
  const facets = dim === 2 ? (pts: Vec3[]) => facets2(pts, origin, basis) : facets3;
  const confirmed = new Map<string, HalfSpace>();
  for (;;) {
    let grew = false;
    for (const f of facets(points)) {
      const key = f.a.map((x) => x.toFixed(9)).join() + '|' + f.b.toFixed(9);
      if (confirmed.has(key)) continue;
      const z = ask(f.a);
      if (dot(f.a, z) > f.b + tol) {
        points.push(z);
        grew = true;
      } else confirmed.set(key, { a: f.a, b: Math.max(f.b, dot(f.a, z)) });
    }
    if (!grew) break;
  }
  // the final hull's facets are all confirmed (coplanar triangles give one half-space)
  const seen = new Set<string>();
  for (const f of facets(points)) {
    const key = f.a.map((x) => x.toFixed(9)).join() + '|' + f.b.toFixed(9);
    if (seen.has(key)) continue;
    seen.add(key);
    halfSpaces.push(confirmed.get(key) ?? f);
  }
  return { dim, halfSpaces, points, calls };
}

/** Facets (unit outward normals) of the hull of full-dimensional points in R^3. */
function facets3(points: Vec3[]): HalfSpace[] {
  const c = scale(points.reduce((acc, p) => [acc[0] + p[0], acc[1] + p[1], acc[2] + p[2]] as Vec3, [0, 0, 0] as Vec3), 1 / points.length);
  const out: HalfSpace[] = [];
  for (const face of quickhull(points)) {
    const [p, q, r] = face.map((i) => points[i]);
    let n = cross(sub(q, p), sub(r, p));
    if (norm(n) === 0) continue;
    n = unit(n);
    if (dot(n, sub(c, p)) > 0) n = scale(n, -1);
    out.push({ a: n, b: dot(n, p) });
  }
  return out;
}

/** Edges (as half-spaces of R^3 within the plane origin + span(basis)) of the hull of coplanar points. */
function facets2(points: Vec3[], origin: Vec3, basis: Vec3[]): HalfSpace[] {
  const uv = points.map((p) => {
    const d = sub(p, origin);
    return [dot(d, basis[0]), dot(d, basis[1])] as [number, number];
  });
  const hull = monotoneChain(uv);
  const out: HalfSpace[] = [];
  for (let k = 0; k < hull.length; k++) {
    const [x0, y0] = hull[k];
    const [x1, y1] = hull[(k + 1) % hull.length];
    // counter-clockwise hull: the outward normal of edge (x0,y0)→(x1,y1) is (dy, −dx)
    const n2 = [y1 - y0, -(x1 - x0)];
    const len = Math.hypot(n2[0], n2[1]);
    if (len === 0) continue;
    const a = unit([n2[0] * basis[0][0] + n2[1] * basis[1][0], n2[0] * basis[0][1] + n2[1] * basis[1][1], n2[0] * basis[0][2] + n2[1] * basis[1][2]]);
    out.push({ a, b: dot(a, origin) + (n2[0] * x0 + n2[1] * y0) / len });
  }
  return out;
}

/** Andrew's monotone chain: the convex hull of 2-D points, counter-clockwise, without collinear points. */
function monotoneChain(pts: Array<[number, number]>): Array<[number, number]> {
  const p = pts.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const turn = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const x of p) {
    while (lower.length >= 2 && turn(lower[lower.length - 2], lower[lower.length - 1], x) <= 0) lower.pop();
    lower.push(x);
  }
  const upper: Array<[number, number]> = [];
  for (const x of p.slice().reverse()) {
    while (upper.length >= 2 && turn(upper[upper.length - 2], upper[upper.length - 1], x) <= 0) upper.pop();
    upper.push(x);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
