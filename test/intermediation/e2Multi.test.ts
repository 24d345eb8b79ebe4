/**
 * GP E2 with several platforms (src/model/intermediation/e2Multi.ts) against oracles written here:
 *  - reduction: with one platform the search returns exactly the single-platform `findE2` equilibria
 *    (allocations, price intervals, welfare), GP example included (MODEL.md A.6.3: lows keep, p(1) ∈ [1, β]);
 *  - brute force on two-platform markets: each platform's LP P_i is written again in this file and solved
 *    on javascript-lp-solver with the lexicographic selection (platform value, then aggregate buyer payoff,
 *    then each type's); for every reported equilibrium and its reported price vector p:
 *      every representative buyer's deviation (q_0, q_1, q_2)(ω) on a grid of the simplex is no better
 *      (payoffs Σ_i H_iω + p(ω)·sold + r_ω·kept, others' records fixed),
 *      every platform makes zero profit, ⟨p, q_i⟩ = U_i(q_i), and U_i(q') ≤ ⟨p, q'⟩ on a grid of q' (GP (4)),
 *      the reported welfare equals Σ U_i + Σ H + Σ r q_0 recomputed here;
 *  - welfare ordering (GP Prop. 2 and 3): FB (E3) ≥ SB ≥ W(E1) and W(E2) ≤ SB, and SB ≥ the grid maximum of
 *    W over allocations computed with the second backend.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, jsLpSolver, type LpRow, type LpSolver } from '../../src/lp/index.js';
import {
  findE2,
  findE2Multi,
  pricingDesign,
  secondBest,
  secondBestMulti,
  solveE1,
  solveE3,
  type E2Market,
  type E2MultiMarket,
  type MultiPlatformMarket,
  type PricingGame,
} from '../../src/model/intermediation/index.js';

interface Plat {
  gu: number;
  gp: number;
  beta: number[];
}

const TYPES = [1, 2];

/** P_i written here: columns a·2 + ω, equality rows, obedience Σ_ω (π(a,ω) − π(a',ω)) X(a,ω) ≥ 0. */
function payoffs(s: LpSolver, p: Plat, q: number[]): { U: number; H: number[] } {
  const cols: Array<{ a: number; w: number }> = [];
  for (const a of TYPES) TYPES.forEach((_, w) => cols.push({ a, w }));
  const pi = (a: number, w: number) => (TYPES[w] >= a ? a : 0);
  const surplus = (a: number, w: number) => Math.max(TYPES[w] - a, 0);
  const rows: LpRow[] = TYPES.map((_, w) => ({ indices: cols.flatMap((c, j) => (c.w === w ? [j] : [])), values: [1, 1], lower: q[w], upper: q[w] }));
  for (const a of TYPES) for (const a2 of TYPES) {
    if (a === a2) continue;
    const idx = cols.flatMap((c, j) => (c.a === a ? [j] : []));
    rows.push({ indices: idx, values: idx.map((j) => pi(a, cols[j].w) - pi(a2, cols[j].w)), lower: 0, upper: Infinity });
  }
  const u = cols.map((c) => p.gu * surplus(c.a, c.w) + p.gp * pi(c.a, c.w));
  const g = cols.map((c) => p.beta[c.w] * surplus(c.a, c.w));
  const lp = { sense: 'max' as const, colLower: cols.map(() => 0), colUpper: cols.map(() => Infinity), rows };
  const stage = (cost: number[]) => {
    const r = s.solve({ ...lp, cost, rows });
    rows.push({ indices: cost.map((_, j) => j), values: cost, lower: r.objective - 1e-9 * Math.max(1, Math.abs(r.objective)), upper: Infinity });
    return r.objective;
  };
  const U = stage(u);
  stage(g);
  const H = q.map((x, w) => (x > 0 ? stage(g.map((c, j) => (cols[j].w === w ? c : 0))) : 0));
  return { U, H };
}

const market = (plats: Plat[], qBar: number[], r: number[]): E2MultiMarket => ({
  designs: plats.map((p) => pricingDesign({ types: TYPES, fees: TYPES, gammaU: p.gu, gammaPi: p.gp }, p.beta)),
  qBar,
  keepValue: r,
});

function bruteForce(plats: Plat[], qBar: number[], r: number[]) {
  const js = jsLpSolver();
  const memo = new Map<string, { U: number; H: number[] }>();
  const pay = (i: number, q: number[]) => {
    const k = `${i}|${q.join()}`;
    let v = memo.get(k);
    if (!v) {
      v = payoffs(js, plats[i], q);
      memo.set(k, v);
    }
    return v;
  };
  return { pay };
}

const STEPS = 10;

