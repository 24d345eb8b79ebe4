/**
 * Bilinear segment faces solved exactly (segmentFace.ts, exactSearch.ts `liftedSegment`).
 *  - The arithmetic of S from P's half-spaces against a closed form: P = {t ≤ ε, 1 − s − m + t ≤ ε} ∩ McCormick
 *    box gives s·m ≤ ε and (1 − s)(1 − m) ≤ ε, so S = [0, s₁] ∪ [s₂, 1] with s₁,₂ = (1 ∓ √(1 − 4ε))/2 (by hand:
 *    an m exists iff 1 − ε/(1 − s) ≤ ε/s ⇔ s² − s + ε ≥ 0) — two components, which a coarse grid can merge or miss.
 *  - On random half-spaces, membership decided pointwise equals membership in the reported components (a missed
 *    candidate end would make a cell's midpoint speak for a cell that changes inside).
 *  - On 3-type markets with equilibria on bilinear faces (continua and isolated points): the search is exact
 *    (no grid faces, no mismatches); points sampled along every reported segment pass the fixed-q support LP;
 *    and every equilibrium the old grid + bisection finds (64 points per face) lies on a reported set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver, type LpRow } from '../../src/lp/index.js';
import { covered } from './covered.js';
import { BOUNDARY_BAND, checkCandidate, exactEquilibria, regionOf, setFromHalfSpaces, type Equilibrium, type PricingGame } from '../../src/model/intermediation/index.js';
import { bilinearScalar, maxWelfareOnSegment, mcCormickRows, welfareOn, type SegmentFace } from '../../src/model/intermediation/segmentFace.js';
import type { HalfSpace } from '../../src/model/geometry/hull3.js';

const box: HalfSpace[] = [
  { a: [1, 0, 0], b: 1 }, { a: [-1, 0, 0], b: 0 }, { a: [0, 1, 0], b: 1 }, { a: [0, -1, 0], b: 0 }, { a: [0, 0, 1], b: 1 }, { a: [0, 0, -1], b: 0 },
  { a: [-1, 0, 1], b: 0 }, { a: [0, -1, 1], b: 0 }, { a: [1, 1, -1], b: 1 },
];

describe('S from half-spaces', () => {
  it('s·m ≤ ε and (1 − s)(1 − m) ≤ ε: S = [0, s₁] ∪ [s₂, 1] (closed form)', () => {
    for (const eps of [0.05, 0.1, 0.2]) {
      const H: HalfSpace[] = [...box, { a: [0, 0, 1], b: eps }, { a: [-1, -1, 1], b: eps - 1 }];
      const { components } = setFromHalfSpaces(H);
      const r = Math.sqrt(1 - 4 * eps);
      expect(components.length).toBe(2);
      expect(components[0][0]).toBe(0);
      expect(components[0][1]).toBeCloseTo((1 - r) / 2, 9);
      expect(components[1][0]).toBeCloseTo((1 + r) / 2, 9);
      expect(components[1][1]).toBe(1);
    }
  });

  it('random half-spaces: pointwise membership = membership in the components', () => {
    const coef = fc.integer({ min: -20, max: 20 }).map((k) => k / 10);
    const plane = fc.tuple(coef, coef, coef, fc.integer({ min: -10, max: 20 }).map((k) => k / 10));
    fc.assert(fc.property(fc.array(plane, { minLength: 1, maxLength: 6 }), (planes) => {
      const H: HalfSpace[] = [...box, ...planes.map(([a, b, c, d]) => ({ a: [a, b, c] as [number, number, number], b: d }))];
      const { components, member } = setFromHalfSpaces(H);
      for (let k = 0; k <= 400; k++) {
        const s = k / 400;
        const inComp = components.some(([a, b]) => s >= a - 1e-9 && s <= b + 1e-9);
        const near = components.some(([a, b]) => Math.abs(s - a) < 1e-6 || Math.abs(s - b) < 1e-6);
        if (!near) expect(inComp, `s = ${s}`).toBe(member(s));
      }
    }), { numRuns: 300 });
  });
});

const MARKETS: Array<{ name: string; game: PricingGame; qBar: number[]; rbar: number; bilinear: number }> = [
  { name: 'γ = (1, 0.3): a continuum of equilibria on a kink, types 1 and 2 indifferent', game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 1, gammaPi: 0.3 }, qBar: [0.8, 0.4, 0.7], rbar: 1, bilinear: 1 },
  { name: 'fees between types, γ = (1.1, 0.3): a short continuum', game: { types: [1, 2, 3], fees: [0.5, 1.5, 2.5, 3], gammaU: 1.1, gammaPi: 0.3 }, qBar: [0.9, 0.3, 0.2], rbar: 1.6, bilinear: 1 },
  { name: 'fees between types, γ = (1.5, 0.4)', game: { types: [1, 2, 3], fees: [0.5, 1.5, 2.5, 3], gammaU: 1.5, gammaPi: 0.4 }, qBar: [1, 0.6, 0.3], rbar: 2, bilinear: 1 },
  { name: 'γ = (0.4, 0.2): bilinear faces whose equilibria all lie on closures of other patterns', game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0.4, gammaPi: 0.2 }, qBar: [0.4, 0.9, 1], rbar: 0.8, bilinear: 0 },
];


/** On the reported set: same roles, and equal records, or on its segment (on its cone when `cone`). */
function onReported(list: Equilibrium[], e: Equilibrium, tol = 1e-7): boolean {
  return list.some((r) => {
    if (r.roles.join() !== e.roles.join()) return false;
    if (r.records.every((x, w) => Math.abs(x - e.records[w]) <= tol)) return true;
    const seg = r.region?.segment;
    if (!seg) return false;
    // e = from + s (to − from) (cone: λ(from + s (to − from)), λ > 0): solve for s on the widest coordinate
    const d = seg.to.map((x, w) => x - seg.from[w]);
    const I = r.region?.types ?? [];
    if (seg.cone) {
      const sumE = I.reduce((a, w) => a + e.records[w], 0);
      const sumF = I.reduce((a, w) => a + seg.from[w], 0);
      const z = e.records.map((x, w) => (I.includes(w) ? (x * sumF) / sumE : x));
      const k = I.reduce((a, w) => (Math.abs(d[w]) > Math.abs(d[a]) ? w : a), I[0]);
      const s = d[k] === 0 ? 0 : (z[k] - seg.from[k]) / d[k];
      return s >= -tol && s <= 1 + tol && I.every((w) => Math.abs(seg.from[w] + s * d[w] - z[w]) <= tol);
    }
    const k = d.reduce((a, x, w) => (Math.abs(x) > Math.abs(d[a]) ? w : a), 0);
    const s = (e.records[k] - seg.from[k]) / d[k];
    return s >= -tol && s <= 1 + tol && e.records.every((x, w) => Math.abs(seg.from[w] + s * d[w] - x) <= tol);
  });
}

