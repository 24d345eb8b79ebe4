/**
 * GP E2 with three types: equilibria with exactly two interior types (src/model/intermediation/e2Pairs.ts).
 *  - closed form: the two-type market of e2.test.ts (γ = (0, 0), β = (0, 3), r = (0, 2), q̄ = (1, 0.1): H_1 =
 *    3 min(q(0), q(1)), so both interior ⇔ q(0) = q(1) ∈ (0, 0.1)) with a third type 3 that nobody values (β = 0,
 *    r = 0, q̄ = 0.5): U ≡ 0, p = 0, and type 3 is indifferent, so the diagonal is an equilibrium set with type 3
 *    at 0 and at 0.5, and with types 1 and 3 interior (type 2 full) every point of the box is one;
 *  - a second method: on two-type markets the slice search (`sliceEquilibria`) gives the same both-interior rays as
 *    the homogeneity argument of e2.ts (`bothInterior`) — four random markets where they exist;
 *  - with the third type unsold, a second method again: the rays of the two-type sub-market (bothInterior), kept
 *    where the full market's checkE2 accepts a point of them, are exactly the segments found (three random markets);
 *  - with the third type selling everything (no second method there): 16 scan strips find the same sets as the
 *    default 4 on every such slice of a random market, and each set's middle passes brute force;
 *  - five types (80 slices, by default): the closed form's diagonal with three unvalued types at each of their 8
 *    corners; with `twoInteriorMaxTypes: 4` the limit is reported instead;
 *  - equilibria that fill regions of a slice (U ≡ 0): every reported set passes brute force, and every point of a
 *    grid on that slice that passes the exact test (without its prefilter) lies in a reported set. Before
 *    2026-11-27 the probes around the ends of the segments between passing cells added lines without end (over
 *    20 minutes); a passing cell's boundary is no longer probed;
 *  - soundness by brute force (payoffs on javascript-lp-solver, e2Brute.ts) at a random three-type market's
 *    two-interior segment: its middle and both ends; with the third type unsold the market is homogeneous in the
 *    other two, so the segment is a ray from the origin.
 */
import { describe, expect, it } from 'vitest';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import { checkE2, findE2, newE2Memo, type E2Equilibrium, type E2Market } from '../../src/model/intermediation/e2.js';
import { pairSlices, sliceEquilibria } from '../../src/model/intermediation/e2Pairs.js';
import { designPieces } from '../../src/model/intermediation/planner.js';
import { inConvex, type Pt } from '../../src/model/intermediation/sliceSearch.js';
import { bruteE2Violations } from './e2Brute.js';

/** The closed form's diagonal q(0) = q(1): a segment from the band at 0 to the box at q̄(1) = 0.1. */
function expectDiagonal(e: E2Equilibrium): void {
  const { from, to } = e.twoInterior ?? {};
  if (!from || !to) throw new Error('a segment expected');
  expect(from[0]).toBeLessThan(1e-7);
  expect(to[0]).toBeCloseTo(0.1, 7);
  for (const q of [from, to, e.records]) expect(q[0]).toBeCloseTo(q[1], 9);
}