function checkEquilibria(plats: Plat[], qBar: number[], r: number[], eqs: ReturnType<typeof findE2Multi>['equilibria']) {
  const { pay } = bruteForce(plats, qBar, r);
  for (const e of eqs) {
    const p = e.prices;
    // welfare recomputed
    let W = 0;
    e.records.forEach((q, i) => {
      const v = pay(i, q);
      W += v.U + v.H.reduce((a, b) => a + b, 0);
    });
    W += qBar.reduce((s, qb, w) => s + (qb - e.records[0][w] - e.records[1][w]) * r[w], 0);
    expect(Math.abs(W - e.welfare)).toBeLessThan(1e-7);
    // platforms: zero profit and no profitable q' (GP (4)); p ≥ 0
    expect(p.every((x) => x >= -1e-12)).toBe(true);
    e.records.forEach((q, i) => {
      expect(Math.abs(pay(i, q).U - (p[0] * q[0] + p[1] * q[1]))).toBeLessThan(1e-7);
      for (let k = 0; k <= STEPS; k++) {
        const qq = [k / STEPS, 1 - k / STEPS];
        expect(pay(i, qq).U).toBeLessThanOrEqual(p[0] * qq[0] + p[1] * qq[1] + 1e-7);
      }
    });
    // buyers: deviations on the simplex grid
    for (let w = 0; w < 2; w++) {
      const value = (t1: number, t2: number) => {
        const q1 = e.records[0].map((x, k) => (k === w ? t1 : x));
        const q2 = e.records[1].map((x, k) => (k === w ? t2 : x));
        return pay(0, q1).H[w] + pay(1, q2).H[w] + p[w] * (t1 + t2) + r[w] * (qBar[w] - t1 - t2);
      };
      const here = value(e.records[0][w], e.records[1][w]);
      for (let a = 0; a <= STEPS; a++) for (let b = 0; a + b <= STEPS; b++) {
        expect(value((a / STEPS) * qBar[w], (b / STEPS) * qBar[w])).toBeLessThanOrEqual(here + 1e-7);
      }
    }
  }
  return pay;
}

const toMp = (plats: Plat[], qBar: number[], r: number[]): MultiPlatformMarket => ({
  types: TYPES,
  qBar,
  keepValue: r,
  platforms: plats.map((p) => ({ game: { types: TYPES, fees: TYPES, gammaU: p.gu, gammaPi: p.gp }, buyerWeights: p.beta })),
});

function orderings(h: LpSolver, plats: Plat[], qBar: number[], r: number[]) {
  const m = market(plats, qBar, r);
  const found = findE2Multi(h, m);
  const sb = secondBestMulti(h, m).welfare;
  const fb = solveE3(h, toMp(plats, qBar, r)).welfare;
  const e1 = solveE1(h, toMp(plats, qBar, r)).welfare;
  const tol = 1e-7 * Math.max(1, Math.abs(fb));
  expect(fb).toBeGreaterThanOrEqual(sb - tol);
  expect(sb).toBeGreaterThanOrEqual(e1 - tol);
  for (const e of found.equilibria) expect(e.welfare).toBeLessThanOrEqual(sb + tol);
  return { found, sb };
}

describe('E2 with several platforms: reduction to one platform', () => {
  it('GP example (β = 2): the same equilibria, prices and welfare as findE2', async () => {
    const h = await highsSolver();
    const game: PricingGame = { types: TYPES, fees: TYPES, gammaU: 1, gammaPi: 0 };
    const one: E2Market = { game, buyerWeights: [1, 3], qBar: [0.3, 0.7], keepValue: [2, 0] };
    const a = findE2(h, one).equilibria;
    const b = findE2Multi(h, { designs: [pricingDesign(game, [1, 3])], qBar: [0.3, 0.7], keepValue: [2, 0] }).equilibria;
    expect(b.length).toBe(a.length);
    for (const e of a) {
      const f = b.find((x) => x.records[0].every((v, w) => Math.abs(v - e.records[w]) < 1e-9));
      expect(f).toBeDefined();
      expect(f?.welfare).toBeCloseTo(e.welfare, 12);
      f?.priceIntervals.forEach((iv, w) => {
        expect(iv.lower).toBeCloseTo(e.priceIntervals[w].lower, 9);
        expect(iv.upper).toBeCloseTo(e.priceIntervals[w].upper, 9);
      });
    }
    // MODEL.md A.6.3: lows keep their records, p(1) ∈ [1, β], p(2) = 0, W = β q̄(1)
    for (const e of b) {
      expect(e.records[0][0]).toBe(0);
      expect(e.welfare).toBeCloseTo(0.6, 12);
    }
  });

  it('random one-platform markets: findE2Multi = findE2', async () => {
    const h = await highsSolver();
    fc.assert(
      fc.property(
        fc.record({
          mass: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
          gu: fc.double({ min: 0, max: 2, noNaN: true }),
          gp: fc.double({ min: 0, max: 1, noNaN: true }),
          beta: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }),
          r: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 2, maxLength: 2 }),
        }),
        ({ mass, gu, gp, beta, r }) => {
          const game: PricingGame = { types: TYPES, fees: TYPES, gammaU: gu, gammaPi: gp };
          // findE2 also searches both types interior (two types), which findE2Multi does not: compare the rest
          const a = findE2(h, { game, buyerWeights: beta, qBar: mass, keepValue: r }).equilibria.filter((e) => !e.pair);
          const b = findE2Multi(h, { designs: [pricingDesign(game, beta)], qBar: mass, keepValue: r }).equilibria;
          const key = (x: number[]) => x.map((v) => v.toFixed(7)).join();
          expect(new Set(b.map((e) => key(e.records[0])))).toEqual(new Set(a.map((e) => key(e.records))));
          expect(secondBestMulti(h, { designs: [pricingDesign(game, beta)], qBar: mass, keepValue: r }).welfare).toBeCloseTo(secondBest(h, { game, buyerWeights: beta, qBar: mass, keepValue: r }).welfare, 9);
        },
      ),
      { numRuns: 6, seed: 11 },
    );
  });
});