describe('exact search on bilinear segment faces', () => {
  for (const m of MARKETS) {
    it(m.name, async () => {
      const h = await highsSolver();
      const scale = Math.max(...m.qBar);
      // the lift on every segment face: no certificates first, constant-record types left bilinear
      const exact = exactEquilibria(h, m.game, m.qBar, m.rbar, { gridPoints: 16, gate: false, certify: false, fixConstant: false });
      expect(exact.info).toMatchObject({ bilinearFaces: 0, liftMismatches: 0, offPathMismatches: 0 });
      expect(exact.info.liftedFaces).toBeGreaterThan(0);
      const onFaces = exact.equilibria.filter((e) => e.region?.segment);
      expect(onFaces.length > 0).toBe(m.bilinear > 0);
      for (const e of exact.equilibria) expect(checkCandidate(h, m.game, e.records, m.rbar, e.roles, scale), JSON.stringify(e.records)).not.toBeNull();
      for (const e of onFaces) {
        const seg = e.region?.segment;
        if (!seg) continue;
        for (let k = 0; k <= 8; k++) {
          const q = seg.from.map((x, w) => x + (k / 8) * (seg.to[w] - x));
          if (e.region?.types.some((w) => !(q[w] > 1e-9 && q[w] < m.qBar[w] - 1e-9))) continue; // closure point
          expect(checkCandidate(h, m.game, q, m.rbar, e.roles, scale), `segment point ${JSON.stringify(q)}`).not.toBeNull();
        }
      }
      const grid = exactEquilibria(h, m.game, m.qBar, m.rbar, { gridPoints: 64, gate: false, liftSegments: false, certify: false, fixConstant: false });
      expect(grid.info.bilinearFaces).toBeGreaterThan(0);
      // grid points with an interior type within the boundary band are closures of other patterns' sets
      const inside = (e: Equilibrium) => e.roles.every((r, w) => r !== 'interior' || (e.records[w] > BOUNDARY_BAND * scale && e.records[w] < m.qBar[w] - BOUNDARY_BAND * scale));
      for (const e of grid.equilibria.filter(inside)) expect(onReported(exact.equilibria, e), `grid equilibrium ${e.roles} ${JSON.stringify(e.records)}`).toBe(true);
      // each reported segment contains an equilibrium the grid found independently
      for (const e of onFaces) expect(grid.equilibria.filter(inside).some((g) => onReported([e], g)), `segment ${JSON.stringify(e.region?.segment)}`).toBe(true);
      // the default search (certificates, constant records linear) reports the same sets: every point sampled on a
      // lifted segment lies in a reported set, and the search is exact
      const byDefault = exactEquilibria(h, m.game, m.qBar, m.rbar, { gridPoints: 16 });
      expect(byDefault.info).toMatchObject({ bilinearFaces: 0, liftMismatches: 0, offPathMismatches: 0 });
      for (const e of onFaces) {
        const seg = e.region?.segment;
        if (!seg) continue;
        for (let k = 1; k < 8; k++) {
          const q = seg.from.map((x, w) => x + (k / 8) * (seg.to[w] - x));
          const found = checkCandidate(h, m.game, q, m.rbar, e.roles, scale);
          if (found) expect(covered(byDefault.equilibria, found), `segment point ${JSON.stringify(q)}`).toBe(true);
        }
      }
    });
  }
});

