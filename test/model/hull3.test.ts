/**
 * hullByOracle against the point set it is asked about: with the oracle "argmax over a finite point set", the
 * H-representation must contain every point (within tol), each half-space must be tight at one of the points,
 * and a point outside the convex hull (a known extreme point pushed outwards) must violate one half-space.
 * Degenerate sets (coplanar, collinear, a single point) must come out with the right dimension.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hullByOracle, HullOracleError, type Vec3 } from '../../src/model/geometry/hull3.js';

const oracleOf = (pts: Vec3[]) => (c: Vec3): Vec3 => pts.reduce((best, p) => (c[0] * p[0] + c[1] * p[1] + c[2] * p[2] > c[0] * best[0] + c[1] * best[1] + c[2] * best[2] ? p : best));
const inside = (h: ReturnType<typeof hullByOracle>, z: Vec3, tol: number) => h.halfSpaces.every((f) => f.a[0] * z[0] + f.a[1] * z[1] + f.a[2] * z[2] <= f.b + tol);

function checkHull(pts: Vec3[], dim: number) {
  const h = hullByOracle(oracleOf(pts), 1e-9);
  expect(h.dim).toBe(dim);
  for (const p of pts) expect(inside(h, p, 1e-9)).toBe(true);
  for (const f of h.halfSpaces) expect(Math.min(...pts.map((p) => Math.abs(f.a[0] * p[0] + f.a[1] * p[1] + f.a[2] * p[2] - f.b)))).toBeLessThan(1e-9);
  // the point farthest from the centroid, pushed 1 % further out, is outside
  const c = pts.reduce((a, p) => [a[0] + p[0] / pts.length, a[1] + p[1] / pts.length, a[2] + p[2] / pts.length] as Vec3, [0, 0, 0] as Vec3);
  const far = pts.reduce((a, p) => (Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) > Math.hypot(a[0] - c[0], a[1] - c[1], a[2] - c[2]) ? p : a));
  const out: Vec3 = [c[0] + 1.01 * (far[0] - c[0]), c[1] + 1.01 * (far[1] - c[1]), c[2] + 1.01 * (far[2] - c[2])];
  if (dim > 0) expect(inside(h, out, 1e-9)).toBe(false);
  return h;
}

const coord = fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000);
const point = fc.tuple(coord, coord, coord);

describe('hull by support oracle', () => {
  it('unit cube: 6 facets, every vertex inside, dimension 3', () => {
    const cube: Vec3[] = [];
    for (let k = 0; k < 8; k++) cube.push([k & 1, (k >> 1) & 1, (k >> 2) & 1]);
    const h = checkHull(cube, 3);
    expect(h.halfSpaces.length).toBe(6);
  });
  it('random point sets in general position', () => {
    fc.assert(fc.property(fc.array(point, { minLength: 5, maxLength: 30 }), (pts) => {
      fc.pre(hullByOracle(oracleOf(pts), 1e-9).dim === 3);
      checkHull(pts, 3);
    }), { numRuns: 60 });
  });
  it('coplanar, collinear and single points get their dimension', () => {
    fc.assert(fc.property(fc.array(fc.tuple(coord, coord), { minLength: 4, maxLength: 20 }), (uv) => {
      // the plane z = 0.3 + 0.2x − 0.5y
      const pts = uv.map(([x, y]) => [x, y, 0.3 + 0.2 * x - 0.5 * y] as Vec3);
      const xs = new Set(uv.map((p) => p.join()));
      fc.pre(xs.size >= 3);
      const h = hullByOracle(oracleOf(pts), 1e-9);
      fc.pre(h.dim === 2); // collinear draws are covered below
      checkHull(pts, 2);
    }), { numRuns: 40 });
    checkHull([[0, 0, 0], [0.5, 0.25, 0.125], [1, 0.5, 0.25]], 1);
    checkHull([[0.2, 0.4, 0.6]], 0);
  });
  it('an empty polytope is reported as dimension −1', () => {
    expect(hullByOracle(() => null, 1e-9).dim).toBe(-1);
  });
});

describe('hull by support oracle: edge cases', () => {
  it('a width just above tol is a dimension (no spin until the call limit)', () => {
    for (const half of [0.6e-9, 0.9e-9, 1.5e-9]) {
      // a rhombus in the plane z = 0 whose width along y is 2·half, centred on the first point's level
      const pts: Vec3[] = [[0, 0, 0], [1, 0, 0], [0.5, half, 0], [0.5, -half, 0]];
      const h = hullByOracle(oracleOf(pts), 1e-9);
      expect(h.dim).toBe(2);
      expect(h.calls).toBeLessThan(100);
    }
  });
  it('an oracle that loses feasibility midway raises HullOracleError (callers fall back)', () => {
    const cube: Vec3[] = [];
    for (let k = 0; k < 8; k++) cube.push([k & 1, (k >> 1) & 1, (k >> 2) & 1]);
    let calls = 0;
    const flaky = (c: Vec3) => (++calls === 8 ? null : oracleOf(cube)(c));
    expect(() => hullByOracle(flaky, 1e-9)).toThrow(HullOracleError);
  });
});
