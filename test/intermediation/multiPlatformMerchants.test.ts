/**
 * E1/E2/E3 when a platform carries several merchants (GP's K_i; PlatformSpec.merchants):
 *  - separate merchants are separable: each record reaches both products, obedience is merchant by merchant
 *    and u, g add over merchants, so E1's value (all records used: v ≥ 0) is V_1(q̄) + V_2(q̄) of the two
 *    one-merchant platforms, the E1 price intervals add (∂ of a sum of polyhedral concave functions is the sum
 *    of the ∂'s, and projections of sums are sums of projections), and with r = 0 E3's FB adds too;
 *  - the values of E1 and E3 on two-platform markets with a Bertrand platform agree between HiGHS and
 *    javascript-lp-solver;
 *  - E2: a second merchant whose only fee exceeds every type never sells (π = 0, surplus 0), so E2 must equal the
 *    one-merchant `findE2` of the first merchant.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver, jsLpSolver } from '../../src/lp/index.js';
import {
  findE2,
  findE2Multi,
  multiMerchantDesign,
  solveE1,
  solveE3,
  type MultiMerchantGame,
  type MultiPlatformMarket,
  type PlatformSpec,
} from '../../src/model/intermediation/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { loadScenario, type IntermediationScenario } from '../../src/scenario/index.js';

const TYPES = [1, 2, 3];

const single = (fees: number[], gu: number, gp: number, beta: number[]): PlatformSpec => ({ game: { types: TYPES, fees, gammaU: gu, gammaPi: gp }, buyerWeights: beta });
const multi = (fees: number[][], competition: 'separate' | 'bertrand', gu: number, gp: number, beta: number[]): PlatformSpec => {
  const merchants: MultiMerchantGame = { types: TYPES, merchantFees: fees, competition, gammaU: gu, gammaPi: gp };
  return { game: { types: TYPES, fees: fees[0], gammaU: gu, gammaPi: gp }, buyerWeights: beta, merchants };
};
const mkt = (qBar: number[], r: number[], platforms: PlatformSpec[]): MultiPlatformMarket => ({ types: TYPES, qBar, keepValue: r, platforms });

const arb = fc.record({
  mass: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
  gu: fc.double({ min: 0, max: 2, noNaN: true }),
  gp: fc.double({ min: 0, max: 1, noNaN: true }),
  beta: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
  r: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
});

describe('several merchants on a platform: E1 and E3', () => {
  it('separate merchants: E1 value and price intervals add up; with r = 0 FB adds up', async () => {
    const h = await highsSolver();
    const F1 = [1, 2, 3];
    const F2 = [2, 3];
    fc.assert(
      fc.property(arb, ({ mass, gu, gp, beta, r }) => {
        const both = solveE1(h, mkt(mass, r, [multi([F1, F2], 'separate', gu, gp, beta)]));
        const a = solveE1(h, mkt(mass, r, [single(F1, gu, gp, beta)]));
        const b = solveE1(h, mkt(mass, r, [single(F2, gu, gp, beta)]));
        const tol = 1e-7 * Math.max(1, both.value);
        expect(Math.abs(both.value - a.value - b.value)).toBeLessThan(tol);
        both.priceIntervals.forEach((iv, w) => {
          expect(Math.abs(iv.lower - a.priceIntervals[w].lower - b.priceIntervals[w].lower)).toBeLessThan(1e-6);
          expect(Math.abs(iv.upper - a.priceIntervals[w].upper - b.priceIntervals[w].upper)).toBeLessThan(1e-6);
        });
        const zero = mass.map(() => 0);
        const fb = solveE3(h, mkt(mass, zero, [multi([F1, F2], 'separate', gu, gp, beta)])).value;
        const fa = solveE3(h, mkt(mass, zero, [single(F1, gu, gp, beta)])).value;
        const fbb = solveE3(h, mkt(mass, zero, [single(F2, gu, gp, beta)])).value;
        expect(Math.abs(fb - fa - fbb)).toBeLessThan(tol);
      }),
      { numRuns: 10, seed: 3 },
    );
  });

  it('two platforms, one with two Bertrand merchants: E1 and E3 values agree on HiGHS and javascript-lp-solver; FB ≥ W(E1)', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    fc.assert(
      fc.property(arb, ({ mass, gu, gp, beta, r }) => {
        const m = mkt(mass, r, [multi([[1, 2, 3], [1, 2, 3]], 'bertrand', gu, gp, beta), single([1, 2, 3], gp, gu, beta)]);
        const e1 = solveE1(h, m);
        const e3 = solveE3(h, m);
        const tol = 1e-6 * Math.max(1, e3.value);
        expect(Math.abs(e1.value - solveE1(js, m).value)).toBeLessThan(tol);
        expect(Math.abs(e3.value - solveE3(js, m).value)).toBeLessThan(tol);
        expect(e3.welfare).toBeGreaterThanOrEqual(e1.welfare - tol);
        expect(e3.value).toBeCloseTo(e3.welfare, 6);
      }),
      { numRuns: 10, seed: 5 },
    );
  });
});

describe('several merchants on a platform: E2', () => {
  it('a second merchant that never sells leaves E2 unchanged (= findE2 of the first merchant)', async () => {
    const h = await highsSolver();
    const types = [1, 2];
    const qBar = [0.3, 0.7];
    const keep = [2, 0];
    const beta = [1, 3];
    const ref = findE2(h, { game: { types, fees: types, gammaU: 1, gammaPi: 0 }, buyerWeights: beta, qBar, keepValue: keep }).equilibria;
    const d = multiMerchantDesign({ types, merchantFees: [[1, 2], [5]], competition: 'separate', gammaU: 1, gammaPi: 0 }, beta);
    const got = findE2Multi(h, { designs: [d], qBar, keepValue: keep }).equilibria;
    const key = (x: number[]) => x.map((v) => v.toFixed(7)).join();
    expect(new Set(got.map((e) => key(e.records[0])))).toEqual(new Set(ref.map((e) => key(e.records))));
    for (const e of got) {
      const r = ref.find((x) => key(x.records) === key(e.records[0]));
      expect(e.welfare).toBeCloseTo(r?.welfare ?? NaN, 9);
      e.priceIntervals.forEach((iv, w) => expect(iv.lower).toBeCloseTo(r?.priceIntervals[w].lower ?? NaN, 9));
    }
  });
});

describe('GP\'s payoff example (L85): a platform taking a fee on Bertrand sellers\' profits', () => {
  it('sims/gp-bertrand-fee.json: it extracts everything, as a direct seller would — V = TS = 1.7, p = (1, 2), E1 = E2 = SB = FB', async () => {
    // by hand: types 1, 2 (masses 0.3, 0.7), two sellers with fees {1, 2}, ties split. Type-2 records recommended
    // (2, 2): each seller earns 2·½ = 1 per record, and undercutting to 1 earns 1·1 — no gain, so obedient; type-1
    // records (1, 1). The platform's payoff Σ_k π_k is then every record's value: V = 0.3 + 1.4 = 1.7 = TS, the most
    // there is, and V is linear, p = (1, 2). Buyers get nothing from use (price = value), their privacy value 0.5
    // is below each price: every record is sold in E1, E2 and FB, W = 1.7
    const r = await solveIntermediation(loadScenario('sims/gp-bertrand-fee.json') as IntermediationScenario);
    const mp = r.multiPlatform as {
      designs: Array<{ value: number; recordPrices: Array<{ lower: number; upper: number }> }>;
      E1: { welfare: number; prices: number[] };
      E3: { welfare: number };
      E2: { equilibria: Array<{ welfare: number }>; secondBest: { welfare: number } };
    };
    expect(mp.designs[0].value).toBeCloseTo(1.7, 9);
    mp.designs[0].recordPrices.forEach((iv, w) => {
      expect(iv.lower).toBeCloseTo(w + 1, 9);
      expect(iv.upper).toBeCloseTo(w + 1, 9);
    });
    mp.E1.prices.forEach((p, w) => expect(p).toBeCloseTo(w + 1, 9));
    for (const w of [mp.E1.welfare, mp.E3.welfare, mp.E2.secondBest.welfare, ...mp.E2.equilibria.map((e) => e.welfare)]) expect(w).toBeCloseTo(1.7, 9);
    expect(mp.E2.equilibria.length).toBeGreaterThan(0);
  });
});