describe('extent of a cone over a segment (regionOf, homogeneous slices)', () => {
  it('upper = max over the segment and the ray of λ z_i with λz ≤ q̄, by brute force', () => {
    const mass = fc.integer({ min: 1, max: 20 }).map((k) => k / 10);
    const pt = fc.integer({ min: 1, max: 100 }).map((k) => k / 100);
    fc.assert(fc.property(fc.tuple(mass, mass, mass), fc.tuple(pt, pt, pt), fc.tuple(pt, pt, pt), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 100 }), (qBar, a, b, f, t) => {
      const I = [0, 1, 2];
      const [from, to] = [f / 100, t / 100];
      const r = regionOf({ lo: [...a], hi: [...b] }, I, [...qBar], from, to, true);
      for (const i of I) {
        let best = 0;
        for (let k = 0; k <= 2000; k++) {
          const s = from + ((to - from) * k) / 2000;
          const z = I.map((w) => a[w] + s * (b[w] - a[w]));
          const lambda = Math.min(...I.map((w) => qBar[w] / z[w]));
          best = Math.max(best, lambda * z[i]);
        }
        expect(r.lower[i]).toBe(0);
        expect(r.upper[i]).toBeGreaterThanOrEqual(best - 1e-9);
        expect(r.upper[i]).toBeLessThanOrEqual(best + 1e-3 * Math.max(...qBar));
      }
    }), { numRuns: 200 });
  });
});