describe('E2, two interior types among three', () => {
  it('closed form: the diagonal q(0) = q(1) with type 2 at 0 and at 0.5, and the whole box of types 0 and 2', async () => {
    const h = await highsSolver();
    const m: E2Market = { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0, gammaPi: 0 }, buyerWeights: [0, 3, 0], qBar: [1, 0.1, 0.5], keepValue: [0, 2, 0] };
    const r = findE2(h, m);
    expect(r.searched.twoInterior).toBe(true);
    const two = r.equilibria.filter((e) => e.twoInterior);
    const diag = two.filter((e) => e.twoInterior?.types.join() === '0,1');
    expect(diag.map((e) => e.records[2]).sort()).toEqual([0, 0.5]);
    for (const e of diag) {
      expectDiagonal(e);
      // {0}, up to the chords’ rounding allowance (e2.ts CHORD_ROUNDING)
      for (const i of e.priceIntervals.slice(0, 2)) expect([i.lower, i.upper]).toEqual([0, 0].map((v) => expect.closeTo(v, 11)));
    }
    // types 0 and 2 interior, type 1 full (q(1) = 0.1): buyer 1's φ(t) = 2(0.1 − t) + 3 min(q(0), t) rises (slope 1)
    // up to q(0) and falls (slope −2) after, so she sells all of q̄(1) only if q(0) ≥ 0.1; types 0 and 2 are
    // indifferent (g = r = p = 0). The set is the box [0.1, 1] × [0, 0.5] — not the whole box [0, 1] × [0, 0.5]
    // this test claimed until 2026-11-28: its wall q(0) = 0.1 is a kink of buyer 1's own slope, which no scanned
    // payoff shows, and the cell was reported whole from its centre (review; now cells are checked near their
    // vertices and a failing one is traced to the wall)
    const box = two.filter((e) => e.twoInterior?.types.join() === '0,2' && e.twoInterior.cell);
    expect(box).toHaveLength(1);
    expect(box[0].records[1]).toBe(0.1);
    const cell = box[0].twoInterior?.cell ?? [];
    // the traced wall, located by bisection of the exact test (which passes within 1e-8 of a wall, snapped)
    expect(Math.min(...cell.map((q) => q[0]))).toBeCloseTo(0.1, 7);
    expect(Math.max(...cell.map((q) => q[0]))).toBe(1);
    expect(Math.max(...cell.map((q) => q[2]))).toBe(0.5);
    // what the whole box claimed: q(0) = 0.05 fails (buyer 1 would keep 0.05 of her records)
    expect(checkE2(h, m, [0.05, 0.1, 0.3])).toBeNull();
    // and by brute force (javascript-lp-solver's selection, deviations on a grid; U ≡ 0 so p = 0)
    expect(bruteE2Violations(jsLpSolver(), m, [0.05, 0.1, 0.3], [0, 0, 0], 4).length).toBeGreaterThan(0);
    expect(bruteE2Violations(jsLpSolver(), m, [0.5, 0.1, 0.3], [0, 0, 0], 4)).toEqual([]);
    expect(checkE2(h, m, [0.5, 0.1, 0.3])).not.toBeNull();
    // types 1 and 2 interior, type 0 at 0 or 1: H_1 = 3 min(q(0), q(1)) is 0 or 3 q(1) (q(1) < 0.1), so type 1's
    // flat φ needs p(1) = 2 or −1, while U ≡ 0 gives p(1) = 0: none
    expect(two.filter((e) => e.twoInterior?.types.join() === '1,2')).toEqual([]);
  }, 60_000);

  it('two types: the slice search finds the rays of bothInterior, with the same ratio and extent', async () => {
    const h = await highsSolver();
    // random markets (seed 1 of a 150-market scan, 4 of the 8 where both-interior rays exist; all 8 agreed)
    const markets: Array<[number[], number, number, number[], number[], number[]]> = [
      [[1.13, 1.99], 1.08, 0.22, [0.33, 1.47], [0.87, 0.74], [1.09, 1.42]],
      [[1.4, 1.78], 1.34, 0.42, [1.79, 1.41], [0.18, 0.23], [0.82, 1.57]],
      [[0.52, 1.73], 1.45, 0.37, [1.82, 1.32], [0.68, 0.94], [0.25, 2.22]],
      [[1.04, 1.85], 1.31, 0.96, [0.19, 2.68], [0.34, 0.65], [1.33, 2.28]],
    ];
    for (const [types, gu, gp, beta, qBar, r] of markets) {
      const m: E2Market = { game: { types, fees: types, gammaU: gu, gammaPi: gp }, buyerWeights: beta, qBar, keepValue: r };
      const rays = findE2(h, m).equilibria.filter((e) => e.pair && e.pair.ratios[0] === e.pair.ratios[1]);
      const slices = sliceEquilibria(h, m, 0, 1, [0, 0], designPieces(h, m.game).gradients, newE2Memo());
      // as many as the second method finds; the comparison below is for the single ray these markets have
      expect(rays).toHaveLength(1);
      expect(slices).toHaveLength(rays.length);
      const { from, to } = slices[0].twoInterior;
      if (!from || !to) throw new Error('a segment expected');
      const rho = rays[0].pair?.ratios[0] ?? NaN;
      for (const q of [from, to, slices[0].records]) expect(q[0] / q[1]).toBeCloseTo(rho, 6);
      // both from the band at the origin to the box
      expect(Math.max(...from)).toBeLessThan(1e-7);
      expect(Math.max(...(rays[0].pair?.from ?? [1]))).toBeLessThan(1e-7);
      expect(Math.max(to[0] / qBar[0], to[1] / qBar[1])).toBeCloseTo(1, 6);
    }
  }, 120_000);

  it('with the third type unsold: the same rays as the two-type sub-market, where the third type lets them extend', async () => {
    // With q(k) = 0 the selection, H_i and H_j are those of the market without type k, and p ∈ ∂U(q) projects into
    // the sub-market's ∂U_2: so every such equilibrium lies on a ray of the sub-market (bothInterior, a second
    // method), and a ray point is one iff checkE2 in the full market accepts it (type k's zero condition too).
    const h = await highsSolver();
    // random markets (seed 5 of a 40-market scan) whose sub-markets have rays; in the third, one ray extends
    const markets: E2Market[] = [
      { game: { types: [0.99, 2.07, 3.31], fees: [0.99, 2.07, 3.31], gammaU: 1.44, gammaPi: 0.49 }, buyerWeights: [1.72, 0.22, 0.75], qBar: [0.3, 0.61, 0.93], keepValue: [1.35, 0.04, 2.12] },
      { game: { types: [0.95, 2.15, 3.04], fees: [0.95, 2.15, 3.04], gammaU: 1.21, gammaPi: 0.09 }, buyerWeights: [0.91, 1.98, 0.5], qBar: [0.75, 0.62, 0.72], keepValue: [0.2, 2.56, 2.7] },
      { game: { types: [1.39, 2.34, 2.84], fees: [1.39, 2.34, 2.84], gammaU: 1.32, gammaPi: 0.18 }, buyerWeights: [2.84, 2.86, 0.03], qBar: [0.23, 0.44, 0.51], keepValue: [0.79, 2.58, 2.17] },
    ];
    let extended = 0;
    for (const m of markets) {
      const sub = (i: number, j: number): E2Market => ({
        game: { ...m.game, types: [m.game.types[i], m.game.types[j]], fees: [m.game.fees[i], m.game.fees[j]] },
        buyerWeights: [m.buyerWeights[i], m.buyerWeights[j]],
        qBar: [m.qBar[i], m.qBar[j]],
        keepValue: [m.keepValue[i], m.keepValue[j]],
      });
      const rays: Array<{ types: string; rho: number; extends: boolean }> = [];
      for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
        for (const r of findE2(h, sub(i, j)).equilibria) {
          if (!r.pair || r.pair.ratios[0] !== r.pair.ratios[1]) continue;
          const q = [0, 0, 0];
          q[i] = r.records[0] / 2;
          q[j] = r.records[1] / 2;
          rays.push({ types: `${i},${j}`, rho: r.records[0] / r.records[1], extends: checkE2(h, m, q) !== null });
        }
      }
      expect(rays.length).toBeGreaterThan(0);
      const found = findE2(h, m).equilibria.filter((e) => e.twoInterior && e.records.some((x, w) => x === 0 && !e.twoInterior?.types.includes(w)));
      for (const e of found) {
        const [i, j] = e.twoInterior?.types ?? [0, 0];
        // on a sub-market ray
        expect(rays.some((r) => r.types === `${i},${j}` && Math.abs(e.records[i] / e.records[j] - r.rho) <= 1e-6 * r.rho)).toBe(true);
      }
      for (const r of rays.filter((x) => x.extends)) {
        extended++;
        expect(found.some((e) => e.twoInterior?.types.join() === r.types && Math.abs(e.records[Number(r.types[0])] / e.records[Number(r.types[2])] - r.rho) <= 1e-6 * r.rho)).toBe(true);
      }
    }
    // not vacuous: some ray extends (the markets were chosen for it)
    expect(extended).toBeGreaterThan(0);
  }, 120_000);

  it('with the third type selling everything: 4 and 16 scan strips give the same sets, which pass brute force', async () => {
    // no second method covers these slices (the market is not homogeneous there): the scan's resolution is checked
    // instead — four times the strips find nothing more — and every set's middle passes brute-force deviations.
    // This market's set turns where walls meet onto a wall 0.06 long that 4 strips miss (found through the probes
    // around a found set's ends); another random market (types 1.41, 2.58, 3.02) agreed too, kept out for time.
    const h = await highsSolver();
    const js = jsLpSolver();
    const markets: E2Market[] = [
      { game: { types: [1.47, 1.72, 3.02], fees: [1.47, 1.72, 3.02], gammaU: 1.44, gammaPi: 0.24 }, buyerWeights: [0.1, 1.9, 2.86], qBar: [0.11, 0.81, 0.98], keepValue: [1.55, 2.88, 2.78] },
    ];
    const key = (es: Array<{ records: number[]; twoInterior: { from?: number[]; to?: number[] } }>) =>
      es.map((e) => [e.records, e.twoInterior.from ?? [], e.twoInterior.to ?? []].map((q) => q.map((x) => x.toFixed(6)).join()).join(' | ')).sort();
    let segments = 0;
    for (const m of markets) {
      const g = designPieces(h, m.game).gradients;
      for (const s of pairSlices(m.qBar).filter((x) => x.base.some((v) => v > 0))) {
        const four = sliceEquilibria(h, m, s.i, s.j, s.base, g, newE2Memo(), 4);
        expect(key(four)).toEqual(key(sliceEquilibria(h, m, s.i, s.j, s.base, g, newE2Memo(), 16)));
        for (const e of four) {
          segments++;
          expect(bruteE2Violations(js, m, e.records, e.prices, 4)).toEqual([]);
        }
      }
    }
    // not vacuous: the market was chosen for its sets
    expect(segments).toBeGreaterThan(0);
  }, 180_000);

  it('a random three-type market: the two-interior segment is a ray from the origin and passes brute force', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const m: E2Market = { game: { types: [1.06, 2.57, 3.63], fees: [1.06, 2.57, 3.63], gammaU: 0.64, gammaPi: 0.14 }, buyerWeights: [1.63, 0.19, 0.57], qBar: [0.24, 0.17, 0.97], keepValue: [2.7, 0.77, 1.21] };
    // the set with type 0 unsold (the market was chosen for it); its properties below are derived, not read off
    const e = findE2(h, m).equilibria.find((x) => x.twoInterior?.from && x.records[0] === 0);
    if (!e) throw new Error('no two-interior segment with type 0 unsold');
    const { from, to, types } = e.twoInterior ?? {};
    if (!from || !to) throw new Error('a segment expected');
    expect(types).toEqual([1, 2]);
    // a ray: from the band at 0 to the box (type 1's q̄ = 0.17), collinear with the origin
    expect(Math.max(...from)).toBeLessThan(1e-7);
    expect(to[1]).toBeCloseTo(0.17, 6);
    expect(e.records[1] / e.records[2]).toBeCloseTo(to[1] / to[2], 7);
    // the reported point and two points near the ends are equilibria at the reported prices (a fresh check at each)
    const inner = (s: number) => from.map((x, w) => x + s * (to[w] - x));
    expect(bruteE2Violations(js, m, e.records, e.prices, 4)).toEqual([]);
    // the brute force can fail: a price 1e-3 off, or a point off the ray
    expect(bruteE2Violations(js, m, e.records, e.prices.map((p, w) => (w === 1 ? p + 1e-3 : p)), 4)).not.toEqual([]);
    expect(bruteE2Violations(js, m, e.records.map((x, w) => (w === 1 ? x * 0.9 : x)), e.prices, 4)).not.toEqual([]);
    for (const s of [0.05, 0.95]) {
      const q = inner(s);
      const c = checkE2(h, m, q);
      expect(c).not.toBeNull();
      expect(bruteE2Violations(js, m, q, c?.prices ?? [], 4)).toEqual([]);
    }
  }, 120_000);

  it('equilibria filling regions of a slice (U ≡ 0): each reported set passes brute force, and they cover the passing points of a grid', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    // γ = 0, so U ≡ 0 and p(ω) = 0 wherever q(ω) > 0; buyer 0 values nothing, and buyers 1 and 2 get H from the
    // buyer-best selection — whole polygons of the slice q(2) = 0.25 are equilibria
    const m: E2Market = { game: { types: [1, 2, 3], fees: [1, 2, 3], gammaU: 0, gammaPi: 0 }, buyerWeights: [0, 1, 3], qBar: [0.96, 0.43, 0.25], keepValue: [0, 0, 2] };
    const r = findE2(h, m);
    expect(r.searched).toEqual({ corners: true, oneInterior: true, severalInterior: true, twoInterior: true });
    for (const e of r.equilibria) expect(bruteE2Violations(js, m, e.records, e.prices, 4)).toEqual([]);
    const sets = r.equilibria.flatMap((e) => (e.twoInterior?.types.join() === '0,1' && e.records[2] === 0.25 ? [e.twoInterior] : []));
    expect(sets.filter((t) => t.cell).length).toBeGreaterThan(0);
    const onSegment = (p: Pt, a: number[], b: number[]) => {
      const d = [b[0] - a[0], b[1] - a[1]];
      const s = Math.max(0, Math.min(1, ((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / (d[0] ** 2 + d[1] ** 2 || 1)));
      return Math.hypot(a[0] + s * d[0] - p[0], a[1] + s * d[1] - p[1]) <= 1e-7;
    };
    let passing = 0;
    for (let a = 1; a < 6; a++) {
      for (let b = 1; b < 6; b++) {
        const q = [(0.96 * a) / 6, (0.43 * b) / 6, 0.25];
        if (!checkE2(h, m, q, newE2Memo(), false)) continue;
        passing++;
        const p: Pt = [q[0], q[1]];
        expect(sets.some((t) => (t.cell ? inConvex(p, t.cell.map((v): Pt => [v[0], v[1]]), 1e-7) : t.from && t.to ? onSegment(p, t.from, t.to) : false))).toBe(true);
      }
    }
    // not vacuous: a region, and points outside it
    expect(passing).toBeGreaterThan(3);
    expect(passing).toBeLessThan(25);
  });

  it('five types, by default: the closed-form diagonal at each of the 8 corners of three unvalued types; a lower twoInteriorMaxTypes leaves them out and says so', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    // with twoInteriorMaxTypes 4 not searched, and the limit is reported (the 5-type market of a fuzz run, bench/e2.ts)
    const fuzz: E2Market = {
      game: { types: [0.209, 0.495, 0.945, 2.921, 3.866], fees: [0.209, 0.495, 0.945, 2.921, 3.866], gammaU: 0.946, gammaPi: 0.033 },
      buyerWeights: [0.553, 2.403, 1.669, 2.268, 1.983],
      qBar: [0.161, 0.58, 0.2, 0.746, 0.28],
      keepValue: [1.311, 1.311, 1.311, 1.311, 1.311],
    };
    const lowered = findE2(h, fuzz, { twoInteriorMaxTypes: 4 });
    expect(lowered.searched.twoInterior).toBe(false);
    expect(lowered.twoInteriorLimit).toEqual({ types: 5, maxTypes: 4 });
    // the first test's market with types 2, 3, 4 nobody values (β = 0, r = 0): H_1 = 3 min(q(0), q(1)) whatever
    // they hold, U ≡ 0 and p = 0, so q(0) = q(1) ∈ (0, 0.1) is an equilibrium set at every corner of theirs
    const m: E2Market = { game: { types: [1, 2, 3, 4, 5], fees: [1, 2, 3, 4, 5], gammaU: 0, gammaPi: 0 }, buyerWeights: [0, 3, 0, 0, 0], qBar: [1, 0.1, 0.5, 0.3, 0.2], keepValue: [0, 2, 0, 0, 0] };
    const r = findE2(h, m);
    expect(r.searched.twoInterior).toBe(true);
    expect(r.twoInteriorLimit).toBeUndefined();
    const diag = r.equilibria.filter((e) => e.twoInterior?.types.join() === '0,1');
    const corners = diag.map((e) => e.records.slice(2).map((x, k) => (x === 0 ? 0 : x === m.qBar[k + 2] ? 1 : NaN)).join('')).sort();
    expect(corners).toEqual(['000', '001', '010', '011', '100', '101', '110', '111']);
    diag.forEach(expectDiagonal);
    expect(bruteE2Violations(js, m, diag[0].records, diag[0].prices, 2)).toEqual([]);
  }, 180_000);

  it('a random five-type market whose only equilibrium found has types 1 and 2 interior: by default, and it passes the brute force', async () => {
    // seedrandom('five') in the bench's market generator; with twoInteriorMaxTypes 4 no two-interior entry can be reported
    const h = await highsSolver();
    const js = jsLpSolver();
    const types = [0.569, 1.803, 2.202, 2.5730000000000004, 3.443];
    const m: E2Market = { game: { types, fees: types, gammaU: 1.607, gammaPi: 0.347 }, buyerWeights: [1.318, 2.57, 1.468, 0.579, 2.942], qBar: [0.20500000000000002, 0.647, 0.557, 0.46699999999999997, 1.029], keepValue: [2.403, 2.572, 1.441, 0.396, 1.586] };
    expect(findE2(h, m, { twoInteriorMaxTypes: 4 }).equilibria.filter((e) => e.twoInterior)).toEqual([]);
    const r = findE2(h, m);
    expect(r.searched.twoInterior).toBe(true);
    const two = r.equilibria.filter((e) => e.twoInterior?.types.join() === '1,2');
    expect(two.length).toBeGreaterThan(0);
    const e = two[0];
    for (const w of [1, 2]) expect(e.records[w] > 0 && e.records[w] < m.qBar[w]).toBe(true);
    // Definition 2 on a grid, independent LPs; not vacuous: 1% fewer records of type 1 fail it
    expect(bruteE2Violations(js, m, e.records, e.prices, 2)).toEqual([]);
    expect(bruteE2Violations(js, m, e.records.map((x, w) => (w === 1 ? 0.99 * x : x)), e.prices, 2)).not.toEqual([]);
  }, 180_000);
});