describe('E2 with two platforms', () => {
  it('a buyer-surplus platform next to a full-disclosure platform: best equilibrium sells all to the latter and reaches SB', async () => {
    const h = await highsSolver();
    // platform 2 has γ_u = γ_π = 0.5: v = 0.5ω for any obeyed a ≤ ω, so U_2(q) = 0.5 Σ ω q(ω) is linear with
    // prices (0.5, 1) ≥ platform 1's willingness to pay; lows (r = 0.5) are paid exactly their privacy value.
    const plats: Plat[] = [{ gu: 1, gp: 0, beta: [1, 3] }, { gu: 0.5, gp: 0.5, beta: [1, 3] }];
    const qBar = [0.3, 0.7];
    const r = [0.5, 0];
    const { found, sb } = orderings(h, plats, qBar, r);
    expect(found.equilibria.length).toBeGreaterThan(0);
    checkEquilibria(plats, qBar, r, found.equilibria);
    // the welfare-best equilibrium sells everything to platform 2; its W is recomputed by brute force and equals SB
    const pay = checkEquilibria(plats, qBar, r, found.equilibria.slice(0, 1));
    const best = found.equilibria[0];
    expect(best.records[1][0]).toBeCloseTo(0.3, 12);
    expect(best.records[1][1]).toBeCloseTo(0.7, 12);
    const v2 = pay(1, [0.3, 0.7]);
    expect(best.welfare).toBeCloseTo(v2.U + v2.H[0] + v2.H[1], 7);
    expect(best.welfare).toBeCloseTo(sb, 9);
  });

  it('random two-platform markets: brute-force equilibrium conditions and FB ≥ SB ≥ W(E2), SB ≥ W(E1), SB ≥ grid max', async () => {
    const h = await highsSolver();
    const plat = fc.record({
      gu: fc.double({ min: 0, max: 2, noNaN: true }),
      gp: fc.double({ min: 0, max: 1, noNaN: true }),
      beta: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }),
    });
    fc.assert(
      fc.property(
        fc.record({
          plats: fc.array(plat, { minLength: 2, maxLength: 2 }),
          mass: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
          r: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 2, maxLength: 2 }),
        }),
        ({ plats, mass, r }) => {
          const { found, sb } = orderings(h, plats, mass, r);
          const pay = checkEquilibria(plats, mass, r, found.equilibria);
          // SB ≥ W on a coarse grid of allocations (each type: kept, to 1, to 2 in steps of q̄/4)
          const G = 4;
          const splits: number[][] = [];
          for (let a = 0; a <= G; a++) for (let b = 0; a + b <= G; b++) splits.push([a / G, b / G]);
          for (const s0 of splits) for (const s1 of splits) {
            const q1 = [s0[0] * mass[0], s1[0] * mass[1]];
            const q2 = [s0[1] * mass[0], s1[1] * mass[1]];
            const v1 = pay(0, q1);
            const v2 = pay(1, q2);
            const W = v1.U + v2.U + v1.H[0] + v1.H[1] + v2.H[0] + v2.H[1] + r[0] * (mass[0] - q1[0] - q2[0]) + r[1] * (mass[1] - q1[1] - q2[1]);
            expect(W).toBeLessThanOrEqual(sb + 1e-7);
          }
        },
      ),
      { numRuns: 5, seed: 7 },
    );
  });
});