describe('segment faces with more than two pieces (rank-one price differences)', () => {
  it('bilinearScalar: rank one on the moving interior types, by hand', () => {
    const roles = ['zero', 'interior', 'interior', 'full'] as const;
    const lo = [0, 0.1, 0.2, 0.5];
    const hi = [0, 0.3, 0.2, 0.5]; // only type 1 moves
    // two pieces: always; Δ = (1, −2, 5, 0): δ is normalised at type 1, c = [−2]
    const two = bilinearScalar({ roles: [...roles], gs: [[1, 2, 3, 4], [2, 0, 8, 4]], lo, hi });
    expect(two).toEqual({ c: [-2], delta: [-0.5, 1, -2.5, -0], cLo: -2, R: 2 });
    // three pieces whose differences agree on the moving type up to scale: rank one whatever they do elsewhere
    const three = bilinearScalar({ roles: [...roles], gs: [[1, 2, 3, 4], [2, 0, 8, 4], [0, 3, 1, 1]], lo, hi });
    expect(three?.c).toEqual([-2, 1]);
    expect(three?.cLo).toBe(-2);
    expect(three?.R).toBe(3);
    // two moving types with non-parallel differences: the lift does not apply
    const both = [0, 0.3, 0.4, 0.5];
    expect(bilinearScalar({ roles: [...roles], gs: [[1, 2, 3, 4], [2, 0, 8, 4], [0, 3, 1, 1]], lo, hi: both })).toBeNull();
    // ... but parallel ones do (Δ₂ = −½ Δ₁ on types 1 and 2): c_j δ(ω) = Δ_j(ω) there
    const par = bilinearScalar({ roles: [...roles], gs: [[1, 2, 3, 4], [2, 0, 8, 4], [0, 3, 0.5, 1]], lo, hi: both });
    expect(par).not.toBeNull();
    const D = [[1, -2, 5, 0], [-1, 1, -2.5, -3]];
    for (const [j, Dj] of D.entries()) for (const w of [1, 2]) expect((par?.c[j] ?? NaN) * (par?.delta[w] ?? NaN)).toBeCloseTo(Dj[w], 12);
    // no moving type with a price difference: no product, m pinned
    expect(bilinearScalar({ roles: [...roles], gs: [[1, 2, 3, 4], [1, 2, 9, 4]], lo, hi })).toEqual({ c: [0], delta: [0, 0, 0, 0], cLo: 0, R: 1 });
  });

  // types 1…4, γ = (2, 0), r̄ = 2.5, q̄ from the LCG of fallback.test.ts (seed 1): before this lift a face of three
  // pieces carried equilibria and went to the grid (`exact: false`); its two-piece sub-faces lie on the same
  // segment and are skipped (`dominatedFaces`)
  it('4 types: exact, a three-piece face lifted, and every equilibrium of the grid reference is reported', async () => {
    const h = await highsSolver();
    const game: PricingGame = { types: [1, 2, 3, 4], fees: [1, 2, 3, 4], gammaU: 2, gammaPi: 0 };
    const qBar = [0.05, 0.135, 0.651, 0.942];
    const rbar = 2.5;
    const scale = Math.max(...qBar);
    const r = exactEquilibria(h, game, qBar, rbar, { gridPoints: 16 });
    expect(r.info).toMatchObject({ bilinearFaces: 0, liftMismatches: 0, offPathMismatches: 0 });
    expect(r.info.dominatedFaces).toBeGreaterThan(0);
    expect(r.equilibria.some((e) => e.region?.segment && e.region.pieces.length >= 3)).toBe(true);
    for (const e of r.equilibria) expect(checkCandidate(h, game, e.records, rbar, e.roles, scale), JSON.stringify(e.records)).not.toBeNull();
    const grid = exactEquilibria(h, game, qBar, rbar, { gridPoints: 64, gate: false, liftSegments: false, certify: false, fixConstant: false });
    expect(grid.info.bilinearFaces).toBeGreaterThan(0);
    const inside = (e: Equilibrium) => e.roles.every((role, w) => role !== 'interior' || (e.records[w] > BOUNDARY_BAND * scale && e.records[w] < qBar[w] - BOUNDARY_BAND * scale));
    const found = grid.equilibria.filter(inside);
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) expect(onReported(r.equilibria, e) || covered(r.equilibria, e), `grid equilibrium ${e.roles} ${JSON.stringify(e.records)}`).toBe(true);
  });
});

describe('a lifted segment whose end is set by a full type', () => {
  // 4 types, fees between types, γ = (1.1, 0.1), q̄ = (1.1, 0.8, 0.8, 1), r̄ = 2.7: on pattern (zero, interior,
  // interior, full) the equilibria are q = (0, t, 0.6, 1), t ∈ [0.0933…, 0.8]; the lower end is where the full type's
  // participation binds (its price row in the lift). Two algorithms must agree on it: the lift (constant records
  // left bilinear) and the linear face with type 2's constant record (default search); and the fixed-q check fails
  // just below it and passes just above.
  it('the lift and the constant-record linear face give the same extent, and the fixed-q check confirms its end', async () => {
    const h = await highsSolver();
    const game: PricingGame = { types: [1, 2, 3, 4], fees: [0.5, 1.5, 2.5, 3.5, 4], gammaU: 1.1, gammaPi: 0.1 };
    const qBar = [1.1, 0.8, 0.8, 1];
    const rbar = 2.7;
    const pick = (r: ReturnType<typeof exactEquilibria>) => r.equilibria.find((e) => e.roles.join() === 'zero,interior,interior,full');
    const lifted = pick(exactEquilibria(h, game, qBar, rbar, { gridPoints: 16, gate: false, fixConstant: false }));
    const linear = pick(exactEquilibria(h, game, qBar, rbar, { gridPoints: 16 }));
    const seg = lifted?.region?.segment;
    expect(seg).toBeDefined();
    expect(linear?.region?.segment).toBeUndefined();
    const from = seg?.from[1] ?? NaN;
    expect(from).toBeCloseTo(linear?.region?.lower[0] ?? NaN, 9);
    expect(seg?.to[1]).toBeCloseTo(linear?.region?.upper[0] ?? NaN, 9);
    expect(from).toBeGreaterThan(0.05);
    const roles = ['zero', 'interior', 'interior', 'full'] as const;
    expect(checkCandidate(h, game, [0, from - 1e-4, 0.6, 1], rbar, [...roles], 1.1)).toBeNull();
    expect(checkCandidate(h, game, [0, from + 1e-4, 0.6, 1], rbar, [...roles], 1.1)).not.toBeNull();
  });
});

describe('McCormick rows of the lift (mcCormickRows)', () => {
  it('on random boxes [a, b] × [0, 1] they cut out exactly the convex hull of the graph of s·m (hull by an LP over the four corners)', async () => {
    const h = await highsSolver();
    const holds = (rows: LpRow[], x: number[]) => rows.every((r) => {
      const v = r.indices.reduce((acc, j, k) => acc + r.values[k] * x[j], 0);
      return v >= r.lower - 1e-9 && v <= r.upper + 1e-9;
    });
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, y, u, m) => {
      const [a, b] = x <= y ? [x, y] : [y, x];
      // boxes thinner than 1e-3 make the hull LP itself ill-posed at the solver's tolerance (the degenerate box is
      // checked below)
      fc.pre(b - a >= 1e-3);
      const s = a + u * (b - a);
      const corners = [[a, 0], [a, 1], [b, 0], [b, 1]];
      // t over the hull at (s, m): the extreme convex combinations of the corners (s_i, m_i, s_i·m_i)
      const hull = (sense: 'min' | 'max') => h.solve({
        sense, cost: corners.map(([cs, cm]) => cs * cm), colLower: [0, 0, 0, 0], colUpper: [Infinity, Infinity, Infinity, Infinity],
        rows: [
          { indices: [0, 1, 2, 3], values: [1, 1, 1, 1], lower: 1, upper: 1 },
          { indices: [0, 1, 2, 3], values: corners.map(([cs]) => cs), lower: s, upper: s },
          { indices: [0, 1, 2, 3], values: corners.map(([, cm]) => cm), lower: m, upper: m },
        ],
      }).objective;
      const [tMin, tMax] = [hull('min'), hull('max')];
      const rows = mcCormickRows([a, b]);
      expect(holds(rows, [s, m, s * m])).toBe(true);
      expect(holds(rows, [s, m, tMin])).toBe(true);
      expect(holds(rows, [s, m, tMax])).toBe(true);
      expect(holds(rows, [s, m, tMin - 1e-6])).toBe(false);
      expect(holds(rows, [s, m, tMax + 1e-6])).toBe(false);
      // a degenerate box pins t = a·m
      expect(holds(mcCormickRows([a, a]), [a, m, a * m + 1e-6])).toBe(false);
      expect(holds(mcCormickRows([a, a]), [a, m, a * m - 1e-6])).toBe(false);
    }), { numRuns: 300 });
  });
});

describe('the welfare-best point of a lifted segment (maxWelfareOnSegment, branch and bound on s)', () => {
  // the markets of 'exact search on bilinear segment faces' and the 4-type market below, every lifted face that
  // carries equilibria, with r̄ shifted (any face data define the same optimisation problem)
  const markets = [...MARKETS.slice(0, 3), { game: { types: [1, 2, 3, 4], fees: [0.5, 1.5, 2.5, 3.5, 4], gammaU: 1.1, gammaPi: 0.1 }, qBar: [1.1, 0.8, 0.8, 1], rbar: 2.7 }];
  // one search per market (lift forced) serves the three tests: its lifted faces that carry equilibria, and its result
  const searched = new Map<(typeof markets)[number], { faces: SegmentFace[]; result: ReturnType<typeof exactEquilibria> }>();
  const search = async (m: (typeof markets)[number]) => {
    let r = searched.get(m);
    if (!r) {
      const faces: SegmentFace[] = [];
      const result = exactEquilibria(await highsSolver(), m.game, m.qBar, m.rbar, { gridPoints: 16, gate: false, certify: false, fixConstant: false, onLift: (f, set) => set.components.length && faces.push(f) });
      r = { faces, result };
      searched.set(m, r);
    }
    return r;
  };

  it('against a grid of the fixed-s LP: never below the grid maximum, its bound never below any grid value, on sub-intervals too', async () => {
    const h = await highsSolver();
    // W at one s: the fixed-s LP (McCormick's rows on [s, s] force t = s·m)
    const at = (f: SegmentFace, s: number) => welfareOn(h, f, [s, s])?.W ?? -Infinity;
    let checked = 0;
    for (const m of markets) {
      const { faces } = await search(m);
      for (const face of faces) for (const dr of [0, 0.1]) {
        const f = { ...face, rbar: face.rbar + dr };
        const K = 24;
        const grid = Array.from({ length: K + 1 }, (_, k) => at(f, k / K));
        for (const [a, b] of [[0, 1], [0.1, 0.45], [0.3, 0.9]]) {
          const inside = grid.filter((_, k) => k / K >= a && k / K <= b);
          const top = Math.max(...inside);
          const r = maxWelfareOnSegment(h, f, a, b);
          if (!Number.isFinite(top)) continue;
          checked++;
          expect(r).not.toBeNull();
          if (!r) continue;
          expect(r.s).toBeGreaterThanOrEqual(a);
          expect(r.s).toBeLessThanOrEqual(b);
          expect(r.welfare).toBeGreaterThanOrEqual(top - 1e-9);
          expect(r.bound).toBeGreaterThanOrEqual(r.welfare);
          expect(r.bound - r.welfare).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r.welfare)));
          expect(at(f, r.s)).toBeCloseTo(r.welfare, 9);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('the fixed-s LP gives the fixed-q check\'s welfare, and the relaxation on [a, b] bounds it on [a, b]', async () => {
    const h = await highsSolver();
    let compared = 0;
    for (const m of markets) {
      const scale = Math.max(...m.qBar);
      const { faces } = await search(m);
      for (const f of faces) {
        // W(s) by the fixed-q check at q(s) (its own LP: prices anywhere in ∂V(q), not only on the face's pieces)
        const ref = Array.from({ length: 21 }, (_, k) => {
          const q = f.lo.map((x, w) => x + (k / 20) * (f.hi[w] - x));
          return { s: k / 20, e: checkCandidate(h, m.game, q, m.rbar, f.roles, scale) };
        }).filter((r): r is { s: number; e: Equilibrium } => r.e !== null && r.s > 0 && r.s < 1);
        for (const { s, e } of ref) {
          compared++;
          expect(welfareOn(h, f, [s, s])?.W ?? -Infinity).toBeCloseTo(e.welfare, 8);
        }
        fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, y) => {
          const [a, b] = x <= y ? [x, y] : [y, x];
          const bound = welfareOn(h, f, [a, b])?.W ?? -Infinity;
          for (const { s, e } of ref) if (s >= a && s <= b) expect(bound).toBeGreaterThanOrEqual(e.welfare - 1e-9);
        }), { numRuns: 10 });
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('each reported segment point is its segment\'s welfare-best: no sampled point of the segment passes the fixed-q check with more welfare', async () => {
    const h = await highsSolver();
    let inBand = 0;
    for (const m of markets) {
      const scale = Math.max(...m.qBar);
      const r = (await search(m)).result;
      for (const e of r.equilibria) {
        const seg = e.region?.segment;
        if (!seg || seg.cone) continue;
        expect(seg.welfareBound).toBeGreaterThanOrEqual(e.welfare - 1e-12);
        for (let k = 0; k <= 16; k++) {
          const q = seg.from.map((x, w) => x + (k / 16) * (seg.to[w] - x));
          const c = checkCandidate(h, m.game, q, m.rbar, e.roles, scale);
          if (!c) continue;
          // points within the boundary band belong to another pattern (reported there)
          if (!e.region?.types.every((w) => q[w] > BOUNDARY_BAND * scale && q[w] < m.qBar[w] - BOUNDARY_BAND * scale)) continue;
          inBand++;
          expect(seg.welfareBound ?? -Infinity).toBeGreaterThanOrEqual(c.welfare - 1e-9);
          expect(e.welfare).toBeGreaterThanOrEqual(c.welfare - 1e-9);
        }
      }
    }
    expect(inBand).toBeGreaterThan(10);
  });
});
